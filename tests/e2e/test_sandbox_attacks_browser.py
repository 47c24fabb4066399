"""Other sites' pages against the sandbox, replayed in headless Chromium.

- Framing: a page of another origin frames the consent page of a member who is
  signed in, to make them click Authorize unseen. Chromium must refuse to show it.
- Forged sign-in: another site's page posts the sign-in form for a member of its
  choosing. The visitor must not end up signed in as that member.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from html import escape
from wsgiref.types import StartResponse, WSGIEnvironment

import pytest
import requests
from werkzeug.serving import make_server

from ipernity import permissions
from ipernity.sandbox import App, Sandbox, User
from ipernity.signing import signature

from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no chromium at {CHROMIUM}"),
]

if os.path.exists(CHROMIUM):
    from playwright.sync_api import BrowserContext, expect
else:  # pragma: no cover - the module is skipped
    BrowserContext = object


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    """A fresh headless Chromium profile."""
    return new_context()


@pytest.fixture
def attacker() -> Iterator[dict[str, str]]:
    """Another site on a port of its own: pages by path, and its ``origin``.

    Visited as ``127.0.0.1`` it is same-site with the sandbox (the member's
    cookies go along, even into frames); as ``localhost`` it is cross-site.
    """
    pages: dict[str, str] = {}

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [pages.get(environ["PATH_INFO"], "").encode()]

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pages["port"] = str(server.server_port)
    try:
        yield pages
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def consent_link(sandbox: Sandbox, app: App) -> str:
    params = {"api_key": app.api_key, **permissions.link_params({"doc": "delete"})}
    params["api_sig"] = signature(params, app.api_secret)
    return requests.Request("GET", sandbox.authorize_url, params=params).prepare().url or ""


def sign_in_cookies(context: BrowserContext, sandbox: Sandbox, member: User) -> None:
    """The member is signed in on the sandbox in this browser."""
    context.add_cookies(
        [
            {"name": name, "value": value, "url": sandbox.base_url, "sameSite": "Lax"}
            for name, value in sandbox.signin_cookies(member).items()
        ]
    )


def test_another_page_cannot_show_the_consent_page_in_a_frame(
    context: BrowserContext,
    sandbox: Sandbox,
    web_app: App,
    alice: User,
    attacker: dict[str, str],
) -> None:
    link = consent_link(sandbox, web_app)
    sign_in_cookies(context, sandbox, alice)
    # The member sees the consent page when visiting it.
    page = context.new_page()
    page.goto(link)
    expect(page.locator("form[name=fa]")).to_have_count(1)

    attacker["/"] = f"<!doctype html><iframe name='victim' src='{escape(link)}'></iframe>"
    with page.expect_response(lambda answer: answer.url == link):
        page.goto(f"http://127.0.0.1:{attacker['port']}/")
    page.wait_for_load_state("load")
    frame = page.frame(name="victim")
    assert frame is not None
    assert frame.locator("form[name=fa]").count() == 0
    assert not frame.url.startswith(sandbox.base_url), frame.url


def test_another_sites_form_cannot_sign_the_visitor_in_as_its_member(
    context: BrowserContext, sandbox: Sandbox, attacker: dict[str, str]
) -> None:
    mallory = f"mallory{secrets.token_hex(4)}"
    page = context.new_page()
    # The visitor has opened the sandbox's sign-in page before: its form cookie is set.
    page.goto(sandbox.base_url + "signin")
    attacker["/"] = (
        f"<!doctype html><form method='post' action='{sandbox.base_url}signin'>"
        f"<input name='username' value='{mallory}'></form>"
        "<script>document.forms[0].submit()</script>"
    )

    with page.expect_response(sandbox.base_url + "signin") as answer:
        page.goto(f"http://localhost:{attacker['port']}/")
    assert answer.value.status == 400
    page.goto(sandbox.base_url)
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()
    assert sandbox.store.one("SELECT 1 FROM users WHERE username = ?", (mallory,)) is None
