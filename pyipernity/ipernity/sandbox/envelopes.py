"""The answers on the wire: JSON laid out as the service writes it, and XML.

An envelope is the dict :func:`~.dispatch.dispatch` builds: the answer's
members (every value a string, an object or a list) and ``api``, the status.
Both writers take the order of the members from the method's catalogue sample
(see :mod:`.samples`); what the sample does not show follows in the order the
handler gave, and ``api`` comes last in JSON.

- JSON is compact, the answer first and ``api`` last:
  ``{"auth":{"frob":"…"},"api":{"status":"ok","at":"…"}}``. Clients that read
  values by position (Ipernity's own ShellScript API Kit) need that layout.
- XML is ``<api status="ok" at="…">`` around the answer, or
  ``<api status="error" code="N" message="…"/>``, in UTF-8. An object is an
  element, a list repeats its element, and a string is an attribute unless the
  sample shows it as an element's text (``<frob>``, ``<token>``, ``<title>``);
  without a sample, ``content`` and ``description`` are element text, as every
  sample shows them. An element the sample shows with attributes and text
  (a note, a parameter) takes its ``content`` or ``description`` as its text,
  and a ``_value`` member, the service's JSON name for an element's text, is
  always its element's text. The answer's own top-level strings are elements
  (``<ticket>12</ticket>``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Response

from .samples import Shape, in_sample_order, sample_shapes

#: The formats the API answers in; any other gets error 102 (in JSON).
FORMATS = ("json", "xml")
#: The members that are element text where no sample says otherwise.
TEXT_MEMBERS = ("content", "description")
#: The service's JSON name for an element's own text (``api.methods.get``'s notes).
TEXT_VALUE = "_value"

_MIMETYPES = {"json": "application/json", "xml": "text/xml"}
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Names an XML element or attribute may have (only test.echo sends others:
# the parameters' names, which anyone chooses).
_XML_NAME = re.compile(r"[A-Za-z_][\w.-]*", re.ASCII)
# Characters XML 1.0 cannot carry at all, not even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def respond(envelope: Mapping[str, Any], method: str, fmt: str, status: int = 200) -> Response:
    """The HTTP answer carrying ``envelope`` in format ``fmt`` (``json`` or ``xml``)."""
    body = write_xml(envelope, method) if fmt == "xml" else write_json(envelope, method)
    return Response(body, status=status, mimetype=_MIMETYPES.get(fmt, _MIMETYPES["json"]))


def write_json(envelope: Mapping[str, Any], method: str) -> bytes:
    """``envelope`` as the service writes JSON: compact, the answer in its
    sample's order, ``api`` last."""
    laid_out = {**_answer(envelope, method), "api": envelope["api"]}
    return json.dumps(laid_out, separators=(",", ":")).encode("ascii")


def write_xml(envelope: Mapping[str, Any], method: str) -> bytes:
    """``envelope`` as the service writes XML, shaped by ``method``'s sample."""
    root = ET.Element("api", {name: _text(value) for name, value in envelope["api"].items()})
    shapes = sample_shapes(method)
    for name, value in _answer(envelope, method).items():
        for item in _items(value):
            if _XML_NAME.fullmatch(name):
                root.append(_element(name, item, shapes.get(name)))
    return _DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")


def _answer(envelope: Mapping[str, Any], method: str) -> dict[str, Any]:
    members = {name: value for name, value in envelope.items() if name != "api"}
    return in_sample_order(members, sample_shapes(method))


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _element(name: str, value: Any, shape: Shape | None) -> ET.Element:
    """The element ``name`` holding ``value`` (a string or an object)."""
    element = ET.Element(name)
    if not isinstance(value, dict):
        element.text = _text(value)
        return element
    for key, item in value.items():
        if not _XML_NAME.fullmatch(key):
            continue
        if not isinstance(item, str):
            child_shape = shape.children.get(key) if shape is not None else None
            element.extend(_element(key, one, child_shape) for one in _items(item))
        elif key == TEXT_VALUE:
            element.text = _text(item)
        elif _is_attribute(key, shape):
            element.set(key, _text(item))
        elif _holds_text(key, shape) and element.text is None:
            element.text = _text(item)
        else:
            element.append(_element(key, item, None))
    return element


def _is_attribute(name: str, shape: Shape | None) -> bool:
    """Whether string member ``name`` is written as an attribute."""
    if shape is not None and name in shape.attributes:
        return True
    if shape is not None and shape.text_only(name):
        return False
    return name not in TEXT_MEMBERS


def _holds_text(name: str, shape: Shape | None) -> bool:
    """Whether member ``name`` is the text of an element shown with attributes
    and text (``<note x="1">the words</note>``)."""
    return shape is not None and shape.text and name in TEXT_MEMBERS


def _text(value: object) -> str:
    # Control characters cannot be written in XML 1.0: each becomes U+FFFD.
    return _NOT_XML.sub("\ufffd", str(value))
