"""The example site with IPERNITY_AUTH_METHOD = "oauth", in headless Chromium.

A member logs in through the sandbox's OAuth pages, browses the albums the
site reads over OAuth-signed calls, then logs out. A callback URL taken from
another browser's login logs nobody in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from example_app import create_app
from ipernity.pytest_plugin import approve
from ipernity.sandbox import Sandbox, User

from . import test_browser_journey as chromium
from .conftest import serving
from .test_browser_journey import Page, expect, snap

# The journey's fresh headless Chromium tab, and its skip when Chromium is missing.
page = chromium.page
pytestmark = chromium.pytestmark


@pytest.fixture(scope="module")
def oauth_site() -> Iterator[tuple[str, Sandbox, User]]:
    """The example site in OAuth mode on a sandbox holding alice's album."""
    sandbox = Sandbox()
    sandbox.start()
    app = sandbox.add_app("Lightbox", auth="web", callback="http://127.0.0.1:9/callback")
    alice = sandbox.add_user("alice", realname="Alice")
    sandbox.add_album(alice, "Trips", docs=[sandbox.add_doc(alice, "Old town")])
    site = create_app(
        {
            "SECRET_KEY": "end-to-end oauth",
            "IPERNITY_API_KEY": app.api_key,
            "IPERNITY_API_SECRET": app.api_secret,
            "IPERNITY_API_URL": sandbox.api_url,
            "IPERNITY_AUTH_URL": sandbox.authorize_url,
            "IPERNITY_AUTH_METHOD": "oauth",
        }
    )
    with serving(site) as site_url:
        yield site_url, sandbox, alice
    sandbox.close()


def test_a_member_logs_in_with_oauth_and_sees_their_albums(
    page: Page, oauth_site: tuple[str, Sandbox, User]
) -> None:
    site, sandbox, _ = oauth_site
    page.goto(site + "/")
    page.locator("section.hero").get_by_role("link", name="Log in with Ipernity").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Alice", exact=True).click()
    assert page.url.startswith(sandbox.oauth_url + "authorize?")
    expect(page.locator("ul.perms")).to_contain_text("doc: read")
    snap(page, "oauth-01-consent")
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/albums")
    expect(page.locator(".caption")).to_have_text(["Trips"])
    snap(page, "oauth-02-albums")


def test_a_callback_from_another_browser_logs_nobody_in(
    page: Page, oauth_site: tuple[str, Sandbox, User]
) -> None:
    site, sandbox, _ = oauth_site
    # A member of her own: alice's approval would skip the consent page of other tests.
    carol = sandbox.add_user("carol", realname="Carol")
    # Someone else starts a login and gets it approved as carol...
    with requests.Session() as other_browser:
        to_ipernity = other_browser.get(site + "/login", allow_redirects=False, timeout=10)
        planted = approve(sandbox, carol, to_ipernity.headers["Location"])
    # ...and lures this browser to the callback.
    page.goto(site + "/")
    page.goto(planted)
    expect(page.locator("body")).to_contain_text("No login was started from this browser")
    snap(page, "oauth-03-foreign-callback")
    page.goto(site + "/albums")
    # Not logged in: the albums send the visitor to log in first.
    expect(page).not_to_have_url(site + "/albums")
    expect(page.locator("body")).not_to_contain_text("Trips")
