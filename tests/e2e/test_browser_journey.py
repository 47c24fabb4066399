"""Visits to the example site in headless Chromium, against the sandbox.

The whole journey: home → log in → the sandbox's sign-in page → its consent
page → the albums → an album → a photo → a page that needs more permission,
granted on the consent page → a new album with a photo → log out. Then the
newcomer's first visit on ``make run``'s embedded sandbox, signing in as the
demo member the home page names. Each step is checked on the page's real
content and saved as a screenshot under ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import io
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from .conftest import ARTIFACTS, CHROMIUM, HostileJourney, Journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"Debian's chromium is not installed at {CHROMIUM} "
        "(scripts/install-system-deps.sh installs it)",
    ),
]

if os.path.exists(CHROMIUM):
    from playwright.sync_api import Page, expect
else:  # pragma: no cover - the module is skipped
    Page = object


#: The screens of the journeys: a laptop, a common phone, the narrowest phone still sold.
DESKTOP = {"width": 1280, "height": 800}
PHONES = {"390": {"width": 390, "height": 844}, "320": {"width": 320, "height": 640}}


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Page:
    """A fresh headless Chromium tab on a laptop's screen."""
    return new_context(viewport=DESKTOP).new_page()


@pytest.fixture(params=sorted(PHONES))
def phone(request: pytest.FixtureRequest, new_context: Callable[..., Any]) -> Page:
    """A fresh headless Chromium tab on a phone, 390 then 320 pixels wide."""
    # A phone honours the viewport tag: without one, pages lay out 980 px wide.
    context = new_context(viewport=PHONES[request.param], is_mobile=True, has_touch=True)
    return context.new_page()


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    """A JPEG to upload from the new-album form."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "steelblue").save(out, "JPEG")
    path = tmp_path / "blue-hour.jpg"
    path.write_bytes(out.getvalue())
    return path


# Reports each policy violation as a console line: the page's own scripts are
# forbidden, but Playwright's init scripts run outside the page's policy.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", event => console.error(
    ["policy violation:", event.documentURI, event.violatedDirective, event.blockedURI].join(" ")
));
"""


def record_policy_violations(page: Page, site: str) -> list[str]:
    """The Content-Security-Policy violations of ``site``'s pages in ``page``, as they come."""
    violations: list[str] = []
    prefix = f"policy violation: {site}"

    def note(message: Any) -> None:
        if message.text.startswith(prefix):
            violations.append(message.text)

    page.add_init_script(_REPORT_VIOLATIONS)
    page.on("console", note)
    return violations


def snap(page: Page, name: str) -> None:
    """Save the step's screenshot as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def expect_fits_the_screen(page: Page) -> None:
    """The page is no wider than the screen: nothing to scroll sideways."""
    page.wait_for_load_state("load")
    # The screen's own width: a phone widens its layout (and innerWidth) to a page too wide.
    screen = page.viewport_size["width"] if page.viewport_size else 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen, f"{page.url} is {width} px wide on a {screen} px screen"


def expect_permissions_on_one_line(page: Page) -> None:
    """Each permission on the consent page (``doc: write``) stays whole on one line."""
    lines = page.locator("ul.perms code").evaluate_all(
        "codes => codes.map(code => [code.textContent, code.getClientRects().length])"
    )
    assert lines, "no permission listed"
    for text, rows in lines:
        assert rows == 1, f"{text!r} wraps onto {rows} lines"


def expect_pictures_loaded(page: Page, selector: str) -> None:
    """Every picture matching ``selector`` is on the page and has really loaded."""
    pictures = page.locator(selector)
    expect(pictures.first).to_be_visible()
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)]"
        ".every(img => img.complete && img.naturalWidth > 0)",
        arg=selector,
    )


def test_a_member_logs_in_browses_upgrades_creates_an_album_and_logs_out(
    page: Page, journey: Journey, photo_file: Path
) -> None:
    site = journey.site_url
    violations = record_policy_violations(page, site)

    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your Ipernity albums")
    snap(page, "01-home")

    page.locator("section.hero").get_by_role("link", name="Log in with Ipernity").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.url.startswith(journey.sandbox.base_url)
    snap(page, "02-sandbox-sign-in")

    page.get_by_role("button", name="Alice", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Lightbox would like to access your account"
    )
    expect(page.locator("ul.perms")).to_contain_text("doc: read")
    snap(page, "03-consent")

    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/albums")
    expect(page.get_by_role("heading", name="Your albums")).to_be_visible()
    expect(page.locator(".caption")).to_have_text(["Trips"])
    expect_pictures_loaded(page, ".grid img")
    snap(page, "04-albums")

    page.get_by_role("link", name=re.compile("Trips")).click()
    expect(page).to_have_url(f"{site}/albums/{journey.trips.album_id}")
    expect(page.locator(".grid.photos img")).to_have_count(4)
    expect_pictures_loaded(page, ".grid.photos img")
    snap(page, "05-album")

    page.get_by_role("link", name="Sunset over the bay").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sunset over the bay")
    expect_pictures_loaded(page, "figure.photo img")
    expect(page.locator(".tags")).to_contain_text("e2e")
    expect(page.locator(".crumbs")).to_have_text(
        re.compile(r"\s*Albums\s+›\s+Trips\s+›\s+Sunset over the bay\s*")
    )
    snap(page, "06-photo")
    with page.expect_download() as saving:
        page.get_by_role("link", name="Download the original").click()
    assert saving.value.suggested_filename == "Sunset over the bay.jpg"
    photo_url = page.url

    # "On Ipernity" leads to the sandbox's page of the photo, then on to its owner and album.
    page.get_by_role("link", name="On Ipernity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sunset over the bay")
    expect(page.locator("header")).to_contain_text("Signed in as alice")
    expect_pictures_loaded(page, "figure img")
    snap(page, "06a-sandbox-photo")
    page.locator("figcaption").get_by_role("link", name="Alice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice")
    expect_pictures_loaded(page, "ul.grid img")
    snap(page, "06b-sandbox-home")
    page.get_by_role("link", name="Trips").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trips")
    expect(page.locator("ul.grid img")).to_have_count(4)
    expect_pictures_loaded(page, "ul.grid img")
    snap(page, "06c-sandbox-album")
    page.get_by_role("link", name="Harbour at dawn").click()
    expect(page.get_by_role("link", name="‹ Trips")).to_be_visible()
    expect_pictures_loaded(page, "figure img")
    page.goto(photo_url)

    # Creating an album needs doc write: the site sends alice back to the consent page.
    page.get_by_role("link", name="New album").click()
    expect(page.locator("ul.perms")).to_contain_text("doc: write")
    assert page.url.startswith(journey.sandbox.authorize_url)
    snap(page, "07-upgrade-consent")

    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/albums/new")
    expect(page.get_by_role("heading", name="New album")).to_be_visible()
    page.get_by_label("Title").fill("Made in Chromium")
    page.get_by_label("Description").fill("Created by the end-to-end test.")
    page.locator("#photo").set_input_files(str(photo_file))
    snap(page, "08-new-album-form")

    page.get_by_role("button", name="Create the album").click()
    expect(page.locator(".notice")).to_have_text(
        "Album “Made in Chromium” created with your photo in it."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Made in Chromium")
    expect(page.locator(".grid.photos img")).to_have_count(1)
    expect_pictures_loaded(page, ".grid.photos img")
    snap(page, "09-new-album")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(site + "/")
    expect(page.locator("section.hero")).to_contain_text("Log in with Ipernity")
    expect(page.get_by_role("link", name="Albums")).to_have_count(0)
    snap(page, "10-logged-out")
    assert violations == []


def test_on_the_consent_page_a_member_switches_member_denies_and_goes_back_to_the_site(
    page: Page, journey: Journey
) -> None:
    site, sandbox_url = journey.site_url, journey.sandbox.base_url
    first, second = (f"{name}{secrets.token_hex(3)}" for name in ("first", "second"))

    page.goto(site + "/")
    page.locator("section.hero").get_by_role("link", name="Log in with Ipernity").click()
    page.get_by_label("Or a member name").fill(first)
    page.get_by_label("Or a member name").press("Enter")
    expect(page.locator("main")).to_contain_text(f"Signed in as {first}.")

    page.get_by_role("link", name="Use another member").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Or a member name").fill(second)
    page.get_by_label("Or a member name").press("Enter")
    expect(page.locator("main")).to_contain_text(f"Signed in as {second}.")
    expect(page.locator("header")).to_contain_text(f"Signed in as {second}")
    snap(page, "switch-01-consent-as-another-member")

    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authorization declined")
    snap(page, "switch-02-declined")
    page.get_by_role("link", name="Back to Lightbox").click()
    expect(page).to_have_url(site + "/")

    page.goto(sandbox_url)
    expect(page).to_have_title("Ipernity sandbox")
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()
    snap(page, "switch-03-signed-out")


def test_on_the_embedded_sandbox_a_newcomer_signs_in_as_a_demo_member(
    page: Page, sandbox_site: str
) -> None:
    page.goto(sandbox_site + "/")
    help_card = page.locator("section.sandbox-help")
    expect(help_card).to_contain_text("Running on the sandbox")
    # The page names the demo members as the sandbox's sign-in buttons show them.
    member = help_card.locator("strong").first.inner_text()
    snap(page, "sandbox-01-home")

    page.locator("section.hero").get_by_role("link", name="Log in with Ipernity").click()
    page.get_by_role("button", name=member, exact=True).click()
    expect(page.locator("ul.perms")).to_contain_text("doc: read")
    snap(page, "sandbox-02-consent")

    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(sandbox_site + "/albums")
    expect(page.locator(".caption").first).to_be_visible()
    expect(page.get_by_role("link", name=member)).to_be_visible()
    expect_pictures_loaded(page, ".grid img")
    covers = page.locator(".grid.albums img").evaluate_all("imgs => imgs.map(i => i.src)")
    assert len(set(covers)) == len(covers) > 1, "two albums show the same cover"
    for count in page.locator(".grid.albums .muted").all_inner_texts():
        assert re.fullmatch(r"1 photo|(0|[2-9]|\d\d+) photos", count), count
    snap(page, "sandbox-03-albums")

    page.locator(".grid.albums a").first.click()
    album = page.get_by_role("heading", level=1).inner_text()
    page.locator(".grid.photos a").first.click()
    expect(page.locator(".crumbs")).to_contain_text(album)
    expect_pictures_loaded(page, "figure.photo img")
    # The demo's photos are camera-sized: the 800 size is a real reduction of it.
    shown = page.locator("figure.photo img").evaluate(
        "img => Math.max(img.naturalWidth, img.naturalHeight)"
    )
    assert shown == 800
    snap(page, "sandbox-04-photo")

    page.goto(sandbox_site + "/")
    expect(page.locator("section.sandbox-help")).to_contain_text(f"You are logged in as {member}")
    expect(page.locator("section.sandbox-help")).not_to_contain_text("To sign in there")
    snap(page, "sandbox-05-home-logged-in")


def test_on_a_phone_every_page_fits_and_speaks_proper_english(
    phone: Page, sandbox_site: str, photo_file: Path
) -> None:
    page, site = phone, sandbox_site
    violations = record_policy_violations(page, site)
    width = page.viewport_size["width"] if page.viewport_size else 0
    shot = f"phone-{width}"
    # A member of her own: nothing granted yet, so the consent page shows.
    member = f"phone{width}{secrets.token_hex(3)}"

    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your Ipernity albums")
    expect_fits_the_screen(page)
    snap(page, f"{shot}-01-home")

    page.locator("section.hero").get_by_role("link", name="Log in with Ipernity").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect_fits_the_screen(page)
    snap(page, f"{shot}-02-sandbox-sign-in")

    # Enter sends the name typed, not the first member's button.
    page.get_by_label("Or a member name").fill(member)
    page.get_by_label("Or a member name").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lightbox would like to access your account"
    )
    expect(page.locator("main")).to_contain_text(f"Signed in as {member}.")
    expect_permissions_on_one_line(page)
    expect_fits_the_screen(page)
    snap(page, f"{shot}-03-consent")

    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/albums")
    expect(page.locator(".site-header .member")).to_have_text(member)
    menu_rows = page.evaluate(
        "new Set([...document.querySelectorAll('.site-header nav > *, .site-header form')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))).size"
    )
    assert menu_rows == 1, "the menu wraps onto several rows"
    clipped = page.locator(".site-header .member").evaluate("e => e.scrollWidth > e.clientWidth")
    assert not clipped, "the member's name is cut short"
    expect_fits_the_screen(page)
    snap(page, f"{shot}-04-no-albums")

    page.locator(".site-header .member").click()
    expect(page.locator(".stats")).to_have_text(
        re.compile(r"\s*0 documents\s*0 posts\s*0 contacts\s*")
    )
    expect(page.get_by_text("Creating an album asks you for doc: write")).to_be_visible()
    permission = page.locator("p.muted code")
    assert permission.evaluate("e => e.getClientRects().length") == 1, "doc: write is cut in two"
    natural, shown = page.locator(".avatar").evaluate(
        "img => [img.naturalWidth, img.getBoundingClientRect().width]"
    )
    assert shown == natural, f"a {natural} px icon shown at {shown} px"
    expect_fits_the_screen(page)
    snap(page, f"{shot}-05-profile")

    page.get_by_role("link", name="Profile on Ipernity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(member)
    expect(page.locator("header")).to_contain_text(f"Signed in as {member}")
    expect_fits_the_screen(page)
    snap(page, f"{shot}-05a-sandbox-home")
    page.go_back()

    page.locator(".site-header nav").get_by_role("link", name="New album").click()
    expect(page.locator("ul.perms")).to_contain_text("doc: write")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lightbox")
    expect_permissions_on_one_line(page)
    expect_fits_the_screen(page)
    snap(page, f"{shot}-05b-upgrade-consent")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", name="New album")).to_be_visible()
    page.get_by_label("Title").fill("One photo")
    page.locator("#photo").set_input_files(str(photo_file))
    expect_fits_the_screen(page)
    snap(page, f"{shot}-06-new-album-form")

    page.get_by_role("button", name="Create the album").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One photo")
    expect(page.locator(".page-head .muted")).to_have_text("1 photo")
    expect_pictures_loaded(page, ".grid.photos img")
    expect_fits_the_screen(page)
    snap(page, f"{shot}-07-album")

    page.locator(".grid.photos a").first.click()
    expect(page.locator(".crumbs")).to_have_text(
        re.compile(r"\s*Albums\s+›\s+One photo\s+›\s+blue-hour\s*")
    )
    expect_pictures_loaded(page, "figure.photo img")
    expect_fits_the_screen(page)
    snap(page, f"{shot}-08-photo")

    page.locator(".site-header nav").get_by_role("link", name="Albums").click()
    expect(page.locator(".grid.albums .muted")).to_have_text(["1 photo"])
    expect_fits_the_screen(page)
    snap(page, f"{shot}-09-albums")

    page.locator(".site-header .member").click()
    expect(page.locator(".stats")).to_contain_text("1 document")
    expect(page.get_by_text("Creating an album asks you for")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".notice")).to_contain_text("You are logged out of Lightbox.")
    expect_fits_the_screen(page)
    snap(page, f"{shot}-10-logged-out")

    # Ipernity still has her signed in and Lightbox approved: the page offers the
    # login rather than passing through Ipernity unseen.
    page.goto(site + "/albums")
    expect(page).to_have_url(site + "/albums")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are logged out")
    expect_fits_the_screen(page)
    snap(page, f"{shot}-11-log-in-again")
    page.locator("main").get_by_role("link", name="Log in with Ipernity").click()
    expect(page).to_have_url(site + "/albums")
    expect(page.get_by_role("heading", name="Your albums")).to_be_visible()
    assert violations == []


def test_links_and_icons_from_a_hostile_ipernity_never_run_script(
    page: Page, hostile_journey: HostileJourney
) -> None:
    site = hostile_journey.site_url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(site + "/login?next=/profile")
    page.get_by_role("button", name="Alice", exact=True).click()
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(site + "/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice")
    profile_links = page.get_by_role("link", name="Profile on Ipernity")
    for link in profile_links.all():
        link.click()
    snap(page, "hostile-01-profile")

    page.goto(f"{site}/photos/{hostile_journey.photo_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sunset over the bay")
    photo_links = page.get_by_role("link", name="On Ipernity")
    for link in photo_links.all():
        link.click()
    snap(page, "hostile-02-photo")

    assert dialogs == []
    assert (
        page.evaluate(
            "[...document.querySelectorAll('[href], [src]')]"
            ".map(e => e.getAttribute('href') || e.getAttribute('src'))"
            ".filter(url => /^\\s*javascript:/i.test(url)).length"
        )
        == 0
    )
    expect(profile_links).to_have_count(0)
    expect(photo_links).to_have_count(0)
