"""The shapes of the catalogue's ``response_xml`` samples, the guide of both formats.

A sample shows, for each element of an answer, its attributes and its child
elements in the service's order, and which children hold only text
(``<frob>``, ``<description>``). The JSON writer takes the order from it, the
XML writer also which members are attributes and which are element text.

The samples are not well-formed XML (``(...)`` between items, tags left open
or closed twice, an attribute after a tag's ``>``, a quote left out), so they
are read tag by tag, leniently, never with an XML parser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property

from ipernity import catalogue

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z_][\w.-]*)([^<>]*?)(/?)>")
# A value is quoted, or runs to the next space ('count=22"' in two samples).
_ATTRIBUTE = re.compile(r"([A-Za-z_][\w.-]*)\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+)")
#: What a sample writes between a collection's items to say "and so on".
_ELLIPSIS = "(...)"


@dataclass
class Shape:
    """What a sample shows of one element, merged over all its occurrences."""

    name: str
    #: Attribute names, in the order the sample first shows them.
    attributes: list[str] = field(default_factory=list)
    #: Child elements by name, in the order the sample first shows them.
    children: dict[str, Shape] = field(default_factory=dict)
    #: Whether the element holds text (``<frob>…</frob>``, a note's words).
    text: bool = False

    def add_attributes(self, names: list[str]) -> None:
        """Note attribute ``names``, keeping the first position of each."""
        self.attributes.extend(name for name in names if name not in self.attributes)

    @cached_property
    def order(self) -> dict[str, int]:
        """Each member's position: the attributes first, then the children
        (asked once the sample is read whole)."""
        names = dict.fromkeys([*self.attributes, *self.children])
        return {name: position for position, name in enumerate(names)}

    def text_only(self, name: str) -> bool:
        """Whether the sample shows member ``name`` as a child element (with
        text, or empty) rather than as an attribute."""
        return name in self.children and name not in self.attributes


def read_sample(xml: str) -> dict[str, Shape]:
    """The top-level elements of a sample, by name, in the sample's order."""
    roots: dict[str, Shape] = {}
    stack: list[Shape] = []
    position = 0
    xml = _COMMENT.sub("", xml)
    for match in _TAG.finditer(xml):
        if stack:
            _read_between(stack[-1], xml[position : match.start()])
        position = match.end()
        closing, name, attributes, self_closing = match.groups()
        if closing:
            _close(stack, name)
            continue
        siblings = stack[-1].children if stack else roots
        shape = siblings.setdefault(name, Shape(name))
        shape.add_attributes(_ATTRIBUTE.findall(attributes))
        if not self_closing:
            stack.append(shape)
    return roots


def _read_between(current: Shape, between: str) -> None:
    """Read what lies between two tags: the open element's text, or attributes
    a sample wrote after the tag's ``>`` (``icon="…">  title="…">``)."""
    between = between.replace(_ELLIPSIS, "").strip()
    if not between:
        return
    stray = _ATTRIBUTE.findall(between) if between.endswith(">") else []
    if stray:
        current.add_attributes(stray)
    else:
        current.text = True


def _close(stack: list[Shape], name: str) -> None:
    # A closing tag with no open element of its name (a stray) closes nothing.
    if any(shape.name == name for shape in stack):
        while stack.pop().name != name:
            pass


@cache
def sample_shapes(method: str) -> Mapping[str, Shape]:
    """The top-level elements of ``method``'s sample (empty without one)."""
    entry = catalogue.get(method)
    if entry is None or not entry.response_xml:
        return {}
    return read_sample(entry.response_xml)


def in_sample_order(
    members: Mapping[str, object], shapes: Mapping[str, Shape]
) -> dict[str, object]:
    """``members`` (an answer's, or an element's) in the sample's order, nested
    objects and list items too; what the sample does not show follows, in the
    order it came.

    :param shapes: the sample's elements at this level, by name (a top-level
        element's children, or the sample's top-level elements).
    """
    rank = {name: position for position, name in enumerate(shapes)}
    return _ordered(members, rank, shapes)


def _ordered(
    members: Mapping[str, object], rank: Mapping[str, int], children: Mapping[str, Shape]
) -> dict[str, object]:
    names = sorted(members, key=lambda name: rank.get(name, len(rank)))
    return {name: _nested(members[name], children.get(name)) for name in names}


def _nested(value: object, shape: Shape | None) -> object:
    if shape is None:
        return value
    if isinstance(value, list):
        return [_nested(item, shape) for item in value]
    if isinstance(value, dict):
        return _ordered(value, shape.order, shape.children)
    return value
