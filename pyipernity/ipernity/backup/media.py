"""Downloading originals: streamed to disk, md5-checked, bounded in time.

A download reads the file in chunks straight into a temporary file while
hashing it, so memory stays the same whatever the size; a file larger than the
size it was announced at, or than the cap of a file, is given up as soon as
it is. Each request has a connect and a read timeout, and each file an overall
deadline, which the library's deadline watchdog enforces even inside a read
that a server trickles.
Nothing here logs or reports a file's URL, which holds the document's secret.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from ipernity.deadline import Deadline, Watch
from ipernity.transport import Timeout

from .disk import BackupDirectory, disk_errors
from .results import human_size

#: Bytes read and written at a time.
CHUNK_SIZE = 256 * 1024
#: Longest pause asked for after a rate limit, in seconds.
MAX_PAUSE = 60.0


class DocumentFailed(Exception):
    """One document could not be saved; the run goes on. The message says why."""


class SlowDown(DocumentFailed):
    """The service said "too many requests": try again after a pause."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Stopped(Exception):
    """The run is stopping (Ctrl-C, or another document hit a fatal error)."""


class Throttle:
    """A pause shared by every worker after the service asked them to slow down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resume_at = 0.0

    def wait(self, stop: threading.Event) -> None:
        """Sleep until the pause is over (returns early when ``stop`` is set)."""
        with self._lock:
            delay = self._resume_at - time.monotonic()
        if delay > 0:
            stop.wait(delay)

    def slow_down(self, attempt: int, retry_after: float | None = None) -> None:
        """Pause everyone: longer with each ``attempt``, at least ``retry_after``."""
        pause = min(MAX_PAUSE, max(0.5 * 2.0**attempt, retry_after or 0.0))
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + pause)


@dataclass(frozen=True)
class Fetched:
    """A downloaded original, complete in a temporary file."""

    #: Its name in the directory's ``.incoming``.
    temp: str
    md5: str
    size: int


@dataclass(frozen=True)
class Downloader:
    """Fetches originals over one pooled session.

    :param session: the HTTP session (shared by the workers).
    :param directory: where the temporary files go.
    :param timeout: seconds, or ``(connect, read)`` seconds, per request.
    :param deadline: seconds one file may take in all.
    :param max_bytes: bytes one file may have.
    :param stop: set when the run stops; a download in progress gives up.
    :param on_bytes: called with each chunk's size.
    """

    session: requests.Session
    directory: BackupDirectory
    timeout: Timeout
    deadline: float
    max_bytes: int
    stop: threading.Event
    on_bytes: Callable[[int], None]

    def fetch(self, url: str, expected_bytes: int | None) -> Fetched:
        """Download ``url`` into a temporary file; the caller places or removes it.

        :raises DocumentFailed: when it fails (404, timeout, too large…);
            :class:`SlowDown` on HTTP 429.
        :raises Stopped: when the run stops meanwhile.
        :raises BackupError: when the file cannot be written.
        """
        if expected_bytes is not None and expected_bytes > self.max_bytes:
            raise self._too_large(expected_bytes)
        deadline = Deadline(self.deadline)
        watch = Watch(deadline)
        try:
            with watch:
                return self._fetch(url, expected_bytes, deadline, watch)
        except requests.RequestException as exc:
            failure = self._failure(exc, watch)
        # Raised outside the except clause: requests' exception, which quotes the
        # file's URL (its secret part too), is not kept as its __context__.
        raise failure

    def _failure(self, exc: requests.RequestException, watch: Watch) -> DocumentFailed:
        # The watchdog shut the connection: the file was late, whatever the read said.
        if watch.expired:
            return self._late()
        if isinstance(exc, requests.Timeout):
            return DocumentFailed(f"no answer within the timeout ({self.timeout} s)")
        return DocumentFailed(f"download failed ({type(exc).__name__})")

    def _fetch(
        self, url: str, expected_bytes: int | None, deadline: Deadline, watch: Watch
    ) -> Fetched:
        with self.session.get(url, stream=True, timeout=self.timeout) as response:
            # Another session's connection: watched from its headers on.
            connection = getattr(response.raw, "connection", None)
            if connection is not None:
                watch.watch(connection)
            if response.status_code == 429:
                raise SlowDown("HTTP 429 Too Many Requests", _retry_after(response))
            if response.status_code != 200:
                raise DocumentFailed(f"HTTP {response.status_code} for the original file")
            with self.directory.writing() as (temp, stream):
                digest = hashlib.md5(usedforsecurity=False)
                size = 0
                for chunk in response.iter_content(CHUNK_SIZE):
                    if self.stop.is_set():
                        raise Stopped
                    if deadline.passed() or watch.expired:
                        raise self._late()
                    size += len(chunk)
                    if expected_bytes is not None and size > expected_bytes:
                        raise DocumentFailed(f"larger than the {expected_bytes} bytes announced")
                    if size > self.max_bytes:
                        raise self._too_large()
                    digest.update(chunk)
                    with disk_errors(self.directory.incoming / temp):
                        stream.write(chunk)
                    self.on_bytes(len(chunk))
        return Fetched(temp, digest.hexdigest(), size)

    def _too_large(self, size: int | None = None) -> DocumentFailed:
        shown = f"{human_size(size)}, " if size is not None else ""
        return DocumentFailed(
            f"{shown}larger than the {human_size(self.max_bytes)} a file may have"
        )

    def _late(self) -> DocumentFailed:
        return DocumentFailed(f"not complete within {self.deadline:g} s")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None
