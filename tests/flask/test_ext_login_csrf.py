"""Login CSRF: another site must not start a login whose callback it then forges.

The attack: the attacker approves a login as himself and keeps the frob; he
makes the victim's browser open the site's ``/login`` and then
``/callback?frob=<his frob>``. A login another site starts only shows a page
whose button posts it with the session's CSRF token.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import DictLoader
from sites import frob_for, session_of

from flask_ipernity.csrf import host_of
from ipernity.pytest_plugin import approve
from ipernity.sandbox import Sandbox, User

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}


def fetch(site: str, mode: str, dest: str) -> dict[str, str]:
    """The ``Sec-Fetch-*`` headers a browser sends with a request."""
    return {"Sec-Fetch-Site": site, "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest}


def form_fields(page: str) -> dict[str, str]:
    """The hidden fields of the confirmation page's form."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


@pytest.mark.parametrize(
    "headers",
    [
        CROSS_SITE,
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/trap.html"},
        # Sec-Fetch-Site is what the browser saw across redirects: it wins over Referer.
        {"Sec-Fetch-Site": "cross-site", "Referer": "http://localhost/albums"},
        # <img src="/login"> in a member's comment on one of the site's own pages.
        fetch("same-origin", "no-cors", "image"),
        fetch("same-origin", "navigate", "iframe"),
        fetch("same-origin", "cors", "empty"),
    ],
    ids=[
        "cross-site",
        "same-site",
        "origin",
        "null-origin",
        "referer",
        "redirected",
        "image-on-this-site",
        "frame-on-this-site",
        "fetch-on-this-site",
    ],
)
def test_a_login_another_site_starts_records_nothing(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    answer = client.get("/login?next=/me", headers=headers)
    assert answer.status_code == 200
    assert "Log in with Ipernity" in answer.text
    assert "ipernity_pending" not in session_of(client)


def test_the_confirmation_page_cannot_be_framed_or_cached(client: FlaskClient) -> None:
    answer = client.get("/login", headers=CROSS_SITE)
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        fetch("same-origin", "navigate", "document"),
        fetch("none", "navigate", "document"),
        {"Referer": "http://localhost/albums"},
        {},
    ],
    ids=["own-link", "own-link-full", "typed-address", "own-referer", "no-header"],
)
def test_a_login_the_visitor_starts_goes_to_ipernity_at_once(
    client: FlaskClient, sandbox: Sandbox, headers: dict[str, str]
) -> None:
    answer = client.get("/login?next=/me", headers=headers)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(sandbox.authorize_url + "?")
    assert len(session_of(client)["ipernity_pending"]) == 1


def test_the_forged_login_and_callback_log_the_victim_in_as_nobody(
    app: Flask, client: FlaskClient, sandbox: Sandbox, bob: User
) -> None:
    attackers_frob = frob_for(app.test_client(), sandbox, bob)
    client.get("/login", headers=CROSS_SITE)
    answer = client.get(f"/callback?frob={attackers_frob}", headers=CROSS_SITE)
    assert answer.status_code == 403
    assert "ipernity_token" not in session_of(client)


def test_the_confirmation_button_starts_the_same_login(
    client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    page = client.get("/login?next=/me&perm_blog=write", headers=CROSS_SITE)
    fields = form_fields(page.text)
    assert fields["next"] == "/me"
    assert fields["perm_blog"] == "write"
    answer = client.post("/login", data=fields)
    assert answer.status_code == 303
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["perm_blog"] == ["write"]
    callback = approve(sandbox, alice, answer.headers["Location"])
    done = client.get(callback[callback.index("/callback") :])
    assert done.headers["Location"] == "/me"
    assert client.get("/me").get_json()["member"]["username"] == alice.username


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_a_login_posted_without_the_sessions_token_is_refused(
    client: FlaskClient, token: str | None
) -> None:
    client.get("/login", headers=CROSS_SITE)
    data = {"next": "/me"} if token is None else {"next": "/me", "csrf_token": token}
    answer = client.post("/login", data=data)
    assert answer.status_code == 400
    assert "ipernity_pending" not in session_of(client)


@pytest.mark.parametrize(
    "token", [None, "", "forged"], ids=["no-field", "empty-field", "forged-field"]
)
def test_a_login_posted_from_a_session_that_has_no_token_yet_is_refused(
    client: FlaskClient, token: str | None
) -> None:
    # Another site's form, posted before the visitor ever saw one of this site's.
    data = {"next": "/me"} if token is None else {"next": "/me", "csrf_token": token}
    answer = client.post("/login", data=data)
    assert answer.status_code == 400
    assert "ipernity_pending" not in session_of(client)


#: Hosts that look like the test client's ``localhost`` but are not it.
LOOKALIKES = [
    "http://evil-localhost",  # a prefix
    "http://attackerlocalhost",
    "http://localhost.evil.example",  # a suffix
    "http://localhost:8080",  # a port
    "http://localhost@evil.example",  # a user name
    "http://user:password@localhost",
    "https://localhost.",
]


@pytest.mark.parametrize("header", ["Origin", "Referer"])
@pytest.mark.parametrize("url", LOOKALIKES)
def test_a_login_from_a_lookalike_host_records_nothing(
    client: FlaskClient, header: str, url: str
) -> None:
    answer = client.get("/login?next=/me", headers={header: url + "/page"})
    assert answer.status_code == 200
    assert "ipernity_pending" not in session_of(client)


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_a_login_from_one_of_the_sites_https_pages_goes_to_ipernity_at_once(
    client: FlaskClient, sandbox: Sandbox, header: str
) -> None:
    headers = {header: "https://example.com/albums"}
    answer = client.get("/login?next=/me", base_url="https://example.com", headers=headers)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(sandbox.authorize_url + "?")


@pytest.mark.parametrize(
    "url",
    ["http://user@localhost/page", "http://user:password@localhost/page", "ftp://localhost/"],
    ids=["user-name", "password", "other-scheme"],
)
def test_a_url_with_credentials_or_another_scheme_names_no_host(url: str) -> None:
    assert host_of(url) is None


def test_login_forms_opened_in_two_tabs_both_post(client: FlaskClient, sandbox: Sandbox) -> None:
    first = form_fields(client.get("/login?next=/first", headers=CROSS_SITE).text)
    second = form_fields(client.get("/login?next=/second", headers=CROSS_SITE).text)
    for fields in (first, second):
        answer = client.post("/login", data=fields)
        assert answer.status_code == 303
        assert answer.headers["Location"].startswith(sandbox.authorize_url + "?")


def test_a_login_from_a_host_that_ends_with_the_sites_is_foreign(client: FlaskClient) -> None:
    headers = {"Referer": "http://attackerexample.com/trap.html"}
    answer = client.get("/login", base_url="http://example.com", headers=headers)
    assert answer.status_code == 200
    assert "Log in with Ipernity" in answer.text


def test_a_protected_page_of_the_site_still_logs_in_in_one_step(
    client: FlaskClient, sandbox: Sandbox
) -> None:
    own = {"Sec-Fetch-Site": "same-origin"}
    to_login = client.get("/me", headers=own)
    answer = client.get(to_login.headers["Location"], headers=own)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(sandbox.authorize_url + "?")


OWN_PAGES = {
    "ipernity/login.html": '<main>{% set button_class = "big" %}'
    '{% include "ipernity/login_form.html" %}</main>',
    "ipernity/logout.html": '<main>{% set button_class = "big" %}'
    '{% include "ipernity/logout_form.html" %}</main>',
}


def test_a_sites_own_pages_include_the_extensions_forms(
    app: Flask, client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    app.jinja_loader = DictLoader(OWN_PAGES)
    page = client.get("/login?next=/me", headers=CROSS_SITE).text
    assert page.startswith("<main>")
    assert '<button class="big" type="submit">Log in with Ipernity</button>' in page
    answer = client.post("/login", data=form_fields(page))
    callback = approve(sandbox, alice, answer.headers["Location"])
    assert client.get(callback[callback.index("/callback") :]).headers["Location"] == "/me"
    page = client.get("/logout?next=/me").text
    assert '<button class="big" type="submit">Log out</button>' in page
    assert client.post("/logout", data=form_fields(page)).headers["Location"] == "/me"
    assert "ipernity_token" not in session_of(client)
