"""A scripted Ipernity holding one member's one document, for the answers the
sandbox never gives: a file asking to slow down with Retry-After, a ``doc.get``
without md5 or without an original file."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import time
from dataclasses import dataclass
from typing import Any

from ipernity import IpernityAPI
from tests.scripted_server import ScriptedServer, read_request_head

DOC_ID = "101"
ORIGINAL = b"a picture worth waiting for"
ORIGINAL_MD5 = hashlib.md5(ORIGINAL, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class FileAnswer:
    """How the media server answers one request for the file."""

    status: str = "200 OK"
    body: bytes = ORIGINAL
    headers: str = ""


class OneDocumentService(ScriptedServer):
    """Lists the document as ``listed`` says and describes it (``doc.get``) as
    ``detail`` says, its original's URL added when ``detail`` has an original.
    The file's requests get ``files`` in turn, the last one again and again;
    :attr:`file_requests` notes when each came."""

    def __init__(
        self, listed: dict[str, Any], detail: dict[str, Any], files: list[FileAnswer]
    ) -> None:
        super().__init__(lambda conn, stop: None)
        self.listed = {"doc_id": DOC_ID, **listed}
        self.detail = {"doc_id": DOC_ID, **detail}
        self.files = files
        self.file_requests: list[float] = []

    def answer(self, conn: socket.socket) -> None:
        path = read_request_head(conn).decode("latin-1").split(" ", 2)[1]
        if path.startswith("/media/"):
            self.file_requests.append(time.monotonic())
            file = self.files[min(len(self.file_requests), len(self.files)) - 1]
            send(conn, file.status, file.body, file.headers)
            return
        method = re.search(r"/api/([\w.]+)", path)
        answer = self.api_answer(method[1] if method else "")
        send(conn, "200 OK", json.dumps({"api": {"status": "ok"}, **answer}).encode())

    def api_answer(self, method: str) -> dict[str, Any]:
        """The answer to an API method a backup calls."""
        detail = dict(self.detail)
        if "original" in detail:
            detail["original"] = {**detail["original"], "url": f"{self.base_url}/media/1.jpg"}
        answers: dict[str, dict[str, Any]] = {
            "album.getList": {"albums": {"page": "1", "pages": "1", "total": "0", "album": []}},
            "doc.getList": {
                "docs": {"page": "1", "pages": "1", "total": "1", "doc": [self.listed]}
            },
            "doc.get": {"doc": detail},
            "doc.getContainers": {},
        }
        return answers[method]

    def client(self, **options: Any) -> IpernityAPI:
        """A member's client whose token says who it is: the backup asks nothing else.

        :param options: more arguments of :class:`IpernityAPI` (``retries=0``…).
        """
        token = {
            "token": "member-token",
            "permissions": {"doc": "read"},
            "user": {"user_id": "7", "username": "member"},
        }
        return IpernityAPI("key", "secret", token, url=self.api_url, **options)


def send(conn: socket.socket, status: str, body: bytes, headers: str = "") -> None:
    """Write an HTTP answer whose body is ``body``; ``headers`` end with CRLF each."""
    head = f"HTTP/1.1 {status}\r\nConnection: close\r\n{headers}Content-Length: {len(body)}"
    conn.sendall(head.encode() + b"\r\n\r\n" + body)
