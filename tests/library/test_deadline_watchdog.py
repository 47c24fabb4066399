"""The deadline watchdog: what ends a call in time, in any process, in any order.

Each call goes to a tiny local server on a real socket that trickles its
answer (a byte every half second, within any read timeout): only the watchdog
can end such a call at its deadline.
"""

from __future__ import annotations

import gc
import itertools
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

import ipernity
from ipernity import IpernityAPI, RequestTimeout, TransportError
from ipernity import deadline as deadlines
from ipernity.transport import new_session
from tests.scripted_server import ScriptedServer

from .test_transport_errors import ImmediateServer
from .test_transport_limits import (
    OK_BODY,
    serve,
    trickle_body,
    trickle_body_then_close,
    trickle_everything,
)
from .test_transport_requests import KeepAliveServer, environment

__all__ = ["environment", "serve"]  # the fixtures, imported for the tests below

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def answer_at_once(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(OK_BODY)}\r\n\r\n".encode() + OK_BODY)


def client(server: ScriptedServer, deadline: float) -> IpernityAPI:
    return IpernityAPI("key", "secret", url=server.api_url, timeout=(2, 3), deadline=deadline)


def outcome(call: Callable[[], object]) -> str:
    """``call``'s result or error class, and how long it took: ``"RequestTimeout 1.0"``."""
    started = time.monotonic()
    try:
        call()
        name = "answered"
    except Exception as exc:  # the test reads which one
        name = type(exc).__name__
    return f"{name} {time.monotonic() - started:.1f}"


def in_forked_child(work: Callable[[], str], within: float) -> str | None:
    """Run ``work`` in a forked child; its answer, or ``None`` if none came ``within`` s.

    A child that does not answer in time is killed: the test fails, it does not hang.
    """
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(readable)
            os.write(writable, work().encode())
        finally:
            os._exit(0)
    os.close(writable)
    with open(readable, "rb") as answers:
        ready, _, _ = select.select([answers], [], [], within)
        if not ready:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return answers.read().decode() if ready else None


def start_the_watchdog() -> None:
    with deadlines.Watch(deadlines.Deadline(60)):
        pass


@needs_fork
def test_a_forked_child_ends_a_trickled_call_at_its_deadline(serve) -> None:
    # The parent's watchdog thread does not come along into the child.
    start_the_watchdog()
    api = client(serve(trickle_body), deadline=1)
    answer = in_forked_child(lambda: outcome(api.test.hello), within=1 + 4)
    assert answer is not None, "the child's call outlived its deadline"
    name, seconds = answer.split()
    assert name == "RequestTimeout"
    assert float(seconds) < 1 + 2


@needs_fork
def test_a_child_forked_while_the_watchdog_held_its_lock_can_call(serve) -> None:
    api = client(serve(answer_at_once), deadline=5)
    start_the_watchdog()
    # The watchdog's thread holds its lock whenever it is not waiting.
    with deadlines._WATCHDOG.lock:
        answer = in_forked_child(lambda: outcome(api.test.hello), within=5)
    assert answer is not None, "the child's first call waited for a lock no thread would release"
    assert answer.split()[0] == "answered"


def until(condition: Callable[[], bool], within: float = 5.0) -> bool:
    """Poll ``condition`` until it holds or ``within`` seconds pass; whether it held."""
    ends = time.monotonic() + within
    while not condition():
        if time.monotonic() > ends:
            return False
        threading.Event().wait(0.01)
    return True


class Connection:
    """The shape of connection a watch shuts: whatever has a ``sock``."""

    def __init__(self, sock: object) -> None:
        self.sock = sock


class Wrapped:
    """A socket wrapped the way urllib3 wraps TLS inside a TLS proxy: the plain one below."""

    def __init__(self, plain: socket.socket) -> None:
        self.socket = plain


def is_shut(peer: socket.socket) -> bool:
    """Whether the other end of ``peer`` was shut (``peer`` reads the end of the stream)."""
    peer.settimeout(2)
    return peer.recv(1) == b""


# -- shutting -------------------------------------------------------------------------


def test_a_wrapped_socket_is_shut_at_the_plain_socket_below() -> None:
    plain, peer = socket.socketpair()
    with plain, peer, deadlines.Watch(deadlines.Deadline(0.05)) as watch:
        watch.watch(Connection(Wrapped(plain)))
        assert until(lambda: watch.expired)
        assert is_shut(peer)


def test_a_connection_closed_before_its_deadline_does_not_stop_the_watchdog() -> None:
    closed, _ = socket.socketpair()
    closed.close()
    with deadlines.Watch(deadlines.Deadline(0.05)) as first:
        first.watch(Connection(closed))
        assert until(lambda: first.expired)
    plain, peer = socket.socketpair()
    with plain, peer, deadlines.Watch(deadlines.Deadline(0.05)) as second:
        second.watch(Connection(plain))
        assert until(lambda: second.expired), "the watchdog stopped at the closed socket"
        assert is_shut(peer)


# -- which deadline, when ---------------------------------------------------------------


def test_a_short_call_keeps_its_deadline_while_another_threads_long_one_waits(serve) -> None:
    holding, release = threading.Event(), threading.Event()

    def hold_a_long_watch() -> None:
        with deadlines.Watch(deadlines.Deadline(3600)):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=hold_a_long_watch)
    thread.start()
    try:
        holding.wait(5)
        api = client(serve(trickle_body), deadline=0.5)
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            api.test.hello()
        assert time.monotonic() - started < 0.5 + 2
    finally:
        release.set()
        thread.join()


def test_an_own_sessions_answer_whose_head_comes_after_the_deadline_ends_then(serve) -> None:
    def late_head_then_trickle(conn: socket.socket, stop: threading.Event) -> None:
        if not stop.wait(1):
            trickle_body(conn, stop)

    server = serve(late_head_then_trickle)
    with requests.Session() as own:
        api = IpernityAPI(
            "key", "secret", url=server.api_url, timeout=(2, 3), deadline=0.5, session=own
        )
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            api.test.hello()
    # Not watched until its head came (another session's connection), then shut at once.
    assert time.monotonic() - started < 1 + 1.5


def test_a_tls_connection_the_server_does_not_take_ends_at_the_deadline() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        stop = threading.Event()

        def make_room_late() -> None:
            # The queue is full until then: the client's connection waits past its deadline.
            if not stop.wait(0.7):
                listener.accept()[0].close()

        with socket.create_connection(("127.0.0.1", port)):
            thread = threading.Thread(target=make_room_late)
            thread.start()
            api = IpernityAPI(
                "key",
                "secret",
                url=f"https://127.0.0.1:{port}/api/",
                retries=0,
                timeout=(4, 4),
                deadline=0.5,
            )
            started = time.monotonic()
            try:
                with pytest.raises(RequestTimeout):
                    api.test.hello()
            finally:
                stop.set()
                thread.join()
    # Connecting is given only what the deadline leaves (0.5 s of the 4 s connect
    # timeout); a connection taken at about 1 s would be ended at once as well.
    # Neither, and the handshake would wait for the server for 4 s.
    assert time.monotonic() - started < 0.5 + 2


def trickle_a_tls_hello(conn: socket.socket, stop: threading.Event, lasting: float) -> None:
    """Begin a TLS record of 16 KB, then send it a byte every 0.1 s for ``lasting`` seconds.

    Each byte comes well within any connect timeout: only the watchdog can end
    the handshake, which waits for the whole record.
    """
    conn.sendall(b"\x16\x03\x03\x40\x00")
    ends = time.monotonic() + lasting
    while not stop.wait(0.1) and time.monotonic() < ends:
        conn.sendall(b"\x00")


def call_once_the_pool_frees(hold: float, deadline: float) -> float:
    """Make a call that waits for a blocking pool's one connection; how long it took.

    A request outside any call holds the connection for ``hold`` seconds (its
    TLS handshake trickled, then cut by the server): the call waits for it past
    its ``deadline``, then connects to a handshake trickled for 10 s.
    """
    served = itertools.count()
    server = ImmediateServer(
        lambda conn, stop: trickle_a_tls_hello(conn, stop, hold if next(served) == 0 else 10)
    )
    url = server.api_url.replace("http:", "https:")
    held: list[BaseException] = []
    with requests.Session() as own:
        own.mount("https://", deadlines.DeadlineAdapter(1, 1, pool_block=True))

        def hold_the_connection() -> None:
            try:
                own.get(url, timeout=5)
            except Exception as exc:  # checked below: the server's cut, nothing else
                held.append(exc)

        holder = threading.Thread(target=hold_the_connection)
        holder.start()
        try:
            assert until(lambda: server.connections == 1)
            api = IpernityAPI(
                "key", "secret", url=url, retries=0, timeout=(5, 5), deadline=deadline, session=own
            )
            started = time.monotonic()
            with pytest.raises(RequestTimeout, match=rf"within {deadline:g} s$"):
                api.test.hello()
            elapsed = time.monotonic() - started
        finally:
            holder.join()
            server.close()
    # The connection outside any call (no watch) was made and held until the server cut it.
    [cut] = held
    assert isinstance(cut, requests.ConnectionError), cut
    return elapsed


def test_a_tls_connection_made_after_the_deadline_ends_at_once() -> None:
    # Made at 2 s: its connect timeout (the 1.5 s the deadline left) alone would end it at 3.5 s.
    assert call_once_the_pool_frees(hold=2, deadline=1.5) < 2 + 1


def test_a_tls_handshake_begun_late_ends_at_the_deadline() -> None:
    # Begun at 1.2 s: its connect timeout (the 1.5 s the deadline left) alone would end it
    # at 2.7 s; the watchdog shuts the socket under the handshake at 1.5 s.
    assert call_once_the_pool_frees(hold=1.2, deadline=1.5) < 1.5 + 0.9


def test_a_tls_connection_made_after_the_deadline_leaves_no_socket_unclosed() -> None:
    gc.collect()  # what earlier tests left is not this one's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        call_once_the_pool_frees(hold=0.3, deadline=0.1)
        gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []


def test_a_tls_connection_leaves_no_socket_unclosed() -> None:
    server = ImmediateServer(answer_at_once)
    api = IpernityAPI("key", "secret", url=server.api_url.replace("http:", "https:"), retries=0)
    gc.collect()  # what earlier tests left is not this one's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        try:
            with pytest.raises(TransportError, match="TLS error"):
                api.test.hello()
        finally:
            api.close()
            server.close()
        del api
        gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []


# -- the library's sessions ---------------------------------------------------------------


def test_the_librarys_session_serves_a_request_in_a_thread_that_made_no_call(serve) -> None:
    url = serve(answer_at_once).api_url
    statuses: list[int] = []
    with new_session() as session:
        thread = threading.Thread(
            target=lambda: statuses.append(session.get(url, timeout=5).status_code)
        )
        thread.start()
        thread.join()
    assert statuses == [200]


def test_the_librarys_session_serves_a_request_outside_any_call_after_one() -> None:
    # On the same connection, still marked as the ended call's: a server that closed
    # it after one answer would race the reuse (a reset, now and then).
    server = KeepAliveServer(answer_at_once)
    try:
        with new_session() as session:
            IpernityAPI("key", "secret", url=server.api_url, session=session).test.hello()
            assert session.get(server.api_url, timeout=5).status_code == 200
    finally:
        server.close()
    assert server.connections == 1


def test_a_trickling_proxy_cannot_hold_a_call_past_the_deadline(serve, environment) -> None:
    proxy = serve(trickle_everything)
    environment(http_proxy=proxy.base_url)
    api = IpernityAPI(
        "key", "secret", url="http://api.example.invalid/api/", timeout=(2, 3), deadline=1
    )
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        api.test.hello()
    assert time.monotonic() - started < 1 + 2
    assert proxy.connections == 1


def test_an_adapter_asked_to_block_waits_for_its_one_connection() -> None:
    def answer_a_moment_later(conn: socket.socket, stop: threading.Event) -> None:
        stop.wait(0.05)
        answer_at_once(conn, stop)

    server = KeepAliveServer(answer_a_moment_later)
    with requests.Session() as session:
        session.mount(
            "http://",
            deadlines.DeadlineAdapter(pool_connections=1, pool_maxsize=1, pool_block=True),
        )
        threads = [
            threading.Thread(target=session.get, args=(server.api_url,), kwargs={"timeout": 5})
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    server.close()
    assert server.connections == 1


def test_a_program_that_used_a_deadline_exits_at_once() -> None:
    # The watchdog's thread is a daemon: it does not keep the interpreter alive.
    library = Path(ipernity.__file__).parents[1]
    program = (
        "from ipernity.deadline import Deadline, Watch\nwith Watch(Deadline(3600)):\n    pass\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(library)}
    subprocess.run([sys.executable, "-c", program], env=environment, timeout=15, check=True)


def test_a_deadline_extended_while_its_exchange_runs_is_kept() -> None:
    plain, peer = socket.socketpair()
    deadline = deadlines.Deadline(0.3)
    with plain, peer, deadlines.Watch(deadline) as watch:
        watch.watch(Connection(plain))
        deadline.extend(0.5)  # as a download does, for the bytes it received
        assert not until(lambda: watch.expired, within=0.6), "cut at the first deadline"
        assert until(lambda: watch.expired)
        assert is_shut(peer)


def test_the_watchdog_waits_for_an_extended_deadline_without_holding_its_lock() -> None:
    deadline = deadlines.Deadline(0.1)
    with deadlines.Watch(deadline):
        deadline.extend(0.8)
        assert until(lambda: deadline.remaining() < 0.7)  # past the first deadline
        started = time.monotonic()
        with deadlines.Watch(deadlines.Deadline(5)):
            pass
        assert time.monotonic() - started < 0.25, "another call waited for the watchdog"


def test_an_https_connection_refused_is_a_transport_error_naming_the_cause(
    closed_port_url: str,
) -> None:
    url = closed_port_url.replace("http://", "https://")
    with pytest.raises(TransportError, match=r"\(connection refused\)$"):
        IpernityAPI("key", "secret", url=url, retries=0).test.hello()


def test_a_watch_cuts_a_library_sessions_answer_that_ends_the_connection(serve) -> None:
    # As the backup and the media proxy read files: their own watch around the library's session.
    server = serve(trickle_body_then_close)
    started = time.monotonic()
    with (
        new_session() as session,
        deadlines.Watch(deadlines.Deadline(0.5)) as watch,
        pytest.raises(requests.RequestException),
        session.get(server.api_url, stream=True, timeout=(2, 3)) as response,
    ):
        for _ in response.iter_content(64 * 1024):
            pass
    assert watch.expired
    assert time.monotonic() - started < 0.5 + 2
