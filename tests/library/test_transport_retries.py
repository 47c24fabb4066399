"""Which failures a call tries again, how often, after how long, and what it logs.

The exchanges go to a tiny local server on a real socket that answers as the
test scripts it; the waits are read from the transport's own choice of delay,
many times over, since its jitter is random.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator

import pytest

from ipernity import InvalidResponse, IpernityAPI, RateLimited, RequestTimeout
from ipernity.transport import Transport
from tests.scripted_server import Handler

from .test_transport_errors import answer
from .test_transport_limits import serve

__all__ = ["serve"]  # the fixture, imported for the tests below

UNAVAILABLE = answer(b"busy", "503 Service Unavailable")


def in_turn(*handlers: Handler) -> Handler:
    """Answer the first connection with the first handler, and so on; then the last, again."""
    served: list[Handler] = []

    def handler(conn: socket.socket, stop: threading.Event) -> None:
        served.append(handlers[min(len(served), len(handlers) - 1)])
        served[-1](conn, stop)

    return handler


def client(url: str, retries: int) -> IpernityAPI:
    api = IpernityAPI("key", "secret", url=url, retries=retries, deadline=10)
    api._transport.backoff = 0.0  # the waits are tested below, on their own
    return api


@pytest.fixture
def transport() -> Iterator[Transport]:
    made = Transport(backoff=0.5, retries=20)
    yield made
    made.close()


def unavailable(retry_after: float | None = None) -> InvalidResponse:
    error = InvalidResponse("httperror", 503, "HTTP 503", "test.echo")
    error.retry_after = retry_after
    return error


def retry_records(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "trying again" in r.getMessage()]


# -- what is tried again, and how often ------------------------------------------------


def test_a_get_failing_every_time_is_tried_once_more_per_retry(serve) -> None:
    server = serve(UNAVAILABLE)
    with pytest.raises(InvalidResponse):
        client(server.api_url, retries=3).test.echo(echo="x")
    assert server.connections == 4


def test_one_retry_is_enough_for_a_passing_failure(serve) -> None:
    server = serve(in_turn(UNAVAILABLE, answer()))
    assert client(server.api_url, retries=1).test.echo(echo="x")["hello"]["name"] == "hi"
    assert server.connections == 2


def test_a_post_answered_with_a_passing_failure_is_not_sent_again(serve) -> None:
    # The service may have done the work already.
    server = serve(UNAVAILABLE)
    with pytest.raises(InvalidResponse):
        client(server.api_url, retries=3).doc.set(doc_id=1, title="Once")
    assert server.connections == 1


def test_a_connection_that_could_not_be_made_is_tried_again(
    full_listener: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ipernity")
    api = IpernityAPI("key", "secret", url=full_listener, retries=1, timeout=(0.2, 1))
    api._transport.backoff = 0.0
    with pytest.raises(RequestTimeout):
        api.test.echo(echo="x")
    assert len(retry_records(caplog)) == 1


def test_an_answer_that_is_not_json_is_not_asked_again(serve) -> None:
    server = serve(answer(b"<html>maintenance</html>"))
    with pytest.raises(InvalidResponse):
        client(server.api_url, retries=3).test.echo(echo="x")
    assert server.connections == 1


def test_a_quota_error_112_is_not_asked_again(serve) -> None:
    server = serve(answer(b'{"api": {"status": "error", "code": "112", "message": "Quota"}}'))
    with pytest.raises(RateLimited) as caught:
        client(server.api_url, retries=3).test.echo(echo="x")
    assert caught.value.code == 112
    assert server.connections == 1


# -- what is logged ---------------------------------------------------------------------


def test_a_retry_is_logged_with_the_method_the_cause_and_the_wait(
    serve, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ipernity")
    server = serve(in_turn(UNAVAILABLE, answer()))
    client(server.api_url, retries=1).test.echo(echo="x")
    assert retry_records(caplog) == [
        "test.echo failed (Error 503 from test.echo: HTTP 503 Service Unavailable instead of "
        "an answer from the Ipernity API); trying again in 0.0 s"
    ]


def test_each_call_is_logged_at_debug_with_its_method_and_masked_parameters(
    serve, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ipernity")
    server = serve(answer())
    IpernityAPI("key", "secret", "a-token", url=server.api_url).test.echo(echo="x")
    calls = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Calling")]
    assert len(calls) == 1
    assert calls[0].startswith("Calling test.echo {")
    assert "'echo': 'x'" in calls[0]
    assert "'api_sig': '***'" in calls[0]
    assert "a-token" not in calls[0]


# -- how long it waits ------------------------------------------------------------------


@pytest.mark.parametrize("attempt", [0, 1, 2, 3])
def test_the_wait_doubles_with_each_retry_give_or_take_half(
    transport: Transport, attempt: int
) -> None:
    base = 0.5 * 2**attempt
    waits = [transport._retry_delay(unavailable(), attempt, post=False) for _ in range(300)]
    assert all(0.5 * base <= wait <= 1.5 * base for wait in waits)
    # Spread over the whole range, so that clients failing together retry apart.
    assert min(waits) < 0.6 * base
    assert max(waits) > 1.4 * base


def test_the_wait_stops_doubling_at_30_seconds(transport: Transport) -> None:
    waits = [transport._retry_delay(unavailable(), 10, post=False) for _ in range(100)]
    assert all(15 <= wait <= 45 for wait in waits)


def test_the_first_wait_is_half_a_second_by_default() -> None:
    default = Transport()
    waits = [default._retry_delay(unavailable(), 0, post=False) for _ in range(100)]
    default.close()
    assert all(0.25 <= wait <= 0.75 for wait in waits)


def test_a_retry_after_longer_than_the_backoff_is_waited(transport: Transport) -> None:
    assert transport._retry_delay(unavailable(retry_after=7), 0, post=False) == 7.0


def test_a_retry_after_is_waited_30_seconds_at_most(transport: Transport) -> None:
    assert transport._retry_delay(unavailable(retry_after=3600), 0, post=False) == 30.0


def test_a_retry_after_shorter_than_the_backoff_leaves_the_backoff(transport: Transport) -> None:
    waits = [transport._retry_delay(unavailable(retry_after=0), 0, post=False) for _ in range(50)]
    assert all(0.25 <= wait <= 0.75 for wait in waits)


def test_a_rate_limit_waits_the_backoff(transport: Transport) -> None:
    limited = RateLimited("error", 113, "Too many calls", "test.echo")
    waits = [transport._retry_delay(limited, 0, post=False) for _ in range(50)]
    assert all(0.25 <= wait <= 0.75 for wait in waits)


def test_a_post_is_never_tried_again(transport: Transport) -> None:
    assert transport._retry_delay(unavailable(), 0, post=True) is None


def test_no_retry_is_left_after_the_last(transport: Transport) -> None:
    assert transport._retry_delay(unavailable(), transport.retries, post=False) is None


# -- settings ---------------------------------------------------------------------------


def test_retries_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match=r"^retries must be 0 or more$"):
        Transport(retries=-1)


def test_no_retry_at_all_may_be_asked_for(serve) -> None:
    server = serve(UNAVAILABLE)
    with pytest.raises(InvalidResponse):
        client(server.api_url, retries=0).test.echo(echo="x")
    assert server.connections == 1
