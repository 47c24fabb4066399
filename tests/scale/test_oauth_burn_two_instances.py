"""OAuth without a verifier on two instances: a request token burned on one is burned on both.

The instances keep their tokens, and so the record of the request tokens their
logins obtained, on one redis-server. An attacker starts a login on instance
A and keeps its authorization link; the victim opens it, and her browser's
callback lands on instance B: the token is spent there, for A too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import redis
import requests

from flask_ipernity.oauth_claims import Claim, RedisRequestTokenClaims
from ipernity.pytest_plugin import approve
from ipernity.sandbox import Sandbox, User

from .conftest import HTTP_TIMEOUT, Instance

pytestmark = pytest.mark.redis

#: Where the sandbox sends browsers: the test brings each callback to an instance itself.
CALLBACK = "http://127.0.0.1:9/callback"


@pytest.fixture
def pair(redis_url: str, start_instance: Callable[..., Instance]) -> tuple[Instance, Instance]:
    """Instances A and B, logging in with OAuth, their tokens on the test's Redis."""
    settings = {"SITE_TOKEN_STORAGE": redis_url, "SITE_OAUTH_CALLBACK_URL": CALLBACK}
    return start_instance(**settings), start_instance(**settings)


@pytest.fixture
def attacker() -> Iterator[requests.Session]:
    with requests.Session() as browser:
        yield browser


@pytest.fixture
def victim() -> Iterator[requests.Session]:
    with requests.Session() as browser:
        yield browser


def start_login(browser: requests.Session, instance: Instance) -> str:
    """Press the login button on ``instance``; return the authorization link."""
    page = browser.get(f"{instance.url}/login", timeout=HTTP_TIMEOUT)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text
    answer = browser.post(
        f"{instance.url}/login",
        data={"csrf_token": found.group(1), "next": "/me"},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["Location"])


def callback_on(browser: requests.Session, instance: Instance, callback: str) -> requests.Response:
    query = urlsplit(callback).query
    return browser.get(
        f"{instance.url}/callback?{query}",
        headers={"Accept": "application/json"},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )


def test_a_login_link_burned_on_one_instance_logs_nobody_in_on_the_other(
    pair: tuple[Instance, Instance],
    sandbox: Sandbox,
    alice: User,
    attacker: requests.Session,
    victim: requests.Session,
) -> None:
    a, b = pair
    link = start_login(attacker, a)
    callback = approve(sandbox, alice, link)
    assert callback_on(victim, b, callback).json()["error"] == "no_pending_login"
    refused = callback_on(attacker, a, callback)
    assert refused.status_code == 403
    assert refused.json()["error"] == "login_link_used"
    me = attacker.get(f"{a.url}/me", allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert me.status_code == 302


def test_a_member_logs_in_through_one_instance_and_back_through_the_other(
    pair: tuple[Instance, Instance], sandbox: Sandbox, alice: User, victim: requests.Session
) -> None:
    a, b = pair
    callback = approve(sandbox, alice, start_login(victim, a))
    assert callback_on(victim, b, callback).status_code == 302
    me = victim.get(f"{a.url}/me", timeout=HTTP_TIMEOUT)
    assert me.json()["member"] == alice.username


def test_the_redis_record_is_spent_once_and_keeps_no_request_token(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    claims = RedisRequestTokenClaims(client, ttl=600)
    claims.issue("request-token")
    assert claims.claim("made-up") is Claim.UNKNOWN
    [key] = [name.decode() for name in client.scan_iter("ipernity:oauth:*")]
    assert "request-token" not in key
    assert 0 < client.pttl(key) <= 600_000
    assert claims.claim("request-token") is Claim.FIRST
    assert claims.claim("request-token") is Claim.SPENT
    assert 0 < client.pttl(key) <= 600_000
    client.close()
