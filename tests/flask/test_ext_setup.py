"""Setting the extension up: configuration, app factories, one HTTP pool per app."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sites import Login, SiteFactory, build_site, frob_for, session_of

from flask_ipernity import ConfigurationError, Ipernity, api, config, current_extension
from flask_ipernity.storage import TokenMapping
from ipernity.api import DEFAULT_AUTH_URL, DEFAULT_URL
from ipernity.sandbox import App, Sandbox, User


def bare_app(**settings: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="s", IPERNITY_SANDBOX=False, **settings)
    return app


def test_a_missing_api_key_is_an_error_at_startup() -> None:
    with pytest.raises(ConfigurationError, match="IPERNITY_API_KEY"):
        Ipernity(bare_app(IPERNITY_API_SECRET="secret"))


def test_a_missing_api_secret_is_an_error_at_startup() -> None:
    with pytest.raises(ConfigurationError, match="IPERNITY_API_SECRET"):
        Ipernity(bare_app(IPERNITY_API_KEY="key"))


def test_a_missing_secret_key_is_an_error_at_startup() -> None:
    app = bare_app(IPERNITY_API_KEY="key", IPERNITY_API_SECRET="secret")
    app.config["SECRET_KEY"] = None
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        Ipernity(app)


def test_an_unusable_token_storage_is_an_error_at_startup() -> None:
    app = bare_app(
        IPERNITY_API_KEY="key", IPERNITY_API_SECRET="secret", IPERNITY_TOKEN_STORAGE="redis"
    )
    with pytest.raises(ConfigurationError, match="IPERNITY_TOKEN_STORAGE"):
        Ipernity(app)


def test_unset_keys_take_their_documented_defaults() -> None:
    app = bare_app(IPERNITY_API_KEY="key", IPERNITY_API_SECRET="secret")
    Ipernity(app)
    assert app.config["IPERNITY_PERMISSIONS"] == {"doc": "read"}
    assert app.config["IPERNITY_API_URL"] == DEFAULT_URL
    assert app.config["IPERNITY_AUTH_URL"] == DEFAULT_AUTH_URL
    assert app.config["IPERNITY_URL_PREFIX"] == ""
    assert app.config["IPERNITY_LOGIN_TIMEOUT"] == 600
    assert app.config["IPERNITY_TIMEOUT"] == (5.0, 30.0)
    assert app.config["IPERNITY_TOKEN_STORAGE"] == "session"
    assert app.config["IPERNITY_MEDIA_PROXY"] is True
    assert app.config["IPERNITY_FLASK_LOGIN"] is False


def test_every_default_is_documented_in_the_config_module() -> None:
    source = Path(config.__file__).read_text(encoding="utf-8")
    for name in config.DEFAULTS:
        comment = source.split(f"\n{name}:", 1)[0].rstrip().rsplit("\n", 1)[-1]
        assert comment.startswith("#:"), name


def test_changing_a_default_in_one_app_leaves_the_others_alone() -> None:
    first = bare_app(IPERNITY_API_KEY="key", IPERNITY_API_SECRET="secret")
    second = bare_app(IPERNITY_API_KEY="key", IPERNITY_API_SECRET="secret")
    Ipernity(first)
    Ipernity(second)
    first.config["IPERNITY_PERMISSIONS"]["doc"] = "write"
    assert second.config["IPERNITY_PERMISSIONS"] == {"doc": "read"}


def test_the_extension_is_registered_on_the_app(app: Flask) -> None:
    assert isinstance(app.extensions["ipernity"], Ipernity)
    assert {"ipernity.login", "ipernity.callback", "ipernity.logout"} <= set(app.view_functions)


def test_one_extension_object_serves_several_apps_of_a_factory(
    sandbox: Sandbox, web_app: App, login: Login, alice: User, bob: User
) -> None:
    other_app = sandbox.add_app("Other site", auth="web", callback="http://localhost/callback")
    ipernity = Ipernity()
    sites = []
    for registered in (web_app, other_app):
        site = Flask(__name__)
        site.config.update(
            SECRET_KEY="s",
            IPERNITY_API_KEY=registered.api_key,
            IPERNITY_API_SECRET=registered.api_secret,
            IPERNITY_API_URL=sandbox.api_url,
            IPERNITY_AUTH_URL=sandbox.authorize_url,
        )
        ipernity.init_app(site)
        site.add_url_rule("/who", "who", lambda: api.user.get()["user"]["username"])
        sites.append(site)
    clients = [site.test_client() for site in sites]
    for site, registered in zip(sites, (web_app, other_app), strict=True):
        location = site.test_client().get("/login").headers["Location"]
        assert parse_qs(urlsplit(location).query)["api_key"] == [registered.api_key]
    login(clients[0], alice)
    login(clients[1], bob)
    assert clients[0].get("/who").text == alice.username
    assert clients[1].get("/who").text == bob.username


def test_the_url_prefix_moves_the_views(make_site: SiteFactory) -> None:
    site = make_site(IPERNITY_URL_PREFIX="/auth")
    client = site.test_client()
    assert client.get("/auth/login").status_code == 302
    assert client.get("/login").status_code == 404
    with site.test_request_context():
        assert current_extension().login_url(next_url="/x").startswith("/auth/login?")
    assert urlsplit(client.get("/me").headers["Location"]).path == "/auth/login"


def test_the_callback_is_slash_callback_by_default(app: Flask) -> None:
    with app.test_request_context():
        from flask import url_for

        assert url_for("ipernity.callback") == "/callback"


def test_requests_share_the_apps_one_http_pool(
    client: FlaskClient, login: Login, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, alice)
    made: list[requests.Session] = []
    original_init = requests.Session.__init__

    def counting_init(self: requests.Session) -> None:
        made.append(self)
        original_init(self)

    monkeypatch.setattr(requests.Session, "__init__", counting_init)
    for _ in range(3):
        assert client.get("/me/from-api").status_code == 200
    assert made == []


def test_the_request_keeps_one_client_on_g(app: Flask) -> None:
    with app.test_request_context():
        first = current_extension().api
        assert api._get_current_object() is first  # type: ignore[attr-defined]
        assert current_extension().api is first


def test_an_anonymous_visitors_client_carries_no_token(app: Flask) -> None:
    with app.test_request_context():
        assert api.token is None


def test_the_members_client_carries_their_token_and_permissions(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    @app.route("/client")
    def client_view() -> Any:
        return {
            "has_token": api.token is not None,
            "can_write": api.has_permissions({"doc": "write"}),
        }

    login(client, alice, {"doc": "write"})
    assert client.get("/client").get_json() == {"has_token": True, "can_write": True}


def test_templates_know_the_member_and_whether_one_is_logged_in(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    @app.route("/banner")
    def banner() -> str:
        return render_template_string(
            "{% if ipernity_logged_in %}{{ current_member.display_name }}"
            "{% else %}guest{% endif %}"
        )

    assert client.get("/banner").text == "guest"
    login(client, alice)
    assert client.get("/banner").text == "Alice"


def test_the_extension_tells_the_member_and_permissions(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    @app.route("/state")
    def state() -> Any:
        extension = current_extension()
        member = extension.user
        return {
            "logged_in": extension.is_logged_in,
            "username": member.username if member else None,
            "permissions": extension.permissions,
        }

    assert client.get("/state").get_json() == {
        "logged_in": False,
        "username": None,
        "permissions": {},
    }
    login(client, alice, {"network": "read"})
    state_now = client.get("/state").get_json()
    assert state_now["username"] == alice.username
    assert state_now["permissions"]["network"] == "read"


class DictStorage:
    """A token storage keeping every token in one dict, keyed by a cookie-less id."""

    def __init__(self) -> None:
        self.tokens: dict[str, TokenMapping] = {}

    def get(self) -> TokenMapping | None:
        return self.tokens.get("visitor")

    def set(self, token: TokenMapping) -> None:
        self.tokens["visitor"] = token

    def delete(self) -> None:
        self.tokens.pop("visitor", None)


def test_a_custom_token_storage_keeps_the_token_out_of_the_session(
    sandbox: Sandbox, web_app: App, login: Login, alice: User
) -> None:
    storage = DictStorage()
    site = build_site(sandbox, web_app, IPERNITY_TOKEN_STORAGE=storage)
    client = site.test_client()
    login(client, alice)
    assert storage.tokens["visitor"]["user"]["username"] == alice.username
    assert "ipernity_token" not in session_of(client)
    assert client.get("/me").status_code == 200


def test_the_media_proxy_can_be_switched_off(make_site: SiteFactory) -> None:
    site = make_site(IPERNITY_MEDIA_PROXY=False)
    assert "ipernity.media" not in site.view_functions
    assert site.test_client().get("/media/1/240").status_code == 404


def test_using_api_without_the_extension_is_a_clear_error() -> None:
    app = Flask(__name__)
    with app.test_request_context(), pytest.raises(RuntimeError, match="init_app"):
        api.user.get()


def test_the_frob_never_reaches_the_logs(
    client: FlaskClient,
    sandbox: Sandbox,
    web_app: App,
    alice: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    frob = frob_for(client, sandbox, alice)
    client.get(f"/callback?frob={frob}")
    token = session_of(client)["ipernity_token"]["token"]
    client.get("/login")
    client.get("/callback?frob=999-0123456789abcdef")
    ours = [r for r in caplog.records if r.name in ("flask_ipernity", "ipernity")]
    assert ours
    logged = "\n".join(r.getMessage() for r in ours)
    for secret in (frob, token, web_app.api_secret):
        assert secret not in logged
