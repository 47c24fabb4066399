"""A media server asking a backup to slow down (HTTP 429): the pause it asks for
is kept, and a file refused at every try fails its document only."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ipernity import IpernityAPI
from ipernity.backup import backup, media
from ipernity.backup.run import RATE_LIMIT_TRIES
from ipernity.sandbox import Sandbox
from tests.scripted_server import ScriptedServer, read_request_head

from .conftest import Library

ORIGINAL = b"a picture worth waiting for"
#: Seconds the media server asks to wait, more than the run's own first pause (0.5 s).
RETRY_AFTER = 1


class SlowingService(ScriptedServer):
    """One member with one document, whose file first comes as HTTP 429 with a
    Retry-After header, then whole. Notes when each file request comes."""

    def __init__(self) -> None:
        super().__init__(lambda conn, stop: None)
        self.file_requests: list[float] = []

    def answer(self, conn: socket.socket) -> None:
        path = read_request_head(conn).decode("latin-1").split(" ", 2)[1]
        if path.startswith("/media/"):
            self.file_requests.append(time.monotonic())
            if len(self.file_requests) == 1:
                send(conn, "429 Too Many Requests", b"", f"Retry-After: {RETRY_AFTER}\r\n")
            else:
                send(conn, "200 OK", ORIGINAL)
            return
        method = re.search(r"/api/([\w.]+)", path)
        answer = self.api_answer(method[1] if method else "")
        send(conn, "200 OK", json.dumps({"api": {"status": "ok"}, **answer}).encode())

    def api_answer(self, method: str) -> dict[str, Any]:
        doc = {
            "doc_id": "101",
            "title": "Slow",
            "md5": hashlib.md5(ORIGINAL, usedforsecurity=False).hexdigest(),
            "original": {"url": f"{self.base_url}/media/101.jpg", "bytes": str(len(ORIGINAL))},
        }
        answers: dict[str, dict[str, Any]] = {
            "album.getList": {"albums": {"page": "1", "pages": "1", "total": "0", "album": []}},
            "doc.getList": {"docs": {"page": "1", "pages": "1", "total": "1", "doc": [doc]}},
            "doc.get": {"doc": doc},
            "doc.getContainers": {},
        }
        return answers[method]


def send(conn: socket.socket, status: str, body: bytes, headers: str = "") -> None:
    """Write an HTTP answer whose body is ``body``."""
    head = f"HTTP/1.1 {status}\r\nConnection: close\r\n{headers}Content-Length: {len(body)}"
    conn.sendall(head.encode() + b"\r\n\r\n" + body)


@pytest.fixture
def service() -> Iterator[SlowingService]:
    server = SlowingService()
    yield server
    server.close()


def member_client(service: SlowingService) -> IpernityAPI:
    """A client whose token says who it is: the backup asks the service nothing else."""
    token = {
        "token": "member-token",
        "permissions": {"doc": "read"},
        "user": {"user_id": "7", "username": "patient"},
    }
    return IpernityAPI("key", "secret", token, url=service.api_url)


def test_the_pause_a_media_server_asks_for_is_kept_before_the_file_is_asked_again(
    service: SlowingService, tmp_path: Path
) -> None:
    with member_client(service) as api:
        summary = backup(api, tmp_path)

    assert summary.saved == ["101"]
    first, second = service.file_requests
    assert second - first >= RETRY_AFTER


def test_a_file_refused_at_every_try_fails_its_document_only(
    sandbox: Sandbox,
    api: IpernityAPI,
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No pause between the tries: their number is what is tested, not their spacing.
    monkeypatch.setattr(media, "MAX_PAUSE", 0.0)
    sandbox.fail_next("media", http_status=429, times=RATE_LIMIT_TRIES)

    summary = backup(api, tmp_path, workers=1)

    assert [failure.reason for failure in summary.failed] == [
        f"still rate limited after {RATE_LIMIT_TRIES} tries"
    ]
    assert len(summary.saved) == len(library.docs) - 1
