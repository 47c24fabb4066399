"""The documentation builds, as HTML, without a single warning (what ``make docs`` does)."""

from __future__ import annotations

from pathlib import Path

from ipernity import catalogue

from .snippets import DOCS


def test_every_page_of_the_documentation_builds_as_html(built_docs: Path) -> None:
    pages = {page.stem for page in DOCS.glob("*.rst")}
    assert pages <= {page.stem for page in (built_docs / "html").glob("*.html")}


def test_the_html_api_reference_lists_every_method(built_docs: Path) -> None:
    reference = (built_docs / "html" / "api.html").read_text(encoding="utf-8")
    for name in catalogue.names():
        assert f'id="ipernity.IpernityAPI.{name}"' in reference
