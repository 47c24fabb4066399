"""Other sites against the sandbox's pages, over HTTP: DNS rebinding (a foreign
``Host``), forged sign-in and sign-out forms, and the headers that forbid framing.

The framing and the cross-site form are also replayed in Chromium
(``tests/e2e/test_sandbox_attacks_browser.py``).
"""

from __future__ import annotations

import re

import pytest
import requests

from ipernity import permissions
from ipernity.sandbox import Sandbox
from ipernity.signing import signature

MEMBER_COOKIE = "ipernity_sandbox_member"


def port_of(sandbox: Sandbox) -> int:
    return int(sandbox.base_url.rstrip("/").rsplit(":", 1)[1])


def consent_link(sandbox: Sandbox, app) -> str:
    params = {"api_key": app.api_key, **permissions.link_params({"doc": "write"})}
    params["api_sig"] = signature(params, app.api_secret)
    return requests.Request("GET", sandbox.authorize_url, params=params).prepare().url or ""


# -- DNS rebinding ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "signin", "apps/authorize", "apps/oauth/authorize", "x"])
def test_a_page_asked_for_under_a_rebound_name_is_refused(
    sandbox: Sandbox, alice, path: str
) -> None:
    # attacker.test was made to resolve to 127.0.0.1: the browser names it in Host.
    answer = requests.get(
        sandbox.base_url + path,
        headers={"Host": f"attacker.test:{port_of(sandbox)}"},
        cookies=sandbox.signin_cookies(alice),
        timeout=10,
    )
    assert answer.status_code == 400
    assert "answers only to its own address" in answer.text
    assert alice.username not in answer.text
    assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize(
    "name",
    [
        "localhost.attacker.test",
        "attacker-localhost",
        "localhostattacker.test",
        "127.0.0.1.attacker.test",
        "evil.localhost.attacker.test",
    ],
)
def test_a_rebound_name_that_looks_local_is_refused(sandbox: Sandbox, alice, name: str) -> None:
    # Names the attacker controls, each with "localhost" or an address in it.
    answer = requests.get(
        sandbox.base_url + "signin",
        headers={"Host": f"{name}:{port_of(sandbox)}"},
        cookies=sandbox.signin_cookies(alice),
        timeout=10,
    )
    assert answer.status_code == 400
    assert alice.username not in answer.text


def test_a_sign_in_under_a_rebound_name_signs_nobody_in(sandbox: Sandbox) -> None:
    # Under the rebound name, the attacker's page reads the form and posts it back.
    rebound = {"Host": f"attacker.test:{port_of(sandbox)}"}
    with requests.Session() as attacker:
        page = attacker.get(sandbox.base_url + "signin", headers=rebound, timeout=10).text
        token = re.search(r"name='form_token' value='([^']*)'", page)
        answer = attacker.post(
            sandbox.base_url + "signin",
            headers=rebound,
            data={"username": "rebound-mallory", "form_token": token.group(1) if token else ""},
            allow_redirects=False,
            timeout=10,
        )
    assert token is None
    assert answer.status_code == 400
    assert sandbox.store.one("SELECT 1 FROM users WHERE username = 'rebound-mallory'") is None


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "dev.localhost"])
def test_the_sandbox_answers_to_addresses_and_localhost(sandbox: Sandbox, host: str) -> None:
    answer = requests.get(
        sandbox.base_url, headers={"Host": f"{host}:{port_of(sandbox)}"}, timeout=10
    )
    assert answer.status_code == 200


def test_what_programs_call_answers_any_host_name(sandbox: Sandbox, web_app, alice) -> None:
    # A program in another container calls the sandbox by its service name.
    named = {"Host": f"sandbox:{port_of(sandbox)}"}
    doc = sandbox.add_doc(alice, "Reached by name")
    secret = sandbox.store.scalar("SELECT secret FROM docs WHERE doc_id = ?", (doc.doc_id,))
    echo = requests.get(
        sandbox.api_url + "test.echo/json",
        params={"api_key": web_app.api_key, "echo": "hi"},
        headers=named,
        timeout=10,
    )
    thumb = requests.get(
        f"{sandbox.base_url}media/{doc.doc_id}.{secret}.100.jpg", headers=named, timeout=10
    )
    assert echo.json()["echo"] == "hi"
    assert thumb.status_code == 200


def test_the_sandbox_answers_to_the_host_of_its_url() -> None:
    with Sandbox() as own, own.serve(port=0):
        own.url = f"http://pages.example.test:{port_of(own)}/"
        host = f"pages.example.test:{port_of(own)}"
        answer = requests.get(own.base_url, headers={"Host": host}, timeout=10)
    assert answer.status_code == 200


def test_the_sandbox_answers_to_a_name_it_is_told_of() -> None:
    with Sandbox() as own, own.serve(port=0):
        own.settings.allowed_hosts.add("Laptop.example")
        host = f"laptop.example:{port_of(own)}"
        answer = requests.get(own.base_url, headers={"Host": host}, timeout=10)
    assert answer.status_code == 200


def test_the_sandbox_answers_to_the_name_it_was_started_on() -> None:
    with Sandbox() as own, own.serve(host="localhost", port=0):
        answer = requests.get(own.base_url, timeout=10)
    assert answer.status_code == 200
    assert "localhost" in own.settings.allowed_hosts


@pytest.mark.parametrize("host", ["attacker.test:1:2", "[::1", "127.0.0.1:port", ""])
def test_a_malformed_host_is_refused(sandbox: Sandbox, host: str) -> None:
    answer = requests.get(sandbox.base_url, headers={"Host": host}, timeout=10)
    assert answer.status_code == 400


# -- forged forms ------------------------------------------------------------------------


def test_a_sign_in_form_without_its_token_signs_nobody_in(sandbox: Sandbox) -> None:
    # What another site's auto-submitted form sends: no token, no form cookie.
    answer = requests.post(
        sandbox.base_url + "signin",
        data={"username": "forged-mallory"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 400
    assert "This form has expired" in answer.text
    assert MEMBER_COOKIE not in answer.cookies
    assert sandbox.store.one("SELECT 1 FROM users WHERE username = 'forged-mallory'") is None


def test_a_sign_in_form_with_another_browsers_token_signs_nobody_in(sandbox: Sandbox) -> None:
    with requests.Session() as attacker, requests.Session() as victim:
        page = attacker.get(sandbox.base_url + "signin", timeout=10).text
        stolen = re.search(r"name='form_token' value='([^']*)'", page)
        assert stolen
        victim.get(sandbox.base_url + "signin", timeout=10)
        answer = victim.post(
            sandbox.base_url + "signin",
            data={"username": "token-mallory", "form_token": stolen.group(1)},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 400
        assert MEMBER_COOKIE not in victim.cookies


def test_signing_out_without_the_form_token_keeps_the_member_signed_in(
    sandbox: Sandbox, alice
) -> None:
    answer = requests.post(
        sandbox.base_url + "signout",
        cookies=sandbox.signin_cookies(alice),
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 400
    assert MEMBER_COOKIE not in answer.headers.get("Set-Cookie", "")


# -- framing -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "signin", "nowhere", "home/{user}", "apps/authorize"])
def test_no_page_may_be_framed(sandbox: Sandbox, alice, web_app, path: str) -> None:
    url = sandbox.base_url + path.format(user=alice.username)
    if path == "apps/authorize":
        url = consent_link(sandbox, web_app)
    answer = requests.get(url, cookies=sandbox.signin_cookies(alice), timeout=10)
    assert answer.headers["Content-Type"].startswith("text/html")
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_the_consent_page_keeps_the_browsers_referrer_policy(
    sandbox: Sandbox, alice, web_app
) -> None:
    # Sites recognise Ipernity's redirect to their callback by the Referer's origin.
    answer = requests.get(
        consent_link(sandbox, web_app), cookies=sandbox.signin_cookies(alice), timeout=10
    )
    assert "<form name='fa'" in answer.text
    assert "Referrer-Policy" not in answer.headers
    assert "referrer" not in answer.text
