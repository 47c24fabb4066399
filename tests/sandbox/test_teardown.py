"""Closing a sandbox while requests are in flight: they finish, then the store closes.

A request thread that outlived the sandbox used to hit the closed database
("Cannot operate on a closed database") and log a traceback.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from ipernity import IpernityAPI
from ipernity.sandbox import Sandbox

IN_FLIGHT = 4


class CountEntries:
    """Wraps the sandbox's WSGI application to tell when requests have reached it."""

    def __init__(self, app: Any, expected: int) -> None:
        self.app = app
        self.expected = expected
        self.entered = 0
        self.all_in = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Iterable[bytes]:
        with self._lock:
            self.entered += 1
            if self.entered >= self.expected:
                self.all_in.set()
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


@pytest.fixture
def thread_failures() -> Iterator[list[BaseException | None]]:
    """Every exception that escapes a thread while the test runs."""
    failures: list[BaseException | None] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: failures.append(args.exc_value)
    yield failures
    threading.excepthook = previous


def test_closing_lets_requests_in_flight_finish_before_the_store_closes(
    caplog: pytest.LogCaptureFixture, thread_failures: list[BaseException | None]
) -> None:
    sandbox = Sandbox(latency=1.0)
    app = sandbox.add_app("Site", auth="desktop")
    sandbox.wsgi_app = entries = CountEntries(sandbox.wsgi_app, IN_FLIGHT)  # type: ignore[assignment]
    sandbox.start()
    api = IpernityAPI(app.api_key, app.api_secret, url=sandbox.api_url, retries=0)
    answers: list[Any] = []

    def call() -> None:
        try:
            answers.append(api.test.echo(word="hi"))
        except Exception as exc:
            answers.append(exc)

    callers = [threading.Thread(target=call) for _ in range(IN_FLIGHT)]
    with caplog.at_level(logging.DEBUG):
        for caller in callers:
            caller.start()
        assert entries.all_in.wait(10)
        # Each request now sleeps its second of latency before touching the store.
        sandbox.close()
        for caller in callers:
            caller.join(10)
    assert [type(answer) for answer in answers] == [dict] * IN_FLIGHT
    assert thread_failures == []
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "closed database" not in caplog.text


def test_closing_ends_idle_keep_alive_connections_at_once() -> None:
    sandbox = Sandbox()
    base_url = sandbox.start()
    port = int(base_url.rstrip("/").rsplit(":", 1)[1])
    idle = socket.create_connection(("127.0.0.1", port))
    idle.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    idle.settimeout(5)
    assert idle.recv(12).startswith(b"HTTP/1.1 200")
    # The server's thread for this connection now waits for a next request.
    closer = threading.Thread(target=sandbox.close)
    closer.start()
    closer.join(5)
    assert not closer.is_alive()
    idle.close()
