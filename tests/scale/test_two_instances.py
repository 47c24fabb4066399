"""Two instances of one site, separate processes on separate ports, one redis-server.

Each instance is configured as a site on many machines would be:
``IPERNITY_TOKEN_STORAGE`` and ``IPERNITY_CACHE`` both name the Redis server.
A visitor's browser talks to both (cookies ignore ports), as behind a load
balancer; the sandbox answers both over HTTP and counts what reaches it.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable, Iterator

import pytest

from ipernity.sandbox import App, Sandbox, User

from .conftest import Browser, Instance, answer_json, upstream_calls

pytestmark = pytest.mark.redis


@pytest.fixture
def pair(redis_url: str, start_instance: Callable[..., Instance]) -> tuple[Instance, Instance]:
    """Instances A and B of the site, tokens and cache on the test's Redis."""
    shared = {"SITE_TOKEN_STORAGE": redis_url, "SITE_CACHE": redis_url}
    return start_instance(**shared), start_instance(**shared)


@pytest.fixture
def browser(sandbox: Sandbox, alice: User) -> Iterator[Browser]:
    """Alice's browser; she owns two documents."""
    sandbox.add_doc(alice, "Harbour at dawn")
    sandbox.add_doc(alice, "Market day")
    visitor = Browser(sandbox, alice)
    yield visitor
    visitor.close()


def session_payload(cookie: str) -> bytes:
    """The readable part of Flask's signed session cookie (not checking the signature)."""
    compressed = cookie.startswith(".")
    data = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return zlib.decompress(raw) if compressed else raw


def test_a_login_through_a_is_known_to_b(
    pair: tuple[Instance, Instance], browser: Browser, alice: User
) -> None:
    a, b = pair
    browser.log_in(a)
    assert answer_json(browser.get(b, "/me")) == {
        "member": alice.username,
        "user": alice.username,
    }


def test_the_cookie_carries_an_id_not_the_token(
    pair: tuple[Instance, Instance],
    browser: Browser,
    sandbox: Sandbox,
    site_app: App,
    alice: User,
) -> None:
    a, _ = pair
    browser.log_in(a)
    cookie = browser.cookie()
    assert cookie is not None
    payload = session_payload(cookie)
    assert "ipernity_sid" in json.loads(payload)
    token = sandbox.grant(alice, site_app, {"doc": "read"})["token"]
    assert token.encode() not in payload
    assert alice.username.encode() not in payload


def test_logging_out_through_b_logs_out_of_a(
    pair: tuple[Instance, Instance], browser: Browser
) -> None:
    a, b = pair
    browser.log_in(a)
    before_logout = browser.cookie()
    assert before_logout is not None
    browser.log_out(b)
    assert browser.get(a, "/me").status_code == 302
    # Even the cookie from before the logout is worthless now: the record is gone.
    browser.http.cookies.set("session", before_logout)
    assert browser.get(a, "/me").status_code == 302


def test_a_read_cached_by_a_is_a_hit_on_b(
    pair: tuple[Instance, Instance], browser: Browser, sandbox: Sandbox
) -> None:
    a, b = pair
    browser.log_in(a)
    before = upstream_calls(sandbox, "doc.getList")
    first = answer_json(browser.get(a, "/docs"))
    assert upstream_calls(sandbox, "doc.getList") == before + 1
    again = answer_json(browser.get(b, "/docs"))
    assert again == first
    assert sorted(first["titles"]) == ["Harbour at dawn", "Market day"]
    assert upstream_calls(sandbox, "doc.getList") == before + 1


def test_each_visitor_keeps_their_own_login_across_instances(
    pair: tuple[Instance, Instance], sandbox: Sandbox, alice: User, bob: User
) -> None:
    a, b = pair
    visitors = [Browser(sandbox, alice), Browser(sandbox, bob)]
    try:
        visitors[0].log_in(a)
        visitors[1].log_in(b)
        for visitor in visitors:
            for instance in pair:
                seen = answer_json(visitor.get(instance, "/me"))
                assert seen == {"member": visitor.member.username, "user": visitor.member.username}
    finally:
        for visitor in visitors:
            visitor.close()
