"""The Flask-Ipernity 0.1 names still work, and say what replaces them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, session_of

from flask_ipernity import Ipernity, api, ipernity, ipernity_auth_required
from ipernity.sandbox import App, Sandbox, User


def test_app_key_and_app_secret_are_aliases_that_warn(sandbox: Sandbox, web_app: App) -> None:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_APP_KEY=web_app.api_key,
        IPERNITY_APP_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_AUTH_URL=sandbox.authorize_url,
        IPERNITY_SANDBOX=False,
    )
    with pytest.warns(DeprecationWarning, match="IPERNITY_APP_"):
        Ipernity(site)
    location = site.test_client().get("/login").headers["Location"]
    assert parse_qs(urlsplit(location).query)["api_key"] == [web_app.api_key]


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


def test_ipernity_api_is_the_requests_client_and_warns(app: Flask) -> None:
    with app.test_request_context(), pytest.warns(DeprecationWarning, match="flask_ipernity.api"):
        assert ipernity.api is api._get_current_object()  # type: ignore[attr-defined]


def test_ipernity_authorize_starts_a_login_and_warns(app: Flask) -> None:
    with app.test_request_context(), pytest.warns(DeprecationWarning, match="authorize"):
        answer = ipernity.authorize({"doc": "write"}, "/after")
    parts = urlsplit(answer.headers["Location"])
    assert parts.path == "/login"
    query = parse_qs(parts.query)
    assert query["perm_doc"] == ["write"]
    assert query["next"] == ["/after"]


def test_ipernity_authorize_refuses_a_hostile_next(app: Flask) -> None:
    with app.test_request_context(), pytest.warns(DeprecationWarning, match="authorize"):
        answer = ipernity.authorize({"doc": "read"}, "https://evil.example/")
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["next"] == ["/"]


def test_ipernity_logout_forgets_the_token_and_warns(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    @app.route("/old-logout")
    def old_logout() -> str:
        return str(ipernity.logout())

    login(client, alice)
    with pytest.warns(DeprecationWarning, match="logout"):
        assert client.get("/old-logout").text == "True"
    assert "ipernity_token" not in session_of(client)


def test_ipernity_auth_required_protects_a_view_and_warns(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    with pytest.warns(DeprecationWarning, match="login_required"):

        @app.route("/old")
        @ipernity_auth_required
        def old_view() -> str:
            return "old but protected"

    with pytest.warns(DeprecationWarning, match="login_required"):

        @app.route("/old-write")
        @ipernity_auth_required(doc="write")
        def old_write_view() -> str:
            return "old and writable"

    assert client.get("/old").status_code == 302
    login(client, alice)
    assert client.get("/old").text == "old but protected"
    assert "perm_doc=write" in client.get("/old-write").headers["Location"]
