"""The registry of method handlers and the :class:`Context` each one receives.

A handler is a function taking a :class:`Context` and returning the answer's
top-level members (``{"doc": {...}}``), or ``None`` for a bare ``ok``. Values may
be ``int``, ``float``, ``bool`` or ``None``: the dispatcher turns them into the
strings the service sends and drops empty collections.

Method-specific error codes follow one convention across families:

- ``1``: not found, or a required parameter missing or malformed (a missing
  ``doc_id`` finds no document);
- ``2``: the caller may not do this (not the owner, not allowed to comment…);
- ``3``: a value is out of range or contradicts the state (already a fave…).

Upload methods use the codes the service documents (see ``upload.py``).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from werkzeug.datastructures import FileStorage

from ipernity import catalogue, permissions
from ipernity.catalogue import Method

from ..records import App, User
from ..settings import Settings
from ..store import Row, Store

Answer: TypeAlias = "dict[str, Any]"
Handler: TypeAlias = "Callable[[Context], Answer | None]"

_HANDLERS: dict[str, Handler] = {}

#: The largest magnitude a numeric parameter may have: the service's 64-bit integers.
MAX_INTEGER = 2**63 - 1

_DECIMAL = re.compile(r"[-+]?[0-9]+")

#: The thumbnail labels a ``thumbsize`` parameter may name.
THUMB_LABELS = ("75x", "100", "240", "250x", "500", "560", "640", "800", "1024", "1600", "2048")


class SentEvenIfEmpty(list[Any]):
    """A collection the service sends even when it has no item (``"doc": []``).

    Other empty collections are left out of answers, as the service mostly does.
    """


class MethodError(Exception):
    """An error answer: the envelope carries ``code`` and ``message``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(what: str) -> MethodError:
    """The error 1 for a record that does not exist or that the caller cannot see."""
    return MethodError(1, f"{what} not found")


def invalid_number(name: str) -> MethodError:
    """The error 3 for a numeric parameter the service cannot take."""
    return MethodError(3, f"Invalid number for {name}")


def forbidden(what: str) -> MethodError:
    """The error 2 for an action the caller may not take."""
    return MethodError(2, what)


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of method ``name``."""
    if catalogue.get(name) is None:
        raise ValueError(f"{name} is not a method of the catalogue")

    def register(func: Handler) -> Handler:
        _HANDLERS[name] = func
        return func

    return register


def find_handler(name: str) -> Handler | None:
    """Return the handler registered for ``name``, if any."""
    return _HANDLERS.get(name)


def registered() -> frozenset[str]:
    """The names of the methods that have a handler."""
    return frozenset(_HANDLERS)


@dataclass(frozen=True)
class Paging:
    """The page a list method was asked for, within the catalogue's limits."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        """How many items come before this page."""
        return (self.page - 1) * self.per_page

    def attributes(self, total: int, *, pages: bool = True) -> dict[str, int]:
        """The paging attributes of an answer holding ``total`` items in all."""
        attrs = {"total": total, "per_page": self.per_page, "page": self.page}
        if pages:
            attrs["pages"] = max(1, math.ceil(total / self.per_page))
        return attrs


@dataclass
class Context:
    """Everything a handler needs to answer one call."""

    store: Store
    method: Method
    params: Mapping[str, str]
    files: Mapping[str, FileStorage]
    app: App
    #: The member whose valid token came with the call, if any.
    member: User | None
    #: What that token grants (empty without a token).
    granted: Mapping[str, str]
    #: The sandbox's root URL, ending in ``/``, for links and media URLs.
    base_url: str
    settings: Settings

    @property
    def viewer(self) -> int | None:
        """Whose eyes the call sees with: the member if their token grants what
        the method needs, otherwise an anonymous visitor (``None``)."""
        if self.member is None:
            return None
        if not permissions.satisfies(self.granted, self.method.permissions):
            return None
        return self.member.user_id

    @property
    def now(self) -> int:
        """The current time as a Unix timestamp."""
        return int(time.time())

    def me(self) -> int:
        """The calling member's id; the method needs a token (106 otherwise)."""
        if self.member is None:
            raise MethodError(106, "Token is missing (user not logged in)")
        return self.member.user_id

    def has(self, name: str) -> bool:
        """Tell whether parameter ``name`` was sent (even empty)."""
        return name in self.params

    def text(self, name: str, default: str = "") -> str:
        """Return parameter ``name`` as sent, or ``default``."""
        return self.params.get(name, default)

    def require(self, name: str) -> str:
        """Return the non-empty parameter ``name``, or fail with error 1."""
        value = self.params.get(name, "").strip()
        if not value:
            raise MethodError(1, f"Required parameter missing: {name}")
        return value

    def integer(self, name: str, default: int, *, minimum: int = -MAX_INTEGER) -> int:
        """Return parameter ``name`` as an integer, ``default`` when absent.

        Text that is no number at all reads as 0, as the service reads it.

        :raises MethodError: 3 for a number the service cannot take: digits
            that are not ASCII (``²``, ``①``), more than 64 bits, or less than
            ``minimum``.
        """
        if name not in self.params:
            return default
        value = read_number(self.params[name], name)
        if value < minimum:
            raise invalid_number(name)
        return value

    def integers(self, name: str, *, minimum: int = 0) -> list[int]:
        """Return the numbers of a comma-separated parameter (empty when absent).

        Items that are no number at all are left out.

        :raises MethodError: 3 for an item :meth:`integer` would refuse.
        """
        values: list[int] = []
        for item in self.text(name).split(","):
            if not looks_numeric(item.strip()):
                continue
            value = read_number(item, name)
            if value < minimum:
                raise invalid_number(name)
            values.append(value)
        return values

    def number(self, name: str) -> float | None:
        """Return parameter ``name`` as a finite number, ``None`` when absent.

        :raises MethodError: 3 for a value that is not a number.
        """
        raw = self.params.get(name, "").strip()
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise MethodError(3, f"Invalid number for {name}") from None
        if not math.isfinite(value):
            raise MethodError(3, f"Invalid number for {name}")
        return value

    def flag(self, name: str) -> bool | None:
        """Return a ``0``/``1`` parameter as a boolean, ``None`` when absent."""
        if name not in self.params:
            return None
        return self.params[name].strip() not in ("", "0")

    def record_id(self, name: str, what: str) -> int:
        """Return a required id parameter; absent or malformed ids find nothing (1)."""
        value = parse_int(self.params.get(name))
        if value <= 0:
            raise not_found(what)
        return value

    def record(self, table: str, key: str, what: str, *, own: bool = False) -> Row:
        """The ``table`` row whose ``key`` is the parameter of that name (an
        album of ``album_id``…); the caller's own if ``own``.

        :raises MethodError: 1 when there is none, 2 when ``own`` and it is
            someone else's.
        """
        record_id = self.record_id(key, what)
        # Only names from the code are spliced in; the id is bound.
        row = self.store.one(f"SELECT * FROM {table} WHERE {key} = ?", (record_id,))  # noqa: S608
        if row is None:
            raise not_found(what)
        if own and row["owner_id"] != self.me():
            raise forbidden(f"The {what.lower()} does not belong to you")
        return row

    def owns(self, table: str, key: str, record_id: int) -> bool:
        """Whether the calling member owns the ``table`` row whose ``key`` is
        ``record_id`` (a document, an album…)."""
        owned = self.store.one(
            f"SELECT 1 FROM {table} WHERE {key} = ? AND owner_id = ?",  # noqa: S608
            (record_id, self.me()),
        )
        return owned is not None

    def id_list(self, name: str, what: str, limit: int = 20) -> list[int]:
        """Return a required comma-separated list of ids (at most ``limit``).

        Malformed items are kept as ``0`` so that each is answered as not found.
        """
        raw = self.require(name)
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if not items:
            raise not_found(what)
        if len(items) > limit:
            raise MethodError(3, f"Too many ids in {name} (at most {limit})")
        return list(dict.fromkeys(max(parse_int(item), 0) for item in items))

    def limited(self, name: str, limits: tuple[int, int] | None) -> int:
        """Return a count-like parameter clamped to ``(default, maximum)``; 0 is the default."""
        default, maximum = limits or (20, 100)
        value = self.integer(name, default, minimum=0)
        return default if value < 1 else min(value, maximum)

    def paging(self) -> Paging:
        """The page asked for, with ``per_page`` defaulted and capped as the
        catalogue documents for this method."""
        per_page = self.limited("per_page", self.method.per_page_limits)
        page = max(self.integer("page", 1, minimum=0), 1)
        return Paging(page=page, per_page=per_page)

    def thumbsize(self) -> str:
        """The thumbnail label asked for (``75x`` unless a known label is given)."""
        label = self.params.get("thumbsize", "75x")
        return label if label in THUMB_LABELS else "75x"

    def extras(self) -> frozenset[str]:
        """The words of the ``extra`` parameter."""
        return frozenset(word.strip() for word in self.text("extra").split(",") if word.strip())

    def user_row(self, name: str = "user_id") -> Row:
        """The member named by parameter ``name`` (id, username or alias), or
        the calling member when it is absent.

        :raises MethodError: 1 for an unknown member, or when neither is given.
        """
        ref = self.text(name).strip()
        if not ref:
            if self.member is None:
                raise MethodError(1, f"Required parameter missing: {name}")
            ref = str(self.member.user_id)
        row = find_user(self.store, ref)
        if row is None:
            raise not_found("User")
        return row

    def url(self, path: str) -> str:
        """An absolute URL on the sandbox for ``path`` (without a leading ``/``)."""
        return self.base_url + path


def parse_int(raw: str | None) -> int:
    """Read a decimal integer; anything else (or one too large for SQLite) is ``0``."""
    if raw is None:
        return 0
    raw = raw.strip()
    if not raw or len(raw) > 18 or not raw.lstrip("-").isdigit() or not raw.isascii():
        return 0
    return int(raw)


def read_number(raw: str, name: str) -> int:
    """Read parameter ``name``'s value as :meth:`Context.integer` does.

    :raises MethodError: 3 for a number the service cannot take.
    """
    raw = raw.strip()
    value = parse_number(raw)
    if value is not None:
        return value
    if looks_numeric(raw):
        raise invalid_number(name)
    return 0


def looks_numeric(raw: str) -> bool:
    """Tell whether ``raw`` is written as a whole number (in any script, any size)."""
    return raw.removeprefix("-").removeprefix("+").isnumeric()


def parse_number(raw: str) -> int | None:
    """Read an ASCII decimal integer of 64 bits; anything else is ``None``."""
    if len(raw) > 20 or not _DECIMAL.fullmatch(raw):
        return None
    value = int(raw)
    return value if abs(value) <= MAX_INTEGER else None


def find_user(store: Store, ref: str) -> Row | None:
    """Find a member by id, username or alias."""
    user_id = parse_int(ref)
    if user_id > 0:
        row = store.one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        if row is not None:
            return row
    return store.one("SELECT * FROM users WHERE username = ? OR alias = ?", (ref, ref))
