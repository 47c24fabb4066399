"""The example site with IPERNITY_AUTH_METHOD = "oauth", in headless Chromium.

A member logs in through the sandbox's OAuth pages and browses the albums the
site reads over OAuth-signed calls. Then the attack OAuth 1.0 without a
verifier allows (session fixation): an attacker starts a login, keeps its
authorization link and gets a member, who approved the site before, to open
it; her browser goes through at once. With a verifier (the sandbox in OAuth
1.0a mode), the attacker cannot complete that login even when her browser
never reaches the site. Without one (a site that accepted the risk), her
browser's arrival at the callback burns the link for every browser.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from example_app import create_app
from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User

from . import test_browser_journey as journeys
from .test_browser_journey import Page, expect, snap

# The journey's fresh headless Chromium tab, and its skip when Chromium is missing.
page = journeys.page
pytestmark = journeys.pytestmark

#: Seconds any HTTP request of the attacker may take.
HTTP_TIMEOUT = 10

# Numbers the victims of the attack tests: each test's member is new.
_victims = itertools.count(1)


@dataclass(frozen=True)
class OAuthSite:
    """The example site, served, on a sandbox holding alice's album."""

    url: str
    sandbox: Sandbox
    app: App
    alice: User


@contextmanager
def served_site(sandbox: Sandbox, **config: Any) -> Iterator[OAuthSite]:
    """Serve the example site on a free port, its callback URL configured to that port."""
    app = sandbox.add_app("Lightbox", auth="web", callback="http://127.0.0.1:9/callback")
    alice = sandbox.add_user("alice", realname="Alice")
    sandbox.add_album(alice, "Trips", docs=[sandbox.add_doc(alice, "Old town")])
    # Bound first: the site's configuration names its own address.
    server = make_server("127.0.0.1", 0, _not_ready, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    server.app = create_app(
        {
            "SECRET_KEY": "end-to-end oauth",
            "IPERNITY_API_KEY": app.api_key,
            "IPERNITY_API_SECRET": app.api_secret,
            "IPERNITY_API_URL": sandbox.api_url,
            "IPERNITY_AUTH_URL": sandbox.authorize_url,
            "IPERNITY_AUTH_METHOD": "oauth",
            "IPERNITY_CALLBACK_URL": f"{url}/callback",
            **config,
        }
    )
    thread = threading.Thread(target=server.serve_forever, name="oauth-site", daemon=True)
    thread.start()
    try:
        yield OAuthSite(url, sandbox, app, alice)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _not_ready(environ: Any, start_response: Callable[..., Any]) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


@pytest.fixture(scope="module")
def site_with_verifier() -> Iterator[OAuthSite]:
    """The site expecting verifiers, on a sandbox speaking OAuth 1.0a."""
    with (
        Sandbox(oauth_verifier=True) as sandbox,
        sandbox.serve(),
        served_site(sandbox, IPERNITY_OAUTH_VERIFIER=True) as site,
    ):
        yield site


@pytest.fixture(scope="module")
def site_without_verifier() -> Iterator[OAuthSite]:
    """The site that accepted the risk, on a sandbox that sends no verifier, as Ipernity."""
    with (
        Sandbox() as sandbox,
        sandbox.serve(),
        served_site(sandbox, IPERNITY_OAUTH_WITHOUT_VERIFIER=True) as site,
    ):
        yield site


# -- the attacker, a plain HTTP client ----------------------------------------


@pytest.fixture
def attacker() -> Iterator[requests.Session]:
    with requests.Session() as browser:
        yield browser


def start_login(browser: requests.Session, site: str, **headers: str) -> str:
    """Press the site's login button; return the authorization link it leads to."""
    page = browser.get(f"{site}/login", headers=headers, timeout=HTTP_TIMEOUT)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text
    answer = browser.post(
        f"{site}/login",
        data={"csrf_token": found.group(1), "next": "/albums"},
        headers=headers,
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["Location"])


def is_logged_in(browser: requests.Session, site: str) -> bool:
    albums = browser.get(f"{site}/albums", allow_redirects=False, timeout=HTTP_TIMEOUT)
    return albums.status_code == 200


def member_who_approved_before(page: Page, site: OAuthSite) -> None:
    """Sign ``page`` in to the sandbox as a new member who approved the site before.

    A link for an application she approved goes through at once: one click
    on a link is all the attack needs. A member of her own: alice's approval
    would spare alice the consent page in the other tests, in any order.
    """
    victim = site.sandbox.add_user(f"victim{next(_victims)}", realname="Victim")
    site.sandbox.grant(victim, site.app, {"doc": "read"})
    cookies = site.sandbox.signin_cookies(victim)
    page.context.add_cookies(
        [
            {"name": name, "value": value, "url": site.sandbox.base_url}
            for name, value in cookies.items()
        ]
    )


# -- logging in ------------------------------------------------------------------


def test_a_member_logs_in_with_oauth_and_sees_their_albums(
    page: Page, site_with_verifier: OAuthSite
) -> None:
    site = site_with_verifier
    page.goto(site.url + "/")
    page.locator("section.hero").get_by_role("link", name="Log in with Ipernity").click()
    expect(page.locator("body")).to_contain_text("You will approve this site on Ipernity")
    snap(page, "oauth-01-login-button")
    page.get_by_role("button", name="Log in with Ipernity").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Alice", exact=True).click()
    assert page.url.startswith(site.sandbox.oauth_url + "authorize?")
    expect(page.locator("ul.perms")).to_contain_text("doc: read")
    snap(page, "oauth-02-consent")
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site.url + "/albums")
    expect(page.locator(".caption")).to_have_text(["Trips"])
    snap(page, "oauth-03-albums")


# -- the session fixation attack ---------------------------------------------------


def test_with_a_verifier_a_login_link_opened_by_a_member_logs_the_attacker_in_nowhere(
    page: Page, site_with_verifier: OAuthSite, attacker: requests.Session
) -> None:
    site = site_with_verifier
    link = start_login(attacker, site.url)
    member_who_approved_before(page, site)
    # The worst case: her browser never reaches the site (the attacker is faster,
    # or she closed the tab), so nothing on the site's side spends the link.
    reached: list[str] = []

    def closed_tab(route: Any) -> None:
        approval = route.fetch(max_redirects=0)
        reached.append(approval.headers["location"])
        route.fulfill(status=200, content_type="text/html", body="<p>Tab closed</p>")

    page.route(link, closed_tab)
    page.goto(link)
    expect(page.locator("body")).to_contain_text("Tab closed")
    [callback] = reached
    assert "oauth_verifier=" in callback
    # The attacker has the request token, not the verifier her approval gave.
    token = parse_qs(urlsplit(callback).query)["oauth_token"][0]
    refused = attacker.get(
        f"{site.url}/callback",
        params={"oauth_token": token},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    assert refused.status_code == 403
    assert "did not prove this browser approved" in refused.text
    assert not is_logged_in(attacker, site.url)


def test_with_the_risk_accepted_the_members_browser_burns_the_login_link(
    page: Page, site_without_verifier: OAuthSite, attacker: requests.Session
) -> None:
    site = site_without_verifier
    link = start_login(attacker, site.url)
    member_who_approved_before(page, site)
    callbacks: list[str] = []
    page.on(
        "request",
        lambda request: callbacks.append(request.url) if "/callback?" in request.url else None,
    )
    page.goto(link)
    # Her browser reaches the callback: no login of hers, and the link is spent.
    expect(page.locator("body")).to_contain_text("No login was started from this browser")
    snap(page, "oauth-04-burned-link")
    [callback] = callbacks
    refused = attacker.get(callback, allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert refused.status_code == 403
    assert "This login link was already used" in refused.text
    assert not is_logged_in(attacker, site.url)
    page.goto(site.url + "/albums")
    expect(page).not_to_have_url(site.url + "/albums")


def test_the_host_header_of_a_login_does_not_move_the_callback(
    site_without_verifier: OAuthSite, attacker: requests.Session
) -> None:
    site = site_without_verifier
    link = start_login(attacker, site.url, Host="evil.example")
    member = site.sandbox.add_user(f"member{next(_victims)}", realname="Member")
    callback = approve(site.sandbox, member, link)
    assert callback.startswith(site.url + "/callback?oauth_token=")
