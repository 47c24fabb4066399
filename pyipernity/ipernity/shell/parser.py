"""Reading a command line: ``method.name param=value param2="value with spaces"``.

Words are split the way a POSIX shell splits them (:mod:`shlex`), so quotes
group words and a backslash escapes; a parameter is ``name=value``, split at the
first ``=`` so that values may contain ``=`` themselves.
"""

from __future__ import annotations

import shlex
from typing import NamedTuple

from .errors import CommandError


class CommandLine(NamedTuple):
    """A split command line: the command (or method) name and the words after it."""

    name: str
    words: tuple[str, ...]


def split_line(line: str) -> CommandLine | None:
    """Split ``line`` into its command and words.

    :return: ``None`` for a blank line or a comment (``# …``).
    :raises CommandError: for unbalanced quotes, a trailing backslash, or bytes
        that are not UTF-8.
    """
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that are not UTF-8 reach here as lone surrogates (see main()).
        raise CommandError("Cannot read the line: it holds bytes that are not UTF-8") from None
    try:
        words = shlex.split(line)
    except ValueError as exc:
        # shlex says "No closing quotation" or "No escaped character".
        raise CommandError(
            f'Cannot read the line: {str(exc).lower()} (quote values like title="a b")'
        ) from None
    if not words:
        return None
    return CommandLine(words[0], tuple(words[1:]))


def parse_params(words: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Turn ``name=value`` words into parameters.

    :raises CommandError: for a word without ``=``, one without a name, or a
        parameter given twice.
    """
    params: dict[str, str] = {}
    for word in words:
        name, equals, value = word.partition("=")
        if not equals:
            raise CommandError(f"{word!r} is not a parameter: write name=value")
        if not name:
            raise CommandError(f"{word!r} has no parameter name: write name=value")
        if name in params:
            raise CommandError(f"Parameter {name!r} is given twice")
        params[name] = value
    return params
