"""The transport against hostile servers: trickled, huge and odd answers.

Each test replays an attack from a tiny local server on a real socket: the
call must end in time, without reading the answer whole, as an IpernityError.
"""

from __future__ import annotations

import datetime
import email.utils
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ipernity import InvalidResponse, IpernityAPI, IpernityError, RequestTimeout
from ipernity.transport import MAX_ANSWER_SIZE, retry_after
from tests.scripted_server import Handler, ScriptedServer

OK_BODY = b'{"api": {"status": "ok"}, "hello": {"name": "hi"}}'


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(handler: Handler) -> ScriptedServer:
        servers.append(ScriptedServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


#: Longer than any test's time bound, so that a client the deadline does not
#: protect fails it (and does not hang); short, so that it fails soon.
TRICKLE_FOR = 10.0


def _trickle(conn: socket.socket, stop: threading.Event, data: bytes) -> None:
    """Send ``data`` a byte every half second, then spaces, for :data:`TRICKLE_FOR` s.

    Each byte comes well within any read timeout; an unprotected client would
    wait the whole time (and fail the test's time bound, not hang).
    """
    ends = time.monotonic() + TRICKLE_FOR
    data += b" " * int(TRICKLE_FOR * 2)
    for byte in data:
        if stop.wait(0.5) or time.monotonic() > ends:
            return
        conn.sendall(bytes([byte]))


def trickle_everything(conn: socket.socket, stop: threading.Event) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    _trickle(conn, stop, head + OK_BODY)


def trickle_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    )
    _trickle(conn, stop, OK_BODY)


def client(url: str, **options: object) -> IpernityAPI:
    return IpernityAPI("key", "secret", url=url, **options)  # type: ignore[arg-type]


def test_a_trickling_server_cannot_hold_a_call_past_the_derived_deadline(serve) -> None:
    server = serve(trickle_everything)
    # timeout=(1, 1.5): the deadline is 1 + 2 × 1.5 = 4 s; every read gets a byte in time.
    api = client(server.api_url, timeout=(1, 1.5))
    started = time.monotonic()
    with pytest.raises(RequestTimeout) as caught:
        api.test.hello()
    assert time.monotonic() - started < 4 + 2
    assert "within 4 s" in str(caught.value)
    assert server.connections == 1  # a stalled answer is not asked for again


def test_a_trickled_body_is_a_request_timeout_at_the_configured_deadline(serve) -> None:
    server = serve(trickle_body)
    api = client(server.api_url, timeout=(2, 3), deadline=0.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        api.test.hello()
    assert time.monotonic() - started < 0.5 + 2
    assert server.connections == 1


def test_a_tls_handshake_that_never_comes_ends_at_the_deadline(silent_server: str) -> None:
    # The server accepts and stays silent: the handshake waits for its hello
    # under the connect timeout (8 s) alone, unless the deadline ends it.
    api = client(silent_server.replace("http://", "https://"), timeout=(8, 3), deadline=0.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeout, match=r"within 0\.5 s"):
        api.test.hello()
    assert time.monotonic() - started < 0.5 + 3


def test_a_trickling_server_cannot_hold_an_own_session_reading_the_body(serve) -> None:
    import requests

    server = serve(trickle_body)
    with requests.Session() as http:
        api = client(server.api_url, timeout=(2, 3), deadline=0.5, session=http)
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            api.test.hello()
        assert time.monotonic() - started < 0.5 + 2


def trickle_body_then_close(conn: socket.socket, stop: threading.Event) -> None:
    """Trickle the body of an answer that ends the connection (http.client lets go of it)."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n"
        b"Connection: close\r\n\r\n"
    )
    _trickle(conn, stop, OK_BODY)


def test_a_trickling_server_closing_the_connection_cannot_hold_a_call(serve) -> None:
    api = client(serve(trickle_body_then_close).api_url, timeout=(2, 3), deadline=0.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        api.test.hello()
    assert time.monotonic() - started < 0.5 + 2


def test_a_trickling_server_closing_the_connection_cannot_hold_an_own_session(serve) -> None:
    import requests

    server = serve(trickle_body_then_close)
    with requests.Session() as http:
        api = client(server.api_url, timeout=(2, 3), deadline=0.5, session=http)
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            api.test.hello()
        assert time.monotonic() - started < 0.5 + 2


def test_an_upload_whose_answer_stalls_ends_at_its_deadline(serve, tmp_path) -> None:
    server = serve(trickle_everything)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * 1000)
    # 1 KB of file adds 1000 / 32 KiB s to the deadline of 0.5 s.
    api = client(server.api_url, timeout=(2, 3), deadline=0.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        api.upload.file(file=str(photo))
    assert time.monotonic() - started < 0.5 + 2
    assert server.connections == 1  # POSTs are never retried


def test_a_fast_answer_after_a_stalled_one_still_arrives(serve) -> None:
    calls = []

    def stall_once(conn: socket.socket, stop: threading.Event) -> None:
        calls.append(1)
        if len(calls) == 1:
            trickle_body(conn, stop)
            return
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(OK_BODY)}\r\n\r\n".encode()
        conn.sendall(head + OK_BODY)

    server = serve(stall_once)
    api = client(server.api_url, timeout=(2, 3), deadline=1)
    with pytest.raises(RequestTimeout):
        api.test.hello()
    assert api.test.hello()["hello"]["name"] == "hi"


def _claim_300_mb(
    conn: socket.socket, stop: threading.Event, chunked: bool, sent: list[int] | None = None
) -> None:
    size = 300 * 1024 * 1024
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    conn.sendall(
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\n\r\n".encode()
    )
    block = b'{"api": {"status": "ok"}, "pad": "' + b"x" * (64 * 1024)
    sent = sent if sent is not None else [0]
    while sent[0] < size and not stop.is_set():
        conn.sendall(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
        sent[0] += len(block)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_300_mb_answer_is_refused_without_reading_it(serve, chunked: bool) -> None:
    sent = [0]
    server = serve(lambda conn, stop: _claim_300_mb(conn, stop, chunked, sent))
    api = client(server.api_url, timeout=(2, 10), max_answer_size=1024 * 1024, retries=0)
    tracemalloc.start()
    try:
        with pytest.raises(InvalidResponse) as caught:
            api.test.hello()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "larger than the 1,048,576 bytes" in str(caught.value)
    assert peak < 8 * 1024 * 1024
    server.close()
    assert sent[0] < 100 * 1024 * 1024  # the client hung up early


def test_the_default_limit_refuses_a_claimed_300_mb_at_once(serve) -> None:
    server = serve(lambda conn, stop: _claim_300_mb(conn, stop, chunked=False))
    api = client(server.api_url, timeout=(2, 10))
    with pytest.raises(InvalidResponse, match="larger than"):
        api.test.hello()
    assert MAX_ANSWER_SIZE == 32 * 1024 * 1024


def test_an_answer_within_the_limit_is_read(serve) -> None:
    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Length: {len(OK_BODY)}\r\n\r\n".encode() + OK_BODY
        )

    server = serve(answer)
    api = client(server.api_url, max_answer_size=len(OK_BODY))
    assert api.test.hello()["hello"]["name"] == "hi"


def _padded(size: int) -> bytes:
    """A valid answer of exactly ``size`` bytes."""
    return OK_BODY[:-1] + b" " * (size - len(OK_BODY)) + b"}"


def test_a_chunked_answer_of_exactly_the_limit_is_read(serve) -> None:
    body = _padded(4096)

    def chunked(conn: socket.socket, stop: threading.Event) -> None:
        head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        conn.sendall(head + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))

    api = client(serve(chunked).api_url, max_answer_size=len(body))
    assert api.test.hello()["hello"]["name"] == "hi"


def test_an_answer_of_many_reads_is_read_whole(serve) -> None:
    body = _padded(300 * 1024)

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)

    api = client(serve(answer).api_url)
    assert api.test.hello()["hello"]["name"] == "hi"


def test_an_answer_declaring_more_than_the_limit_is_refused_before_its_body_comes(serve) -> None:
    def declare_and_wait(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n")
        stop.wait(10)

    api = client(serve(declare_and_wait).api_url, max_answer_size=1024, timeout=(1, 2))
    started = time.monotonic()
    with pytest.raises(InvalidResponse, match="larger than the 1,024 bytes"):
        api.test.hello()
    assert time.monotonic() - started < 1


def _send_64_mb(conn: socket.socket, stop: threading.Event, framing: str) -> None:
    conn.sendall(f"HTTP/1.1 200 OK\r\n{framing}\r\n".encode())
    block = b"x" * (1024 * 1024)
    for _ in range(64):
        if stop.is_set():
            return
        conn.sendall(block)


def _peak_memory_of(call: Callable[[], object]) -> int:
    """The most memory ``call`` held at once, in bytes (it must raise InvalidResponse)."""
    tracemalloc.start()
    try:
        with pytest.raises(InvalidResponse, match="larger than"):
            call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_answer_ended_by_closing_is_refused_without_reading_it_whole(serve) -> None:
    # No length and no chunks: the answer ends when the server closes the connection.
    server = serve(lambda conn, stop: _send_64_mb(conn, stop, "Connection: close\r\n"))
    api = client(server.api_url, max_answer_size=1024 * 1024, retries=0)
    assert _peak_memory_of(api.test.hello) < 8 * 1024 * 1024


def _a_post(api: IpernityAPI, method: str, folder: Path) -> Callable[[], object]:
    """A call that posts its parameters, or uploads a small file."""
    if method == "post":
        return lambda: api.doc.set(doc_id=1, title="x")
    photo = folder / "photo.jpg"
    photo.write_bytes(b"\xff\xd8")
    return lambda: api.upload.file(file=str(photo))


@pytest.mark.parametrize("method", ["post", "upload"])
def test_a_huge_answer_to_a_post_is_refused_without_reading_it(
    serve, tmp_path: Path, method: str
) -> None:
    server = serve(lambda conn, stop: _send_64_mb(conn, stop, "Content-Length: 67108864\r\n"))
    api = client(server.api_url, max_answer_size=1024 * 1024)
    assert _peak_memory_of(_a_post(api, method, tmp_path)) < 8 * 1024 * 1024


@pytest.mark.parametrize(("method", "name"), [("post", "doc.set"), ("upload", "upload.file")])
def test_a_post_whose_answer_never_comes_ends_at_the_read_timeout(
    silent_server: str, tmp_path: Path, method: str, name: str
) -> None:
    post = _a_post(client(silent_server, timeout=(1, 0.3), deadline=5), method, tmp_path)
    with pytest.raises(RequestTimeout) as caught:
        post()
    host = silent_server.split("/")[2]
    assert (
        str(caught.value) == f"{name}: no answer from {host} within 1 s (connect) / 0.3 s (read)"
    )
    assert caught.value.method == name


def test_an_upload_gets_a_second_per_32_kib_of_its_file(serve, tmp_path: Path) -> None:
    def answer_late(conn: socket.socket, stop: threading.Event) -> None:
        if not stop.wait(1):
            conn.sendall(
                f"HTTP/1.1 200 OK\r\nContent-Length: {len(OK_BODY)}\r\n\r\n".encode() + OK_BODY
            )

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * (64 * 1024))
    # A deadline of 0.5 s, and 2 s more for the file: the answer after 1 s is in time.
    api = client(serve(answer_late).api_url, timeout=(2, 3), deadline=0.5)
    assert api.upload.file(file=str(photo))["hello"]["name"] == "hi"


def test_a_late_upload_names_the_time_its_file_was_given(serve, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * (32 * 1024 - 2))
    api = client(serve(trickle_body).api_url, timeout=(2, 3), deadline=0.5)
    # The multipart body is a little larger than the file: a little over 1 s more.
    with pytest.raises(RequestTimeout, match=r"within 1\.5\d* s$"):
        api.upload.file(file=str(photo))


def _unavailable(retry_after_value: str) -> Handler:
    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: "
            + retry_after_value.encode()
            + b"\r\n\r\n"
        )

    return answer


@pytest.mark.parametrize(
    "value",
    [
        "²",
        "①",
        "1.5e3",
        "-1",
        "soon",
        "Wed, 99 Foo 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "",
    ],
)
def test_an_odd_retry_after_ends_as_an_ipernity_error(serve, value: str) -> None:
    server = serve(_unavailable(value))
    api = client(server.api_url, retries=1, deadline=10)
    api._transport.backoff = 0.0  # a misread value would wait seconds, past the deadline
    with pytest.raises(InvalidResponse) as caught:
        api.test.hello()
    assert isinstance(caught.value, IpernityError)
    assert caught.value.code == 503
    assert server.connections == 2  # ignored or past: the usual backoff, then one retry


@pytest.mark.parametrize("value", ["9" * 400, "86400", "Fri, 01 Jan 9999 00:00:00 GMT"])
def test_a_retry_after_past_the_deadline_gives_up_at_once(serve, value: str) -> None:
    server = serve(_unavailable(value))
    api = client(server.api_url, retries=3, deadline=5)
    started = time.monotonic()
    with pytest.raises(InvalidResponse):
        api.test.hello()
    assert time.monotonic() - started < 2
    assert server.connections == 1


def test_the_deadline_bounds_the_whole_call_retries_included(serve) -> None:
    def slow_unavailable(conn: socket.socket, stop: threading.Event) -> None:
        if not stop.wait(0.8):
            conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")

    server = serve(slow_unavailable)
    # Five retries at 0.8 s each would take 4.8 s if each attempt had a deadline of its own.
    api = client(server.api_url, retries=5, deadline=2)
    api._transport.backoff = 0.0
    started = time.monotonic()
    with pytest.raises(IpernityError):
        api.test.hello()
    assert time.monotonic() - started < 2 + 0.8
    assert server.connections <= 3


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        (" 12 ", 12.0),
        ("²", None),
        ("1e3", None),
        ("", None),
        ("Mon, 32 Jan 2020", None),
    ],
)
def test_retry_after_reads_seconds_and_ignores_anything_else(
    value: str, seconds: float | None
) -> None:
    assert retry_after(value) == seconds


def test_retry_after_reads_an_http_date_as_the_seconds_until_then() -> None:
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert (retry_after("Fri, 01 Jan 9999 00:00:00 GMT") or 0) > 7000 * 365 * 86400


def test_retry_after_reads_a_date_in_another_zone_in_that_zone() -> None:
    in_an_hour = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=-5)))
    in_an_hour += datetime.timedelta(hours=1)
    assert 3590 < (retry_after(email.utils.format_datetime(in_an_hour)) or 0) <= 3600


def test_retry_after_reads_a_date_without_a_zone_as_utc() -> None:
    in_an_hour = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    # "-0000": the date's zone is not known; HTTP dates are in UTC.
    unzoned = email.utils.format_datetime(in_an_hour).replace("+0000", "-0000")
    assert 3590 < (retry_after(unzoned) or 0) <= 3600


def test_a_deadline_must_be_positive() -> None:
    with pytest.raises(ValueError, match=r"^deadline must be more than 0 seconds$"):
        client("http://127.0.0.1:9/api/", deadline=0)


def test_the_answer_size_limit_must_be_a_byte_at_least() -> None:
    with pytest.raises(ValueError, match=r"^max_answer_size must be at least 1 byte$"):
        client("http://127.0.0.1:9/api/", max_answer_size=0)


def test_an_answer_size_limit_of_one_byte_may_be_set() -> None:
    assert client("http://127.0.0.1:9/api/", max_answer_size=1)._transport.max_answer_size == 1


def test_ended_watches_do_not_pile_up_in_the_watchdog() -> None:
    from ipernity import deadline

    for _ in range(5000):
        with deadline.Watch(deadline.Deadline(3600)):
            pass
    assert len(deadline._WATCHDOG._queue) < 200


@pytest.mark.filterwarnings("ignore:AuthHandler.do_request:DeprecationWarning")
def test_the_0_3_do_request_is_held_to_the_deadline_too(serve) -> None:
    server = serve(trickle_everything)
    api = client(server.api_url, timeout=(2, 3), deadline=0.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        api.auth.do_request(server.api_url + "test.hello/json", "test.hello", {})
    assert time.monotonic() - started < 0.5 + 2


@pytest.mark.filterwarnings("ignore:AuthHandler.do_request:DeprecationWarning")
def test_the_0_3_do_request_refuses_a_huge_answer_and_keeps_an_error_page(serve) -> None:
    server = serve(lambda conn, stop: _claim_300_mb(conn, stop, chunked=True))
    api = client(server.api_url, max_answer_size=1024 * 1024)
    with pytest.raises(InvalidResponse, match="larger than"):
        api.auth.do_request(server.api_url + "test.hello/json", "test.hello", {})

    def unavailable(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy")

    page = serve(unavailable)
    url = page.api_url
    response = client(url).auth.do_request(url + "test.hello/json", "test.hello", {})
    assert (response.status_code, response.text) == (503, "busy")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # 0.3's do_request, on purpose
def test_a_streamed_answer_past_the_limit_is_refused_naming_the_call(serve) -> None:
    # No length to refuse it by: refused as it arrives. Through 0.3's do_request, called by
    # the program itself, the error's method and parameters are the transport's own.
    server = serve(lambda conn, stop: _claim_300_mb(conn, stop, chunked=True))
    api = client(server.api_url, max_answer_size=64 * 1024)
    with pytest.raises(InvalidResponse, match="larger than") as caught:
        api.auth.do_request(server.api_url + "test.echo/json", "test.echo", {"echo": "x"})
    assert caught.value.method == "test.echo"
    assert caught.value.params["echo"] == "x"


def test_a_connection_that_cannot_be_made_ends_at_the_deadline(full_listener: str) -> None:
    # The connect timeout alone would hold the call 5 s.
    api = client(full_listener, timeout=(5, 2), deadline=0.3, retries=3)
    started = time.monotonic()
    with pytest.raises(RequestTimeout, match=r"no complete answer from .* within 0\.3 s$"):
        api.test.hello()
    assert time.monotonic() - started < 0.3 + 1
