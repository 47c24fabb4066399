"""The OAuth token steps and paged walks against hostile servers, on a real socket."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

import pytest

from ipernity import InvalidResponse, IpernityAPI, RequestTimeout
from ipernity.oauth import OAuthError, OAuthHandler
from tests.scripted_server import Handler, ScriptedServer

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


def answering(status: str, body: bytes) -> Handler:
    """A handler that answers every request with ``status`` and ``body``."""

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        conn.sendall(head + body)

    return answer


@pytest.mark.parametrize(
    "body",
    [b"", b"oauth_token=tok", b"oauth_token_secret=sec", b"oauth_token=&oauth_token_secret=sec"],
    ids=["empty", "no-secret", "no-token", "empty-token"],
)
def test_a_request_step_answer_without_a_token_and_its_secret_is_refused(
    serve: Callable[[Handler], ScriptedServer], body: bytes
) -> None:
    api = oauth_client(serve(answering("200 OK", body)))
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_request_token()  # type: ignore[attr-defined]
    assert str(refused.value) == "The OAuth request step's answer holds no token"


def test_an_access_step_answer_without_a_token_leaves_the_client_without_one(
    serve: Callable[[Handler], ScriptedServer],
) -> None:
    api = oauth_client(serve(answering("200 OK", b"oauth_callback_confirmed=true")))
    request_token = {"oauth_token": "request-token", "oauth_token_secret": "request-secret"}
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_access_token(request_token, verifier="v")  # type: ignore[attr-defined]
    assert str(refused.value) == "The OAuth access step's answer holds no token"
    assert api.token is None


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        ("401 Unauthorized", b"oauth_problem=signature_invalid", "HTTP 401 (signature_invalid)"),
        ("503 Service Unavailable", b"", "HTTP 503"),
        ("500 Internal Server Error", b"<html>Oops</html>", "HTTP 500"),
    ],
    ids=["with-problem", "empty", "html"],
)
def test_a_refused_token_step_names_the_http_status_and_the_services_problem(
    serve: Callable[[Handler], ScriptedServer], status: str, body: bytes, message: str
) -> None:
    api = oauth_client(serve(answering(status, body)))
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_request_token()  # type: ignore[attr-defined]
    assert str(refused.value) == f"The OAuth request step was refused: {message}"


def test_a_refusal_that_is_not_utf8_still_names_its_problem(
    serve: Callable[[Handler], ScriptedServer],
) -> None:
    body = b"oauth_problem=token_rejected&oauth_problem_advice=Jeton \xe9chu"
    api = oauth_client(serve(answering("401 Unauthorized", body)))
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_request_token()  # type: ignore[attr-defined]
    assert refused.value.problem == "token_rejected"


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
