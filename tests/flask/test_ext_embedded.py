"""IPERNITY_SANDBOX: with no key, a site runs against an embedded sandbox."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from dataclasses import asdict

import pytest
import requests
from flask import Flask
from sites import Browser, LiveSite, SiteFactory
from werkzeug.serving import make_server

from flask_ipernity import Ipernity, api, current_extension, login_required
from flask_ipernity.callback_url import bound_address
from flask_ipernity.embedded import EmbeddedSandbox, embedded_sandbox
from flask_ipernity.testing import SandboxLogin
from ipernity.pytest_plugin import approve


def keyless_site(**config: object) -> Flask:
    """A site configured with nothing but a secret key (and ``config``)."""
    site = Flask(__name__)
    site.config["SECRET_KEY"] = "s"
    site.config.update(config)
    Ipernity(site)

    @site.route("/me")
    @login_required
    def me() -> dict[str, object]:
        member = current_extension().user
        assert member is not None
        return {"member": asdict(member), "count": api.user.get()["user"]["count"]["docs"]}

    return site


@pytest.fixture
def embedded() -> EmbeddedSandbox:
    return embedded_sandbox()


def test_a_site_without_a_key_logs_in_end_to_end(
    embedded: EmbeddedSandbox, ipernity_login: SandboxLogin
) -> None:
    client = keyless_site().test_client()
    alice = embedded.members[0]
    answer = ipernity_login(client, alice, next_url="/me")
    assert answer.headers["Location"] == "/me"
    me = client.get("/me").get_json()
    assert me["member"]["username"] == "alice"
    assert int(me["count"]) > 0


def test_the_login_goes_to_the_embedded_sandbox(embedded: EmbeddedSandbox) -> None:
    location = keyless_site().test_client().get("/login").headers["Location"]
    assert location.startswith(embedded.auth_url + "?")


def test_the_login_registers_the_sites_own_callback_url(embedded: EmbeddedSandbox) -> None:
    client = keyless_site().test_client()
    authorize_url = client.get("/login", base_url="http://site.test:8123").headers["Location"]
    callback = approve(embedded.sandbox, embedded.members[1], authorize_url)
    assert callback.startswith("http://site.test:8123/callback?frob=")


def test_a_later_requests_host_never_moves_the_callback(embedded: EmbeddedSandbox) -> None:
    client = keyless_site().test_client()
    client.get("/login", base_url="http://site.test:8123")
    # A member on the consent page meanwhile must not have her frob sent elsewhere.
    authorize_url = client.get("/login", headers={"Host": "evil.example"}).headers["Location"]
    callback = approve(embedded.sandbox, embedded.members[0], authorize_url)
    assert callback.startswith("http://site.test:8123/callback?frob=")


def test_server_name_fixes_the_callback_whatever_the_host(embedded: EmbeddedSandbox) -> None:
    site = keyless_site()
    site.config["SERVER_NAME"] = "site.test:8123"
    answer = site.test_client().get("/login", headers={"Host": "evil.example"})
    callback = approve(embedded.sandbox, embedded.members[0], answer.headers["Location"])
    assert callback.startswith("http://site.test:8123/callback?frob=")


def test_each_site_of_the_process_has_its_own_callback(embedded: EmbeddedSandbox) -> None:
    first, second = keyless_site().test_client(), keyless_site().test_client()
    first.get("/login", base_url="http://first.test")
    authorize_url = second.get("/login", base_url="http://second.test").headers["Location"]
    callback = approve(embedded.sandbox, embedded.members[0], authorize_url)
    assert callback.startswith("http://second.test/callback?frob=")


@pytest.mark.parametrize(
    ("configured", "shown"),
    [("Lightbox", "Lightbox"), (None, "Test ext embedded")],
)
def test_the_consent_page_names_the_site(
    embedded: EmbeddedSandbox, configured: str | None, shown: str
) -> None:
    site = keyless_site(IPERNITY_SANDBOX_APP_NAME=configured)
    authorize_url = site.test_client().get("/login").headers["Location"]
    # A member who granted nothing yet sees the consent page.
    newcomer = embedded.sandbox.add_user(f"newcomer-{secrets.token_hex(4)}")
    page = requests.get(
        authorize_url, cookies=embedded.sandbox.signin_cookies(newcomer), timeout=10
    )
    assert f"<h1>{shown} would like to access your account</h1>" in page.text


def test_every_app_of_the_process_shares_one_embedded_sandbox() -> None:
    first, second = keyless_site(), keyless_site()
    locations = [site.test_client().get("/login").headers["Location"] for site in (first, second)]
    assert locations[0].split("?")[0] == locations[1].split("?")[0]
    assert embedded_sandbox() is embedded_sandbox()


def test_the_embedded_sandbox_is_announced_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    keyless_site()
    message = next(r.getMessage() for r in caplog.records if r.name == "flask_ipernity")
    assert "embedded Ipernity sandbox" in message
    assert "alice" in message


def test_a_configured_key_wins_over_the_sandbox() -> None:
    site = Flask(__name__)
    site.config.update(SECRET_KEY="s", IPERNITY_API_KEY="key", IPERNITY_API_SECRET="secret")
    Ipernity(site)
    location = site.test_client().get("/login").headers["Location"]
    assert location.startswith("https://www.ipernity.com/apps/authorize?")


def test_a_site_can_tell_it_runs_on_the_sandbox_and_name_its_members() -> None:
    site = keyless_site()
    with site.test_request_context():
        sandbox = current_extension().sandbox
        assert sandbox is not None
        assert [m.username for m in sandbox.members] == ["alice", "bob"]


def test_a_site_with_a_key_has_no_sandbox(make_site: SiteFactory) -> None:
    with make_site().test_request_context():
        assert current_extension().sandbox is None


@pytest.fixture
def live_keyless_site() -> Iterator[LiveSite]:
    site = keyless_site()
    server = make_server("127.0.0.1", 0, site, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield LiveSite(site, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_site_without_a_key_logs_in_over_http(
    live_keyless_site: LiveSite, embedded: EmbeddedSandbox
) -> None:
    browser = Browser(live_keyless_site, embedded.sandbox)
    try:
        answer = browser.log_in(embedded.members[1], "/login?next=/me")
        assert answer.headers["Location"] == "/me"
        assert browser.get("/me").json()["member"]["username"] == "bob"
    finally:
        browser.close()


def test_the_first_logins_host_header_does_not_pin_the_callback(
    live_keyless_site: LiveSite, embedded: EmbeddedSandbox
) -> None:
    # The very first login of the site, with a Host header of the visitor's choosing.
    first = requests.get(
        live_keyless_site.url + "/login",
        headers={"Host": "evil.example"},
        allow_redirects=False,
        timeout=10,
    )
    callback = approve(embedded.sandbox, embedded.members[0], first.headers["Location"])
    assert callback.startswith(live_keyless_site.url + "/callback?frob=")


@pytest.mark.parametrize(
    ("server_name", "port", "scheme", "address"),
    [
        ("127.0.0.1", "5000", "http", "127.0.0.1:5000"),
        ("0.0.0.0", "5000", "http", "127.0.0.1:5000"),  # noqa: S104 -- what a server reports
        ("::", "8080", "http", "127.0.0.1:8080"),
        ("::1", "8080", "http", "[::1]:8080"),
        ("127.0.0.1", "80", "http", "127.0.0.1"),
        ("localhost", "443", "https", "localhost"),
    ],
)
def test_the_bound_address_is_what_members_browsers_reach(
    server_name: str, port: str, scheme: str, address: str
) -> None:
    environ = {"SERVER_NAME": server_name, "SERVER_PORT": port}
    assert bound_address(environ, scheme) == address
