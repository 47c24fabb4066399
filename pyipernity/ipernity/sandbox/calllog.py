"""The log of the API calls a sandbox received, bounded in count and in bytes.

A sandbox may serve for days, or take requests carrying megabytes: the log
keeps the latest calls only, of each value and method name its beginning, and
no more than :data:`DEFAULT_MAX_BYTES` of text in all.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, overload

from ipernity.exceptions import redact

from .records import Call

#: How many calls the log keeps by default; older ones are forgotten.
DEFAULT_MAX_CALLS = 100_000
#: How many bytes of text (method names, parameter names and values) the log
#: keeps by default; older calls are forgotten to stay below.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
#: The characters of a parameter value kept; longer values are cut.
MAX_VALUE_LENGTH = 256
#: The characters of a method name kept (it comes from the URL, of any length).
MAX_METHOD_LENGTH = 128
#: The parameters of a call kept; the rest are counted in one entry.
MAX_PARAMS = 64
#: What a call costs beyond its text: the record and its containers.
CALL_OVERHEAD = 256


class CallLog(Sequence[Call]):
    """The latest :class:`Call` records, oldest first: a list that forgets.

    :param max_calls: how many calls to keep.
    :param max_bytes: how many bytes of text (see :func:`call_size`) to keep.
    """

    def __init__(
        self, max_calls: int = DEFAULT_MAX_CALLS, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if max_calls < 1:
            raise ValueError("max_calls must be at least 1")
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        self.max_bytes = max_bytes
        self._calls: deque[Call] = deque()
        self._sizes: deque[int] = deque()
        self._max_calls = max_calls
        self._bytes = 0
        # The server appends from many threads; the count and the sum go together.
        self._lock = threading.Lock()

    @property
    def max_calls(self) -> int:
        """How many calls the log keeps."""
        return self._max_calls

    @property
    def bytes(self) -> int:
        """The size of the calls kept, as :func:`call_size` counts it."""
        return self._bytes

    def append(self, call: Call) -> None:
        """Add ``call`` (its method name cut), forgetting the oldest calls to make room."""
        if len(call.method) > MAX_METHOD_LENGTH:
            call = replace(call, method=_cut(call.method, MAX_METHOD_LENGTH))
        size = call_size(call)
        with self._lock:
            self._calls.append(call)
            self._sizes.append(size)
            self._bytes += size
            # The newest call stays, even alone over the bound.
            while len(self._calls) > 1 and (
                len(self._calls) > self._max_calls or self._bytes > self.max_bytes
            ):
                self._calls.popleft()
                self._bytes -= self._sizes.popleft()

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._calls.clear()
            self._sizes.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[Call]:
        # A copy: the server appends from its own threads while a test reads.
        with self._lock:
            return iter(list(self._calls))

    @overload
    def __getitem__(self, index: int) -> Call: ...

    @overload
    def __getitem__(self, index: slice) -> list[Call]: ...

    def __getitem__(self, index: int | slice) -> Call | list[Call]:
        with self._lock:
            if isinstance(index, slice):
                return list(self._calls)[index]
            return self._calls[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<CallLog of {len(self)} calls, {self.bytes:,} bytes"
            f" (at most {self.max_calls}, {self.max_bytes:,} bytes)>"
        )


def call_size(call: Call) -> int:
    """The bytes a call takes in the log: its text in UTF-8, plus :data:`CALL_OVERHEAD`."""
    text = [call.method, call.http_method, *call.params, *map(str, call.params.values())]
    return CALL_OVERHEAD + sum(len(part.encode("utf-8", "replace")) for part in text)


def loggable(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` as the log keeps them: credentials masked, long values cut."""
    shown = redact(params)
    kept = {_cut(name): _cut(value) for name, value in list(shown.items())[:MAX_PARAMS]}
    if len(shown) > MAX_PARAMS:
        kept["…"] = f"{len(shown) - MAX_PARAMS} more parameters"
    return kept


def _cut(value: Any, limit: int = MAX_VALUE_LENGTH) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}… ({len(value):,} characters)"
    return value
