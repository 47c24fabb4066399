"""Tab completion and the history file of the interactive shell (:mod:`readline`).

Completion offers the commands and method names for the first word, then what
the first word takes: a method's parameter names (``doc_id=``), method names
after ``help`` and ``walk``, permission targets and levels after ``login``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable

from ipernity import catalogue, permissions
from ipernity.exceptions import SECRET_PARAMS

from .commands import COMMANDS

#: Lines kept in the history file.
HISTORY_LENGTH = 1000
#: The history file's mode: lines may hold ids and searches that are nobody else's business.
HISTORY_MODE = 0o600


def default_history_path() -> str:
    """Return ``$HOME/.ipernity_history``."""
    return os.path.join(os.path.expanduser("~"), ".ipernity_history")


def candidates(line: str, begidx: int, text: str) -> list[str]:
    """Return the completions of the word ``text``, which starts at ``begidx`` in ``line``.

    A complete name ends with a space and a parameter name with ``=``, so that
    typing goes on where it should.
    """
    before = line[:begidx].split()
    return sorted(word for word in _offers(before, text) if word.startswith(text))


def _offers(before: list[str], text: str) -> Iterable[str]:
    if not before:
        return [f"{name} " for name in [*COMMANDS, *catalogue.names()]]
    first = before[0]
    if first in ("help", "walk") and len(before) == 1:
        extra = [f"{name} " for name in COMMANDS] if first == "help" else []
        return [*extra, *(f"{name} " for name in catalogue.names())]
    if first == "methods" and len(before) == 1:
        return sorted(catalogue.prefixes())
    if first == "whoami":
        return ["--token "]
    if first == "login":
        return _login_offers(before, text)
    method = catalogue.get(before[1] if first == "walk" else first)
    if method is None:
        return []
    given = {word.partition("=")[0] for word in before[1:]}
    return [f"{p.name}=" for p in method.parameters if p.name != "api_key" and p.name not in given]


def _login_offers(before: list[str], text: str) -> list[str]:
    target, equals, _ = text.partition("=")
    if equals:
        return [f"{target}={level} " for level in permissions.LEVELS]
    given = {word.partition("=")[0] for word in before[1:]}
    return [f"{t}=" for t in permissions.TARGETS if t not in given]


def holds_secret(line: str) -> bool:
    """Tell whether ``line`` passes a credential (``auth_token=…``), so stays out of history."""
    return any(word.partition("=")[0] in SECRET_PARAMS for word in line.split() if "=" in word)


class LineEditor:
    """Tab completion and line history for :func:`input`, through :mod:`readline`.

    Without :mod:`readline` (some platforms lack it) the shell works without both.

    :param path: the history file, read now and written by :meth:`save`.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._matches: list[str] = []
        try:
            import readline
        except ImportError:
            self._readline = None
            return
        self._readline = readline
        # Whole words: "doc.get" and "doc_id=" are completed as one.
        readline.set_completer_delims(" \t\n")
        readline.set_completer(self._complete)
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")
        readline.set_history_length(HISTORY_LENGTH)
        # No history yet, or an unreadable one: start afresh.
        with contextlib.suppress(OSError):
            readline.read_history_file(path)

    def forget_if_secret(self, line: str) -> None:
        """Take ``line``, just read, out of the history if it holds a credential."""
        if self._readline is None or not holds_secret(line):
            return
        length = self._readline.get_current_history_length()
        if length:
            self._readline.remove_history_item(length - 1)

    def save(self) -> None:
        """Write the history file, readable by its owner only."""
        if self._readline is None:
            return
        try:
            # Create it private first: write_history_file keeps an existing file's mode.
            os.close(os.open(self._path, os.O_WRONLY | os.O_CREAT, HISTORY_MODE))
            self._readline.write_history_file(self._path)
        except OSError:
            pass  # a history that cannot be written is not worth failing the exit for

    def _complete(self, text: str, state: int) -> str | None:
        if self._readline is None:
            return None
        if state == 0:
            line = self._readline.get_line_buffer()
            self._matches = candidates(line, self._readline.get_begidx(), text)
        return self._matches[state] if state < len(self._matches) else None
