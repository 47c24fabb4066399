"""Sphinx configuration of the Flask-Ipernity documentation."""

from __future__ import annotations

import sys
from pathlib import Path

# Document the working tree's packages, not whatever version is installed.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "pyipernity"), str(ROOT / "docs" / "_ext")]

project = "Flask-Ipernity"
author = "The Flask-Ipernity team"
copyright = "2025–2026, the Flask-Ipernity team"
from flask_ipernity import __version__ as release  # noqa: E402

version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    # The API methods' reference, from the catalogue (docs/_ext/method_reference.py).
    "method_reference",
]

# Examples in the text are Python only where a code-block says so; bare "::"
# blocks are plain text. tests/docs executes every Python block.
highlight_language = "text"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True, "show-inheritance": True}
# Type aliases resolved by autodoc would otherwise be cross-referenced to nothing.
autodoc_type_aliases = {"ParamValue": "ipernity.signing.ParamValue"}

html_theme = "furo"
html_title = "Flask-Ipernity 1.0"
html_static_path: list[str] = []
exclude_patterns = ["_build", "examples"]
