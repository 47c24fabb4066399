"""The service's method catalogue (``data/methods.json``), read in one place.

The catalogue is what the live service's ``api.methods.getList`` and
``api.methods.get`` describe: for each of its methods, the authentication flags,
the permissions needed, the parameters and a sample response. The client uses it
to refuse unknown methods, to choose GET or POST and to size pages; the sandbox
uses it to check requests and to answer ``api.methods.*``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

_LIMITS = re.compile(r"default is (\d+)(?:, maximum is (\d+))?", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([A-Za-z_][\w.-]*)([^<>]*?)(/?)>")


class Parameter(NamedTuple):
    """One documented parameter of a method."""

    name: str
    required: bool
    description: str = ""


class Method(NamedTuple):
    """What the catalogue says about one API method."""

    name: str
    title: str
    #: The method must be sent as an HTTP POST (a GET gets error 120).
    post: bool
    #: The request must carry ``api_sig``.
    sign: bool
    #: The request must carry ``auth_token``.
    token: bool
    #: Permissions the token needs, e.g. ``{"doc": "write"}``.
    permissions: Mapping[str, str]
    parameters: tuple[Parameter, ...]
    response_xml: str | None = None
    #: The service's notes on the method (HTML fragments, as catalogued).
    notes: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        """The first part of the name (``doc`` for ``doc.tags.add``)."""
        return self.name.split(".", 1)[0]

    @property
    def read_only(self) -> bool:
        """Whether the call only reads (no POST, no authentication, no upload state)."""
        return not self.post and self.prefix not in ("auth", "upload")

    @property
    def paged(self) -> bool:
        """Whether the method takes a ``page`` parameter."""
        return any(p.name == "page" for p in self.parameters)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required parameters, ``api_key`` left out."""
        return tuple(p.name for p in self.parameters if p.required and p.name != "api_key")

    def parameter(self, name: str) -> Parameter | None:
        """Return the documented parameter ``name``, if any."""
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def per_page_limits(self) -> tuple[int, int] | None:
        """``(default, maximum)`` of ``per_page`` as documented, or ``None``."""
        return _limits(self.parameter("per_page"))

    @property
    def count_limits(self) -> tuple[int, int] | None:
        """``(default, maximum)`` of ``count`` as documented, or ``None``."""
        return _limits(self.parameter("count"))

    @property
    def item_path(self) -> tuple[str, ...] | None:
        """Where a paged answer keeps its items, e.g. ``("album", "docs", "doc")``.

        Read from the sample response: the element that carries the paging
        attributes, then the child element that repeats in it.
        """
        return _item_path(self.response_xml) if self.response_xml else None


_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:li|ul|ol|p|br|div)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")


def plain_text(markup: str) -> str:
    """The words of one of the catalogue's texts, which are HTML fragments, on one line.

    List items are set off with bullets: ``Values are: • 0: private • 1: family``.
    """
    import html  # here: its table of entities would slow `import ipernity` down

    text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", _LIST_ITEM.sub(" • ", markup)))
    return " ".join(html.unescape(text).split())


def _limits(param: Parameter | None) -> tuple[int, int] | None:
    if param is None:
        return None
    match = _LIMITS.search(param.description)
    if match is None:
        return None
    default = int(match.group(1))
    return default, int(match.group(2) or default)


@cache
def _item_path(xml: str) -> tuple[str, ...] | None:
    # The samples are not well-formed XML ("(...)", "count=22\""), so walk the tags.
    stack: list[str] = []
    list_depth: int | None = None
    children: Counter[str] = Counter()
    path: tuple[str, ...] = ()
    for closing, name, attrs, self_closing in _TAG.findall(xml):
        if closing:
            if list_depth is not None and len(stack) == list_depth:
                break
            if stack:
                stack.pop()
            continue
        if list_depth is not None and len(stack) == list_depth:
            children[name] += 1
        if list_depth is None and re.search(r"\b(total|per_page|count)=", attrs):
            list_depth = len(stack) + 1
            path = (*stack, name)
        if not self_closing:
            stack.append(name)
    if not children:
        return None
    return (*path, children.most_common(1)[0][0])


def _method_from_entry(entry: Mapping[str, Any]) -> Method:
    flags = entry.get("authentication", {})
    return Method(
        name=entry["name"],
        title=entry.get("title", ""),
        post=bool(int(flags.get("post", 0))),
        sign=bool(int(flags.get("sign", 0))),
        token=bool(int(flags.get("token", 0))),
        permissions=dict(entry.get("permissions") or {}),
        parameters=tuple(
            Parameter(p["name"], bool(int(p.get("required", 0))), p.get("description") or "")
            for p in entry.get("parameters", [])
        ),
        response_xml=entry.get("response_xml"),
        notes=tuple(
            note["_value"] for note in entry.get("notes") or () if note.get("_value", "").strip()
        ),
    )


@cache
def raw_catalogue() -> Mapping[str, Mapping[str, Any]]:
    """The catalogue exactly as shipped: method name to its JSON entry."""
    path = os.path.join(os.path.dirname(__file__), "data", "methods.json")
    with open(path, encoding="utf-8") as data_file:
        text = data_file.read()
    data: dict[str, Mapping[str, Any]] = json.loads(text)
    return data


@cache
def methods() -> Mapping[str, Method]:
    """Every method of the catalogue, by name."""
    return {name: _method_from_entry(entry) for name, entry in raw_catalogue().items()}


def get(name: str) -> Method | None:
    """Return the catalogue entry of ``name``, or ``None`` for an unknown method."""
    return methods().get(name)


@cache
def prefixes() -> frozenset[str]:
    """The first parts of all method names (``doc``, ``album``, ``api``, …)."""
    return frozenset(m.prefix for m in methods().values())


def names(prefix: str = "") -> list[str]:
    """Sorted method names, optionally only those starting with ``prefix``."""
    return sorted(name for name in methods() if name.startswith(prefix))


#: Where the service documents each method (``about`` in its method list).
HELP_URL = "http://www.ipernity.com/help/api/method/"


def listing_entry(name: str) -> dict[str, Any]:
    """Method ``name`` as the service's ``api.methods.getList`` lists it (a new dict).

    The keys are ``about``, ``authentication``, ``modified_at``, ``name``,
    ``permissions``, ``service`` and ``title``; every value is a string, as in
    the service's JSON, and an empty permission set is an empty list.

    :raises KeyError: for a method that is not in the catalogue.
    """
    entry = raw_catalogue()[name]
    flags = entry.get("authentication") or {}
    return {
        "about": HELP_URL + name,
        "authentication": {flag: str(value) for flag, value in flags.items()},
        "modified_at": str(entry.get("modified_at", "")),
        "name": name,
        "permissions": dict(entry.get("permissions") or {}) or [],
        "service": entry.get("service") or name.split(".", 1)[0],
        "title": entry.get("title", ""),
    }


class LazyCatalogue(Mapping[str, Mapping[str, Any]]):
    """The method list, as :func:`listing_entry` gives each method, read on first use.

    ``IpernityAPI.__methods__`` is one of these: the shape PyIpernity 0.3
    shipped, and importing the library stays cheap.
    """

    def __getitem__(self, name: str) -> Mapping[str, Any]:
        return listing_entry(name)

    def __iter__(self) -> Iterator[str]:
        return iter(raw_catalogue())

    def __len__(self) -> int:
        return len(raw_catalogue())

    def __repr__(self) -> str:
        return f"<Ipernity method catalogue ({len(self)} methods)>"
