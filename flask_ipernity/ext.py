"""Flask-Ipernity 0.1's module of the extension, kept for its import path.

``from flask_ipernity.ext import Ipernity, ipernity, ipernity_auth_required``
still works, with a warning to import them from :mod:`flask_ipernity`.
"""

from __future__ import annotations

from typing import Any

from .compat.methods import deprecated

_NAMES = ("Ipernity", "ipernity", "ipernity_auth_required", "default_flask_options")


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name == "default_flask_options":
        from .compat.settings import LEGACY_DEFAULTS

        deprecated("flask_ipernity.ext.default_flask_options", "flask_ipernity.config")
        return LEGACY_DEFAULTS
    deprecated(f"flask_ipernity.ext.{name}", f"flask_ipernity.{name}")
    import flask_ipernity

    return getattr(flask_ipernity, name)
