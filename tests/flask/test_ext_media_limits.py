"""The media proxy against hostile media servers: a deadline with a minimum rate, a size bound.

A tiny server on a real socket answers ``doc.getMedias`` with a URL of its own,
then serves that file as the test says: trickled, endless, huge, or slow but
steady. A site's worker must never be held longer than the deadline allows.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from flask_ipernity import ConfigurationError, Ipernity
from ipernity.sandbox import Sandbox, User
from tests.scripted_server import Handler, ScriptedServer, read_request_head


class MediaHost(ScriptedServer):
    """An API and a media server on one port; the handler answers the file's requests."""

    def answer(self, conn: socket.socket) -> None:
        """Answer ``doc.getMedias`` with this server's file, then serve the file."""
        # The site keeps its API connection open between calls: wait for the
        # next request in short turns, so that close() ends the thread.
        while not self.stop.is_set():
            conn.settimeout(0.1)
            try:
                head = read_request_head(conn)
            except TimeoutError:
                continue
            conn.settimeout(None)
            if not head.startswith(b"GET /api/"):
                self.handler(conn, self.stop)
                return
            self._answer_medias(conn)

    def _answer_medias(self, conn: socket.socket) -> None:
        thumbs = [{"label": "original", "url": self.base_url + "/files/big.jpg"}]
        body = json.dumps({"api": {"status": "ok"}, "thumbs": {"thumb": thumbs}}).encode()
        conn.sendall(_head(len(body), "application/json") + body)


def _head(length: int | None, content_type: str = "image/jpeg") -> bytes:
    sized = f"Content-Length: {length}\r\n" if length is not None else "Connection: close\r\n"
    return f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n{sized}\r\n".encode()


@pytest.fixture
def media_host() -> Iterator[Callable[[Handler], MediaHost]]:
    hosts: list[MediaHost] = []

    def start(serve_file: Handler) -> MediaHost:
        hosts.append(MediaHost(serve_file))
        return hosts[-1]

    yield start
    for host in hosts:
        host.close()


def site_for(host: MediaHost, **config: object) -> FlaskClient:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY="key",
        IPERNITY_API_SECRET="secret",
        IPERNITY_API_URL=host.api_url,
        IPERNITY_MEDIA_LOCAL_HOSTS=[host.base_url],
        IPERNITY_SANDBOX=False,
        IPERNITY_RETRIES=0,
        # Every byte comes well within the read timeout: only the deadline can stop a trickle.
        IPERNITY_TIMEOUT=(2.0, 5.0),
        **config,
    )
    Ipernity(site)
    return site.test_client()


def trickle(conn: socket.socket, stop: threading.Event, data: bytes) -> None:
    """Send ``data`` a byte every 0.2 s: for 25 s at most, longer than any test's bound."""
    ends = time.monotonic() + 25
    for byte in data:
        if stop.wait(0.2) or time.monotonic() > ends:
            return
        conn.sendall(bytes([byte]))


def test_a_media_server_trickling_its_headers_is_a_504_at_the_deadline(media_host) -> None:
    host = media_host(lambda conn, stop: trickle(conn, stop, _head(100) + b"x" * 100))
    site = site_for(host, IPERNITY_MEDIA_DEADLINE=1.5)
    started = time.monotonic()
    answer = site.get("/media/1/original")
    assert answer.status_code == 504
    assert time.monotonic() - started < 1.5 + 2


def test_a_media_server_trickling_the_file_is_cut_off_at_the_deadline(media_host) -> None:
    def headers_then_trickle(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(_head(1000))
        trickle(conn, stop, b"x" * 1000)

    host = media_host(headers_then_trickle)
    site = site_for(host, IPERNITY_MEDIA_DEADLINE=1.5)
    started = time.monotonic()
    answer = site.get("/media/1/original", buffered=True)
    assert answer.status_code == 200  # the headers were passed on before the trickle
    assert len(answer.data) < 1000
    assert time.monotonic() - started < 1.5 + 2


def test_a_large_file_on_a_slow_but_steady_link_passes_the_deadline(media_host) -> None:
    size, step = 1024 * 1024, 32 * 1024

    def steady(conn: socket.socket, stop: threading.Event) -> None:
        # About 256 KiB a second: four seconds in all, well past the 2 s deadline.
        conn.sendall(_head(size))
        for _ in range(size // step):
            if stop.wait(step / (256 * 1024)):
                return
            conn.sendall(b"x" * step)

    host = media_host(steady)
    site = site_for(host, IPERNITY_MEDIA_DEADLINE=2.0, IPERNITY_MEDIA_MIN_RATE=64 * 1024)
    answer = site.get("/media/1/original", buffered=True)
    assert answer.status_code == 200
    assert len(answer.data) == size


def test_a_file_announced_larger_than_the_bound_is_a_502_unread(media_host) -> None:
    def claim_5_gb(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(_head(5 * 1024**3) + b"x" * 1024)
        stop.wait(10)

    host = media_host(claim_5_gb)
    started = time.monotonic()
    answer = site_for(host).get("/media/1/original")
    assert answer.status_code == 502
    assert time.monotonic() - started < 5


def test_an_endless_file_is_cut_off_at_the_size_bound(media_host) -> None:
    def endless(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(_head(None))
        while not stop.is_set():
            conn.sendall(b"x" * 65536)

    host = media_host(endless)
    site = site_for(host, IPERNITY_MEDIA_MAX_SIZE=1024 * 1024)
    answer = site.get("/media/1/original")
    assert answer.status_code == 200
    assert bytes_passed_on(answer, at_most=1024 * 1024) <= 1024 * 1024


def bytes_passed_on(answer: TestResponse, at_most: int) -> int:
    """Count the body's bytes, reading no more than one chunk past ``at_most``.

    Without the proxy's bound an endless file never ends: the test must then
    fail on the count instead of reading until memory runs out.
    """
    received = 0
    try:
        for chunk in answer.response:
            received += len(chunk)
            if received > at_most:
                break
    finally:
        answer.close()
    return received


def test_proxying_a_file_logs_neither_its_secret_nor_a_signature(
    client: FlaskClient, sandbox: Sandbox, alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    doc = sandbox.add_doc(alice, title="Sunset")
    secret = sandbox.store.scalar("SELECT secret FROM docs WHERE doc_id = ?", (doc.doc_id,))
    loggers = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    # caplog first: it restores the root logger to the level it sees now.
    caplog.set_level(logging.DEBUG)
    try:
        for logger in loggers:
            logger.setLevel(logging.DEBUG)
        assert client.get(f"/media/{doc.doc_id}/original").status_code == 200
    finally:
        for logger, level in levels.items():
            logger.setLevel(level)
    assert "/media/" in caplog.text  # urllib3 and the sandbox quoted the file's path
    assert secret not in caplog.text
    assert not re.search(r"api_sig=(?!\*\*\*)", caplog.text)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("IPERNITY_MEDIA_DEADLINE", 0),
        ("IPERNITY_MEDIA_MIN_RATE", "fast"),
        ("IPERNITY_MEDIA_MAX_SIZE", -1),
        ("IPERNITY_MEDIA_DEADLINE", float("nan")),
    ],
)
def test_a_media_limit_that_is_not_above_zero_fails_at_setup(key: str, value: object) -> None:
    site = Flask(__name__)
    site.config.update(SECRET_KEY="s", IPERNITY_API_KEY="k", IPERNITY_API_SECRET="s")
    site.config[key] = value
    with pytest.raises(ConfigurationError, match=key):
        Ipernity(site)
