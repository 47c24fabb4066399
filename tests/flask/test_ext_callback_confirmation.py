"""A callback that did not come from Ipernity's page stores nothing until the visitor confirms.

The attack (issue 19): the attacker approves a login as himself and keeps the
frob. While the victim's own login is pending — she started it herself, or a
page of his started it in a browser without Fetch Metadata — his page sends
her browser to ``/callback?frob=<his frob>``, with no ``Referer`` (a
``no-referrer`` page) or with his own. The callback trusts only a navigation
from Ipernity's page or this site: anything else shows a page naming the
account, and only its POST, with the session's CSRF token, logs in.

These sites run with ``TESTING`` off: in testing mode, a callback that sends
no ``Sec-Fetch-*``, ``Origin`` or ``Referer`` at all (Flask's test client) is
taken at its word (see the last tests).
"""

from __future__ import annotations

import re
import secrets
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from sites import SiteFactory, frob_for, session_of
from werkzeug.test import TestResponse

from flask_ipernity import held_login, login_failed
from flask_ipernity.held_login import HOLD_SECONDS
from flask_ipernity.login_state import MAX_PENDING
from flask_ipernity.redirects import MAX_NEXT_LENGTH
from ipernity.sandbox import Sandbox, User

#: A page of another site, as its Referer names it.
ATTACKERS_PAGE = {"Referer": "http://evil.example/trap.html"}


def consent_page(sandbox: Sandbox) -> dict[str, str]:
    """What a browser sends coming back from the sandbox's consent page: its origin."""
    parts = urlsplit(sandbox.authorize_url)
    return {"Referer": f"{parts.scheme}://{parts.netloc}/"}


def csrf_of(page: str) -> str:
    """The CSRF token of the page's form."""
    found = re.search(r'name="csrf_token" value="([^"]*)"', page)
    assert found, page
    return found.group(1)


@pytest.fixture
def site(make_site: SiteFactory) -> Flask:
    return make_site(TESTING=False)


@pytest.fixture
def victim(site: Flask) -> FlaskClient:
    """A browser whose own login is pending."""
    client = site.test_client()
    assert client.get("/login?next=/me").status_code == 302
    return client


@pytest.fixture
def mallory(sandbox: Sandbox) -> User:
    return sandbox.add_user(f"mallory{secrets.token_hex(4)}", realname="Mallory Durand")


@pytest.fixture
def attackers_frob(site: Flask, sandbox: Sandbox, mallory: User) -> str:
    return frob_for(site.test_client(), sandbox, mallory)


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/me").status_code == 200


def answer_confirmation(client: FlaskClient, answer: str) -> TestResponse:
    token = csrf_of(client.get("/login/confirm").text)
    return client.post("/login/confirm", data={"csrf_token": token, "answer": answer})


# -- the attack ---------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, ATTACKERS_PAGE], ids=["no-referrer", "attackers-page"])
def test_a_forged_callback_logs_the_victim_in_as_nobody(
    victim: FlaskClient, attackers_frob: str, headers: dict[str, str]
) -> None:
    answer = victim.get(f"/callback?frob={attackers_frob}", headers=headers)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login/confirm"
    assert "ipernity_token" not in session_of(victim)
    assert not is_logged_in(victim)


def test_the_confirmation_names_the_account_the_login_opens(
    victim: FlaskClient, attackers_frob: str, mallory: User
) -> None:
    victim.get(f"/callback?frob={attackers_frob}")
    page = victim.get("/login/confirm").text
    assert f"Continue as Mallory Durand ({mallory.username})" in page
    assert "No, log in as someone else" in page


def test_the_confirmation_escapes_the_members_names(
    site: Flask, victim: FlaskClient, sandbox: Sandbox
) -> None:
    member = sandbox.add_user(
        f"m{secrets.token_hex(4)}", realname='<img src=x onerror="alert(1)">'
    )
    victim.get(f"/callback?frob={frob_for(site.test_client(), sandbox, member)}")
    page = victim.get("/login/confirm").text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page


def test_the_confirmation_cannot_be_framed_or_cached_and_shows_no_token(
    victim: FlaskClient, attackers_frob: str
) -> None:
    victim.get(f"/callback?frob={attackers_frob}")
    answer = victim.get("/login/confirm")
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert answer.headers["Cache-Control"] == "no-store"
    assert held_login_token(victim) not in answer.text


def held_login_token(client: FlaskClient) -> str:
    """The token the client's session holds for confirmation."""
    serializer = URLSafeSerializer("a secret for the tests", salt="flask-ipernity.held-login")
    [signed] = session_of(client)["ipernity_held"]
    return str(serializer.loads(signed)["k"]["token"])


# -- what is trusted at once --------------------------------------------------------


@pytest.mark.parametrize(
    "referer",
    [
        "consent-page",
        "consent-page-full-url",
        "http://localhost/albums",
        "http://LOCALHOST/",
    ],
)
def test_a_callback_from_ipernitys_page_or_this_site_logs_in_at_once(
    victim: FlaskClient, sandbox: Sandbox, alice: User, referer: str
) -> None:
    frob = frob_for(victim, sandbox, alice, "?next=/me")
    headers = {
        "consent-page": consent_page(sandbox),
        "consent-page-full-url": {"Referer": sandbox.authorize_url + "?api_key=k"},
    }.get(referer, {"Referer": referer})
    answer = victim.get(f"/callback?frob={frob}", headers=headers)
    assert answer.headers["Location"] == "/me"
    assert client_member(victim) == alice.username


def client_member(client: FlaskClient) -> str:
    return str(client.get("/me").get_json()["member"]["username"])


#: Hosts that are not this site (``localhost``) nor the sandbox (``{host}:{port}``),
#: but look like them.
LOOKALIKES = [
    "http://evil-localhost/",  # a prefix
    "http://localhost.evil.example/",  # a suffix
    "http://attackerlocalhost/",
    "http://localhost:8080/",  # another port
    "http://localhost@evil.example/",  # a user name
    "http://user@localhost/",
    "http://{host}:{other_port}/",
    "http://{host}.evil.example:{port}/",
    "http://evil-{host}:{port}/",
    "http://x@{host}:{port}/",
    "ftp://{host}:{port}/",
    "null",
    "http://[::1/broken",
]


@pytest.mark.parametrize("referer", LOOKALIKES)
def test_a_callback_from_a_lookalike_host_waits_for_confirmation(
    victim: FlaskClient, sandbox: Sandbox, attackers_frob: str, referer: str
) -> None:
    parts = urlsplit(sandbox.base_url)
    assert parts.port is not None
    referer = referer.format(host=parts.hostname, port=parts.port, other_port=parts.port + 1)
    answer = victim.get(f"/callback?frob={attackers_frob}", headers={"Referer": referer})
    assert answer.headers["Location"] == "/login/confirm"
    assert "ipernity_token" not in session_of(victim)


def test_a_callback_loaded_as_an_image_on_this_site_is_refused_and_keeps_the_login_pending(
    victim: FlaskClient, attackers_frob: str
) -> None:
    # <img src="/callback?frob=..."> in a member's comment on one of the site's pages.
    image = {
        "Sec-Fetch-Site": "same-origin",
        "Sec-Fetch-Mode": "no-cors",
        "Sec-Fetch-Dest": "image",
        "Referer": "http://localhost/albums",
    }
    answer = victim.get(f"/callback?frob={attackers_frob}", headers=image)
    assert answer.status_code == 403
    assert "ipernity_token" not in session_of(victim)
    assert len(session_of(victim)["ipernity_pending"]) == 1


# -- the visitor's answer -------------------------------------------------------------


def test_confirming_logs_the_member_in_and_goes_to_next(
    victim: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    frob = frob_for(victim, sandbox, alice, "?next=/me")
    victim.get(f"/callback?frob={frob}")
    answer = answer_confirmation(victim, "continue")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/me"
    assert client_member(victim) == alice.username
    assert "ipernity_held" not in session_of(victim)


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_a_confirmation_posted_without_the_sessions_token_stores_nothing(
    victim: FlaskClient, attackers_frob: str, token: str | None
) -> None:
    victim.get(f"/callback?frob={attackers_frob}")
    data = {"answer": "continue"} if token is None else {"answer": "continue", "csrf_token": token}
    assert victim.post("/login/confirm", data=data).status_code == 400
    assert not is_logged_in(victim)


def test_declining_starts_a_login_of_the_visitors_own(
    victim: FlaskClient, attackers_frob: str, sandbox: Sandbox
) -> None:
    victim.get(f"/callback?frob={attackers_frob}")
    answer = answer_confirmation(victim, "other")
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith(sandbox.authorize_url + "?")
    session = session_of(victim)
    assert "ipernity_held" not in session
    assert "ipernity_token" not in session
    assert len(session["ipernity_pending"]) == 1


def test_cancelling_forgets_the_held_login(victim: FlaskClient, attackers_frob: str) -> None:
    victim.get(f"/callback?frob={attackers_frob}")
    answer = answer_confirmation(victim, "cancel")
    assert answer.headers["Location"] == "/"
    assert "ipernity_held" not in session_of(victim)
    assert victim.get("/login/confirm").status_code == 400
    assert not is_logged_in(victim)


def test_a_held_login_not_confirmed_in_time_logs_nobody_in(
    victim: FlaskClient, attackers_frob: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim.get(f"/callback?frob={attackers_frob}")
    token = csrf_of(victim.get("/login/confirm").text)
    later = held_login.time.time() + HOLD_SECONDS + 1
    monkeypatch.setattr(held_login, "time", SimpleNamespace(time=lambda: later))
    answer = victim.post("/login/confirm", data={"csrf_token": token, "answer": "continue"})
    assert answer.status_code == 400
    assert "ipernity_token" not in session_of(victim)


def test_a_held_login_keeps_the_visitors_current_login_until_she_answers(
    site: Flask, sandbox: Sandbox, alice: User, attackers_frob: str
) -> None:
    client = site.test_client()
    frob = frob_for(client, sandbox, alice)
    client.get(f"/callback?frob={frob}", headers=consent_page(sandbox))
    client.get("/login")
    client.get(f"/callback?frob={attackers_frob}")
    assert client_member(client) == alice.username


# -- testing mode -----------------------------------------------------------------------


def test_in_testing_mode_a_callback_that_says_nothing_of_its_origin_logs_in(
    make_site: SiteFactory, sandbox: Sandbox, alice: User
) -> None:
    client = make_site(TESTING=True).test_client()
    frob = frob_for(client, sandbox, alice, "?next=/me")
    assert client.get(f"/callback?frob={frob}").headers["Location"] == "/me"


def test_in_testing_mode_a_callback_from_another_site_still_waits(
    make_site: SiteFactory, sandbox: Sandbox, mallory: User
) -> None:
    site = make_site(TESTING=True)
    frob = frob_for(site.test_client(), sandbox, mallory)
    client = site.test_client()
    client.get("/login")
    answer = client.get(f"/callback?frob={frob}", headers=ATTACKERS_PAGE)
    assert answer.headers["Location"] == "/login/confirm"


def test_a_held_login_keeps_the_session_cookie_far_below_4_kb(
    site: Flask, sandbox: Sandbox
) -> None:
    # The worst case: logged in with long names, the other tabs' logins with the
    # longest next, and a login held for a member with long names too.
    client = site.test_client()
    long_names = {"realname": "R" * 120}
    member = sandbox.add_user("m" + secrets.token_hex(20), **long_names)
    frob = frob_for(client, sandbox, member, "?perm_doc=delete&perm_blog=delete")
    client.get(f"/callback?frob={frob}", headers=consent_page(sandbox))
    for _ in range(MAX_PENDING):
        long_next = "/" + secrets.token_urlsafe(MAX_NEXT_LENGTH)[: MAX_NEXT_LENGTH - 1]
        client.get("/login", query_string={"next": long_next})
    other = sandbox.add_user("o" + secrets.token_hex(20), **long_names)
    client.get(f"/callback?frob={frob_for(site.test_client(), sandbox, other)}")
    assert "ipernity_held" in session_of(client)
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert len(cookie.value) < 2048


def test_declining_is_reported_as_a_failed_login(
    site: Flask, victim: FlaskClient, attackers_frob: str
) -> None:
    reasons: list[str] = []

    def receiver(sender: Flask, reason: str, **extra: object) -> None:
        reasons.append(reason)

    victim.get(f"/callback?frob={attackers_frob}")
    with login_failed.connected_to(receiver, sender=site):
        answer_confirmation(victim, "cancel")
    assert reasons == ["declined"]
