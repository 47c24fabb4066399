"""What each failure of a call becomes: its error class, status, code, message and method.

A tiny local server on a real socket answers each call as the test scripts
it. Every message names the method and the cause, never the URL (whose query
holds the token and the signature); the error keeps the call's parameters,
credentials masked.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from pathlib import Path

import pytest
import requests

from ipernity import (
    APIRequestError,
    InvalidResponse,
    IpernityAPI,
    NotFound,
    RequestTimeout,
    TransportError,
)
from ipernity.transport import _cause
from tests.scripted_server import Handler, ScriptedServer

from .test_transport_limits import OK_BODY, serve, trickle_body

__all__ = ["serve"]  # the fixture, imported for the tests below


def answer(body: bytes = OK_BODY, status: str = "200 OK", headers: str = "") -> Handler:
    """A handler that answers ``body`` with ``status`` and closes the connection."""

    def handler(conn: socket.socket, stop: threading.Event) -> None:
        head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        conn.sendall(f"{head}{headers}\r\n".encode() + body)

    return handler


class ImmediateServer(ScriptedServer):
    """Answers without reading the request first (a TLS client's hello has no end of head)."""

    def answer(self, conn: socket.socket) -> None:
        self.handler(conn, self.stop)


def client(url: str, **options: object) -> IpernityAPI:
    options.setdefault("retries", 0)
    return IpernityAPI("key", "secret", url=url, **options)  # type: ignore[arg-type]


def host_of(url: str) -> str:
    return url.split("/")[2]


def failure(api: IpernityAPI) -> Exception:
    """The error ``api.test.echo(echo="x")`` raises."""
    with pytest.raises(Exception) as caught:  # each test checks which
        api.test.echo(echo="x")
    return caught.value


# -- answers that are not the service's -------------------------------------------


def test_an_error_answer_is_the_error_class_of_its_code_with_the_services_message(
    serve,
) -> None:
    body = b'{"api": {"status": "error", "code": "1", "message": "Document not found"}}'
    error = failure(client(serve(answer(body)).api_url))
    assert type(error) is NotFound
    assert (error.status, error.code, error.method) == ("error", 1, "test.echo")
    assert str(error) == "Error 1 from test.echo: Document not found"
    assert error.params["echo"] == "x"


def test_an_error_answer_without_code_or_message_is_an_unknown_error_0(serve) -> None:
    error = failure(client(serve(answer(b'{"api": {"status": "fail"}}')).api_url))
    assert type(error) is APIRequestError
    assert str(error) == "Error 0 from test.echo: Unknown error"


@pytest.mark.parametrize("body", [b"oops", b"", b'{"api": {"status": "ok"'])
def test_an_answer_that_is_not_json_is_an_invalid_response(serve, body: bytes) -> None:
    error = failure(client(serve(answer(body)).api_url))
    assert type(error) is InvalidResponse
    assert (error.status, error.code, error.method) == ("invalid", 200, "test.echo")
    assert str(error) == "Error 200 from test.echo: the answer is not valid JSON"
    assert error.params["echo"] == "x"


def test_an_html_page_is_an_invalid_response_that_says_so(serve) -> None:
    page = b"<!DOCTYPE html>\n<HTML><BODY>Bad gateway</BODY></HTML>"
    error = failure(client(serve(answer(page)).api_url))
    assert type(error) is InvalidResponse
    assert str(error) == "Error 200 from test.echo: the answer is an HTML page"


@pytest.mark.parametrize(
    "body", [b'{"docs": {}}', b'[{"api": {"status": "ok"}}]', b'{"api": "ok"}', b'"api"']
)
def test_json_without_an_api_envelope_is_an_invalid_response(serve, body: bytes) -> None:
    error = failure(client(serve(answer(body)).api_url))
    assert type(error) is InvalidResponse
    assert (error.status, error.code, error.method) == ("invalid", 200, "test.echo")
    assert str(error) == "Error 200 from test.echo: the answer has no 'api' envelope"
    assert error.params["echo"] == "x"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("503 Service Unavailable", "HTTP 503 Service Unavailable"),
        ("300 Multiple Choices", "HTTP 300 Multiple Choices"),
        ("599", "HTTP 599"),
    ],
)
def test_an_http_status_other_than_2xx_is_an_invalid_response_naming_it(
    serve, status: str, message: str
) -> None:
    # The body is a valid answer: only the status makes it an error.
    error = failure(client(serve(answer(OK_BODY, status)).api_url))
    assert type(error) is InvalidResponse
    code = int(status.split()[0])
    assert (error.status, error.code, error.method) == ("httperror", code, "test.echo")
    assert str(error) == (
        f"Error {code} from test.echo: {message} instead of an answer from the Ipernity API"
    )
    assert error.params["echo"] == "x"
    assert error.retry_after is None


def test_an_upload_answered_with_an_http_error_is_an_invalid_response(
    serve, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8")
    api = client(serve(answer(OK_BODY, "503 Service Unavailable")).api_url)
    with pytest.raises(InvalidResponse) as caught:
        api.upload.file(file=str(photo))
    assert (caught.value.status, caught.value.code) == ("httperror", 503)
    assert caught.value.method == "upload.file"


def test_an_http_errors_retry_after_is_kept_on_the_error(serve) -> None:
    server = serve(answer(b"busy", "503 Service Unavailable", "Retry-After: 7\r\n"))
    error = failure(client(server.api_url))
    assert isinstance(error, InvalidResponse)
    assert error.retry_after == 7.0


def test_an_answer_larger_than_the_limit_names_the_limit(serve) -> None:
    error = failure(client(serve(answer(b" " * 2000)).api_url, max_answer_size=1024))
    assert type(error) is InvalidResponse
    assert (error.status, error.code, error.method) == ("invalid", 200, "test.echo")
    assert (
        str(error)
        == "Error 200 from test.echo: the answer is larger than the 1,024 bytes accepted"
    )
    assert error.params["echo"] == "x"


# -- the network --------------------------------------------------------------------


def test_a_refused_connection_names_the_cause(closed_port_url: str) -> None:
    error = failure(client(closed_port_url))
    assert type(error) is TransportError
    assert error.method == "test.echo"
    assert str(error) == f"test.echo: cannot reach {host_of(closed_port_url)} (connection refused)"


def _close_at_once(conn: socket.socket, stop: threading.Event) -> None:
    """Read the request and close without a word."""


def _reset(conn: socket.socket, stop: threading.Event) -> None:
    # Closing with a zero linger time sends a reset instead of the orderly end.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _cut_short(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + OK_BODY[:10])


def _redirect_forever(conn: socket.socket, stop: threading.Event) -> None:
    answer(b"", "302 Found", "Location: /api/test.echo/json\r\n")(conn, stop)


@pytest.mark.parametrize(
    ("handler", "cause"),
    [
        (_close_at_once, "connection closed without an answer"),
        (_reset, "connection reset"),
        (_cut_short, "answer cut short"),
        (_redirect_forever, "TooManyRedirects"),
    ],
    ids=["closed", "reset", "cut-short", "redirect-loop"],
)
def test_a_broken_exchange_is_a_transport_error_naming_the_cause(
    serve, handler: Handler, cause: str
) -> None:
    server = serve(handler)
    error = failure(client(server.api_url))
    assert type(error) is TransportError
    assert error.method == "test.echo"
    assert str(error) == f"test.echo: cannot reach {host_of(server.api_url)} ({cause})"


def test_tls_with_a_server_that_speaks_plain_http_is_a_tls_error() -> None:
    server = ImmediateServer(answer())
    try:
        url = server.api_url.replace("http://", "https://")
        error = failure(client(url, timeout=(2, 2)))
    finally:
        server.close()
    assert type(error) is TransportError
    assert str(error) == f"test.echo: cannot reach {host_of(url)} (TLS error)"


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # What each system's resolver, and urllib3 and http.client, say.
        ("[Errno -2] Name or service not known", "unknown host"),
        ("[Errno 8] nodename nor servname provided, or not known", "unknown host"),
        ("[Errno -3] Temporary failure in name resolution", "unknown host"),
        ("[Errno 111] Connection refused", "connection refused"),
        (
            "RemoteDisconnected('Remote end closed connection without response')",
            "connection closed without an answer",
        ),
        ("[Errno 104] Connection reset by peer", "connection reset"),
        ("SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number')", "TLS error"),
        ("IncompleteRead(10 bytes read, 90 more expected)", "answer cut short"),
        ("something else entirely", "ConnectionError"),
    ],
)
def test_the_cause_of_a_failure_is_read_from_its_text(text: str, cause: str) -> None:
    assert _cause(requests.ConnectionError(text)) == cause


def test_a_failure_without_text_is_named_by_its_class() -> None:
    assert _cause(requests.TooManyRedirects()) == "TooManyRedirects"


# -- time -----------------------------------------------------------------------------


def test_a_connect_timeout_names_both_timeouts_and_that_it_was_connecting(
    full_listener: str,
) -> None:
    error = failure(client(full_listener, timeout=(0.3, 2), deadline=5))
    assert type(error) is RequestTimeout
    assert error.connecting is True
    assert error.method == "test.echo"
    assert str(error) == (
        f"test.echo: could not connect to {host_of(full_listener)} within "
        "0.3 s (connect) / 2 s (read)"
    )


def test_a_connect_timeout_past_the_deadline_names_the_deadline(full_listener: str) -> None:
    error = failure(client(full_listener, timeout=(0.6, 2), deadline=0.3))
    assert type(error) is RequestTimeout
    assert error.method == "test.echo"
    assert str(error) == (
        f"test.echo: no complete answer from {host_of(full_listener)} within 0.3 s"
    )


def test_a_read_timeout_names_the_timeout(silent_server: str) -> None:
    error = failure(client(silent_server, timeout=0.3))
    assert type(error) is RequestTimeout
    assert error.connecting is False
    assert error.method == "test.echo"
    assert str(error) == f"test.echo: no answer from {host_of(silent_server)} within 0.3 s"


def _stall_in_the_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + OK_BODY[:10])
    stop.wait(10)


def test_a_body_that_stalls_past_the_read_timeout_is_a_request_timeout(serve) -> None:
    server = serve(_stall_in_the_body)
    started = time.monotonic()
    error = failure(client(server.api_url, timeout=(1, 0.3), deadline=5))
    assert time.monotonic() - started < 3
    assert type(error) is RequestTimeout
    assert error.method == "test.echo"
    assert str(error) == (
        f"test.echo: no answer from {host_of(server.api_url)} within 1 s (connect) / 0.3 s (read)"
    )


def _head_without_length(conn: socket.socket) -> None:
    # No length and no chunks: the body ends when the connection does.
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")


def test_an_answer_without_a_length_whose_body_never_comes_is_late(serve) -> None:
    def head_then_silence(conn: socket.socket, stop: threading.Event) -> None:
        _head_without_length(conn)
        stop.wait(10)

    server = serve(head_then_silence)
    started = time.monotonic()
    error = failure(client(server.api_url, timeout=(2, 3), deadline=0.5))
    # The watchdog's shutting the connection ends the body: nothing to parse, and late.
    assert time.monotonic() - started < 0.5 + 1
    assert type(error) is RequestTimeout
    assert error.method == "test.echo"
    assert (
        str(error) == f"test.echo: no complete answer from {host_of(server.api_url)} within 0.5 s"
    )


def test_a_trickled_answer_without_a_length_is_late_and_never_parsed(serve) -> None:
    def head_then_trickle(conn: socket.socket, stop: threading.Event) -> None:
        _head_without_length(conn)
        for byte in OK_BODY:
            if stop.wait(0.2):
                return
            conn.sendall(bytes([byte]))

    server = serve(head_then_trickle)
    started = time.monotonic()
    error = failure(client(server.api_url, timeout=(2, 3), deadline=0.5))
    assert time.monotonic() - started < 0.5 + 1
    assert type(error) is RequestTimeout
    assert error.method == "test.echo"
    assert (
        str(error) == f"test.echo: no complete answer from {host_of(server.api_url)} within 0.5 s"
    )


def test_a_call_past_its_deadline_names_the_deadline(serve) -> None:
    server = serve(trickle_body)
    error = failure(client(server.api_url, timeout=(2, 3), deadline=0.5))
    assert type(error) is RequestTimeout
    assert error.method == "test.echo"
    assert (
        str(error) == f"test.echo: no complete answer from {host_of(server.api_url)} within 0.5 s"
    )


# -- what an error carries ----------------------------------------------------------------


def chain(error: BaseException) -> list[BaseException]:
    """The error and every exception it carries (its cause, its context, theirs)."""
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


@pytest.mark.parametrize("where", ["refused", "connect timeout", "read timeout", "late"])
def test_a_network_failure_carries_no_exception_of_requests_that_names_the_signed_url(
    where: str, closed_port_url: str, full_listener: str, silent_server: str
) -> None:
    # requests' exceptions quote the URL, whose query holds the token and api_sig:
    # not even the error's __context__ (which logging and Sentry show) may keep one.
    url, options = {
        "refused": (closed_port_url, {}),
        "connect timeout": (full_listener, {"timeout": (0.2, 2)}),
        "read timeout": (silent_server, {"timeout": 0.2}),
        "late": (silent_server, {"timeout": 2, "deadline": 0.2}),
    }[where]
    api = IpernityAPI("key", "secret", "a-members-token", url=url, retries=0, **options)  # type: ignore[arg-type]

    error = failure(api)

    assert isinstance(error, TransportError)
    assert chain(error) == [error]
    assert "api_sig" not in repr(error.__dict__)
    assert "a-members-token" not in repr(error.__dict__)
