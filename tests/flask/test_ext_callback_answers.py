"""Each way a callback fails gets its own status, code and sentence, word for word.

The sentences are what a visitor reads (the JSON body carries the same text as
the page), so they are held exactly; so are the log lines an operator reads.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import SiteFactory, frob_for, session_of
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from ipernity.sandbox import Sandbox, User

JSON = {"Accept": "application/json"}
UNKNOWN_FROB = "999-0123456789abcdef"


def expect(answer: Any, status: int, error: str, sentence: str) -> None:
    assert answer.status_code == status
    assert answer.get_json() == {
        "error": error,
        "message": f"{sentence} Please log in again.",
        "login_url": answer.get_json()["login_url"],
    }
    assert answer.get_json()["login_url"].startswith("/login?")
    assert answer.headers["Cache-Control"] == "no-store"


def test_no_frob(client: FlaskClient) -> None:
    expect(
        client.get("/callback", headers=JSON),
        400,
        "missing_frob",
        "Ipernity's answer carried no login ticket.",
    )


def test_no_login_started(client: FlaskClient) -> None:
    expect(
        client.get(f"/callback?frob={UNKNOWN_FROB}", headers=JSON),
        403,
        "no_pending_login",
        "No login was started from this browser.",
    )


def test_login_timed_out(make_site: SiteFactory, sandbox: Sandbox, alice: User) -> None:
    client = make_site(IPERNITY_LOGIN_TIMEOUT=0.001).test_client()
    frob = frob_for(client, sandbox, alice)
    time.sleep(0.01)  # well past the timeout
    expect(
        client.get(f"/callback?frob={frob}", headers=JSON),
        400,
        "login_timed_out",
        "This login took too long.",
    )


def test_ipernity_too_slow(make_site: SiteFactory, sandbox: Sandbox, alice: User) -> None:
    client = make_site(IPERNITY_TIMEOUT=(2.0, 0.2), IPERNITY_RETRIES=0).test_client()
    frob = frob_for(client, sandbox, alice)
    sandbox.delay_next("auth.getToken", 1.0)
    expect(
        client.get(f"/callback?frob={frob}", headers=JSON),
        504,
        "ipernity_timeout",
        "Ipernity did not answer in time.",
    )


def test_ipernity_unreachable(make_site: SiteFactory, sandbox: Sandbox, alice: User) -> None:
    client = make_site(IPERNITY_RETRIES=0).test_client()
    frob = frob_for(client, sandbox, alice)
    sandbox.fail_next("auth.getToken", drop=True)
    expect(
        client.get(f"/callback?frob={frob}", headers=JSON),
        502,
        "ipernity_unavailable",
        "Ipernity cannot be reached right now.",
    )


def test_frob_rejected_is_logged_with_the_code_only(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    client.get("/login")
    with caplog.at_level(logging.INFO, logger="flask_ipernity"):
        answer = client.get(f"/callback?frob={UNKNOWN_FROB}", headers=JSON)
    expect(
        answer,
        403,
        "frob_rejected",
        "Ipernity did not accept this login; it may have expired.",
    )
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 1
    assert refused[0].startswith("Ipernity refused a login ticket (error ")
    assert refused[0].removeprefix("Ipernity refused a login ticket (error ")[:-1].isdigit()
    assert UNKNOWN_FROB not in caplog.text


def test_another_member(
    app: Flask, client: FlaskClient, sandbox: Sandbox, alice: User, bob: User
) -> None:
    client.get("/login?next=/other-tab")
    client.get(f"/callback?frob={frob_for(client, sandbox, alice)}")
    forged = frob_for(app.test_client(), sandbox, bob)
    expect(
        client.get(f"/callback?frob={forged}", headers=JSON),
        403,
        "another_member",
        "This login was for another member than the one logged in.",
    )


# -- an answer without a usable token --------------------------------------------


@pytest.fixture
def fake_ipernity() -> Iterator[Callable[[Any], str]]:
    """A server answering auth.getToken with the "auth" member given; yields a setter."""
    answers: list[Any] = []

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = {"api": {"status": "ok"}, "auth": answers[-1]}
        assert request.path.endswith("auth.getToken/json")
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def answering(auth: Any) -> str:
        answers.append(auth)
        return f"http://127.0.0.1:{server.server_port}/api/"

    yield answering
    server.shutdown()
    thread.join()


@pytest.mark.parametrize(
    "auth",
    [
        {"user": {"user_id": "1", "username": "x"}},
        {"token": "1-abc"},
        {"token": "", "user": {"user_id": "1"}},
        "1-abc",
    ],
    ids=["no-token", "no-user", "empty-token", "not-a-mapping"],
)
def test_an_answer_without_a_token_and_its_member(
    make_site: SiteFactory, fake_ipernity: Callable[[Any], str], auth: Any
) -> None:
    client = make_site(IPERNITY_API_URL=fake_ipernity(auth)).test_client()
    client.get("/login")
    answer = client.get(f"/callback?frob={UNKNOWN_FROB}", headers=JSON)
    expect(answer, 502, "ipernity_unavailable", "Ipernity gave an unexpected answer.")
    assert "ipernity_token" not in session_of(client)


# -- a member who granted less --------------------------------------------------


def test_granting_less_than_asked_logs_in_with_a_warning(
    client: FlaskClient, sandbox: Sandbox, alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    # Approved from a tab that asked less; the newest login (this tab's) asked more.
    frob = frob_for(client, sandbox, alice, "?perm_doc=read")
    client.get("/login?perm_doc=write")
    with caplog.at_level(logging.WARNING, logger="flask_ipernity"):
        assert client.get(f"/callback?frob={frob}").status_code == 302
    member_id = str(alice.user_id)
    assert [r.getMessage() for r in caplog.records] == [
        f"Member {member_id} granted less than the login asked"
    ]


def test_granting_what_was_asked_logs_no_warning(
    client: FlaskClient, sandbox: Sandbox, alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    frob = frob_for(client, sandbox, alice, "?perm_doc=write")
    with caplog.at_level(logging.WARNING, logger="flask_ipernity"):
        assert client.get(f"/callback?frob={frob}").status_code == 302
    assert caplog.records == []
