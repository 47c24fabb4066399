"""Overall deadlines for HTTP exchanges, so a slow server cannot hold a call.

requests' read timeout bounds each read from the socket: a server that sends
one byte a second never trips it. A :class:`Deadline` bounds a whole call; while
an exchange runs, a :class:`Watch` registers its connection with one shared
watchdog thread, which shuts the connection's socket down when the deadline
passes. The blocked read then fails at once and the transport reports a
timeout.

Connections made by a :class:`DeadlineAdapter` (mounted on the library's own
sessions) are watched from the moment the request is sent; a connection of
another session from the moment its answer's headers arrive.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError
from urllib3.poolmanager import PoolManager

# The attribute naming, on a connection, the watch of the exchange that owns it.
_OWNER = "_ipernity_watch"
# The attribute holding, during a TLS handshake, a copy of the connection's socket.
_HANDSHAKE_SOCKET = "_ipernity_handshake_socket"
# The attribute holding the socket a connection was made with: http.client lets go of
# it (``sock`` is None) while an answer the server ends by closing is read from it.
_MADE_WITH = "_ipernity_made_with"


class Deadline:
    """A point in time a call must be done by.

    :param seconds: how long from now.
    """

    def __init__(self, seconds: float) -> None:
        #: The time allowed, in seconds (grows with :meth:`extend`).
        self.seconds = seconds
        self._expires = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, 0 once passed."""
        return max(0.0, self._expires - time.monotonic())

    def passed(self) -> bool:
        """Tell whether the deadline has passed."""
        return time.monotonic() >= self._expires

    def extend(self, seconds: float) -> None:
        """Allow ``seconds`` more (an upload's time to send its file)."""
        self.seconds += seconds
        self._expires += seconds


class Watch:
    """Watches the connections of one exchange until it ends or its deadline passes.

    Use it as a context manager around the exchange, the reading of the answer's
    body included. :attr:`expired` tells afterwards whether the watchdog cut the
    exchange short.
    """

    def __init__(self, deadline: Deadline) -> None:
        #: The deadline watched; :meth:`Deadline.extend` may push it back meanwhile.
        self.deadline = deadline
        self._connections: list[Any] = []
        self._active = False
        #: The deadline passed while the exchange ran; its connections were shut.
        self.expired = False

    def __enter__(self) -> Watch:
        self._active = True
        _local.watch = self
        _WATCHDOG.add(time.monotonic() + self.deadline.remaining(), self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        _local.watch = None
        _WATCHDOG.remove(self)

    def watch(self, connection: Any) -> None:
        """Shut ``connection`` down if the deadline passes before the exchange ends."""
        with _WATCHDOG.lock:
            setattr(connection, _OWNER, self)
            if connection not in self._connections:
                self._connections.append(connection)
            if self.expired:
                _shut(connection)

    def watch_answer(self, answer: Any) -> None:
        """Shut the connection ``answer`` (a urllib3 response) comes on if the deadline passes.

        For the connections of sessions without a :class:`DeadlineAdapter`,
        watched from their answer's headers on: an answer the server ends by
        closing the connection alone holds its socket, found through it.
        """
        connection = getattr(answer, "connection", None)
        if connection is None:
            return
        if getattr(connection, "sock", None) is None:
            setattr(connection, _MADE_WITH, _socket_of(answer))
        self.watch(connection)

    def end(self) -> None:
        """Stop watching: the exchange is over (called with the watchdog's lock held)."""
        self._active = False
        self._connections.clear()

    def expire(self) -> None:
        """Shut down every connection this exchange still owns (the watchdog's call)."""
        if not self._active:
            return
        self.expired = True
        for connection in self._connections:
            # A connection handed back to the pool may already serve another call.
            if getattr(connection, _OWNER, None) is self:
                _shut(connection)


def current_watch() -> Watch | None:
    """The watch of the exchange running in this thread, if any."""
    watch: Watch | None = getattr(_local, "watch", None)
    return watch


def _socket_of(answer: Any) -> Any:
    # urllib3's response wraps http.client's, which reads from a file made of the socket.
    file = getattr(getattr(answer, "_fp", None), "fp", None)
    return getattr(getattr(file, "raw", None), "_sock", None)


def _shut(connection: Any) -> None:
    sockets = (
        getattr(connection, "sock", None),
        getattr(connection, _MADE_WITH, None),
        getattr(connection, _HANDSHAKE_SOCKET, None),
    )
    for sock in sockets:
        # TLS in TLS (through a proxy): shut the plain socket below the wrappers.
        plain = sock if isinstance(sock, socket.socket) else getattr(sock, "socket", None)
        if isinstance(plain, socket.socket):
            # socket.socket's own shutdown, leaving the TLS state to the reader.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(plain, socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread that expires watches in deadline order.

    Ended watches stay queued until they reach the front or the queue is
    compacted, which happens once they outnumber the live ones.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start afresh, with no watch and no thread (the state of a forked child).

        A forked process keeps none of its parent's threads, and may inherit
        the lock held: without a new lock and a new thread, no deadline of the
        child would ever pass (or its first call would wait forever).
        """
        self.lock = threading.Lock()
        self._wake = threading.Condition(self.lock)
        self._queue: list[tuple[float, int, Watch]] = []
        self._live = 0
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, when: float, watch: Watch) -> None:
        with self.lock:
            if len(self._queue) > 2 * self._live + 64:
                self._queue = [entry for entry in self._queue if entry[2]._active]
                heapq.heapify(self._queue)
            self._live += 1
            heapq.heappush(self._queue, (when, next(self._order), watch))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ipernity-deadlines", daemon=True
                )
                self._thread.start()
            if self._queue[0][2] is watch:
                self._wake.notify()

    def remove(self, watch: Watch) -> None:
        with self.lock:
            self._live -= 1
            watch.end()

    def _run(self) -> None:
        with self.lock:
            while True:
                while self._queue and not self._queue[0][2]._active:
                    heapq.heappop(self._queue)
                if not self._queue:
                    self._wake.wait()
                    continue
                wait = self._queue[0][0] - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                watch = heapq.heappop(self._queue)[2]
                left = watch.deadline.remaining()
                if left > 0:
                    # Extended while it ran (a download allowed more time per byte).
                    when = time.monotonic() + left
                    heapq.heappush(self._queue, (when, next(self._order), watch))
                    continue
                watch.expire()


_WATCHDOG = _Watchdog()
_local = threading.local()
# Pre-fork servers and fork-started worker pools call on in the child.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_WATCHDOG.reset)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        # Before: the plain socket is shut if the deadline passes mid-handshake;
        # after: an exchange whose deadline passed while connecting ends at once.
        _watch_current(self)
        super().connect()
        setattr(self, _MADE_WITH, self.sock)
        _watch_current(self)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch_current(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    """The same watch around HTTPSConnection's own ``connect``, the TLS handshake included."""

    def connect(self) -> None:
        try:
            super().connect()
        finally:
            with _WATCHDOG.lock:
                copy = getattr(self, _HANDSHAKE_SOCKET, None)
                if copy is not None:
                    copy.close()
                    delattr(self, _HANDSHAKE_SOCKET)

    def _new_conn(self) -> socket.socket:
        # The TLS handshake detaches ``sock`` and sets the wrapped socket only
        # once it is done: a copy of the socket, closed after ``connect``, lets
        # the watchdog end a handshake that stalls or trickles past the deadline.
        sock = super()._new_conn()
        with _WATCHDOG.lock:
            watch = current_watch()
            if watch is not None and watch.expired:
                # Made after the deadline (a blocking pool's wait): no handshake to begin.
                # A socket shut before it is wrapped would be wrapped unconnected, and leak.
                sock.close()
                raise ConnectTimeoutError(self, "connected after the call's deadline")
            setattr(self, _HANDSHAKE_SOCKET, sock.dup())
        return sock


def _watch_current(connection: HTTPConnection) -> None:
    watch = current_watch()
    if watch is not None:
        watch.watch(connection)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """An adapter whose connections are watched from the moment a request is sent.

    The library's own sessions use it; mount it on a session of your own
    (``session.mount("https://", DeadlineAdapter())``) for the deadline to
    cover the wait for an answer's headers too.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Create the pool manager, with watched connection pools."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        """Return the pool manager for ``proxy``, with watched connection pools."""
        manager: PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager
