"""What the shell prints: JSON, text, notes and one-line errors.

Answers go to standard output as indented JSON; notes and errors go to
standard error. Colours (ANSI) are used only on a terminal, and never with
``--no-color`` or the ``NO_COLOR`` environment variable. Prose (help, notes)
is wrapped between words to the terminal's width.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from collections.abc import Mapping
from typing import Any, TextIO

RESET = "\x1b[0m"
#: Cursor home, erase the screen, erase the scrollback (as ``clear`` does on xterm).
CLEAR_SCREEN = "\x1b[H\x1b[2J\x1b[3J"
#: The narrowest width text is wrapped to, however narrow the terminal.
MIN_WIDTH = 20
#: The colour of each kind of JSON token, and of errors.
COLORS = {
    "key": "\x1b[1;34m",
    "string": "\x1b[32m",
    "number": "\x1b[36m",
    "literal": "\x1b[35m",
    "error": "\x1b[31m",
}

# A lexer over json.dumps output, which is well formed: a string followed by a
# colon is a key; digits outside strings are numbers.
_STRING = r'"(?:[^"\\]|\\.)*"'
_JSON_TOKEN = re.compile(
    rf"(?P<key>{_STRING})(?=\s*:)"
    rf"|(?P<string>{_STRING})"
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>\b(?:true|false|null)\b)"
)


def color_allowed(no_color_flag: bool, environ: Mapping[str, str]) -> bool:
    """Tell whether colours may be used at all (``--no-color``, ``NO_COLOR``)."""
    return not no_color_flag and not environ.get("NO_COLOR")


def paint_json(text: str) -> str:
    """Return JSON ``text`` with ANSI colours around keys, strings, numbers and literals."""

    def paint(match: re.Match[str]) -> str:
        kind = match.lastgroup or "string"
        return f"{COLORS[kind]}{match.group()}{RESET}"

    return _JSON_TOKEN.sub(paint, text)


def terminal_width() -> int:
    """The terminal's width in columns: ``COLUMNS`` if set, else the terminal's, else 80."""
    return max(MIN_WIDTH, shutil.get_terminal_size().columns)


def wrap(text: str, width: int, indent: str = "", subsequent_indent: str = "") -> list[str]:
    """Break ``text`` into lines of at most ``width`` characters, between words only.

    Hyphens and long words are never broken: a word longer than the width
    (never seen at 60 columns or more) gets a line of its own rather than
    being cut.

    :param indent: the start of the first line.
    :param subsequent_indent: the start of the others.
    :return: the lines; one (the indent alone) for empty ``text``.
    """
    lines = textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=subsequent_indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return lines or [indent.rstrip()]


class Console:
    """Where the shell writes, and whether in colour.

    :param out: standard output, for answers.
    :param err: standard error, for notes and errors.
    :param color: whether colours are allowed; each stream gets them only if it
        is a terminal.
    """

    def __init__(self, out: TextIO, err: TextIO, *, color: bool) -> None:
        self.out = out
        self.err = err
        self._color_out = color and _isatty(out)
        self._color_err = color and _isatty(err)

    @property
    def err_is_terminal(self) -> bool:
        """Whether standard error is a terminal (where progress can be drawn)."""
        return _isatty(self.err)

    def json(self, data: Any) -> None:
        """Print ``data`` as indented JSON."""
        self.text(self._json(json.dumps(data, indent=2, ensure_ascii=False)))

    def json_line(self, data: Any) -> str:
        """Return ``data`` as one line of JSON, coloured if standard output is."""
        return self._json(json.dumps(data, ensure_ascii=False))

    def text(self, line: str = "") -> None:
        """Print ``line`` on standard output."""
        print(line, file=self.out, flush=True)

    def note(self, line: str) -> None:
        """Print an informational ``line`` on standard error."""
        print(line, file=self.err, flush=True)

    def paragraph(self, text: str) -> None:
        """Print ``text`` on standard error, wrapped to the terminal's width."""
        for line in wrap(text, terminal_width()):
            self.note(line)

    def error(self, message: str) -> None:
        """Print ``message`` on standard error, as exactly one line."""
        line = " ".join(message.split("\n")).rstrip()
        if self._color_err:
            line = f"{COLORS['error']}{line}{RESET}"
        print(line, file=self.err, flush=True)

    def clear(self) -> None:
        """Clear the terminal and its scrollback; printing to a file or pipe, do nothing."""
        if _isatty(self.out):
            self.out.write(CLEAR_SCREEN)
            self.out.flush()

    def _json(self, text: str) -> str:
        return paint_json(text) if self._color_out else text


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False
