"""IPERNITY_AUTH_METHOD = "oauth": logging in with OAuth 1.0, end to end.

The site (a Flask test client) talks to the session's sandbox over HTTP; the
sandbox checks every OAuth signature with oauthlib.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, SiteFactory, session_of

from flask_ipernity import Ipernity, TokenStorage, logged_in
from flask_ipernity.embedded import embedded_sandbox
from flask_ipernity.extension import ConfigurationError
from flask_ipernity.oauth_state import SESSION_KEY
from ipernity.pytest_plugin import approve
from ipernity.sandbox import Sandbox, User


@pytest.fixture
def oauth_site(make_site: SiteFactory) -> Flask:
    return make_site(IPERNITY_AUTH_METHOD="oauth")


def start(client: FlaskClient, query: str = "") -> str:
    """GET /login; return the authorization URL it redirects to."""
    answer = client.get("/login" + query)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return str(answer.headers["Location"])


def come_back(client: FlaskClient, callback_url: str) -> Any:
    parts = urlsplit(callback_url)
    return client.get(parts.path, query_string=parts.query)


def test_login_sends_the_visitor_to_the_oauth_authorization_page(
    oauth_site: Flask, sandbox: Sandbox
) -> None:
    client = oauth_site.test_client()
    location = start(client, "?next=/me")
    assert location.startswith(sandbox.oauth_url + "authorize?")
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {"oauth_token", "perm_doc", "oauth_callback"}
    assert query["oauth_callback"] == ["http://localhost/callback"]
    assert len(session_of(client)[SESSION_KEY]) == 1


def test_the_request_token_secret_stays_out_of_the_browser_url(
    oauth_site: Flask, sandbox: Sandbox
) -> None:
    client = oauth_site.test_client()
    location = start(client)
    secrets_sent = [
        value for name, value in parse_qs(urlsplit(location).query).items() if "secret" in name
    ]
    assert secrets_sent == []


def test_a_member_logs_in_and_calls_the_api_over_oauth(
    oauth_site: Flask, login: Login, alice: User
) -> None:
    client = oauth_site.test_client()
    received: list[dict[str, Any]] = []

    def record(sender: Flask, **extra: Any) -> None:
        received.append(extra)

    with logged_in.connected_to(record, oauth_site):
        answer = login(client, alice, {"doc": "write"}, next_url="/me")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/me"
    assert received[0]["member"].username == alice.username
    stored = session_of(client)["ipernity_token"]
    assert stored["oauth_token_secret"]
    assert client.get("/me").get_json()["member"]["username"] == alice.username
    assert client.get("/me/from-api").get_json() == {"username": alice.username}
    assert client.get("/write").get_data(as_text=True) == "you may write"


def test_each_tab_comes_back_to_its_own_next(
    oauth_site: Flask, sandbox: Sandbox, alice: User
) -> None:
    client = oauth_site.test_client()
    first = approve(sandbox, alice, start(client, "?next=/first"))
    second = approve(sandbox, alice, start(client, "?next=/second"))
    assert come_back(client, second).headers["Location"] == "/second"
    assert come_back(client, first).headers["Location"] == "/first"


def test_a_token_approved_in_another_browser_logs_nobody_in(
    oauth_site: Flask, sandbox: Sandbox, alice: User, bob: User
) -> None:
    attacker, victim = oauth_site.test_client(), oauth_site.test_client()
    # The victim has a login of their own under way: it must not be confused.
    start(victim)
    planted = approve(sandbox, bob, start(attacker))
    answer = come_back(victim, planted)
    assert answer.status_code == 403
    assert "ipernity_token" not in session_of(victim)
    # The attacker's own browser could still complete it: the token is fine.
    assert come_back(attacker, planted).status_code == 302


def test_a_callback_works_once(oauth_site: Flask, sandbox: Sandbox, alice: User) -> None:
    client = oauth_site.test_client()
    callback = approve(sandbox, alice, start(client))
    assert come_back(client, callback).status_code == 302
    assert come_back(client, callback).status_code == 403


def test_a_callback_without_a_token_is_refused(oauth_site: Flask) -> None:
    assert oauth_site.test_client().get("/callback").status_code == 400


def test_a_login_older_than_the_timeout_is_refused(
    make_site: SiteFactory, sandbox: Sandbox, alice: User
) -> None:
    site = make_site(IPERNITY_AUTH_METHOD="oauth", IPERNITY_LOGIN_TIMEOUT=-1)
    client = site.test_client()
    answer = come_back(client, approve(sandbox, alice, start(client)))
    assert answer.status_code == 400
    assert "ipernity_token" not in session_of(client)


def test_a_refused_request_step_is_a_clear_error_page(make_site: SiteFactory) -> None:
    site = make_site(IPERNITY_AUTH_METHOD="oauth", IPERNITY_API_SECRET="not-the-secret")
    answer = site.test_client().get("/login")
    assert answer.status_code == 502
    assert "cannot start a login" in answer.get_data(as_text=True)


class DictStorage(TokenStorage):
    """A custom storage: one visitor, a plain dict."""

    def __init__(self) -> None:
        self.kept: dict[str, Any] | None = None

    def get(self) -> dict[str, Any] | None:
        return self.kept

    def set(self, token: dict[str, Any]) -> None:
        self.kept = token

    def delete(self) -> None:
        self.kept = None


def test_a_custom_storage_keeps_the_token_and_its_secret(
    make_site: SiteFactory, login: Login, alice: User
) -> None:
    storage = DictStorage()
    site = make_site(IPERNITY_AUTH_METHOD="oauth", IPERNITY_TOKEN_STORAGE=storage)
    client = site.test_client()
    login(client, alice)
    assert storage.kept is not None
    assert set(storage.kept) == {"token", "oauth_token_secret", "permissions", "user"}
    assert client.get("/me/from-api").get_json() == {"username": alice.username}


def test_an_unknown_auth_method_is_a_configuration_error(make_site: SiteFactory) -> None:
    with pytest.raises(ConfigurationError, match="IPERNITY_AUTH_METHOD"):
        make_site(IPERNITY_AUTH_METHOD="saml")


def test_the_embedded_sandbox_sets_its_own_oauth_url(login: Login) -> None:
    site = Flask(__name__)
    site.config.update(SECRET_KEY="s", IPERNITY_AUTH_METHOD="oauth")
    Ipernity(site)
    embedded = embedded_sandbox()
    location = site.test_client().get("/login").headers["Location"]
    assert location.startswith(embedded.oauth_url + "authorize?")


def test_a_login_another_site_started_waits_for_the_visitors_click(oauth_site: Flask) -> None:
    client = oauth_site.test_client()
    answer = client.get("/login?next=/me", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 200
    assert SESSION_KEY not in session_of(client)
