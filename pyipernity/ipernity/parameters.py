"""What each parameter of the catalogue takes, read from its name and its words.

The catalogue names each method's parameters, says which are required and
describes them in the service's words; it gives no types. This module derives
them, in one place, for everything that needs them: the methods' signatures at
run time and in the stub of the method tree (``ipernity/_methods.pyi``, for type
checkers and editors), the argument checks (:mod:`ipernity.validation`) and the
documentation.

Every value reaches the service as text (:func:`ipernity.signing.encode_value`),
so each :class:`Kind` says which texts it accepts: ``per_page=abc`` typed in the
shell and ``per_page="abc"`` passed in Python are refused alike.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import IO, Any, Literal, NamedTuple, TypeAlias

from . import catalogue
from .signing import ParamValue, encode_value

#: An id: a number, or its text as the service's answers carry it (``"394926"``).
Id: TypeAlias = int | str
#: Ids: a list or tuple of ids (sent joined with commas), one id, or the text ``"1,2,3"``.
Ids: TypeAlias = int | str | list[int] | list[str] | list[int | str] | tuple[int | str, ...]
#: Whole numbers: a list or tuple (sent joined with commas), one number, or ``"1,3,7"``.
Integers: TypeAlias = int | str | list[int] | tuple[int, ...]
#: Texts: a list or tuple (sent joined with commas), or the text itself.
Texts: TypeAlias = str | list[str] | tuple[str, ...]
#: A flag: ``True`` or ``False`` (sent as ``1`` and ``0``), or ``1`` or ``0``.
Flag: TypeAlias = bool | Literal[0, 1]
#: A file to upload: a path, or a file object opened in binary mode.
Upload: TypeAlias = str | os.PathLike[str] | IO[bytes]

_ID = "[0-9]{1,18}"
_ID_LIST = re.compile(rf"{_ID}(?:\s*,\s*{_ID})*")
_DECIMAL = r"-?(?:[0-9]{1,18}(?:\.[0-9]{0,18})?|\.[0-9]{1,18})(?:[eE][-+]?[0-9]{1,3})?"


class Kind(NamedTuple):
    """What one parameter takes: its Python type, and the texts the service may get."""

    #: Its name in help texts and the documentation: ``"id"``, ``"integer"``, …
    name: str
    #: The type a caller passes, as signatures show it.
    python_type: Any
    #: How the stub of the method tree spells that type.
    annotation: str
    #: What a refused value should have been, for error messages: ``"a number"``, …
    expected: str
    #: The texts accepted (the whole text must match); ``None``: any value.
    pattern: re.Pattern[str] | None = None
    #: Whether a list or tuple is accepted (and sent joined with commas).
    is_list: bool = False

    def accepts(self, value: ParamValue) -> bool:
        """Tell whether ``value``, a Python value or the text the shell read, may be sent."""
        if self.pattern is None:
            return True
        if isinstance(value, list | tuple) and not self.is_list:
            return False
        try:
            text = encode_value(value)
        except TypeError:
            return False
        return self.pattern.fullmatch(text) is not None


TEXT = Kind("text", str, "str", "text")
TEXTS = Kind("texts", Texts, "Texts", "text", is_list=True)
ID = Kind("id", Id, "Id", "an id (digits)", re.compile(_ID))
ID_OR_ALIAS = Kind("id or alias", Id, "Id", "an id or an alias")
IDS = Kind("ids", Ids, "Ids", "ids (digits separated by commas)", _ID_LIST, is_list=True)
INTEGER = Kind("integer", int, "int", "a number", re.compile(_ID))
INTEGERS = Kind("integers", Integers, "Integers", "numbers separated by commas", _ID_LIST, True)
DECIMAL = Kind("decimal", float, "float", "a decimal number", re.compile(_DECIMAL))
FLAG = Kind("flag", Flag, "Flag", "0 or 1", re.compile("[01]"))
FILE = Kind("file", Upload, "Upload", "a path or a binary file")

#: Every kind, as the documentation lists them.
KINDS = (TEXT, TEXTS, ID, ID_OR_ALIAS, IDS, INTEGER, INTEGERS, DECIMAL, FLAG, FILE)

#: The list kind of a value described as "a comma separated list" of such values.
_AS_LIST = {ID: IDS, INTEGER: INTEGERS, TEXT: TEXTS, ID_OR_ALIAS: TEXTS}

# The catalogue spells it "comma separated", "seprarated", "seperated", "delimited".
_LIST_WORDS = re.compile(r"\bcomma[- ]\w+ list\b", re.IGNORECASE)
_FLAG_WORDS = re.compile(r"\bset(?:ting)?\b[^.]*\bto 1\b|\(0\)[^.]*\(1\)", re.IGNORECASE)
_DECIMAL_WORDS = re.compile(r"\bdegrees\b|\bdecimal form\b|\bmeters\b", re.IGNORECASE)
_INTEGER_WORDS = re.compile(
    r"\bnumber of\b|\btimestamp\b|\bcoordinate\b|\bwidth\b|\bheight\b|\bvalue is from \d+ to \d+",
    re.IGNORECASE,
)
# Numbered choices: "<li>0: only you</li><li>3: friends & family</li>…".
_CODES = re.compile(r"<li>\s*\d+\s*:")
#: Whole numbers whose descriptions do not say so (codes explained in another method).
_INTEGER_NAMES = frozenset(
    {"page", "per_page", "hours", "license", "safesurf", "perm_comment", "perm_tag", "perm_tagme"}
)
# "(Default is keywords)": a parameter marked required that the service fills in.
_DEFAULT_WORDS = re.compile(r"\(default is\b", re.IGNORECASE)

#: Parameters whose absence means the token's member, with a token (the live
#: service's behaviour, whatever the catalogue marks; see PROTOCOL.md).
TOKEN_STANDS_IN = frozenset({"user_id"})
#: Parameters the client adds itself; a caller giving them is not warned.
ADDED_BY_CLIENT = frozenset({"api_key", "api_sig", "auth_token"})


def kind_of(name: str, description: str) -> Kind:
    """The kind of the parameter ``name``, given its description (HTML, as catalogued)."""
    single = _single_kind(name, description)
    if _LIST_WORDS.search(description):
        return _AS_LIST.get(single, single)
    return single


def _single_kind(name: str, description: str) -> Kind:
    if name == "file":
        return FILE
    if name.endswith(("_id", "_ids")) or name == "id":
        return ID_OR_ALIAS if "alias" in description.lower() else ID
    if name.startswith("is_") or _FLAG_WORDS.search(description):
        return FLAG
    if name in ("lat", "lng") or _DECIMAL_WORDS.search(description):
        return DECIMAL
    if name in _INTEGER_NAMES or _INTEGER_WORDS.search(description) or _CODES.search(description):
        return INTEGER
    return TEXT


class Argument(NamedTuple):
    """One parameter of a method, as a caller sees it."""

    name: str
    kind: Kind
    #: Whether a call without it is refused (the catalogue's word, corrected by
    #: what the service does: see :attr:`token_stands_in`).
    required: bool
    #: Its description, in plain text.
    description: str
    #: Left out of a call carrying a token, it means the token's member.
    token_stands_in: bool = False

    @property
    def must_be_given(self) -> bool:
        """Whether every call must give it (so a signature has no default for it)."""
        return self.required and not self.token_stands_in


#: ``lg``, which every call may carry (PROTOCOL.md): it changes only the language of texts.
LANGUAGE = Argument("lg", TEXT, False, "The language of the answer's texts (en, fr, …).")


@cache
def arguments(method_name: str) -> tuple[Argument, ...]:
    """The parameters of the catalogue's method ``method_name``, in the catalogue's order.

    ``api_key`` is left out (the client adds it) and ``lg`` added. A method the
    catalogue lists no parameters for has none: see :func:`lists_parameters`.

    :raises KeyError: for a method that is not in the catalogue.
    """
    method = catalogue.methods()[method_name]
    if not lists_parameters(method):
        return ()
    listed = tuple(_argument(p) for p in method.parameters if p.name != "api_key")
    return (*listed, LANGUAGE)


def lists_parameters(method: catalogue.Method) -> bool:
    """Whether the catalogue describes the method's parameters (14 of its methods it does not)."""
    return bool(method.parameters)


def _argument(parameter: catalogue.Parameter) -> Argument:
    stands_in = parameter.required and parameter.name in TOKEN_STANDS_IN
    defaulted = _DEFAULT_WORDS.search(parameter.description) is not None
    return Argument(
        name=parameter.name,
        kind=kind_of(parameter.name, parameter.description),
        required=parameter.required and not defaulted,
        description=catalogue.plain_text(parameter.description),
        token_stands_in=stands_in,
    )
