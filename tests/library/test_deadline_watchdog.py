"""The deadline watchdog: what ends a call in time, in any process, in any order.

Each call goes to a tiny local server on a real socket that trickles its
answer (a byte every half second, within any read timeout): only the watchdog
can end such a call at its deadline.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import threading
import time
from collections.abc import Callable

import pytest

from ipernity import IpernityAPI
from ipernity import deadline as deadlines
from tests.scripted_server import ScriptedServer

from .test_transport_limits import OK_BODY, serve, trickle_body

__all__ = ["serve"]  # the fixture, imported for the tests below

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
