"""The pytest plugin: the fixtures a site's own tests use."""

from __future__ import annotations

from typing import Any

import pytest
from sites import build_site

from flask_ipernity.testing import SandboxLogin
from ipernity import IpernityAPI, pytest_plugin
from ipernity.pytest_plugin import LoginFlowError, consent_form_fields
from ipernity.sandbox import Sandbox

pytest_plugins = ["pytester"]

SITE_TESTS = """
import pytest
from flask import Flask
from flask_ipernity import Ipernity, api, login_required


@pytest.fixture
def app(ipernity_sandbox):
    registered = ipernity_sandbox.add_app("My site", auth="web", callback="http://localhost/callback")
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY=registered.api_key,
        IPERNITY_API_SECRET=registered.api_secret,
        IPERNITY_API_URL=ipernity_sandbox.api_url,
        IPERNITY_AUTH_URL=ipernity_sandbox.authorize_url,
    )
    Ipernity(site)

    @site.route("/albums")
    @login_required
    def albums():
        return {"albums": [a["title"] for a in api.walk_albums(empty=1)]}

    return site


def test_albums_need_a_login(app):
    assert app.test_client().get("/albums").status_code == 302


def test_albums_list_the_members_albums(app, ipernity_sandbox, ipernity_login):
    carol = ipernity_sandbox.add_user("carol")
    ipernity_sandbox.add_album(carol, "Trips")
    client = app.test_client()
    ipernity_login(client, carol)
    assert client.get("/albums").json == {"albums": ["Trips"]}
"""


def test_the_plugin_is_loaded_through_its_entry_point(request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.get_plugin("ipernity") is pytest_plugin


def test_a_sites_own_tests_use_the_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mysite=SITE_TESTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_ipernity_sandbox_is_serving(ipernity_sandbox: Sandbox) -> None:
    registered = ipernity_sandbox.add_app("Script", auth="desktop")
    client = IpernityAPI(registered.api_key, registered.api_secret, url=ipernity_sandbox.api_url)
    assert client.test.echo(echo="ping")["echo"] == "ping"


def test_ipernity_login_runs_the_real_flow(
    ipernity_sandbox: Sandbox, ipernity_login: SandboxLogin
) -> None:
    registered = ipernity_sandbox.add_app("Site", callback="http://localhost/callback")
    site = build_site(ipernity_sandbox, registered)
    member = ipernity_sandbox.add_user("dora", realname="Dora")
    client = site.test_client()
    calls = len(ipernity_sandbox.calls)
    answer = ipernity_login(client, member, {"doc": "write"}, next_url="/write")
    assert answer.headers["Location"] == "/write"
    mine = [c for c in ipernity_sandbox.calls[calls:] if c.params["api_key"] == registered.api_key]
    assert [call.method for call in mine] == ["auth.getToken"]
    assert client.get("/write").text == "you may write"


def test_ipernity_login_takes_the_sites_sandbox_when_given(
    sandbox: Sandbox, make_site: Any, ipernity_login: SandboxLogin
) -> None:
    member = sandbox.add_user("erin_for_the_plugin")
    client = make_site().test_client()
    ipernity_login(client, member, sandbox=sandbox)
    assert client.get("/me").get_json()["member"]["username"] == member.username


def test_ipernity_login_fails_clearly_when_the_site_does_not_redirect(
    sandbox: Sandbox, make_site: Any, ipernity_login: SandboxLogin
) -> None:
    member = sandbox.add_user("frank_for_the_plugin")
    site = make_site()
    site.view_functions["ipernity.login"] = lambda: "no redirect"
    with pytest.raises(LoginFlowError, match="not 302"):
        ipernity_login(site.test_client(), member, sandbox=sandbox)


def test_a_page_without_the_consent_form_is_a_clear_error() -> None:
    with pytest.raises(LoginFlowError, match="consent form"):
        consent_form_fields("<html><form name='other'></form></html>")


def test_the_consent_forms_hidden_fields_are_read() -> None:
    html = (
        '<form name="fa" method="post"><input type="hidden" name="nonce" value="n1">'
        '<input type="submit" name="deny" value="Deny"></form>'
        '<input type="hidden" name="outside" value="x">'
    )
    assert consent_form_fields(html) == {"nonce": "n1"}
