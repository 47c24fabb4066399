"""Session cookies verified once: the same cookies accepted and refused as by Flask itself.

Each refusal below is an attack on the remembered cookies: a forged signature
after the genuine cookie was remembered, a cookie past its lifetime or dated in
the future, a cookie signed with a key the site has since dropped, and a
request that changes its session's contents in place hoping the next request
with the same cookie sees the change.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from sites import SiteFactory

from flask_ipernity.sessions import VerifiedCookieSessions, install

LIFETIME = 3600


@pytest.fixture
def site(make_site: SiteFactory) -> Flask:
    app = make_site(PERMANENT_SESSION_LIFETIME=timedelta(seconds=LIFETIME))

    @app.route("/put/<int:number>")
    def put(number: int) -> str:
        session["box"] = {"number": number, "items": []}
        return "put"

    @app.route("/read")
    def read() -> Any:
        return {"box": session.get("box")}

    @app.route("/change-in-place")
    def change_in_place() -> str:
        # Not marked modified: Flask writes no cookie, and the change is lost.
        session["box"]["items"].append("sneaked in")
        return "changed"

    return app


@pytest.fixture
def client(site: Flask) -> FlaskClient:
    return site.test_client()


def box(client: FlaskClient) -> Any:
    return client.get("/read").get_json()["box"]


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def remembered(site: Flask) -> int:
    interface = site.session_interface
    assert isinstance(interface, VerifiedCookieSessions)
    return len(interface._verified)


def test_the_extension_installs_it_over_flasks_default(site: Flask) -> None:
    assert type(site.session_interface) is VerifiedCookieSessions


def test_a_site_can_keep_flasks_own(make_site: SiteFactory) -> None:
    app = make_site(IPERNITY_REUSE_VERIFIED_SESSIONS=False)
    assert type(app.session_interface) is SecureCookieSessionInterface


def test_a_session_interface_of_the_sites_own_is_left_alone() -> None:
    class Own(SecureCookieSessionInterface):
        salt = "own-salt"

    app = Flask(__name__)
    app.session_interface = Own()
    assert not install(app)
    assert type(app.session_interface) is Own


def test_a_cookie_is_verified_once_and_read_from_memory_after(
    site: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get("/put/7")
    assert box(client) == {"number": 7, "items": []}
    assert remembered(site) == 1

    def no_verifying(*args: object, **kwargs: object) -> None:
        raise AssertionError("a remembered cookie was verified again")

    monkeypatch.setattr(VerifiedCookieSessions, "get_signing_serializer", no_verifying)
    assert box(client) == {"number": 7, "items": []}


def test_a_forged_signature_is_refused_after_the_genuine_cookie_was_remembered(
    client: FlaskClient,
) -> None:
    client.get("/put/7")
    genuine = session_cookie(client)
    assert box(client)["number"] == 7
    payload, _, signature = genuine.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]

    client.set_cookie("session", forged)

    assert box(client) is None


def test_a_change_made_in_place_reaches_no_other_request(client: FlaskClient) -> None:
    client.get("/put/7")
    cookie = session_cookie(client)

    client.get("/change-in-place")

    assert session_cookie(client) == cookie  # Flask wrote nothing
    assert box(client) == {"number": 7, "items": []}


def test_a_remembered_cookie_past_its_lifetime_is_refused(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get("/put/7")
    assert box(client)["number"] == 7
    later = time.time() + LIFETIME + 5
    monkeypatch.setattr(time, "time", lambda: later)

    assert box(client) is None


def test_a_remembered_cookie_dated_in_the_future_is_refused(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get("/put/7")
    assert box(client)["number"] == 7
    earlier = time.time() - 120
    monkeypatch.setattr(time, "time", lambda: earlier)

    assert box(client) is None


def test_a_remembered_cookie_is_refused_once_its_key_is_dropped(
    site: Flask, client: FlaskClient
) -> None:
    client.get("/put/7")
    assert box(client)["number"] == 7

    site.secret_key = "a new secret for the tests"

    assert box(client) is None


def test_a_remembered_cookie_is_accepted_under_a_fallback_key(
    site: Flask, client: FlaskClient
) -> None:
    client.get("/put/7")
    assert box(client)["number"] == 7

    site.config["SECRET_KEY_FALLBACKS"] = [site.secret_key]
    site.secret_key = "a new secret for the tests"

    assert box(client)["number"] == 7


def test_cookies_of_flasks_own_sessions_are_read_and_the_other_way_round(
    site: Flask, client: FlaskClient
) -> None:
    # A site upgrading keeps its visitors' sessions, and can go back.
    flask_own = SecureCookieSessionInterface().get_signing_serializer(site)
    assert flask_own is not None
    client.set_cookie("session", flask_own.dumps({"box": {"number": 3, "items": []}}))
    assert box(client)["number"] == 3

    client.get("/put/8")
    assert flask_own.loads(session_cookie(client))["box"]["number"] == 8


def test_only_the_latest_cookies_are_remembered(site: Flask) -> None:
    interface = site.session_interface
    assert isinstance(interface, VerifiedCookieSessions)
    interface.capacity = 3
    clients = [site.test_client() for _ in range(5)]
    for number, client in enumerate(clients):
        client.get(f"/put/{number}")
        assert box(client)["number"] == number

    assert remembered(site) == 3
    # The first ones, forgotten, are verified again and still theirs.
    assert box(clients[0])["number"] == 0


def test_a_login_lives_on_remembered_cookies(
    site: Flask, client: FlaskClient, login: Any, alice: Any
) -> None:
    login(client, alice)
    for _ in range(3):
        answer = client.get("/me")
        assert answer.status_code == 200
        assert answer.get_json()["member"]["username"] == alice.username
