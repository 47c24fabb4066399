"""The running count of a ``walk``: a tqdm bar when tqdm is installed, else a plain counter.

Either is drawn only when standard error is a terminal; items always go to
standard output, one line each, without breaking the bar.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from .output import Console

# Erase the current terminal line: where the counter was drawn.
_ERASE = "\r\x1b[K"


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
