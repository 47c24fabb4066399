"""Flask-Ipernity 0.1's names and behaviour still work, each saying what replaces it.

The sites here are configured as 0.1 sites were (``IPERNITY_APP_KEY``/``_SECRET``)
and log in through the sandbox over HTTP, as a member's browser would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cachelib import SimpleCache
from flask import Flask, jsonify, redirect, render_template_string
from flask.testing import FlaskClient
from sites import build_old_site, session_of

from flask_ipernity import Ipernity, api, ipernity, ipernity_auth_required
from flask_ipernity.compat.request_cache import LegacyRequestCache
from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User

OldSite = Callable[..., Flask]


@contextmanager
def one_deprecation(match: str) -> Iterator[None]:
    """Expect exactly one DeprecationWarning in the block, matching ``match``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    found = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(found) == 1, found
    assert re.search(match, found[0]), found[0]


@pytest.fixture
def old_site(sandbox: Sandbox, web_app: App) -> OldSite:
    """Build a site configured as for Flask-Ipernity 0.1: ``old_site(IPERNITY_LOGIN=True)``.

    Its ``/start`` view starts a login with ``ipernity.authorize()`` (``perm_doc``
    and ``next`` from the query), as 0.1 sites did.
    """

    def build(**config: Any) -> Flask:
        site = build_old_site(sandbox, web_app, **config)

        @site.route("/start")
        def start() -> Any:
            from flask import request

            perms = {"doc": request.args["perm_doc"]} if "perm_doc" in request.args else None
            return ipernity.authorize(perms, request.args.get("next"))

        @site.route("/token")
        def token() -> Any:
            return jsonify(ipernity.session_get("token"))

        return site

    return build


def log_in_the_0_1_way(
    client: FlaskClient, sandbox: Sandbox, member: User, query: str = "?perm_doc=read"
) -> Any:
    """Start a login at ``/start``, approve it as ``member``, come back to ``/ipernity/cb``."""
    with pytest.warns(DeprecationWarning, match="authorize"):
        to_ipernity = client.get("/start" + query)
    callback = approve(sandbox, member, to_ipernity.headers["Location"])
    assert urlsplit(callback).path == "/callback"  # web_app's registered callback
    return client.get("/ipernity/cb?" + urlsplit(callback).query)


# -- the settings ----------------------------------------------------------------


def test_a_0_1_configuration_warns_once_naming_each_new_key(
    sandbox: Sandbox, web_app: App
) -> None:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_APP_KEY=web_app.api_key,
        IPERNITY_APP_SECRET=web_app.api_secret,
        IPERNITY_CACHE_MAX_AGE=60,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Ipernity(site)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert caught[0].category is DeprecationWarning
    assert "IPERNITY_APP_KEY -> IPERNITY_API_KEY" in message
    assert "IPERNITY_APP_SECRET -> IPERNITY_API_SECRET" in message
    assert "IPERNITY_CACHE_MAX_AGE -> IPERNITY_CACHE_TTL" in message
    # It points at the site's own line, not at the extension.
    assert caught[0].filename == __file__
    assert site.config["IPERNITY_API_KEY"] == web_app.api_key
    assert site.config["IPERNITY_CACHE_TTL"] == 60


def test_the_new_names_win_over_the_aliases(web_app: App) -> None:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_APP_KEY="old key",
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
    )
    with pytest.warns(DeprecationWarning, match="IPERNITY_APP_KEY"):
        Ipernity(site)
    assert site.config["IPERNITY_API_KEY"] == web_app.api_key


def test_a_current_configuration_gets_no_warning_and_no_0_1_routes(
    sandbox: Sandbox, web_app: App
) -> None:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s", IPERNITY_API_KEY=web_app.api_key, IPERNITY_API_SECRET=web_app.api_secret
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Ipernity(site)
    assert site.test_client().get("/ipernity/cb?frob=1-2").status_code == 404
    assert site.config["IPERNITY_PERMISSIONS"] == {"doc": "read"}


def test_a_0_1_site_asks_no_permission_by_default(old_site: OldSite) -> None:
    client = old_site().test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        location = client.get("/start").headers["Location"]
    assert not [name for name in parse_qs(urlsplit(location).query) if name.startswith("perm_")]


def test_members_logged_in_with_0_1_stay_logged_in(
    old_site: OldSite, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    site = old_site(IPERNITY_SESSION_PREFIX="mysite_")
    with pytest.warns(DeprecationWarning, match="ipernity_auth_required"):

        @site.route("/albums")
        @ipernity_auth_required()
        def albums() -> str:
            return "your albums"

    client = site.test_client()
    with client.session_transaction() as session:
        # What 0.1 kept: auth.getToken's whole answer, under its session prefix.
        session["mysite_token"] = sandbox.grant(alice, web_app, {"doc": "read"})
    assert client.get("/albums").text == "your albums"


def test_the_answers_0_1_cached_in_the_session_cookie_leave_it(
    old_site: OldSite, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    client = old_site(IPERNITY_CACHE_REQUESTS=True).test_client()
    with client.session_transaction() as session:
        session["ipernity_token"] = sandbox.grant(alice, web_app, {"doc": "read"})
        # 0.1's cache: key -> (answer, expiry), in the cookie, near the browsers' 4 kB cap.
        session["ipernity_cache"] = {f"doc.get{n}": [{"doc": "x" * 300}, 0] for n in range(10)}
    with pytest.warns(DeprecationWarning, match="session_get"):
        answer = client.get("/token")
    assert answer.json["user"]["username"] == alice.username
    assert "ipernity_cache" not in session_of(client)
    assert len(client.get_cookie("session").value) < 1000  # type: ignore[union-attr]


def test_a_0_1_site_keeps_its_own_login_route(old_site: OldSite) -> None:
    site = old_site()

    @site.route("/login")
    def own_login() -> str:
        return "the site's own login page"

    assert site.test_client().get("/login").text == "the site's own login page"


# -- the callback and ipernity.authorize ---------------------------------------------------


def test_the_0_1_callback_url_completes_a_login(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    client = old_site().test_client()
    answer = log_in_the_0_1_way(client, sandbox, alice, "?perm_doc=read&next=/albums")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/albums"
    token = session_of(client)["ipernity_token"]
    assert token["user"]["username"] == alice.username
    assert token["permissions"]["doc"] == "read"


def test_the_0_1_callback_refuses_a_login_this_browser_did_not_start(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site()
    attacker, victim = site.test_client(), site.test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        to_ipernity = attacker.get("/start?perm_doc=read")
    frob_query = urlsplit(approve(sandbox, alice, to_ipernity.headers["Location"])).query
    assert victim.get("/ipernity/cb?" + frob_query).status_code == 403
    assert "ipernity_token" not in session_of(victim)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Referer": "http://localhost/albums"},
    ],
)
def test_authorize_goes_straight_to_ipernity_from_this_site(
    old_site: OldSite, sandbox: Sandbox, headers: dict[str, str]
) -> None:
    client = old_site().test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        location = client.get("/start?perm_doc=write", headers=headers).headers["Location"]
    assert location.startswith(sandbox.authorize_url + "?")
    assert parse_qs(urlsplit(location).query)["perm_doc"] == ["write"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Referer": "http://[::1/broken"},
    ],
)
def test_authorize_sends_a_visitor_from_another_site_through_the_login_view(
    old_site: OldSite, headers: dict[str, str]
) -> None:
    client = old_site().test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        answer = client.get("/start?perm_doc=write", headers=headers)
    parts = urlsplit(answer.headers["Location"])
    assert parts.path == "/ipernity/login"
    assert parse_qs(parts.query)["perm_doc"] == ["write"]
    assert "ipernity_pending" not in session_of(client)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("http://localhost/albums?page=2", "/albums?page=2"),
        ("/albums", "/albums"),
        ("https://evil.example/albums", "/"),
        ("http://[::1/broken", "/"),
    ],
)
def test_authorize_keeps_a_next_on_this_site_only(
    old_site: OldSite, sandbox: Sandbox, alice: User, next_url: str, expected: str
) -> None:
    client = old_site().test_client()
    query = "?" + urlencode({"perm_doc": "read", "next": next_url})
    answer = log_in_the_0_1_way(client, sandbox, alice, query)
    assert answer.headers["Location"] == expected


def test_the_extension_object_has_0_1_authorize_and_it_warns_once(
    sandbox: Sandbox, web_app: App
) -> None:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
        IPERNITY_AUTH_URL=sandbox.authorize_url,
    )
    extension = Ipernity(site)
    with site.test_request_context("/page"), one_deprecation(r"authorize\(\).*login_url"):
        answer = extension.authorize({"doc": "read"})
    assert answer.headers["Location"].startswith(sandbox.authorize_url)


def test_set_token_completes_the_login_this_session_started(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site(IPERNITY_CALLBACK=False)

    @site.route("/my-callback")
    def my_callback() -> Any:
        ipernity.set_token()
        return redirect(ipernity.session_pop("next_url", "/"))

    client = site.test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        to_ipernity = client.get("/start?perm_doc=read&next=/albums")
    frob_query = urlsplit(approve(sandbox, alice, to_ipernity.headers["Location"])).query
    assert client.get("/ipernity/cb?" + frob_query).status_code == 404
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = client.get("/my-callback?" + frob_query)
    assert [str(w.message).split(" is ")[0] for w in caught] == ["set_token()", "session_pop()"]
    assert answer.headers["Location"] == "/albums"
    assert session_of(client)["ipernity_token"]["user"]["username"] == alice.username


def test_set_token_uses_the_frob_it_is_given(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site(IPERNITY_CALLBACK=False)

    @site.route("/my-callback/<frob>")
    def my_callback(frob: str) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ipernity.set_token(frob)
        return "logged in"

    client = site.test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        to_ipernity = client.get("/start?perm_doc=read")
    frob = parse_qs(urlsplit(approve(sandbox, alice, to_ipernity.headers["Location"])).query)
    # The frob is in the path, not in the query string where the callback looks by default.
    assert client.get(f"/my-callback/{frob['frob'][0]}").text == "logged in"
    assert session_of(client)["ipernity_token"]["user"]["username"] == alice.username


def test_set_token_answers_with_the_callbacks_error_page(
    old_site: OldSite, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    site = old_site()

    @site.route("/my-callback")
    def my_callback() -> str:
        ipernity.set_token()
        return "logged in"

    # A frob this browser did not ask for: another browser's login.
    other = site.test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        to_ipernity = other.get("/start?perm_doc=read")
    frob_query = urlsplit(approve(sandbox, alice, to_ipernity.headers["Location"])).query
    client = site.test_client()
    with pytest.warns(DeprecationWarning, match="set_token"):
        answer = client.get("/my-callback?" + frob_query)
    assert answer.status_code == 403
    assert "No login was started from this browser" in answer.text
    assert "ipernity_token" not in session_of(client)


# -- login CSRF through 0.1's routes ---------------------------------------------------
# An older browser leaving a "no-referrer" page sends no Sec-Fetch-*, Origin or
# Referer: /ipernity/login (or ipernity.authorize()) starts a login at once, and
# the forged callback that follows says nothing of where it comes from either.


def frob_of(site: Flask, sandbox: Sandbox, member: User) -> str:
    """The attacker's frob: he starts a login on the site and approves it as ``member``."""
    with pytest.warns(DeprecationWarning, match="authorize"):
        to_ipernity = site.test_client().get("/start")
    return parse_qs(urlsplit(approve(sandbox, member, to_ipernity.headers["Location"])).query)[
        "frob"
    ][0]


@pytest.mark.parametrize("start", ["/ipernity/login", "/start"])
def test_a_forged_0_1_callback_logs_the_victim_in_as_nobody(
    old_site: OldSite, sandbox: Sandbox, bob: User, start: str
) -> None:
    site = old_site(IPERNITY_LOGIN=True, TESTING=False)
    frob = frob_of(site, sandbox, bob)
    victim = site.test_client()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert victim.get(start).status_code == 302
    answer = victim.get(f"/ipernity/cb?frob={frob}")
    assert answer.headers["Location"] == "/ipernity/login/confirm"
    session = session_of(victim)
    assert "ipernity_token" not in session
    assert "_user_id" not in session


def test_set_token_holds_a_forged_login_for_confirmation(
    old_site: OldSite, sandbox: Sandbox, bob: User
) -> None:
    site = old_site(IPERNITY_CALLBACK=False, TESTING=False)

    @site.route("/my-callback")
    def my_callback() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ipernity.set_token()
            return redirect(ipernity.session_pop("next_url", "/"))

    frob = frob_of(site, sandbox, bob)
    victim = site.test_client()
    with pytest.warns(DeprecationWarning, match="authorize"):
        victim.get("/start")
    answer = victim.get(f"/my-callback?frob={frob}")
    assert answer.headers["Location"].endswith("/ipernity/login/confirm")
    assert "ipernity_token" not in session_of(victim)


# -- the ipernity object ------------------------------------------------------------


def test_ipernity_api_is_the_requests_client_and_warns_once(old_site: OldSite) -> None:
    with old_site().test_request_context(), one_deprecation(r"ipernity\.api.*flask_ipernity\.api"):
        assert ipernity.api is api._get_current_object()  # type: ignore[attr-defined]


def test_the_ipernity_object_is_the_current_applications_extension(old_site: OldSite) -> None:
    for site in (old_site(), old_site()):
        with site.test_request_context(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            assert ipernity.http is site.extensions["ipernity"].http


def test_the_ipernity_object_outside_an_application_fails_and_warns_of_nothing() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError, match="application context"):
            ipernity.api  # noqa: B018
    assert caught == []


def test_ipernity_permissions_are_what_the_member_granted(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site()

    @site.route("/perms")
    def perms() -> Any:
        return jsonify(extension=ipernity.permissions, client=ipernity.api.permissions)

    client = site.test_client()
    log_in_the_0_1_way(client, sandbox, alice, "?perm_doc=write")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = client.get("/perms").json
    assert answer["extension"]["doc"] == answer["client"]["doc"] == "write"
    # One warning per 0.1 name used, each naming the new way.
    assert [str(w.message).split(" is ")[0] for w in caught] == [
        "ipernity.permissions",
        "ipernity.api",
    ]
    assert "current_extension().permissions" in str(caught[0].message)


def test_session_get_reads_the_visitors_token(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    client = old_site().test_client()
    with pytest.warns(DeprecationWarning, match="session_get"):
        assert client.get("/token").json is None
    log_in_the_0_1_way(client, sandbox, alice)
    with pytest.warns(DeprecationWarning, match="session_get"):
        token = client.get("/token").json
    assert token["user"]["username"] == alice.username
    assert token["token"] == session_of(client)["ipernity_token"]["token"]


def test_session_set_get_and_pop_keep_values_under_the_0_1_prefix(old_site: OldSite) -> None:
    site = old_site(IPERNITY_SESSION_PREFIX="mysite_")
    with site.test_request_context():
        from flask import session

        with one_deprecation(r"session_set\(\)"):
            ipernity.session_set("colour", "blue")
        assert session["mysite_colour"] == "blue"
        with one_deprecation(r"session_get\(\)"):
            assert ipernity.session_get("colour") == "blue"
        with one_deprecation(r"session_pop\(\)"):
            assert ipernity.session_pop("colour") == "blue"
        with pytest.warns(DeprecationWarning, match="session_get"):
            assert ipernity.session_get("colour", "none") == "none"


def test_session_pop_of_the_token_logs_out(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site()

    @site.route("/pop")
    def pop() -> Any:
        return jsonify(ipernity.session_pop("token")["user"]["username"])

    client = site.test_client()
    log_in_the_0_1_way(client, sandbox, alice)
    with pytest.warns(DeprecationWarning, match="session_pop"):
        assert client.get("/pop").json == alice.username
    assert "ipernity_token" not in session_of(client)


def test_ipernity_logout_forgets_the_token_and_the_0_1_session_values(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site()

    @site.route("/old-logout")
    def old_logout() -> str:
        ipernity.session_set("colour", "blue")
        return str(ipernity.logout())

    client = site.test_client()
    log_in_the_0_1_way(client, sandbox, alice)
    with pytest.warns(DeprecationWarning, match="logout"), pytest.warns(match="session_set"):
        assert client.get("/old-logout").text == "True"
    session = session_of(client)
    assert "ipernity_token" not in session
    assert "ipernity_colour" not in session


def test_templates_get_the_0_1_ipernity_object(old_site: OldSite) -> None:
    site = old_site()
    with site.test_request_context(), pytest.warns(DeprecationWarning, match="session_get"):
        assert render_template_string("{{ ipernity.session_get('token', 'nobody') }}") == "nobody"


# -- ipernity_auth_required -----------------------------------------------------------


def test_ipernity_auth_required_warns_once_when_a_view_uses_it(old_site: OldSite) -> None:
    site = old_site()
    with one_deprecation("ipernity_auth_required.*login_required"):

        @site.route("/albums")
        @ipernity_auth_required({"doc": "read"})
        def albums() -> str:
            return "albums"


def test_ipernity_auth_required_sends_a_visitor_to_ipernity_and_back(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site()
    with pytest.warns(DeprecationWarning, match="ipernity_auth_required"):

        @site.route("/albums")
        @ipernity_auth_required({"doc": "write"})
        def albums() -> str:
            return "your albums"

    client = site.test_client()
    to_ipernity = client.get("/albums")
    assert to_ipernity.headers["Location"].startswith(sandbox.authorize_url)
    assert "perm_doc=write" in to_ipernity.headers["Location"]
    callback = approve(sandbox, alice, to_ipernity.headers["Location"])
    back = client.get("/ipernity/cb?" + urlsplit(callback).query)
    assert back.headers["Location"] == "/albums"
    assert client.get("/albums").text == "your albums"


def test_ipernity_auth_required_asks_for_more_when_a_member_granted_less(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site()
    with pytest.warns(DeprecationWarning, match="ipernity_auth_required"):

        @site.route("/edit")
        @ipernity_auth_required({"doc": "write"})
        def edit() -> str:
            return "edit"

    client = site.test_client()
    log_in_the_0_1_way(client, sandbox, alice, "?perm_doc=read")
    assert "perm_doc=write" in client.get("/edit").headers["Location"]


def test_ipernity_auth_required_keeps_its_bare_and_keyword_forms(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    site = old_site(IPERNITY_PERMISSIONS={"doc": "read"})
    with pytest.warns(DeprecationWarning, match="ipernity_auth_required"):

        @site.route("/bare")
        @ipernity_auth_required
        def bare() -> str:
            return "bare"

    with pytest.warns(DeprecationWarning, match="ipernity_auth_required"):

        @site.route("/keywords")
        @ipernity_auth_required(doc="write")
        def keywords() -> str:
            return "keywords"

    client = site.test_client()
    assert "perm_doc=read" in client.get("/bare").headers["Location"]
    log_in_the_0_1_way(client, sandbox, alice, "?perm_doc=read")
    assert client.get("/bare").text == "bare"
    assert "perm_doc=write" in client.get("/keywords").headers["Location"]


# -- Flask-Login (IPERNITY_LOGIN) ---------------------------------------------------------


@pytest.fixture
def login_site(old_site: OldSite) -> Flask:
    """A 0.1 site with Flask-Login, as 0.1 set it up."""
    from flask_login import current_user

    site = old_site(IPERNITY_LOGIN=True)

    @site.route("/user")
    def user() -> Any:
        return jsonify(id=current_user.get_id(), authenticated=current_user.is_authenticated)

    return site


def test_ipernity_login_turns_flask_login_on_with_the_0_1_login_view(login_site: Flask) -> None:
    assert login_site.config["IPERNITY_FLASK_LOGIN"] is True
    assert login_site.login_manager.login_view == "ip_login.login"  # type: ignore[attr-defined]
    with login_site.test_request_context():
        from flask import url_for

        with pytest.warns(DeprecationWarning, match="ip_login.login"):
            assert url_for("ip_login.login") == "/ipernity/login"


def test_the_0_1_login_route_goes_to_ipernity(login_site: Flask, sandbox: Sandbox) -> None:
    answer = login_site.test_client().get("/ipernity/login?next=/albums")
    assert answer.headers["Location"].startswith(sandbox.authorize_url)


def test_the_0_1_login_route_asks_a_visitor_another_site_sent(login_site: Flask) -> None:
    client = login_site.test_client()
    answer = client.get("/ipernity/login", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 200
    assert "<form" in answer.text
    assert "ipernity_pending" not in session_of(client)


def test_a_0_1_login_logs_the_member_into_flask_login(
    login_site: Flask, sandbox: Sandbox, alice: User
) -> None:
    client = login_site.test_client()
    log_in_the_0_1_way(client, sandbox, alice)
    assert client.get("/user").json == {"id": str(alice.user_id), "authenticated": True}


def test_flask_ipernity_login_user_is_the_current_user_class(
    login_site: Flask, sandbox: Sandbox, alice: User
) -> None:
    from flask_login import current_user

    with one_deprecation("flask_ipernity.login.User.*LoginUser"):
        from flask_ipernity.login import User
    client = log_in_client(login_site, sandbox, alice)
    with client:
        client.get("/user")
        assert isinstance(current_user._get_current_object(), User)
        assert current_user.username == alice.username
        assert current_user.realname == "Alice"


def log_in_client(site: Flask, sandbox: Sandbox, member: User) -> FlaskClient:
    client = site.test_client()
    log_in_the_0_1_way(client, sandbox, member)
    return client


def test_the_0_1_logout_route_logs_out_on_a_get_from_this_site(
    login_site: Flask, sandbox: Sandbox, alice: User
) -> None:
    client = log_in_client(login_site, sandbox, alice)
    own_link = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}
    answer = client.get("/ipernity/logout", headers={**own_link, "Sec-Fetch-Dest": "document"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    assert "ipernity_token" not in session_of(client)
    assert client.get("/user").json["authenticated"] is False


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        # <img src="/ipernity/logout"> in a member's comment on one of the site's pages.
        {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"},
    ],
    ids=["other-site", "image-on-this-site"],
)
def test_the_0_1_logout_route_only_shows_the_form_to_other_sites(
    login_site: Flask, sandbox: Sandbox, alice: User, headers: dict[str, str]
) -> None:
    client = log_in_client(login_site, sandbox, alice)
    answer = client.get("/ipernity/logout", headers=headers)
    assert answer.status_code == 200
    assert "<form" in answer.text
    assert "ipernity_token" in session_of(client)


# -- the request cache (IPERNITY_CACHE_REQUESTS) -----------------------------------------------


def test_the_0_1_request_cache_answers_again_from_the_cache_and_counts(
    old_site: OldSite, sandbox: Sandbox, web_app: App
) -> None:
    site = old_site(IPERNITY_CACHE_REQUESTS=True)

    @site.route("/explore")
    def explore() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return jsonify(ipernity.api.explore.docs.getPopular())

    @site.route("/counts")
    def counts() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return jsonify([ipernity.session_get(n) for n in ("api_calls", "returns_from_cache")])

    client = site.test_client()
    calls_before = _calls(sandbox, web_app)
    first, second = client.get("/explore").json, client.get("/explore").json
    assert first == second
    assert _calls(sandbox, web_app) == calls_before + 1
    assert client.get("/counts").json == [1, 1]


def test_the_0_1_cache_max_age_is_read_when_each_answer_is_stored(old_site: OldSite) -> None:
    timeouts: list[int | None] = []

    class RecordingCache(SimpleCache):
        def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
            timeouts.append(timeout)
            return bool(super().set(key, value, timeout))

    site = old_site(IPERNITY_CACHE_MAX_AGE=900)
    cache = LegacyRequestCache(RecordingCache(), 900)
    site.config["IPERNITY_CACHE_MAX_AGE"] = 5  # after setup, as 0.1 allowed
    with site.test_request_context():
        cache.set("ipernity:call:x", "{}", 900)
        cache.set("ipernity:gen:x", "1", 0)
    assert timeouts == [5, 0]


def _calls(sandbox: Sandbox, app: App) -> int:
    return sum(1 for call in list(sandbox.calls) if call.params.get("api_key") == app.api_key)


# -- 0.1's modules ---------------------------------------------------------------


def test_flask_ipernity_ext_still_has_0_1_names_and_warns_once() -> None:
    import flask_ipernity

    with one_deprecation(r"flask_ipernity\.ext\.Ipernity.*flask_ipernity\.Ipernity"):
        from flask_ipernity.ext import Ipernity as OldIpernity
    assert OldIpernity is flask_ipernity.Ipernity
    with one_deprecation("default_flask_options"):
        from flask_ipernity.ext import default_flask_options
    assert default_flask_options["IPERNITY_CALLBACK_URL_PREFIX"] == "/ipernity"


def test_flask_ipernity_ext_names_the_current_way_not_another_0_1_name() -> None:
    with one_deprecation(r"ext\.ipernity_auth_required.*use flask_ipernity\.login_required$"):
        from flask_ipernity.ext import ipernity_auth_required as old_decorator
    assert old_decorator is ipernity_auth_required
    with one_deprecation(r"ext\.ipernity is.*use flask_ipernity\.api and .*current_extension"):
        from flask_ipernity.ext import ipernity as old_proxy
    assert old_proxy is ipernity


# -- what importing loads ----------------------------------------------------------


#: Modules a 0.1 site loads only when configured for them.
OPTIONAL = (
    "flask_login",
    "cachelib",
    "flask_ipernity.caching",
    "flask_ipernity.compat.request_cache",
    "flask_ipernity.login",
    "flask_ipernity.login_integration",
)

LOADED = """
import json, sys, warnings
warnings.simplefilter("ignore")
from flask import Flask
from flask_ipernity import Ipernity
site = Flask("site")
site.config.update(SECRET_KEY="s", IPERNITY_APP_KEY="k", IPERNITY_APP_SECRET="s", {extra})
Ipernity(site)
site.test_client().get("/ipernity/cb")
print(json.dumps(sorted(name for name in {optional} if name in sys.modules)))
"""


@pytest.mark.parametrize(
    ("extra", "loaded"),
    [
        ("", []),
        ("IPERNITY_LOGIN=True", ["flask_ipernity.login_integration", "flask_login"]),
        (
            "IPERNITY_CACHE_REQUESTS=True",
            ["cachelib", "flask_ipernity.caching", "flask_ipernity.compat.request_cache"],
        ),
    ],
)
def test_flask_login_and_the_cache_are_loaded_only_when_configured(
    extra: str, loaded: list[str]
) -> None:
    script = LOADED.format(extra=extra, optional=OPTIONAL)
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert json.loads(output) == loaded


# -- a whole 0.1 site, as its authors wrote it ---------------------------------------------

#: What a browser sends when the visitor follows a link or redirect within the site.
OWN_NAVIGATION = {
    "Sec-Fetch-Site": "same-origin",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Dest": "document",
}


def test_a_0_1_site_runs_its_whole_journey_unchanged(
    old_site: OldSite, sandbox: Sandbox, alice: User
) -> None:
    """Flask-Login's protected page, /ipernity/login, Ipernity, /ipernity/cb and back,
    0.1's session_get and decorator, then /ipernity/logout: all with 0.1's names only."""
    from flask_login import current_user, login_required

    site = old_site(IPERNITY_LOGIN=True, IPERNITY_PERMISSIONS={"doc": "read"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        @site.route("/restricted")
        @login_required
        def restricted() -> Any:
            token = ipernity.session_get("token")
            return {"name": current_user.username, "user_id": token["user"]["user_id"]}

        @site.route("/me")
        @ipernity_auth_required({"doc": "read"})
        def me() -> Any:
            return {"name": ipernity.api.user.get()["user"]["username"]}

    client = site.test_client()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        to_login = client.get("/restricted", headers=OWN_NAVIGATION)
        assert urlsplit(to_login.headers["Location"]).path == "/ipernity/login"
        to_ipernity = client.get(to_login.headers["Location"], headers=OWN_NAVIGATION)
        callback = approve(sandbox, alice, to_ipernity.headers["Location"])
        back = client.get("/ipernity/cb?" + urlsplit(callback).query)
        assert back.headers["Location"] == "/restricted"
        assert client.get("/restricted").json == {
            "name": alice.username,
            "user_id": str(alice.user_id),
        }
        assert client.get("/me").json == {"name": alice.username}
        client.get("/ipernity/logout", headers=OWN_NAVIGATION)
        assert client.get("/restricted").status_code == 302
