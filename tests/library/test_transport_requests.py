"""What a call sends, through which session and connection, as a local server receives it.

A tiny server on a real socket records each request (head and body) before it
answers; the proxy tests point the environment or the call at such a server.
"""

from __future__ import annotations

import io
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from ipernity import IpernityAPI, TransportError
from ipernity.deadline import DeadlineAdapter
from ipernity.transport import new_session
from tests.scripted_server import Handler, ScriptedServer, read_request_head

from .test_transport_errors import answer
from .test_transport_limits import OK_BODY


def read_request(conn: socket.socket) -> bytes:
    """Read one whole request: its head, and its body as long as its Content-Length says."""
    head, _, body = read_request_head(conn).partition(b"\r\n\r\n")
    declared = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    length = int(declared.group(1)) if declared else 0
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class RecordingServer(ScriptedServer):
    """Records each request before its handler answers."""

    def __init__(self, handler: Handler) -> None:
        #: Every request received, head and body, in order.
        self.requests: list[bytes] = []
        super().__init__(handler)

    def answer(self, conn: socket.socket) -> None:
        self.requests.append(read_request(conn))
        self.handler(conn, self.stop)


class KeepAliveServer(ScriptedServer):
    """Answers request after request on each connection, until the client closes it."""

    def answer(self, conn: socket.socket) -> None:
        while True:
            read_request_head(conn)
            self.handler(conn, self.stop)


@pytest.fixture
def record() -> Iterator[Callable[[Handler], RecordingServer]]:
    servers: list[RecordingServer] = []

    def start(handler: Handler = answer()) -> RecordingServer:  # noqa: B008 - shared, never changed
        servers.append(RecordingServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def client(url: str, **options: object) -> IpernityAPI:
    return IpernityAPI("key", "secret", url=url, retries=0, **options)  # type: ignore[arg-type]


def header(request: bytes, name: str) -> str | None:
    found = re.search(
        rf"(?im)^{name}:[ \t]*([^\r\n]*)".encode(), request.partition(b"\r\n\r\n")[0]
    )
    return found.group(1).decode() if found else None


# -- what is sent ----------------------------------------------------------------------


def test_a_get_sends_its_parameters_in_the_query(record) -> None:
    server = record()
    client(server.api_url).test.echo(echo="x")
    request_line = server.requests[0].split(b"\r\n")[0]
    assert request_line.startswith(b"GET /api/test.echo/json?")
    assert b"echo=x" in request_line


def test_a_post_sends_its_parameters_in_the_body(record) -> None:
    server = record()
    client(server.api_url).doc.set(doc_id=7, title="Sunset")
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /api/doc.set/json ")
    assert b"title=Sunset" in body
    assert b"doc_id=7" in body


def test_an_upload_is_a_multipart_post_with_the_files_name_and_bytes(
    record, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 the picture")
    server = record()
    client(server.api_url).upload.file(file=str(photo), title="Sunset")
    request = server.requests[0]
    assert request.startswith(b"POST /api/upload.file/json ")
    assert (header(request, "Content-Type") or "").startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="photo.jpg"' in request
    assert b'name="title"\r\n\r\nSunset\r\n' in request
    assert b"\xff\xd8 the picture" in request


def test_a_client_sends_its_calls_through_the_session_it_is_given(record) -> None:
    server = record()
    with requests.Session() as own:
        own.headers["X-Sent-By"] = "the site's own session"
        client(server.api_url, session=own).test.echo(echo="x")
    assert header(server.requests[0], "X-Sent-By") == "the site's own session"


class RecordedAnswers(requests.adapters.BaseAdapter):
    """Answers every request with one recorded answer, read from memory: no connection."""

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        response = requests.Response()
        response.status_code = 200
        response.raw = io.BytesIO(OK_BODY)
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to close."""


def test_a_session_whose_answers_come_without_a_connection_serves_calls() -> None:
    # As a session replaying recorded answers does: the deadline has no connection to watch.
    with requests.Session() as own:
        own.mount("https://", RecordedAnswers())
        answer = client("https://api.example.invalid/api/", session=own).test.hello()
    assert answer["hello"] == {"name": "hi"}


def test_urllib3s_debug_line_still_names_the_request_its_signature_masked(
    record, caplog: pytest.LogCaptureFixture
) -> None:
    server = record()
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    client(server.api_url).test.echo(echo="x")
    lines = [r.getMessage() for r in caplog.records if r.name == "urllib3.connectionpool"]
    assert any(
        '"GET /api/test.echo/json?' in line and "api_sig=***" in line and '" 200 ' in line
        for line in lines
    ), lines


def test_a_urllib3_line_with_named_fields_is_masked_and_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    logging.getLogger("urllib3.connectionpool").debug(
        "asked for %(url)s", {"url": "/api/test.echo/json?echo=x&api_sig=0123abcd"}
    )
    assert caplog.records[-1].getMessage() == "asked for /api/test.echo/json?echo=x&api_sig=***"


def test_the_librarys_session_keeps_no_cookie_a_server_sets(record) -> None:
    # One session serves every visitor of a site: a cookie kept would be shared.
    server = record(answer(OK_BODY, headers="Set-Cookie: visitor=alice; Path=/\r\n"))
    api = client(server.api_url)
    api.test.echo(echo="first")
    api.test.echo(echo="second")
    assert header(server.requests[1], "Cookie") is None
    assert not api._transport.session.cookies


def test_a_session_keeps_a_connection_for_each_of_32_parallel_calls() -> None:
    arrived = threading.Barrier(32, timeout=10)

    def answer_once_all_are_in(conn: socket.socket, stop: threading.Event) -> None:
        arrived.wait()  # all 32 connections are open at once
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(OK_BODY)}\r\n\r\n"
        conn.sendall(head.encode() + OK_BODY)

    server = KeepAliveServer(answer_once_all_are_in)
    api = client(server.api_url)
    try:
        for _ in range(2):
            threads = [
                threading.Thread(target=api.test.echo, kwargs={"echo": "x"}) for _ in range(32)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        api.close()
        server.close()
    # The second round reused the first round's connections, none was dropped.
    assert server.connections == 32


# -- proxies -----------------------------------------------------------------------------

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Sets the proxy variables, in both cases, and clears the others."""

    def use(**values: str) -> None:
        for name in _PROXY_VARIABLES:
            for spelling in (name, name.upper()):
                if name in values:
                    monkeypatch.setenv(spelling, values[name])
                else:
                    monkeypatch.delenv(spelling, raising=False)

    use()
    return use


def test_the_environment_is_read_once_per_host_whatever_the_path(
    record, environment: Callable[..., None], closed_port_url: str
) -> None:
    server = record()
    api = client(server.api_url)
    api.test.echo(echo="first")
    environment(http_proxy=closed_port_url)  # read again, it would send calls nowhere
    api.test.hello()
    assert len(server.requests) == 2


def test_no_proxy_applies_to_each_host_on_its_own(
    record, environment: Callable[..., None], closed_port_url: str
) -> None:
    server = record()
    environment(http_proxy=closed_port_url, no_proxy="127.0.0.1")
    with new_session() as session:
        elsewhere = client(server.api_url.replace("127.0.0.1", "localhost"), session=session)
        with pytest.raises(TransportError):
            # "localhost" is not in no_proxy: through the proxy, which is not there.
            elsewhere.test.hello()
        assert client(server.api_url, session=session).test.echo(echo="x")
    assert len(server.requests) == 1


def test_a_request_with_proxies_of_its_own_goes_through_them(
    record, environment: Callable[..., None]
) -> None:
    target, proxy = record(), record()
    with new_session() as session:
        response = session.get(target.api_url, proxies={"http": proxy.base_url}, timeout=5)
    assert response.status_code == 200
    assert proxy.requests[0].startswith(f"GET {target.api_url} ".encode())
    assert target.requests == []


@pytest.mark.parametrize(
    ("verify", "cert"), [("/etc/ca.pem", None), (None, "/etc/me.pem")], ids=["verify", "cert"]
)
def test_a_requests_own_tls_settings_are_kept_beside_the_environments_proxy(
    environment: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    verify: str | None,
    cert: str | None,
) -> None:
    # Not the settings remembered for the host: those know nothing of this request's.
    environment(https_proxy="http://proxy.example.invalid:3128")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    url = "https://api.example.invalid/api/test.echo/json"
    with new_session() as session:
        settings = session.merge_environment_settings(url, {}, True, verify, cert)
    assert settings == {
        "proxies": {"https": "http://proxy.example.invalid:3128"},
        "stream": True,
        "verify": verify or True,
        "cert": cert,
    }


def test_the_librarys_session_watches_https_connections_from_the_request_on() -> None:
    # The live service is HTTPS: requests' own adapter would leave the wait for the head unwatched.
    with new_session() as session:
        adapter = session.get_adapter("https://api.ipernity.com/api/test.echo/json")
    assert isinstance(adapter, DeadlineAdapter)
