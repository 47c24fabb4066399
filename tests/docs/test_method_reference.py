"""The API reference lists every method of the catalogue, written from it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ipernity import catalogue


def method_entries(rendered: Path) -> dict[str, ET.Element]:
    """The method entries of the built API reference, by their full name."""
    # Our own build's output, not untrusted data.
    page = ET.parse(rendered / "api.xml")  # noqa: S314
    found = {}
    for desc in page.iter("desc"):
        signature = desc.find("desc_signature")
        if signature is not None and desc.get("objtype") == "method":
            found[signature.get("ids", "")] = desc
    return found


def entries(rendered: Path) -> dict[str, str]:
    """The text of each method entry, by the method's full name."""
    return {
        name: " ".join("".join(desc.itertext()).split())
        for name, desc in method_entries(rendered).items()
    }


def test_every_method_of_the_catalogue_has_an_entry(rendered: Path) -> None:
    names = {f"ipernity.IpernityAPI.{name}" for name in catalogue.names()}
    assert names <= set(entries(rendered))


def test_an_entry_shows_the_parameters_their_kinds_and_what_the_method_needs(
    rendered: Path,
) -> None:
    text = entries(rendered)["ipernity.IpernityAPI.album.docs.add"]
    assert "POST, signed, needs a token, permissions: doc=write." in text
    assert "album_id (id) – required; The album ID you wish to add documents in." in text
    assert "doc_id (ids) – required; A document ID or a comma separated list" in text
    assert "lg (text) – The language of the answer’s texts" in text
    assert "Note: A document is skipped when:" in text


def test_an_entry_shows_the_signature_type_checkers_see(rendered: Path) -> None:
    desc = method_entries(rendered)["ipernity.IpernityAPI.doc.get"]
    parameters = ["".join(p.itertext()) for p in desc.iter("desc_parameter")]
    assert parameters == ["*", "doc_id: Id", "extra: Texts | None = None", "lg: str | None = None"]
    returns = desc.find("desc_signature/desc_returns")
    assert returns is not None
    assert "".join(returns.itertext()) == "dict[str, Any]"


def test_an_entry_says_when_the_catalogue_lists_no_parameters(rendered: Path) -> None:
    text = entries(rendered)["ipernity.IpernityAPI.post.get"]
    assert "The catalogue lists no parameters; those given are sent as they are." in text
