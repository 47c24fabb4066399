"""Login CSRF replayed in headless Chromium: another site's page sends the
member to the example site's /login, then to /callback with the attacker's
frob. The browser's own Sec-Fetch-Site header is what the site judges.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

import pytest
import requests
from werkzeug.serving import make_server

from ipernity.pytest_plugin import approve
from ipernity.sandbox import User

from .conftest import CHROMIUM, Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no chromium at {CHROMIUM}"),
]

if os.path.exists(CHROMIUM):
    from playwright.sync_api import Page, expect
else:  # pragma: no cover - the module is skipped
    Page = object


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Page:
    """A fresh headless Chromium tab."""
    return new_context().new_page()


@pytest.fixture
def attacker_site() -> Iterator[dict[str, str]]:
    """Another site (``localhost``, not ``127.0.0.1``: cross-site) serving the pages set in it.

    ``attacker_site[path] = html`` serves a page; ``attacker_site["origin"]`` is its origin.
    """
    pages: dict[str, str] = {}

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        body = pages.get(environ["PATH_INFO"], "").encode()
        start_response("200 OK", [("Content-Type", "text/html")])
        return [body]

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages["origin"] = f"http://localhost:{server.server_port}"
    try:
        yield pages
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def redirect_to(url: str) -> str:
    """A page of the attacker's that sends the browser to ``url`` at once."""
    return f"<!doctype html><script>location.href = {url!r};</script>"


def attackers_frob(journey: Journey, username: str = "mallory-e2e") -> str:
    """The attacker logs in to the site as himself and keeps the frob."""
    mallory = journey.sandbox.add_user(username)
    with requests.Session() as attacker:
        start = attacker.get(journey.site_url + "/login", allow_redirects=False, timeout=10)
        callback = approve(journey.sandbox, mallory, start.headers["Location"])
    return callback.split("frob=", 1)[1]


def test_another_sites_page_cannot_log_the_member_in_as_the_attacker(
    page: Page, journey: Journey, attacker_site: dict[str, str]
) -> None:
    site = journey.site_url
    frob = attackers_frob(journey)
    attacker_site["/start"] = redirect_to(site + "/login?next=/albums")
    attacker_site["/finish"] = redirect_to(f"{site}/callback?frob={frob}")

    page.goto(attacker_site["origin"] + "/start")
    page.wait_for_url(site + "/login?next=/albums")
    expect(page.get_by_text("Another site sent you here")).to_be_visible()

    with page.expect_response(f"{site}/callback*") as callback:
        page.goto(attacker_site["origin"] + "/finish")
    assert callback.value.status == 403
    expect(page.get_by_text("No login was started from this browser")).to_be_visible()
    page.goto(site + "/profile")
    assert not page.url.startswith(site + "/profile")


def test_the_confirmation_button_starts_the_login(
    page: Page, journey: Journey, attacker_site: dict[str, str]
) -> None:
    attacker_site["/start"] = redirect_to(journey.site_url + "/login?next=/albums")
    page.goto(attacker_site["origin"] + "/start")
    page.get_by_role("button", name="Log in with Ipernity").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.url.startswith(journey.sandbox.base_url)


def test_an_image_on_the_sites_own_page_cannot_start_a_login(
    page: Page, journey: Journey, attacker_site: dict[str, str]
) -> None:
    """A picture in a member's comment pointing at /login, then the forged callback."""
    site = journey.site_url
    frob = attackers_frob(journey, "mallory-img")
    attacker_site["/finish"] = redirect_to(f"{site}/callback?frob={frob}")
    page.goto(site + "/")
    with page.expect_response(lambda answer: answer.url.startswith(site + "/login")) as image:
        page.evaluate(
            "src => { const img = new Image(); img.src = src; document.body.append(img); }",
            site + "/login?next=/albums",
        )
    # Chromium says it is an image (Sec-Fetch-Dest): the page, not a login started.
    assert image.value.status == 200
    with page.expect_response(f"{site}/callback*") as callback:
        page.goto(attacker_site["origin"] + "/finish")
    assert callback.value.status == 403


def signed_in_victim(page: Page, journey: Journey, username: str) -> User:
    """A new member, signed in on the sandbox's pages in ``page``'s browser.

    New, so that she has not approved the site yet: the sandbox shows its consent page.
    """
    victim = journey.sandbox.add_user(username, realname=username.title())
    cookies = journey.sandbox.signin_cookies(victim)
    page.context.add_cookies(
        [
            {"name": name, "value": value, "url": journey.sandbox.base_url}
            for name, value in cookies.items()
        ]
    )
    return victim


@pytest.mark.parametrize("policy", ["no-referrer", "strict-origin-when-cross-origin"])
def test_a_popup_sent_to_the_callback_while_the_member_reads_the_consent_page_logs_in_nobody(
    page: Page, journey: Journey, attacker_site: dict[str, str], policy: str
) -> None:
    """Issue 19 (a): the attacker's page opens the login in a popup; the member
    means to log in and clicks on; while she reads Ipernity's consent page, the
    attacker's page points the popup at the callback with his own frob."""
    site = journey.site_url
    signed_in_victim(page, journey, f"victim-race-{policy}")
    mallory = f"mallory-race-{policy}"
    frob = attackers_frob(journey, mallory)
    login = f"{site}/login?next=/albums&perm_doc=delete"
    attacker_site["/race"] = (
        f'<!doctype html><meta name="referrer" content="{policy}">'
        "<button>See the photos</button><script>"
        f"document.querySelector('button').onclick = () => {{ window.victim = open({login!r}); }};"
        "</script>"
    )
    page.goto(attacker_site["origin"] + "/race")
    with page.expect_popup() as opened:
        page.get_by_role("button", name="See the photos").click()
    popup = opened.value
    popup.get_by_role("button", name="Log in with Ipernity").click()
    expect(popup.get_by_role("button", name="Authorize")).to_be_visible()

    page.evaluate("url => { window.victim.location = url; }", f"{site}/callback?frob={frob}")
    expect(popup).to_have_url(site + "/login/confirm")
    expect(popup.get_by_role("button", name=f"Continue as {mallory}")).to_be_visible()
    popup.goto(site + "/profile")
    assert not popup.url.startswith(site + "/profile")


def test_declining_the_attackers_account_logs_the_member_in_as_herself(
    page: Page, journey: Journey, attacker_site: dict[str, str]
) -> None:
    site = journey.site_url
    victim = signed_in_victim(page, journey, "victim-declines")
    page.goto(site + "/login?next=/profile")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    attacker_site["/finish"] = (
        '<!doctype html><meta name="referrer" content="no-referrer">'
        + redirect_to(f"{site}/callback?frob={attackers_frob(journey, 'mallory-declined')}")
    )
    page.goto(attacker_site["origin"] + "/finish")
    page.get_by_role("button", name="No, log in as someone else").click()
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/profile")
    expect(page.locator("main")).to_contain_text(victim.username)


def test_the_callback_as_an_image_on_the_sites_own_page_logs_in_nobody(
    page: Page, journey: Journey
) -> None:
    """A picture in a member's comment points at the callback with the attacker's
    frob while the member's own login waits on the consent page in another tab."""
    site = journey.site_url
    victim = signed_in_victim(page, journey, "victim-image")
    page.goto(site + "/login?next=/profile")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    other_tab = page.context.new_page()
    other_tab.goto(site + "/")
    forged = f"{site}/callback?frob={attackers_frob(journey, 'mallory-image')}"
    with other_tab.expect_response(lambda answer: answer.url == forged) as image:
        other_tab.evaluate(
            "src => { const img = new Image(); img.src = src; document.body.append(img); }",
            forged,
        )
    assert image.value.status == 403
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/profile")
    expect(page.locator("main")).to_contain_text(victim.username)


def test_a_next_with_dot_segments_never_leads_the_browser_back_into_a_login(
    page: Page, journey: Journey
) -> None:
    """Chromium resolves ``/albums/../login`` to ``/login``: such a ``next``
    must not end the member's login by starting another, for more permissions."""
    site = journey.site_url
    signed_in_victim(page, journey, "victim-dots")
    page.goto(site + "/login?next=/albums/%2e%2e/login%3Fperm_doc%3Ddelete")
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/")
