"""Every way a callback can go wrong: a clear page, a 4xx/5xx, the session kept."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, SiteFactory, calls_from, frob_for, session_of

from flask_ipernity import login_failed
from ipernity.sandbox import App, Sandbox, User


@contextmanager
def failures(app: Flask) -> Iterator[list[str]]:
    """Collect the reasons of the login_failed signals ``app`` sends."""
    reasons: list[str] = []

    def receiver(sender: Flask, reason: str, **extra: Any) -> None:
        reasons.append(reason)

    with login_failed.connected_to(receiver, sender=app):
        yield reasons


def assert_clean_page(body: str, *secrets: str) -> None:
    """The page explains the failure without a traceback or a credential."""
    assert "Traceback" not in body
    assert "Please log in again." in body
    for secret in secrets:
        assert secret not in body


def test_callback_without_a_pending_login_is_refused(
    app: Flask, client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    # Login CSRF: the attacker's own frob, sent to a victim who started no login.
    frob = frob_for(app.test_client(), sandbox, alice)
    with failures(app) as reasons:
        answer = client.get(f"/callback?frob={frob}")
    assert answer.status_code == 403
    assert reasons == ["no_pending_login"]
    assert "ipernity_token" not in session_of(client)
    assert_clean_page(answer.text, frob)


def test_callback_without_a_frob_is_refused_and_keeps_the_pending_login(
    client: FlaskClient,
) -> None:
    client.get("/login")
    before = session_of(client)
    answer = client.get("/callback")
    assert answer.status_code == 400
    assert session_of(client) == before


@pytest.mark.parametrize("frob", ["", "a b", "x" * 300, "\u00e9t\u00e9"])
def test_callback_with_an_empty_or_malformed_frob_is_refused(
    client: FlaskClient, sandbox: Sandbox, web_app: App, frob: str
) -> None:
    client.get("/login")
    calls = calls_from(sandbox, web_app)
    answer = client.get("/callback", query_string={"frob": frob})
    assert answer.status_code == 400
    assert calls_from(sandbox, web_app) == calls


def test_callback_with_a_frob_ipernity_rejects_is_refused(
    app: Flask, client: FlaskClient, web_app: App
) -> None:
    client.get("/login")
    with failures(app) as reasons:
        answer = client.get("/callback?frob=999-0123456789abcdef")
    assert answer.status_code == 403
    assert reasons == ["frob_rejected"]
    assert_clean_page(answer.text, "999-0123456789abcdef", web_app.api_secret)


def test_callback_with_a_frob_already_used_is_refused(
    app: Flask, client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    frob = frob_for(client, sandbox, alice)
    assert client.get(f"/callback?frob={frob}").status_code == 302
    other = app.test_client()
    other.get("/login")
    answer = other.get(f"/callback?frob={frob}")
    assert answer.status_code == 403
    assert "ipernity_token" not in session_of(other)


def test_a_second_callback_of_the_same_login_is_refused(
    app: Flask, client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    frob = frob_for(client, sandbox, alice)
    assert client.get(f"/callback?frob={frob}").status_code == 302
    fresh_frob = frob_for(app.test_client(), sandbox, alice)
    answer = client.get(f"/callback?frob={fresh_frob}")
    assert answer.status_code == 403
    assert "No login was started" in answer.text


def test_a_failed_callback_consumes_its_pending_login(
    client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    client.get("/login")
    client.get("/callback?frob=999-0123456789abcdef")
    frob = frob_for(client.application.test_client(), sandbox, alice)
    assert client.get(f"/callback?frob={frob}").status_code == 403


def test_a_failed_callback_keeps_the_member_logged_in(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    token = session_of(client)["ipernity_token"]
    client.get("/login")
    client.get("/callback?frob=999-0123456789abcdef")
    assert session_of(client)["ipernity_token"] == token
    assert client.get("/me").status_code == 200


def test_a_callback_after_the_login_timeout_is_refused(
    make_site: SiteFactory, sandbox: Sandbox, alice: User
) -> None:
    site = make_site(IPERNITY_LOGIN_TIMEOUT=0.3)
    client = site.test_client()
    started = time.monotonic()
    frob = frob_for(client, sandbox, alice)
    time.sleep(max(0.0, 0.35 - (time.monotonic() - started)))
    with failures(site) as reasons:
        answer = client.get(f"/callback?frob={frob}")
    assert answer.status_code == 400
    assert reasons == ["login_timed_out"]
    assert "ipernity_token" not in session_of(client)


def test_a_pending_login_with_a_forged_signature_is_ignored(
    client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    frob = frob_for(client.application.test_client(), sandbox, alice)
    with client.session_transaction() as session:
        session["ipernity_pending"] = ["eyJzIjoiYWJjIiwibiI6Ii8iLCJwIjp7fSwidCI6MX0.forged"]
    assert client.get(f"/callback?frob={frob}").status_code == 403


def test_ipernity_unreachable_at_the_callback_is_a_502(
    make_site: SiteFactory, sandbox: Sandbox, alice: User
) -> None:
    site = make_site(IPERNITY_RETRIES=0)
    client = site.test_client()
    frob = frob_for(client, sandbox, alice)
    sandbox.fail_next("auth.getToken", drop=True)
    with failures(site) as reasons:
        answer = client.get(f"/callback?frob={frob}")
    assert answer.status_code == 502
    assert reasons == ["ipernity_unavailable"]
    assert "ipernity_token" not in session_of(client)
    assert_clean_page(answer.text, frob)


def test_ipernity_answering_an_error_page_at_the_callback_is_a_502(
    make_site: SiteFactory, sandbox: Sandbox, alice: User
) -> None:
    client = make_site(IPERNITY_RETRIES=0).test_client()
    frob = frob_for(client, sandbox, alice)
    sandbox.fail_next("auth.getToken", http_status=503)
    assert client.get(f"/callback?frob={frob}").status_code == 502


def test_ipernity_too_slow_at_the_callback_is_a_504_within_the_timeout(
    make_site: SiteFactory, sandbox: Sandbox, alice: User
) -> None:
    client = make_site(IPERNITY_TIMEOUT=(2.0, 0.3), IPERNITY_RETRIES=0).test_client()
    frob = frob_for(client, sandbox, alice)
    sandbox.latency = 1.0
    started = time.monotonic()
    answer = client.get(f"/callback?frob={frob}")
    assert answer.status_code == 504
    assert time.monotonic() - started < 0.9
    assert "ipernity_token" not in session_of(client)


def test_a_failed_callback_answers_json_to_json_clients(client: FlaskClient) -> None:
    answer = client.get("/callback", headers={"Accept": "application/json"})
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["error"] == "missing_frob"
    assert body["login_url"].startswith("/login?")
