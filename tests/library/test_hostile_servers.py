"""The OAuth token steps and paged walks against hostile servers, on a real socket."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from ipernity import InvalidResponse, IpernityAPI, RequestTimeout
from ipernity.oauth import OAuthHandler
from tests.scripted_server import ScriptedServer

from .test_transport_limits import serve, trickle_body, trickle_everything

__all__ = ["serve"]  # the fixture, imported for the tests below


def oauth_client(server: ScriptedServer, **options: object) -> IpernityAPI:
    api = IpernityAPI("key", "secret", auth=OAuthHandler, **options)  # type: ignore[arg-type]
    api.auth.oauth_url = server.api_url  # type: ignore[attr-defined]
    return api


@pytest.mark.parametrize("handler", [trickle_everything, trickle_body])
def test_a_trickling_server_cannot_hold_the_request_token_step(serve, handler) -> None:
    server = serve(handler)
    api = oauth_client(server, timeout=(2, 3), deadline=1.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeout) as caught:
        api.auth.fetch_request_token(callback="http://127.0.0.1:1/cb")  # type: ignore[attr-defined]
    assert time.monotonic() - started < 1.5 + 2
    assert "OAuth request" in str(caught.value)


def test_a_trickling_server_cannot_hold_the_access_token_step(serve) -> None:
    server = serve(trickle_body)
    api = oauth_client(server, timeout=(2, 3), deadline=1.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        api.auth.fetch_access_token(  # type: ignore[attr-defined]
            {"oauth_token": "request-token", "oauth_token_secret": "request-secret"}
        )
    assert time.monotonic() - started < 1.5 + 2
    assert api.token is None


def test_a_huge_token_answer_is_refused_without_reading_it(serve) -> None:
    def claim_a_gigabyte(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\noauth_token=")
        stop.wait(10)

    server = serve(claim_a_gigabyte)
    api = oauth_client(server, max_answer_size=64 * 1024)
    with pytest.raises(InvalidResponse, match="larger than"):
        api.auth.fetch_request_token()  # type: ignore[attr-defined]


def test_the_token_steps_still_read_a_normal_answer(serve) -> None:
    def tokens(conn: socket.socket, stop: threading.Event) -> None:
        body = b"oauth_token=tok&oauth_token_secret=sec&oauth_callback_confirmed=true"
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        conn.sendall(head + body)

    server = serve(tokens)
    answer = oauth_client(server).auth.fetch_request_token()  # type: ignore[attr-defined]
    assert answer == {
        "oauth_token": "tok",
        "oauth_token_secret": "sec",
        "oauth_callback_confirmed": "true",
    }


def _listing(pages: object) -> bytes:
    docs = {"page": "1", "pages": pages, "total": "3", "doc": [{"doc_id": "1"}]}
    return json.dumps({"api": {"status": "ok"}, "docs": docs}).encode()


@pytest.mark.parametrize("pages", ["many", "", "1e9", "-1", "9" * 5000, [2], {"n": 2}, True])
def test_a_page_count_that_is_no_whole_number_is_an_invalid_response(serve, pages) -> None:
    body = _listing(pages)

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        conn.sendall(head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)

    server = serve(answer)
    api = IpernityAPI("key", "secret", url=server.api_url)
    with pytest.raises(InvalidResponse, match="not a whole number") as caught:
        list(api.walk_doc_search(workers=1))
    assert caught.value.method == "doc.search"
