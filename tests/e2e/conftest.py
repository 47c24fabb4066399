"""The example site served for real, on a sandbox, for a real browser.

Both run in this process, each in a threaded WSGI server on a free port of
127.0.0.1: the sandbox stands in for Ipernity, and the site is configured with
the sandbox's web application, as it would be with a real key.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from example_app import create_app
from example_app.settings import ENVIRONMENT_KEYS
from ipernity.sandbox import Album, Sandbox, User
from tests.hostile_api import hostile_api

ROOT = Path(__file__).resolve().parents[2]

#: Debian's Chromium, which Playwright drives (scripts/install-system-deps.sh installs it).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: How long a step may wait for the page, in milliseconds.
STEP_TIMEOUT_MS = 15_000

if os.path.exists(CHROMIUM):
    from playwright.sync_api import Browser, BrowserContext, sync_playwright
else:  # pragma: no cover - the browser tests are skipped
    Browser = BrowserContext = object

#: Where the journey's screenshots go (gitignored; CI keeps them as artefacts).
ARTIFACTS = ROOT / "test-artifacts" / "e2e"


@dataclass(frozen=True)
class Journey:
    """The running site and what the member will find there."""

    site_url: str
    sandbox: Sandbox
    alice: User
    trips: Album


@pytest.fixture(scope="module")
def journey() -> Iterator[Journey]:
    """A sandbox with alice's album of photos, and the example site serving on it."""
    sandbox = Sandbox(upload_delay=0.2)
    sandbox.start()
    web_app = sandbox.add_app("Lightbox", auth="web", callback="http://127.0.0.1:9/callback")
    alice = sandbox.add_user("alice", realname="Alice")
    photos = [
        sandbox.add_doc(alice, title, tags=["e2e"])
        for title in ("Sunset over the bay", "Harbour at dawn", "Old town", "Lighthouse")
    ]
    trips = sandbox.add_album(alice, "Trips", docs=photos)
    site = create_app(
        {
            "SECRET_KEY": "end-to-end",
            "IPERNITY_API_KEY": web_app.api_key,
            "IPERNITY_API_SECRET": web_app.api_secret,
            "IPERNITY_API_URL": sandbox.api_url,
            "IPERNITY_AUTH_URL": sandbox.authorize_url,
            "IPERNITY_MEDIA_LOCAL_HOSTS": [sandbox.base_url],
        }
    )
    with serving(site) as site_url:
        # Ipernity sends members back to the callback registered for the application.
        sandbox.update_app(web_app, callback=f"{site_url}/callback")
        yield Journey(site_url, sandbox, alice, trips)
    sandbox.close()


@dataclass(frozen=True)
class HostileJourney:
    """The site on an Ipernity whose answers' links and icons are ``javascript:`` URLs."""

    site_url: str
    sandbox: Sandbox
    alice: User
    photo_id: int


@pytest.fixture(scope="module")
def hostile_journey() -> Iterator[HostileJourney]:
    """A sandbox behind :class:`tests.hostile_api.RewritingAPI`, and the example site on it."""
    sandbox = Sandbox()
    sandbox.start()
    web_app = sandbox.add_app("Lightbox", auth="web", callback="http://127.0.0.1:9/callback")
    alice = sandbox.add_user("alice", realname="Alice")
    photo = sandbox.add_doc(alice, "Sunset over the bay")
    fields = {"link": "javascript:alert(document.domain)", "icon": "javascript:alert('icon')"}
    with hostile_api(sandbox, fields) as api_url:
        site = create_app(
            {
                "SECRET_KEY": "end-to-end",
                "IPERNITY_API_KEY": web_app.api_key,
                "IPERNITY_API_SECRET": web_app.api_secret,
                "IPERNITY_API_URL": api_url,
                "IPERNITY_AUTH_URL": sandbox.authorize_url,
                "IPERNITY_MEDIA_LOCAL_HOSTS": [api_url],
            }
        )
        with serving(site) as site_url:
            sandbox.update_app(web_app, callback=f"{site_url}/callback")
            yield HostileJourney(site_url, sandbox, alice, photo.doc_id)
    sandbox.close()


@pytest.fixture
def sandbox_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The example site as ``make run`` starts it: no key, so on the embedded sandbox."""
    for name in ENVIRONMENT_KEYS:
        monkeypatch.delenv(name, raising=False)
    with serving(create_app({"SECRET_KEY": "end-to-end"})) as site_url:
        yield site_url


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` in a threaded WSGI server on a free port; yield its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="example-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for a module's tests, each of which opens its own profile.

    Per module, not per session: Playwright's synchronous API keeps its event
    loop as this thread's running loop while the browser lives, which other
    tests' asyncio code (Flask's async views) must not find.
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(chromium: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """``new_context(**options)``: a fresh browser profile (cookies, cache, storage), closed
    after the test; the options are Playwright's ``Browser.new_context`` ones."""
    contexts: list[BrowserContext] = []

    def new(**options: Any) -> BrowserContext:
        context = chromium.new_context(**options)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield new
    for context in contexts:
        context.close()
