"""The optional Flask-Login integration: one login, one logout, both ways."""

from __future__ import annotations

import flask_login
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, build_site, calls_from, frob_for, session_of

from flask_ipernity import Ipernity, Member, current_extension
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
    assert client.get("/fl/user").text == f"ipernity:{alice.user_id}"
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


# -- the site's own users -----------------------------------------------------------------


class LocalUser(flask_login.UserMixin):
    """A user of the site's own, such as its administrator."""

    def __init__(self, user_id: str, name: str) -> None:
        self.id = user_id
        self.name = name


def site_with_local_users(
    sandbox: Sandbox, web_app: App, users: dict[str, LocalUser], loader_first: bool = True
) -> Flask:
    """A site with Flask-Login users of its own, loaded by its own user loader.

    :param loader_first: register the site's loader before ``Ipernity(app)``, else after.
    """
    site = Flask(__name__)
    manager = flask_login.LoginManager(site)

    def load_local_user(user_id: str) -> LocalUser | None:
        return users.get(user_id)

    if loader_first:
        manager.user_loader(load_local_user)
    with_flask_login(build_site(sandbox, web_app, IPERNITY_FLASK_LOGIN=True, site=site))
    if not loader_first:
        manager.user_loader(load_local_user)

    @site.route("/fl/name")
    def fl_name() -> str:
        user = flask_login.current_user
        return getattr(user, "name", None) or getattr(user, "username", "anonymous")

    @site.route("/local-login/<user_id>", methods=["POST"])
    def local_login(user_id: str) -> str:
        flask_login.login_user(users[user_id])
        return "logged in"

    return site


@pytest.mark.parametrize("loader_first", [True, False], ids=["loader-first", "loader-after"])
def test_a_member_never_becomes_the_sites_user_of_the_same_id(
    sandbox: Sandbox, web_app: App, login: Login, alice: User, loader_first: bool
) -> None:
    # The site's administrator has the id alice has on Ipernity.
    admin = LocalUser(str(alice.user_id), "the administrator")
    site = site_with_local_users(sandbox, web_app, {admin.id: admin}, loader_first)
    client = site.test_client()
    login(client, alice)
    assert client.get("/fl/name").text == alice.username
    assert client.get("/fl/user").text == f"ipernity:{alice.user_id}"


def test_the_sites_own_users_still_load_with_its_own_loader(
    sandbox: Sandbox, web_app: App
) -> None:
    editor = LocalUser("7", "the editor")
    client = site_with_local_users(sandbox, web_app, {"7": editor}).test_client()
    client.post("/local-login/7")
    assert client.get("/fl/name").text == "the editor"


def test_a_member_logged_in_before_ids_were_namespaced_is_still_the_member(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    # A 1.0 session: Flask-Login holds the member's bare id, beside the token.
    admin = LocalUser(str(alice.user_id), "the administrator")
    site = site_with_local_users(sandbox, web_app, {admin.id: admin})
    client = site.test_client()
    with client.session_transaction() as session:
        session["ipernity_token"] = sandbox.grant(alice, web_app, {"doc": "read"})
        session["_user_id"] = str(alice.user_id)
        session["_fresh"] = True
    assert client.get("/fl/name").text == alice.username


def test_a_site_may_map_members_to_its_own_users(
    sandbox: Sandbox, web_app: App, login: Login, alice: User
) -> None:
    account = LocalUser("42", "Alice's account on the site")
    site = site_with_local_users(sandbox, web_app, {"42": account})
    extension = site.extensions["ipernity"]

    @extension.user_for_member
    def account_of(member: Member) -> LocalUser | None:
        return account if member.user_id == str(alice.user_id) else None

    client = site.test_client()
    login(client, alice)
    assert client.get("/fl/user").text == "42"
    assert client.get("/fl/name").text == "Alice's account on the site"


def test_a_member_the_site_does_not_map_logs_in_as_a_member(
    sandbox: Sandbox, web_app: App, login: Login, bob: User
) -> None:
    site = site_with_local_users(sandbox, web_app, {})
    site.extensions["ipernity"].user_for_member(lambda member: None)
    client = site.test_client()
    login(client, bob)
    assert client.get("/fl/user").text == f"ipernity:{bob.user_id}"


def test_the_ipernity_logout_ends_the_login_of_the_sites_mapped_user(
    sandbox: Sandbox, web_app: App, login: Login, alice: User
) -> None:
    account = LocalUser("42", "Alice's account on the site")
    site = site_with_local_users(sandbox, web_app, {"42": account})
    site.extensions["ipernity"].user_for_member(lambda member: account)
    client = site.test_client()
    login(client, alice)
    page = client.get("/logout").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/fl/user").text == "anonymous"


def test_a_login_held_for_confirmation_logs_nobody_into_flask_login(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    site = with_flask_login(build_site(sandbox, web_app, IPERNITY_FLASK_LOGIN=True, TESTING=False))
    client = site.test_client()
    frob = frob_for(client, sandbox, alice)
    assert client.get(f"/callback?frob={frob}").headers["Location"] == "/login/confirm"
    assert client.get("/fl/user").text == "anonymous"
    assert "_user_id" not in session_of(client)
