"""The log of the API calls a sandbox received, bounded in length and in size.

A sandbox may serve for days, or take requests carrying megabytes: the log
keeps the latest calls only, and of each value its beginning.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from ipernity.exceptions import redact

from .records import Call

#: How many calls the log keeps by default; older ones are forgotten.
DEFAULT_MAX_CALLS = 100_000
#: The characters of a parameter value kept; longer values are cut.
MAX_VALUE_LENGTH = 256
#: The parameters of a call kept; the rest are counted in one entry.
MAX_PARAMS = 64


class CallLog(Sequence[Call]):
    """The latest :class:`Call` records, oldest first: a list that forgets.

    :param max_calls: how many calls to keep.
    """

    def __init__(self, max_calls: int = DEFAULT_MAX_CALLS) -> None:
        if max_calls < 1:
            raise ValueError("max_calls must be at least 1")
        self._calls: deque[Call] = deque(maxlen=max_calls)

    @property
    def max_calls(self) -> int:
        """How many calls the log keeps."""
        return self._calls.maxlen or 0

    def append(self, call: Call) -> None:
        """Add ``call``, forgetting the oldest one if the log is full."""
        self._calls.append(call)

    def clear(self) -> None:
        """Forget every call."""
        self._calls.clear()

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[Call]:
        # A copy: the server appends from its own threads while a test reads.
        return iter(list(self._calls))

    @overload
    def __getitem__(self, index: int) -> Call: ...

    @overload
    def __getitem__(self, index: slice) -> list[Call]: ...

    def __getitem__(self, index: int | slice) -> Call | list[Call]:
        if isinstance(index, slice):
            return list(self._calls)[index]
        return self._calls[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<CallLog of {len(self)} calls (at most {self.max_calls})>"


def loggable(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` as the log keeps them: credentials masked, long values cut."""
    shown = redact(params)
    kept = {_cut(name): _cut(value) for name, value in list(shown.items())[:MAX_PARAMS]}
    if len(shown) > MAX_PARAMS:
        kept["…"] = f"{len(shown) - MAX_PARAMS} more parameters"
    return kept


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
        return f"{value[:MAX_VALUE_LENGTH]}… ({len(value):,} characters)"
    return value
