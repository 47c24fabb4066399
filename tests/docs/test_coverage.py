"""Every code example of the documentation is one the tests run, and the reference is complete.

The pages are built with Sphinx's XML builder (the ``rendered`` fixture), so the
examples found here are exactly those a reader sees, whatever directive
produced them; each Python one must be among the examples ``test_examples``
runs, and each docstring example one that ``test_docstring_examples`` runs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flask_ipernity import config

from .snippets import DOCS, NOT_PYTHON, PYTHON, README, markdown_snippets, pages, snippets

#: What Sphinx calls Python besides the names of :data:`PYTHON`.
SPHINX_PYTHON = PYTHON | {"default", "python3", "pycon", "ipython"}


def rendered_code_blocks(rendered: Path) -> list[tuple[str, str, str]]:
    """``(page, language, code)`` of every literal block of the built pages."""
    blocks = []
    for page in sorted(rendered.glob("*.xml")):
        # Our own build's output, not untrusted data.
        for block in ET.parse(page).iter("literal_block"):  # noqa: S314
            language = block.get("language", "text")
            blocks.append((page.stem, language, "".join(block.itertext()).strip()))
    return blocks


def rendered_doctests(rendered: Path) -> list[str]:
    """The text of every ``>>>`` example block of the built pages (from docstrings)."""
    return [
        "".join(block.itertext())
        for page in sorted(rendered.glob("*.xml"))
        for block in ET.parse(page).iter("doctest_block")  # noqa: S314
    ]


def test_every_python_block_of_the_built_docs_is_an_example_the_tests_run(
    rendered: Path,
) -> None:
    executed = {s.code.strip() for page in pages() for s in snippets(page) if s.is_python}
    missed = [
        f"{page}: {code.splitlines()[0]}"
        for page, language, code in rendered_code_blocks(rendered)
        if language in SPHINX_PYTHON and code not in executed
    ]
    assert missed == []


def test_the_built_docs_have_python_examples_on_every_guide_page(rendered: Path) -> None:
    with_python = {
        page for page, language, _ in rendered_code_blocks(rendered) if language in PYTHON
    }
    assert with_python >= {"quickstart", "library", "flask", "sandbox"}


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_every_code_block_names_a_language_the_tests_know(page: Path) -> None:
    unknown = [
        f"{s} ({s.language or 'no language'})"
        for s in snippets(page)
        if s.language not in PYTHON | NOT_PYTHON
    ]
    assert unknown == []


def test_every_fenced_block_of_the_readme_is_found() -> None:
    fences = re.findall(r"^```", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(markdown_snippets(README)) * 2 == len(fences)


def test_the_configuration_table_lists_every_key_with_its_default() -> None:
    text = (DOCS / "flask.rst").read_text(encoding="utf-8")
    table = text[text.index(".. list-table::", text.index("Configuration\n---")) :]
    rows = dict(re.findall(r"\* - ``(IPERNITY_\w+)``\n\s+- (.+)", table))
    assert set(rows) == set(config.DEFAULTS)
    for name, default in config.DEFAULTS.items():
        shown = rows[name].strip("`")
        expected = repr(default).replace("'", '"')
        assert shown == expected, f"{name}: the table says {shown}, the code {expected}"
