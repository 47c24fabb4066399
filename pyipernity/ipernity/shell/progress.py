"""Progress on standard error: the running count of a ``walk``, and a status line.

The count of a ``walk`` is a tqdm bar when tqdm is installed, else a plain
counter, drawn only when standard error is a terminal; items always go to
standard output, one line each, without breaking the bar. A
:class:`StatusLine` keeps a person informed of a long task (a backup) with
tqdm or without, on a terminal or in a log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TextIO

from .output import Console

# Erase the current terminal line: where the counter was drawn.
_ERASE = "\r\x1b[K"
#: Seconds between two lines of a :class:`StatusLine` that is not on a terminal.
LINE_INTERVAL = 1.0
#: Seconds between two redraws of a :class:`StatusLine` on a terminal.
REDRAW_INTERVAL = 0.2


class StatusLine:
    """One line saying how a long task is going, kept up to date cheaply.

    On a terminal it is redrawn in place, at most every
    :data:`REDRAW_INTERVAL` seconds, and erased at the end. Elsewhere (a pipe,
    a log file) each update is a plain line, at most one every
    :data:`LINE_INTERVAL` seconds and the first a second after the start, so
    that a short task prints none and a long one leaves a readable trace.

    :param stream: where the line goes (standard error).
    :param terminal: whether ``stream`` is a terminal.
    :param clock: monotonic seconds (a test passes its own).
    """

    def __init__(
        self, stream: TextIO, *, terminal: bool, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._stream = stream
        self._terminal = terminal
        self._clock = clock
        self._interval = REDRAW_INTERVAL if terminal else LINE_INTERVAL
        self._shown_at: float | None = None if terminal else clock()
        self._drawn = False

    def show(self, text: str) -> None:
        """Show ``text`` unless the last one was shown too recently."""
        now = self._clock()
        if self._shown_at is not None and now - self._shown_at < self._interval:
            return
        self._shown_at = now
        if self._terminal:
            self._stream.write(_ERASE + text)
            self._drawn = True
        else:
            self._stream.write(text + "\n")
        self._stream.flush()

    def clear(self) -> None:
        """Erase the line from the terminal (lines printed elsewhere stay)."""
        if self._drawn:
            self._stream.write(_ERASE)
            self._stream.flush()
            self._drawn = False


class WalkProgress:
    """Prints a walk's items and shows how many have come.

    Use it as a context manager; :attr:`count` is the number of items printed.

    :param console: where items and the counter go.
    :param label: what is walked, shown before the count.
    """

    def __init__(self, console: Console, label: str) -> None:
        self.count = 0
        self._console = console
        self._label = label
        self._drawn = console.err_is_terminal
        self._bar: Any = _tqdm_bar(console, label) if self._drawn else None

    def item(self, line: str) -> None:
        """Print one item's ``line`` and count it."""
        self.count += 1
        if self._bar is not None:
            self._bar.write(line, file=self._console.out)
            self._bar.update(1)
            return
        if self._drawn:
            self._console.err.write(_ERASE)
        self._console.text(line)
        if self._drawn:
            self._console.err.write(f"{self._label}: {self.count} items")
            self._console.err.flush()

    def __enter__(self) -> WalkProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._drawn:
            self._console.err.write(_ERASE)
            self._console.err.flush()


def _tqdm_bar(console: Console, label: str) -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is the optional "shell" extra
        return None
    return tqdm(desc=label, unit=" items", file=console.err, leave=False, dynamic_ncols=True)
