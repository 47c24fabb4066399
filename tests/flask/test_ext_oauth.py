"""IPERNITY_AUTH_METHOD = "oauth": logging in with OAuth 1.0, end to end.

The site (a Flask test client) talks over HTTP to a sandbox that checks every
OAuth signature with oauthlib: a sandbox speaking OAuth 1.0a (verifiers) for
sites with ``IPERNITY_OAUTH_VERIFIER``, and the session's sandbox, which like
Ipernity sends no verifier, for sites that accepted that risk with
``IPERNITY_OAUTH_WITHOUT_VERIFIER``.
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from sites import Login, build_site, session_of

from flask_ipernity import Ipernity, TokenStorage, current_extension, logged_in
from flask_ipernity.embedded import embedded_sandbox
from flask_ipernity.extension import ConfigurationError
from flask_ipernity.oauth_state import SESSION_KEY
from flask_ipernity.testing import SandboxLogin, login_form_fields
from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User

#: The callback URL the sites configure: the test client's own host.
CALLBACK = "http://localhost/callback"

_serial = itertools.count(1)


def unique_name(name: str) -> str:
    """``name`` made unique within this module's sandbox."""
    return f"{name}{next(_serial)}"


# -- the sites ---------------------------------------------------------------


@pytest.fixture(scope="module")
def verifier_sandbox() -> Iterator[Sandbox]:
    """A sandbox speaking OAuth 1.0a: it confirms callbacks and sends verifiers."""
    sandbox = Sandbox(oauth_verifier=True)
    with sandbox.serve(port=0):
        yield sandbox
    sandbox.close()


@pytest.fixture
def verifier_app(verifier_sandbox: Sandbox) -> App:
    return verifier_sandbox.add_app(
        unique_name("OAuth site "), auth="web", callback="http://127.0.0.1:9/callback"
    )


@pytest.fixture
def carol(verifier_sandbox: Sandbox) -> User:
    return verifier_sandbox.add_user(unique_name("carol"), realname="Carol")


@pytest.fixture
def mallory(verifier_sandbox: Sandbox) -> User:
    return verifier_sandbox.add_user(unique_name("mallory"), realname="Mallory")


def oauth_site(sandbox: Sandbox, app: App, **config: Any) -> Flask:
    settings = {"IPERNITY_AUTH_METHOD": "oauth", "IPERNITY_CALLBACK_URL": CALLBACK, **config}
    return build_site(sandbox, app, **settings)


@pytest.fixture
def site(verifier_sandbox: Sandbox, verifier_app: App) -> Flask:
    """A site that expects verifiers, on the OAuth 1.0a sandbox."""
    return oauth_site(verifier_sandbox, verifier_app, IPERNITY_OAUTH_VERIFIER=True)


@pytest.fixture
def risky_site(sandbox: Sandbox, web_app: App) -> Flask:
    """A site that accepted OAuth without verifiers, on a sandbox that sends none."""
    return oauth_site(sandbox, web_app, IPERNITY_OAUTH_WITHOUT_VERIFIER=True)


# -- helpers -----------------------------------------------------------------


def start(client: FlaskClient, query: str = "", login_path: str = "/login") -> str:
    """Press the login button (GET /login, then its POST); return the authorization URL."""
    page = client.get(login_path + query)
    assert page.status_code == 200, page.get_data(as_text=True)
    fields = login_form_fields(page.get_data(as_text=True), login_path)
    answer = client.post(login_path, data=fields)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return str(answer.headers["Location"])


def come_back(client: FlaskClient, callback_url: str) -> Any:
    parts = urlsplit(callback_url)
    return client.get(parts.path, query_string=parts.query)


def without_verifier(callback_url: str) -> str:
    parts = urlsplit(callback_url)
    token = parse_qs(parts.query)["oauth_token"][0]
    return f"{parts.path}?oauth_token={token}"


def error_of(answer: Any) -> str:
    return str(answer.get_json()["error"])


def request_tokens_of(sandbox: Sandbox, app: App) -> int:
    count: int = sandbox.store.scalar(
        "SELECT COUNT(*) FROM oauth_request_tokens WHERE app_id = ?", (app.app_id,)
    )
    return count


def cookie_text(client: FlaskClient, site: Flask) -> str:
    """All the session cookie shows, as its holder can decode it: pending logins too."""
    cookie = client.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = SecureCookieSessionInterface().get_signing_serializer(site)
    assert serializer is not None
    session = serializer.loads(cookie.value)
    # Reading needs no key: the signature only stops changes.
    pending = [
        URLSafeSerializer("no key needed").loads_unsafe(record)[1]
        for record in session.get(SESSION_KEY, [])
    ]
    return json.dumps({**session, SESSION_KEY: pending})


class UpstreamCalls:
    """Counts the requests a site sends to Ipernity (a hook on its HTTP pool)."""

    def __init__(self, site: Flask) -> None:
        with site.app_context():
            http = current_extension().http
        self.count = 0
        http.hooks["response"].append(self._seen)

    def _seen(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.count += 1


JSON = {"Accept": "application/json"}


# -- starting a login --------------------------------------------------------


def test_login_pages_ask_ipernity_for_nothing_until_the_button_is_pressed(
    site: Flask, verifier_sandbox: Sandbox, verifier_app: App
) -> None:
    client = site.test_client()
    for _ in range(200):
        assert client.get("/login?next=/me").status_code == 200
    assert request_tokens_of(verifier_sandbox, verifier_app) == 0
    start(client)
    assert request_tokens_of(verifier_sandbox, verifier_app) == 1


def test_the_button_sends_the_visitor_to_the_oauth_authorization_page(
    site: Flask, verifier_sandbox: Sandbox
) -> None:
    client = site.test_client()
    location = start(client, "?next=/me")
    assert location.startswith(verifier_sandbox.oauth_url + "authorize?")
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {"oauth_token", "perm_doc", "oauth_callback"}
    assert query["oauth_callback"] == [CALLBACK]
    assert len(session_of(client)[SESSION_KEY]) == 1


def test_the_login_button_needs_the_sessions_csrf_token(
    site: Flask, verifier_sandbox: Sandbox, verifier_app: App
) -> None:
    answer = site.test_client().post("/login", data={"next": "/me"}, headers=JSON)
    assert answer.status_code == 400
    assert error_of(answer) == "bad_csrf_token"
    assert request_tokens_of(verifier_sandbox, verifier_app) == 0


def test_the_host_header_does_not_move_the_callback(
    site: Flask, verifier_sandbox: Sandbox, verifier_app: App, carol: User
) -> None:
    attacker = site.test_client()
    page = attacker.get("/login", base_url="http://evil.example")
    fields = login_form_fields(page.get_data(as_text=True), "/login")
    location = attacker.post("/login", data=fields, base_url="http://evil.example")
    link = str(location.headers["Location"])
    assert parse_qs(urlsplit(link).query)["oauth_callback"] == [CALLBACK]
    assert approve(verifier_sandbox, carol, link).startswith(CALLBACK + "?")


def test_without_a_callback_url_the_callback_is_built_from_server_name(
    verifier_sandbox: Sandbox, verifier_app: App
) -> None:
    site = build_site(
        verifier_sandbox,
        verifier_app,
        IPERNITY_AUTH_METHOD="oauth",
        IPERNITY_OAUTH_VERIFIER=True,
        SERVER_NAME="photos.example",
        PREFERRED_URL_SCHEME="https",
        IPERNITY_URL_PREFIX="/auth",
    )
    link = start(site.test_client(), login_path="/auth/login")
    callback = parse_qs(urlsplit(link).query)["oauth_callback"]
    assert callback == ["https://photos.example/auth/callback"]


def test_the_request_token_secret_stays_out_of_the_browser_url(site: Flask) -> None:
    location = start(site.test_client())
    names = set(parse_qs(urlsplit(location).query))
    assert not any("secret" in name for name in names)


# -- logging in --------------------------------------------------------------


def test_a_member_logs_in_and_calls_the_api_over_oauth(
    site: Flask, ipernity_login: SandboxLogin, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    received: list[dict[str, Any]] = []

    def record(sender: Flask, **extra: Any) -> None:
        received.append(extra)

    with logged_in.connected_to(record, site):
        answer = ipernity_login(
            client, carol, {"doc": "write"}, next_url="/me", sandbox=verifier_sandbox
        )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/me"
    assert received[0]["member"].username == carol.username
    assert client.get("/me").get_json()["member"]["username"] == carol.username
    assert client.get("/me/from-api").get_json() == {"username": carol.username}
    assert client.get("/write").get_data(as_text=True) == "you may write"


def test_each_tab_comes_back_to_its_own_next(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    first = approve(verifier_sandbox, carol, start(client, "?next=/first"))
    second = approve(verifier_sandbox, carol, start(client, "?next=/second"))
    assert come_back(client, second).headers["Location"] == "/second"
    assert come_back(client, first).headers["Location"] == "/first"


def test_the_session_cookie_never_shows_a_token_secret(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    link = start(client)
    request_token = parse_qs(urlsplit(link).query)["oauth_token"][0]
    request_secret = verifier_sandbox.store.scalar(
        "SELECT secret FROM oauth_request_tokens WHERE token = ?", (request_token,)
    )
    assert request_token in cookie_text(client, site)
    assert request_secret not in cookie_text(client, site)
    come_back(client, approve(verifier_sandbox, carol, link))
    access_secret = verifier_sandbox.store.scalar(
        "SELECT oauth_token_secrets.secret FROM oauth_token_secrets JOIN grants"
        " ON grants.token = oauth_token_secrets.token WHERE grants.user_id = ?",
        (carol.user_id,),
    )
    assert access_secret
    assert access_secret not in cookie_text(client, site)
    assert client.get("/me/from-api").get_json() == {"username": carol.username}


def test_a_damaged_sealed_secret_counts_as_no_login(
    site: Flask, ipernity_login: SandboxLogin, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    ipernity_login(client, carol, sandbox=verifier_sandbox)
    with client.session_transaction() as session:
        session["ipernity_token"] = {**session["ipernity_token"], "oauth_token_secret": "gAAAA"}
    assert client.get("/me", headers=JSON).status_code == 401


def test_a_secret_key_rotated_with_a_fallback_keeps_members_logged_in(
    site: Flask, ipernity_login: SandboxLogin, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    ipernity_login(client, carol, sandbox=verifier_sandbox)
    site.config["SECRET_KEY_FALLBACKS"] = [site.secret_key]
    site.secret_key = "the new secret key"
    assert client.get("/me/from-api").get_json() == {"username": carol.username}


def test_a_session_keeps_only_its_three_newest_pending_logins(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    links = [start(client, f"?next=/tab{tab}") for tab in range(4)]
    assert len(session_of(client)[SESSION_KEY]) == 3
    oldest, second = (approve(verifier_sandbox, carol, link) for link in links[:2])
    refused = come_back(client, oldest)
    assert refused.status_code == 403
    assert "No login was started" in refused.get_data(as_text=True)
    assert come_back(client, second).headers["Location"] == "/tab1"


def test_a_member_who_granted_less_than_asked_logs_in_with_a_warning(
    site: Flask, verifier_sandbox: Sandbox, carol: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = site.test_client()
    link = start(client, "?perm_doc=write")
    # The member changed the link (or the service let her choose) before approving.
    lowered = link.replace("perm_doc=write", "perm_doc=read")
    callback = approve(verifier_sandbox, carol, lowered)
    with caplog.at_level(logging.WARNING, logger="flask_ipernity"):
        assert come_back(client, callback).status_code == 302
    assert [r.getMessage() for r in caplog.records] == [
        f"Member {carol.user_id} granted less than the login asked"
    ]


def test_a_completed_login_leaves_no_pending_login_in_the_session(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    answer = come_back(client, approve(verifier_sandbox, carol, start(client)))
    assert answer.status_code == 302
    assert SESSION_KEY not in session_of(client)


def test_a_replayed_callback_is_refused_as_no_pending_login_without_an_upstream_call(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    callback = approve(verifier_sandbox, carol, start(client))
    assert come_back(client, callback).status_code == 302
    upstream = UpstreamCalls(site)
    again = come_back(client, callback)
    assert again.status_code == 403
    assert "No login was started" in again.get_data(as_text=True)
    assert upstream.count == 0


def test_a_copy_of_the_cookie_taken_before_the_callback_cannot_use_it_again(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    link = start(client)
    cookie = client.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    callback = approve(verifier_sandbox, carol, link)
    assert come_back(client, callback).status_code == 302
    copy = site.test_client()
    copy.set_cookie(site.config["SESSION_COOKIE_NAME"], cookie.value)
    upstream = UpstreamCalls(site)
    answer = copy.get(urlsplit(callback).path, query_string=urlsplit(callback).query, headers=JSON)
    assert answer.status_code == 403
    assert error_of(answer) == "login_link_used"
    assert upstream.count == 0


# -- the verifier ------------------------------------------------------------


def test_with_a_verifier_a_login_link_approved_by_a_victim_logs_the_attacker_in_nowhere(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    attacker = site.test_client()
    link = start(attacker)
    # The victim approves the attacker's link; her browser never reaches the callback.
    callback = approve(verifier_sandbox, carol, link)
    upstream = UpstreamCalls(site)
    answer = attacker.get(without_verifier(callback), headers=JSON)
    assert answer.status_code == 403
    assert error_of(answer) == "missing_verifier"
    assert upstream.count == 0
    assert "ipernity_token" not in session_of(attacker)


def test_a_wrong_verifier_is_refused_by_the_service(
    site: Flask, verifier_sandbox: Sandbox, carol: User
) -> None:
    client = site.test_client()
    callback = approve(verifier_sandbox, carol, start(client))
    answer = client.get(without_verifier(callback) + "&oauth_verifier=guessed", headers=JSON)
    assert answer.status_code == 403
    assert error_of(answer) == "token_rejected"
    assert "ipernity_token" not in session_of(client)


def test_a_site_expecting_verifiers_refuses_a_service_that_sends_none(
    sandbox: Sandbox, web_app: App
) -> None:
    site = oauth_site(sandbox, web_app, IPERNITY_OAUTH_VERIFIER=True)
    client = site.test_client()
    page = client.get("/login")
    fields = login_form_fields(page.get_data(as_text=True), "/login")
    answer = client.post("/login", data=fields, headers=JSON)
    assert answer.status_code == 502
    assert SESSION_KEY not in session_of(client)


def test_a_site_that_accepted_the_risk_still_checks_a_verifier_the_service_promised(
    verifier_sandbox: Sandbox, verifier_app: App, carol: User
) -> None:
    site = oauth_site(verifier_sandbox, verifier_app, IPERNITY_OAUTH_WITHOUT_VERIFIER=True)
    attacker = site.test_client()
    callback = approve(verifier_sandbox, carol, start(attacker))
    answer = attacker.get(without_verifier(callback), headers=JSON)
    assert error_of(answer) == "missing_verifier"


# -- without a verifier: the first callback burns the token -------------------


def test_without_a_verifier_the_victims_callback_burns_the_attackers_login_link(
    risky_site: Flask, sandbox: Sandbox, alice: User
) -> None:
    attacker, victim = risky_site.test_client(), risky_site.test_client()
    callback = approve(sandbox, alice, start(attacker))
    assert error_of(victim.get(callback, headers=JSON)) == "no_pending_login"
    upstream = UpstreamCalls(risky_site)
    answer = attacker.get(callback, headers=JSON)
    assert answer.status_code == 403
    assert error_of(answer) == "login_link_used"
    assert upstream.count == 0
    assert "ipernity_token" not in session_of(attacker)


def test_without_a_verifier_a_member_still_logs_in(
    risky_site: Flask, login: Login, alice: User
) -> None:
    client = risky_site.test_client()
    assert login(client, alice, next_url="/me").headers["Location"] == "/me"
    assert client.get("/me/from-api").get_json() == {"username": alice.username}


def test_a_token_approved_in_another_browser_does_not_confuse_a_login_under_way(
    risky_site: Flask, sandbox: Sandbox, alice: User, bob: User
) -> None:
    attacker, victim = risky_site.test_client(), risky_site.test_client()
    start(victim)
    planted = approve(sandbox, bob, start(attacker))
    assert come_back(victim, planted).status_code == 403
    assert "ipernity_token" not in session_of(victim)


# -- failures ----------------------------------------------------------------


def test_a_callback_without_a_token_is_refused(site: Flask) -> None:
    assert site.test_client().get("/callback").status_code == 400


def test_a_login_older_than_the_timeout_is_refused(
    verifier_sandbox: Sandbox, verifier_app: App, carol: User
) -> None:
    site = oauth_site(
        verifier_sandbox, verifier_app, IPERNITY_OAUTH_VERIFIER=True, IPERNITY_LOGIN_TIMEOUT=-1
    )
    client = site.test_client()
    answer = come_back(client, approve(verifier_sandbox, carol, start(client)))
    assert answer.status_code == 400
    assert "ipernity_token" not in session_of(client)


def test_a_refused_request_step_is_a_clear_error_page(
    verifier_sandbox: Sandbox, verifier_app: App
) -> None:
    site = oauth_site(
        verifier_sandbox,
        verifier_app,
        IPERNITY_OAUTH_VERIFIER=True,
        IPERNITY_API_SECRET="not-the-secret",
    )
    client = site.test_client()
    fields = login_form_fields(client.get("/login").get_data(as_text=True), "/login")
    answer = client.post("/login", data=fields)
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
    verifier_sandbox: Sandbox, verifier_app: App, ipernity_login: SandboxLogin, carol: User
) -> None:
    storage = DictStorage()
    site = oauth_site(
        verifier_sandbox,
        verifier_app,
        IPERNITY_OAUTH_VERIFIER=True,
        IPERNITY_TOKEN_STORAGE=storage,
    )
    client = site.test_client()
    ipernity_login(client, carol, sandbox=verifier_sandbox)
    assert storage.kept is not None
    assert set(storage.kept) == {"token", "oauth_token_secret", "permissions", "user"}
    assert client.get("/me/from-api").get_json() == {"username": carol.username}


# -- configuration -----------------------------------------------------------


def test_oauth_without_a_verifier_is_refused_at_start_up(sandbox: Sandbox, web_app: App) -> None:
    with pytest.raises(ConfigurationError) as refused:
        oauth_site(sandbox, web_app)
    message = str(refused.value)
    assert "oauth_verifier" in message
    assert 'IPERNITY_AUTH_METHOD = "frob"' in message
    assert "IPERNITY_OAUTH_WITHOUT_VERIFIER = True" in message


def test_oauth_without_a_configured_callback_is_refused_at_start_up(
    sandbox: Sandbox, web_app: App
) -> None:
    with pytest.raises(ConfigurationError, match="IPERNITY_CALLBACK_URL") as refused:
        build_site(
            sandbox, web_app, IPERNITY_AUTH_METHOD="oauth", IPERNITY_OAUTH_WITHOUT_VERIFIER=True
        )
    assert "Host" in str(refused.value)


def test_oauth_without_its_extra_is_a_configuration_error(
    sandbox: Sandbox, web_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes the import fail, as when the package is missing.
    monkeypatch.setitem(sys.modules, "requests_oauthlib", None)
    with pytest.raises(ConfigurationError, match=r'pip install "Flask-Ipernity\[oauth\]"'):
        oauth_site(sandbox, web_app, IPERNITY_OAUTH_WITHOUT_VERIFIER=True)


def test_an_unknown_auth_method_is_a_configuration_error(sandbox: Sandbox, web_app: App) -> None:
    with pytest.raises(ConfigurationError, match="IPERNITY_AUTH_METHOD"):
        build_site(sandbox, web_app, IPERNITY_AUTH_METHOD="saml")


def test_the_embedded_sandbox_sets_its_own_oauth_url() -> None:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s", IPERNITY_AUTH_METHOD="oauth", IPERNITY_OAUTH_WITHOUT_VERIFIER=True
    )
    Ipernity(site)
    embedded = embedded_sandbox()
    location = start(site.test_client())
    assert location.startswith(embedded.oauth_url + "authorize?")


def test_a_login_another_site_started_waits_for_the_visitors_click(site: Flask) -> None:
    client = site.test_client()
    answer = client.get("/login?next=/me", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 200
    assert "Another site sent you here" in answer.get_data(as_text=True)
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert SESSION_KEY not in session_of(client)
