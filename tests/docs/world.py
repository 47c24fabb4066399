"""The world the documentation's examples run in: a sandbox standing in for Ipernity.

The examples are written for the real service, with its real URLs. Here the
requests they send to ``api.ipernity.com`` and ``www.ipernity.com`` reach a
sandbox instead, as if those names pointed at it, so the code in the docs is
exactly the code a reader runs. A :class:`Member` plays the person at the
browser who signs in on the sandbox and approves the consent page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image
from requests.adapters import HTTPAdapter

from ipernity.api import DEFAULT_AUTH_URL, DEFAULT_URL
from ipernity.sandbox import App, Sandbox, User

#: What a desktop application's confirmation page holds (PROTOCOL.md).
CONFIRMATION = re.compile(r"<div class=[\"']ok[\"']")

#: The callback the documentation's web application is registered with.
WEB_CALLBACK = "http://127.0.0.1:5000/callback"


@dataclass
class World:
    """A served sandbox with the applications and members the examples use."""

    sandbox: Sandbox
    desktop: App
    web: App
    alice: User
    bob: User
    #: alice's token for the desktop application, as ``auth.getToken`` returns it.
    token: dict[str, Any]

    def reroute(self, url: str) -> str:
        """The sandbox's URL for a URL of the real service (other URLs unchanged)."""
        for real, local in (
            (DEFAULT_URL, self.sandbox.api_url),
            (DEFAULT_AUTH_URL, self.sandbox.authorize_url),
        ):
            if url.startswith(real):
                return local + url[len(real) :]
        return url


def build_world(sandbox: Sandbox) -> World:
    """Fill ``sandbox`` with the members, photos and albums the examples show."""
    desktop = sandbox.add_app("Docs tool", auth="desktop")
    web = sandbox.add_app("Docs site", auth="web", callback=WEB_CALLBACK)
    alice = sandbox.add_user("alice", realname="Alice")
    bob = sandbox.add_user("bob", realname="Bob")
    titles = ["Sunset over the bay", "Harbour at dawn", "Sunset in the hills"]
    titles += [f"Street {n}" for n in range(1, 23)]
    docs = [sandbox.add_doc(alice, title, tags=title.lower().split()[:1]) for title in titles]
    trips = sandbox.add_album(alice, "Trips", docs=docs[:6])
    sandbox.add_album(alice, "Streets", docs=docs[3:])
    sandbox.add_folder(alice, "Travels", albums=[trips])
    sandbox.add_group("Blue skies", members=[alice, bob], docs=docs[:2])
    sandbox.add_doc(bob, "Bob's bicycle")
    token = sandbox.grant(alice, desktop, {"doc": "delete", "network": "read"})
    return World(sandbox, desktop, web, alice, bob, token)


@contextmanager
def rerouted(world: World) -> Iterator[None]:
    """Send every ``requests`` call for the real service to the sandbox."""
    send = HTTPAdapter.send

    def send_to_sandbox(
        adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        request.url = world.reroute(request.url or "")
        return send(adapter, request, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTTPAdapter, "send", send_to_sandbox)
        yield


class _ConsentForm(HTMLParser):
    """Collects the inputs of the authorization page's ``<form name="fa">``."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.found = False
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form" and named.get("name") == "fa":
            self.found = self._inside = True
        elif tag == "input" and self._inside and named.get("type") == "hidden":
            self.fields[named.get("name") or ""] = named.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


class Member:
    """A member at a browser, signed in on the sandbox, who approves what is asked."""

    def __init__(self, world: World, user: User) -> None:
        self.world = world
        self.browser = requests.Session()
        self.browser.cookies.update(world.sandbox.signin_cookies(user))

    def approve(self, url: str) -> requests.Response:
        """Open an authorization link and approve it; return the final answer.

        For a web application that is the redirect to its callback; for a
        desktop application the confirmation page. An application already
        granted what it asks gets that answer at once, without a consent page.
        """
        page = self.browser.get(self.world.reroute(url), allow_redirects=False)
        if page.status_code == 302 or CONFIRMATION.search(page.text):
            return page
        form = _ConsentForm()
        form.feed(page.text)
        assert form.found, f"no consent form at {url}: {page.status_code} {page.text[:200]}"
        return self.browser.post(page.url, data=form.fields, allow_redirects=False)

    def frob_for(self, url: str) -> str:
        """Approve a web application's link and return the frob of its callback."""
        answer = self.approve(url)
        assert answer.status_code == 302, answer.text[:200]
        return parse_qs(urlsplit(answer.headers["Location"]).query)["frob"][0]


def jpeg(color: str = "orange", size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG picture."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()
