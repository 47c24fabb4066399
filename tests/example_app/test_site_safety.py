"""What the example site puts in its pages from Ipernity's answers, and the headers it sends.

A hostile (or hacked) Ipernity is the sandbox behind :class:`tests.hostile_api.RewritingAPI`,
which replaces every ``link`` and ``icon`` of its answers.
"""

from __future__ import annotations

import html as entities
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lightbox_gallery import Gallery

from example_app import create_app
from example_app.links import web_url
from tests.hostile_api import hostile_api

LogIn = Callable[..., Any]

#: URLs that must never reach an ``href`` or a ``src``.
HOSTILE_URLS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "/\\evil.example/x",
]


@pytest.fixture(params=HOSTILE_URLS)
def hostile_site(request: pytest.FixtureRequest, gallery: Gallery) -> Iterator[Flask]:
    """The example site on an Ipernity whose links and icons are ``request.param``."""
    sandbox = gallery.sandbox
    with hostile_api(sandbox, {"link": request.param, "icon": request.param}) as api_url:
        yield create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test secret",
                "IPERNITY_API_KEY": gallery.site.api_key,
                "IPERNITY_API_SECRET": gallery.site.api_secret,
                "IPERNITY_API_URL": api_url,
                "IPERNITY_AUTH_URL": sandbox.authorize_url,
                "IPERNITY_MEDIA_LOCAL_HOSTS": [api_url],
            }
        )


def urls_in(html: str) -> list[str]:
    """Every ``href`` and ``src`` of a page, as the browser reads it."""
    return [entities.unescape(url) for url in re.findall(r'(?:href|src)="([^"]*)"', html)]


def test_links_and_icons_that_are_not_web_urls_are_left_out(
    hostile_site: Flask, ipernity_login: LogIn, gallery: Gallery
) -> None:
    client = hostile_site.test_client()
    ipernity_login(client, gallery.alice, sandbox=gallery.sandbox)
    profile = client.get("/profile").text
    photo = client.get(f"/photos/{gallery.sunset.doc_id}").text
    assert "Alice Lightbox" in profile
    assert "Sunset over the bay" in photo
    for url in urls_in(profile) + urls_in(photo):
        assert re.match(r"/(?![/\\])|https?://\w", url), url
    assert "Profile on Ipernity" not in profile
    assert 'class="avatar"' not in profile
    assert "On Ipernity" not in photo


@pytest.mark.parametrize(
    "url",
    [
        "https://www.ipernity.com/doc/alice/1",
        "http://www.ipernity.com/home/alice",
        "HTTPS://www.ipernity.com/x",
        "/photos/1",
    ],
)
def test_web_urls_and_paths_of_the_site_are_kept(url: str) -> None:
    assert web_url(url) == url


@pytest.mark.parametrize("url", [*HOSTILE_URLS, "", "https:///nohost", "mailto:a@b", 42, None])
def test_anything_else_is_no_url_at_all(url: object) -> None:
    assert web_url(url) == ""


# -- the headers of every page --------------------------------------------------------


PAGES = ["/", "/profile", "/albums", "/albums/new", "/no/such/page", "/logout"]


@pytest.fixture
def alice_client(client: FlaskClient, ipernity_login: LogIn, gallery: Gallery) -> FlaskClient:
    ipernity_login(client, gallery.alice, sandbox=gallery.sandbox, permissions={"doc": "write"})
    return client


@pytest.mark.parametrize("path", PAGES)
def test_every_page_forbids_scripts_framing_and_sniffing(
    alice_client: FlaskClient, path: str
) -> None:
    headers = alice_client.get(path).headers
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert "script-src" not in policy
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_forms_may_post_to_the_site_and_lead_to_ipernitys_consent_page_only(
    client: FlaskClient, gallery: Gallery
) -> None:
    policy = client.get("/").headers["Content-Security-Policy"]
    sandbox_origin = gallery.sandbox.base_url.rstrip("/")
    assert f"form-action 'self' {sandbox_origin};" in policy


def test_the_profile_page_allows_pictures_from_the_members_icon_origin_only(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get("/profile")
    sandbox_origin = gallery.sandbox.base_url.rstrip("/")
    assert f"img-src 'self' {sandbox_origin};" in page.headers["Content-Security-Policy"]
    other = alice_client.get("/albums")
    assert "img-src 'self';" in other.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "icon",
    [
        "https://*/icon.jpg",  # would allow pictures from anywhere
        "https://*.example/icon.jpg",
        "https://a;script-src/icon.jpg",  # a directive of its own in the policy
        "https://icons.example;/icon.jpg",
        "https://user@icons.example/icon.jpg",  # a user name the policy cannot name
    ],
)
def test_an_icon_whose_host_the_policy_cannot_name_is_not_shown_nor_allowed(
    gallery: Gallery, ipernity_login: LogIn, icon: str
) -> None:
    sandbox = gallery.sandbox
    with hostile_api(sandbox, {"icon": icon}) as api_url:
        site = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test secret",
                "IPERNITY_API_KEY": gallery.site.api_key,
                "IPERNITY_API_SECRET": gallery.site.api_secret,
                "IPERNITY_API_URL": api_url,
                "IPERNITY_AUTH_URL": sandbox.authorize_url,
                "IPERNITY_MEDIA_LOCAL_HOSTS": [api_url],
            }
        )
        client = site.test_client()
        ipernity_login(client, gallery.alice, sandbox=sandbox)
        page = client.get("/profile")

    assert "Alice Lightbox" in page.text
    assert 'class="avatar"' not in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "img-src 'self';" in policy
    assert "*" not in policy
    assert "script-src" not in policy


def test_a_proxied_picture_keeps_the_media_proxys_stricter_policy(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    answer = alice_client.get(f"/media/{gallery.sunset.doc_id}/240")
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


# -- the photo page's original ------------------------------------------------------------


def test_the_original_is_saved_under_the_documents_title(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get(f"/photos/{gallery.sunset.doc_id}").text
    assert 'download="Sunset over the bay.jpg"' in page
