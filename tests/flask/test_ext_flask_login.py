"""The optional Flask-Login integration: one login, one logout, both ways."""

from __future__ import annotations

import flask_login
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, build_site, calls_from, session_of

from flask_ipernity import Ipernity, current_extension
from flask_ipernity.login_integration import LoginUser
from ipernity.sandbox import App, Sandbox, User


def with_flask_login(site: Flask) -> Flask:
    """Add views that use Flask-Login only."""

    @site.route("/fl/user")
    def fl_user() -> str:
        user = flask_login.current_user
        return user.get_id() if user.is_authenticated else "anonymous"

    @site.route("/fl/protected")
    @flask_login.login_required
    def fl_protected() -> str:
        return "protected by Flask-Login"

    @site.route("/fl/logout", methods=["POST"])
    def fl_logout() -> str:
        flask_login.logout_user()
        return "ipernity: " + str(current_extension().is_logged_in)

    return site


@pytest.fixture
def site(sandbox: Sandbox, web_app: App) -> Flask:
    return with_flask_login(build_site(sandbox, web_app, IPERNITY_FLASK_LOGIN=True))


def test_an_ipernity_login_logs_the_member_into_flask_login(
    site: Flask, login: Login, alice: User
) -> None:
    client = site.test_client()
    assert client.get("/fl/user").text == "anonymous"
    login(client, alice)
    assert client.get("/fl/user").text == str(alice.user_id)
    assert client.get("/fl/protected").status_code == 200


def test_the_user_loader_rebuilds_the_member_without_an_api_call(
    site: Flask, login: Login, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    client = site.test_client()
    login(client, alice)
    calls = calls_from(sandbox, web_app)
    with client:
        client.get("/fl/user")
        user = flask_login.current_user._get_current_object()
        assert isinstance(user, LoginUser)
        assert user.username == alice.username
    assert calls_from(sandbox, web_app) == calls


def test_flask_login_sends_visitors_to_the_ipernity_login(site: Flask) -> None:
    answer = site.test_client().get("/fl/protected")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login?")


def test_flask_logins_logout_user_ends_the_ipernity_login(
    site: Flask, login: Login, alice: User
) -> None:
    client = site.test_client()
    login(client, alice)
    assert client.post("/fl/logout").text == "ipernity: False"
    assert "ipernity_token" not in session_of(client)
    assert client.get("/me").status_code == 302


def test_the_ipernity_logout_ends_the_flask_login_login(
    site: Flask, login: Login, alice: User
) -> None:
    client = site.test_client()
    login(client, alice)
    page = client.get("/logout").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/fl/user").text == "anonymous"
    assert "_user_id" not in session_of(client)


def test_a_revoked_token_ends_the_flask_login_login_too(
    site: Flask, login: Login, sandbox: Sandbox, alice: User
) -> None:
    client = site.test_client()
    login(client, alice)
    sandbox.revoke(session_of(client)["ipernity_token"]["token"])
    client.get("/me/from-api")
    assert client.get("/fl/user").text == "anonymous"


def test_an_existing_login_manager_is_used(sandbox: Sandbox, web_app: App) -> None:
    site = Flask(__name__)
    manager = flask_login.LoginManager(site)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
        IPERNITY_FLASK_LOGIN=True,
    )
    Ipernity(site)
    assert site.login_manager is manager  # type: ignore[attr-defined]
    assert manager.login_view == "ipernity.login"


def test_sites_without_the_integration_leave_flask_login_alone(
    client: FlaskClient, app: Flask, login: Login, alice: User
) -> None:
    login(client, alice)
    assert not hasattr(app, "login_manager")
    assert "_user_id" not in session_of(client)
