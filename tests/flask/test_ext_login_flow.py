"""The login flow through the test client: /login, Ipernity's page, /callback."""

from __future__ import annotations

import secrets
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, frob_for, session_of

from flask_ipernity import logged_in, login_state
from flask_ipernity.login_state import MAX_PENDING
from flask_ipernity.redirects import MAX_NEXT_LENGTH
from ipernity.sandbox import Sandbox, User


def test_login_redirects_to_the_signed_authorization_link(
    client: FlaskClient, sandbox: Sandbox
) -> None:
    answer = client.get("/login")
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(sandbox.authorize_url + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["perm_doc"] == ["read"]
    assert set(query) == {"api_key", "perm_doc", "api_sig"}


def test_login_records_a_pending_login_in_the_session(client: FlaskClient) -> None:
    client.get("/login?next=/somewhere")
    assert len(session_of(client)["ipernity_pending"]) == 1


def test_login_asks_the_configured_permissions(make_site: Any) -> None:
    site: Flask = make_site(IPERNITY_PERMISSIONS={"doc": "write", "network": "read"})
    location = site.test_client().get("/login").headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["perm_doc"] == ["write"]
    assert query["perm_network"] == ["read"]


def test_login_adds_permissions_asked_in_the_query(client: FlaskClient) -> None:
    location = client.get("/login?perm_blog=write").headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["perm_blog"] == ["write"]
    assert query["perm_doc"] == ["read"]


def test_login_ignores_unknown_targets_and_levels(client: FlaskClient) -> None:
    location = client.get("/login?perm_photo=read&perm_doc=everything").headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert "perm_photo" not in query
    assert query["perm_doc"] == ["read"]


def test_callback_logs_the_member_in_and_goes_to_next(
    client: FlaskClient, login: Login, alice: User
) -> None:
    answer = login(client, alice, next_url="/me")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/me"
    me = client.get("/me").get_json()
    assert me["member"] == {
        "user_id": str(alice.user_id),
        "username": alice.username,
        "realname": "Alice",
    }
    assert me["permissions"]["doc"] == "read"


def test_callback_stores_the_token_mapping_in_the_session(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    token = session_of(client)["ipernity_token"]
    assert set(token) == {"token", "permissions", "user"}
    assert token["user"]["user_id"] == str(alice.user_id)


def test_the_token_carries_the_members_calls(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    assert client.get("/me/from-api").get_json() == {"username": alice.username}


def test_callback_completes_the_newest_pending_login(
    client: FlaskClient, sandbox: Sandbox, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both logins start at the same instant: the order must not come from the clock.
    monkeypatch.setattr(login_state, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    client.get("/login?next=/first")
    frob = frob_for(client, sandbox, alice, "?next=/second")
    assert client.get(f"/callback?frob={frob}").headers["Location"] == "/second"


def test_another_tabs_callback_completes_the_remaining_pending_login(
    client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    first_tab = frob_for(client, sandbox, alice, "?next=/first")
    second_tab = frob_for(client, sandbox, alice, "?next=/second")
    assert client.get(f"/callback?frob={first_tab}").headers["Location"] == "/second"
    assert client.get(f"/callback?frob={second_tab}").headers["Location"] == "/first"
    assert client.get("/me").get_json()["member"]["username"] == alice.username
    assert "ipernity_pending" not in session_of(client)


def test_a_leftover_pending_login_cannot_log_in_another_member(
    app: Flask, client: FlaskClient, sandbox: Sandbox, alice: User, bob: User
) -> None:
    client.get("/login?next=/other-tab")
    client.get(f"/callback?frob={frob_for(client, sandbox, alice)}")
    forged = frob_for(app.test_client(), sandbox, bob)
    answer = client.get(f"/callback?frob={forged}", headers={"Accept": "application/json"})
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "another_member"
    assert client.get("/me").get_json()["member"]["username"] == alice.username


def test_logged_in_signal_names_the_member(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    received: list[dict[str, Any]] = []

    def receiver(sender: Flask, **extra: Any) -> None:
        received.append({"sender": sender, **extra})

    with logged_in.connected_to(receiver, sender=app):
        login(client, alice, {"doc": "write"})
    assert len(received) == 1
    assert received[0]["member"].user_id == str(alice.user_id)
    assert received[0]["permissions"]["doc"] == "write"


def test_a_second_login_asks_no_less_than_already_granted(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice, {"doc": "write"})
    location = client.get("/login").headers["Location"]
    assert parse_qs(urlsplit(location).query)["perm_doc"] == ["write"]


def test_the_session_cookie_stays_far_below_4_kb(
    client: FlaskClient, login: Login, sandbox: Sandbox
) -> None:
    # The worst case: long names, every permission, and as many pending logins
    # as are kept, each with the longest next accepted, random so it won't compress.
    member = sandbox.add_user("m" + secrets.token_hex(20), realname="R" * 120)
    everything = {"doc": "delete", "blog": "delete", "post": "delete", "network": "delete"}
    login(client, member, {**everything, "profile": "write"})
    for _ in range(MAX_PENDING + 2):
        long_next = "/" + secrets.token_urlsafe(MAX_NEXT_LENGTH)[: MAX_NEXT_LENGTH - 1]
        assert client.get("/login", query_string={"next": long_next}).status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert len(cookie.value) < 2048
