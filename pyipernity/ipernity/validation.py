"""Checking a call's arguments against the catalogue, before anything is sent.

One check, :func:`check_arguments`, for both its users:

- the shell refuses a line whose arguments are wrong with one line of error,
  and warns of a parameter the method does not have, naming the closest one;
- ``IpernityAPI(..., strict=True)`` raises :class:`~ipernity.InvalidArguments`
  and warns with :class:`UnknownParameterWarning` (:func:`enforce`).

Wrong means: a required parameter is missing, or a value cannot be of its
parameter's kind (:mod:`ipernity.parameters`). A parameter the catalogue does
not list is still sent, with a warning: the catalogue lags behind the service
here and there. A default client checks nothing, as PyIpernity 0.3 did.
"""

from __future__ import annotations

import difflib
import enum
import os
import reprlib
import sys
import warnings
from collections.abc import Mapping
from typing import NamedTuple

from .catalogue import Method
from .exceptions import InvalidArguments
from .parameters import ADDED_BY_CLIENT, Argument, arguments
from .signing import ParamValue

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
# Values in messages are cut short: one line, whatever was given.
_SHORT = reprlib.Repr()
_SHORT.maxstring = 40
_SHORT.maxother = 40
_SHORT.maxlist = 6


class UnknownParameterWarning(UserWarning):
    """A strict client was given a parameter the method's catalogue entry does not list.

    The parameter is sent all the same: the catalogue may lag behind the service.
    """


class Reason(enum.Enum):
    """Why an argument is refused, or warned of."""

    #: A required parameter is missing.
    MISSING = enum.auto()
    #: ``user_id`` is missing, and no token stands in for it.
    NO_MEMBER = enum.auto()
    #: The value cannot be of the parameter's kind.
    INVALID = enum.auto()
    #: The method has no such parameter (a warning; it is sent all the same).
    UNKNOWN = enum.auto()


class Problem(NamedTuple):
    """One thing wrong with a call's arguments."""

    parameter: str
    #: One sentence a user can act on, e.g. ``"per_page must be a number, not 'abc'"``.
    message: str
    reason: Reason
    #: For an unknown parameter, the method's parameter closest to it, if any is close.
    closest: str | None = None


class Verdict(NamedTuple):
    """What :func:`check_arguments` found."""

    #: Problems that keep the call from being sent.
    errors: tuple[Problem, ...]
    #: Parameters the method does not list, sent all the same.
    warnings: tuple[Problem, ...]


def check_arguments(
    method: Method, params: Mapping[str, ParamValue], *, has_token: bool
) -> Verdict:
    """Check ``params`` for ``method`` against the catalogue.

    :param params: the call's parameters, as Python values or as the text the
        shell read; those set to ``None`` count as left out.
    :param has_token: whether the call carries a token (which stands in for a
        missing ``user_id``).
    """
    listed = arguments(method.name)
    errors = []
    for argument in listed:
        value = params.get(argument.name)
        if value is None:
            missing = _missing(argument, has_token)
            if missing is not None:
                errors.append(missing)
        elif not argument.kind.accepts(value):
            shown = _SHORT.repr(value)
            message = f"{argument.name} must be {argument.kind.expected}, not {shown}"
            errors.append(Problem(argument.name, message, Reason.INVALID))
    known = {argument.name for argument in listed} | ADDED_BY_CLIENT
    unknown = [name for name, value in params.items() if value is not None and name not in known]
    # A method whose parameters the catalogue does not describe has no unknown ones.
    warned = [_unknown(method, name, listed) for name in unknown] if listed else []
    return Verdict(tuple(errors), tuple(warned))


def enforce(method: Method, params: Mapping[str, ParamValue], *, has_token: bool) -> None:
    """Refuse a call the catalogue says is wrong; warn of parameters it does not list.

    :raises InvalidArguments: naming every problem; nothing is sent.
    """
    verdict = check_arguments(method, params, has_token=has_token)
    for problem in verdict.warnings:
        warnings.warn(problem.message, UnknownParameterWarning, stacklevel=_caller_level())
    if verdict.errors:
        raise InvalidArguments(method.name, tuple(problem.message for problem in verdict.errors))


def _missing(argument: Argument, has_token: bool) -> Problem | None:
    if not argument.required or (argument.token_stands_in and has_token):
        return None
    if argument.token_stands_in:
        message = f"{argument.name} is required without a token (with one, the token's member)"
        return Problem(argument.name, message, Reason.NO_MEMBER)
    message = f"{argument.name} is required ({argument.kind.name})"
    return Problem(argument.name, message, Reason.MISSING)


def _unknown(method: Method, name: str, listed: tuple[Argument, ...]) -> Problem:
    close = difflib.get_close_matches(name, [argument.name for argument in listed], n=1)
    closest = close[0] if close else None
    hint = f" (did you mean {closest}?)" if closest else ""
    message = f"{method.name} has no parameter {name!r}{hint}; it is sent as given"
    return Problem(name, message, Reason.UNKNOWN, closest)


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside this package: the program's call."""
    level, frame = 2, sys._getframe(2)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    return level
