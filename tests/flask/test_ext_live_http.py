"""The site over real HTTP: a threaded server, the sandbox, browsers with cookie jars."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

from sites import Browser, LiveSite

from ipernity.sandbox import Sandbox, User


def test_a_member_logs_in_over_http_and_comes_back_to_next(browser: Browser, alice: User) -> None:
    answer = browser.log_in(alice, "/login?next=/me")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/me"
    me = browser.get("/me").json()
    assert me["member"]["username"] == alice.username


def test_the_sandbox_calls_the_site_back_at_its_registered_url(
    browser: Browser, live_site: LiveSite, alice: User
) -> None:
    browser.log_in(alice)
    assert browser.get("/me/from-api").json() == {"username": alice.username}


def test_a_protected_page_leads_through_the_whole_login_over_http(
    browser: Browser, alice: User
) -> None:
    to_login = browser.get("/write?draft=1")
    assert to_login.status_code == 302
    login_path = to_login.headers["Location"]
    assert parse_qs(urlsplit(login_path).query)["perm_doc"] == ["write"]
    answer = browser.log_in(alice, login_path)
    assert answer.headers["Location"] == "/write?draft=1"
    assert browser.get("/write?draft=1").text == "you may write"


def test_a_forged_callback_over_http_is_refused(
    browser: Browser, live_site: LiveSite, sandbox: Sandbox, alice: User
) -> None:
    attacker = Browser(live_site, sandbox)
    try:
        attackers_callback = attacker.approve(alice)
    finally:
        attacker.close()
    answer = browser.http.get(attackers_callback, allow_redirects=False, timeout=10)
    assert answer.status_code == 403
    assert browser.get("/me").status_code == 302


def test_a_revoked_token_over_http_sends_the_member_to_log_in(
    browser: Browser, sandbox: Sandbox, alice: User
) -> None:
    browser.log_in(alice)
    sandbox.revoke(browser.session_token())
    answer = browser.get("/me/from-api")
    assert answer.status_code == 302
    assert urlsplit(answer.headers["Location"]).path == "/login"
    assert browser.get("/me").status_code == 302


def test_logging_out_over_http_with_the_form(browser: Browser, alice: User) -> None:
    browser.log_in(alice)
    page = browser.get("/logout").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = browser.http.post(
        browser.site.url + "/logout",
        data={"csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    assert browser.get("/me").status_code == 302


def test_many_members_at_once_each_see_only_themselves(
    live_site: LiveSite, sandbox: Sandbox
) -> None:
    members = [sandbox.add_user(f"crowd{n}_{secrets.token_hex(4)}") for n in range(16)]

    def visit(member: User) -> list[str]:
        visitor = Browser(live_site, sandbox)
        try:
            visitor.log_in(member)
            seen = []
            for _ in range(5):
                seen.append(visitor.get("/me").json()["member"]["username"])
                seen.append(visitor.get("/me/from-api").json()["username"])
            return seen
        finally:
            visitor.close()

    with ThreadPoolExecutor(max_workers=len(members)) as pool:
        results = list(pool.map(visit, members))
    for member, seen in zip(members, results, strict=True):
        assert seen == [member.username] * 10
