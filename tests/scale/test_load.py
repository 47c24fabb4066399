"""Many logged-in visitors at once, through a real WSGI server: nobody sees anybody else.

A smaller run of the benchmark's load test (``make bench`` times 200 visitors
and 10,000 requests); here only correctness is checked: every answer is a 200
naming its own visitor, both by the site's token storage and by Ipernity.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from ipernity.sandbox import Sandbox

from .conftest import Browser, Instance

VISITORS = 50
REQUESTS_EACH = 20
CONCURRENCY = 16


def visit(browser: Browser, instance: Instance) -> list[str]:
    """Log in, then ask ``/me`` again and again; return what was wrong."""
    browser.log_in(instance)
    problems = []
    expected = {"member": browser.member.username, "user": browser.member.username}
    for _ in range(REQUESTS_EACH):
        answer = browser.get(instance, "/me")
        if answer.status_code != 200:
            problems.append(f"{browser.member.username}: HTTP {answer.status_code}")
        elif answer.json() != expected:
            problems.append(f"{browser.member.username} saw {answer.json()}")
    return problems


def run_load(sandbox: Sandbox, instance: Instance) -> list[str]:
    """All visitors at once, ``CONCURRENCY`` at a time; every problem seen."""
    browsers = [
        Browser(sandbox, sandbox.add_user(f"crowd{number}-{id(instance)}"))
        for number in range(VISITORS)
    ]
    try:
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(lambda b: visit(b, instance), browsers))
    finally:
        for browser in browsers:
            browser.close()
    return [problem for problems in results for problem in problems]


def test_concurrent_visitors_see_only_themselves(
    sandbox: Sandbox, start_instance: Callable[..., Instance]
) -> None:
    assert run_load(sandbox, start_instance()) == []


@pytest.mark.redis
def test_concurrent_visitors_see_only_themselves_with_tokens_on_redis(
    sandbox: Sandbox, start_instance: Callable[..., Instance], redis_url: str
) -> None:
    instance = start_instance(SITE_TOKEN_STORAGE=redis_url, SITE_CACHE=redis_url)
    assert run_load(sandbox, instance) == []
