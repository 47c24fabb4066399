"""A retried OAuth call is signed afresh: a new nonce, as a service that records
nonces demands (a resent nonce is refused as a replay).

A scripted server answers 503, then 200, and keeps each attempt's
``Authorization`` header; the sandbox-based retry test is in ``test_oauth.py``.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import unquote

import pytest

from ipernity import IpernityAPI
from ipernity.oauth import OAuthHandler
from tests.scripted_server import ScriptedServer, read_request_head

USER = b'{"user":{"user_id":"7","username":"seven"},"api":{"status":"ok","at":"1700000000"}}'


class FlakyServer(ScriptedServer):
    """Answers its first request 503, the next ones ``user.get``'s answer, and
    keeps the ``Authorization`` header of each."""

    def __init__(self) -> None:
        self.authorizations: list[str] = []
        super().__init__(lambda conn, stop: None)

    def answer(self, conn: socket.socket) -> None:
        """Record the request's ``Authorization``, then answer as scripted."""
        head = read_request_head(conn).decode("latin-1")
        fields = (line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
        headers = {name.strip().lower(): value.strip() for name, value in fields}
        self.authorizations.append(headers.get("authorization", ""))
        if len(self.authorizations) == 1:
            conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
            return
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(USER)).encode()
            + b"\r\n\r\n"
            + USER
        )


def oauth_fields(header: str) -> dict[str, str]:
    """The parameters of an ``Authorization: OAuth …`` header."""
    pairs = (part.strip().split("=", 1) for part in header.removeprefix("OAuth ").split(","))
    return {name: unquote(value.strip('"')) for name, value in pairs}


@pytest.fixture
def flaky() -> Iterator[FlakyServer]:
    server = FlakyServer()
    yield server
    server.close()


def test_a_retry_after_a_503_is_signed_with_a_new_nonce(flaky: FlakyServer) -> None:
    token = {"oauth_token": "1-token", "oauth_token_secret": "token-secret"}
    api = IpernityAPI("key", "secret", token, auth=OAuthHandler, url=flaky.api_url, retries=1)
    api._transport.backoff = 0.0
    assert api.user.get()["user"]["username"] == "seven"
    first, retry = (oauth_fields(header) for header in flaky.authorizations)
    assert first["oauth_token"] == retry["oauth_token"] == "1-token"
    assert first["oauth_nonce"] != retry["oauth_nonce"]
    assert first["oauth_signature"] != retry["oauth_signature"]
