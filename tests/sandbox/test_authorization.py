"""The authorization page and ``auth.*``, driven over HTTP like a browser and a program."""

from __future__ import annotations

import re
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests_oauthlib import OAuth1Session

from ipernity import permissions
from ipernity.sandbox import Sandbox
from ipernity.sandbox.authorize import LISTED_MEMBERS
from ipernity.signing import signature

COOKIE = "ipernity_sandbox_member"


def auth_link(sandbox: Sandbox, app, perms: dict[str, str], frob: str | None = None) -> str:
    """The signed authorization link an application sends the browser to."""
    params = {"api_key": app.api_key, **permissions.link_params(perms)}
    if frob:
        params["frob"] = frob
    params["api_sig"] = signature(params, app.api_secret)
    return requests.Request("GET", sandbox.authorize_url, params=params).prepare().url or ""


def hidden_inputs(html: str) -> dict[str, str]:
    """What a scraper posts back from the consent form."""
    form = re.search(r"<form name=.fa. method=.post.>(.*?)</form>", html, re.S)
    assert form, html
    fields = re.findall(r"<input type='hidden' name='([^']+)' value='([^']*)'>", form.group(1))
    return dict(fields)


@pytest.fixture
def browser(sandbox: Sandbox, alice):
    """A browser in which Alice is signed in on the sandbox."""
    with requests.Session() as session:
        session.cookies.update(sandbox.signin_cookies(alice))
        yield session


def approve(browser: requests.Session, link: str) -> requests.Response:
    """Open the link, then post the consent form back as a scraper would."""
    page = browser.get(link, allow_redirects=False)
    assert page.status_code == 200, page.text
    return browser.post(link, data=hidden_inputs(page.text), allow_redirects=False)


def frob_of(response: requests.Response) -> str:
    location = response.headers["Location"]
    return parse_qs(urlsplit(location).query)["frob"][0]


# -- web applications -------------------------------------------------------------


def test_web_flow_redirects_to_the_callback_with_a_frob_that_gives_the_token(
    sandbox: Sandbox, browser, call, web_app, alice
) -> None:
    answer = approve(browser, auth_link(sandbox, web_app, {"doc": "write"}))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("http://127.0.0.1:9/callback?frob=")
    auth = call(web_app).ok("auth.getToken", frob=frob_of(answer))["auth"]
    assert auth["user"] == {
        "user_id": str(alice.user_id),
        "username": alice.username,
        "realname": "Alice",
    }
    assert auth["permissions"] == {
        "doc": "write",
        "blog": "none",
        "post": "none",
        "network": "none",
        "profile": "none",
    }
    assert call(web_app, auth["token"]).ok("user.get")["user"]["user_id"] == str(alice.user_id)


def test_the_consent_page_names_the_app_and_the_permissions(
    sandbox: Sandbox, browser, web_app
) -> None:
    page = browser.get(auth_link(sandbox, web_app, {"doc": "read", "network": "read"})).text
    assert web_app.name in page
    assert "doc: read" in page
    assert "network: read" in page
    assert "name='deny'" in page


def test_a_callback_with_a_query_keeps_it(sandbox: Sandbox, browser, alice) -> None:
    app = sandbox.add_app(
        "Query " + alice.username, auth="web", callback="http://example.test/cb?next=%2Fhome"
    )
    answer = approve(browser, auth_link(sandbox, app, {"doc": "read"}))
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["next"] == ["/home"]
    assert "frob" in query


def test_an_app_already_granted_is_redirected_at_once(
    sandbox: Sandbox, browser, web_app, alice
) -> None:
    sandbox.grant(alice, web_app, {"doc": "write"})
    answer = browser.get(auth_link(sandbox, web_app, {"doc": "read"}), allow_redirects=False)
    assert answer.status_code == 302
    assert "frob=" in answer.headers["Location"]


def test_asking_for_more_shows_the_consent_page_and_upgrades(
    sandbox: Sandbox, browser, call, web_app, alice
) -> None:
    first = sandbox.grant(alice, web_app, {"doc": "write"})
    link = auth_link(sandbox, web_app, {"network": "read"})
    answer = approve(browser, link)
    auth = call(web_app).ok("auth.getToken", frob=frob_of(answer))["auth"]
    assert auth["permissions"]["doc"] == "write"
    assert auth["permissions"]["network"] == "read"
    # One grant per member and application: the token stays the same.
    assert auth["token"] == first["token"]


def test_levels_never_go_down(sandbox: Sandbox, web_app, alice) -> None:
    sandbox.grant(alice, web_app, {"doc": "delete"})
    assert sandbox.grant(alice, web_app, {"doc": "read"})["permissions"]["doc"] == "delete"


def test_denying_grants_nothing(sandbox: Sandbox, browser, web_app, alice) -> None:
    link = auth_link(sandbox, web_app, {"doc": "read"})
    page = browser.get(link)
    answer = browser.post(
        link, data={**hidden_inputs(page.text), "deny": "1"}, allow_redirects=False
    )
    assert answer.status_code == 200
    assert "declined" in answer.text
    again = browser.get(link, allow_redirects=False)
    assert again.status_code == 200  # the consent page again, no redirect


def deny(browser: requests.Session, link: str) -> requests.Response:
    """Open the consent page at ``link`` and press Deny."""
    page = browser.get(link)
    return browser.post(link, data={**hidden_inputs(page.text), "deny": "1"})


def test_denying_a_web_application_links_back_to_its_site(
    sandbox: Sandbox, browser, web_app
) -> None:
    answer = deny(browser, auth_link(sandbox, web_app, {"doc": "read"}))
    assert "<h1>Authorization declined</h1>" in answer.text
    assert f"<a href='http://127.0.0.1:9/'>Back to {web_app.name}</a>" in answer.text


def test_denying_a_desktop_application_says_to_go_back_to_it(
    sandbox: Sandbox, browser, call, desktop_app
) -> None:
    frob = call(desktop_app).ok("auth.getFrob")["auth"]["frob"]
    answer = deny(browser, auth_link(sandbox, desktop_app, {"doc": "read"}, frob))
    assert f"close this window and go back to {desktop_app.name}" in answer.text


def test_denying_an_oauth_application_links_back_to_its_callbacks_site(
    sandbox: Sandbox, browser, web_app
) -> None:
    session = OAuth1Session(
        web_app.api_key,
        client_secret=web_app.api_secret,
        callback_uri="http://127.0.0.1:9/oauth-callback",
    )
    token = session.fetch_request_token(sandbox.oauth_url + "request", timeout=30)
    link = f"{sandbox.oauth_url}authorize?oauth_token={token['oauth_token']}&perm_doc=read"
    answer = deny(browser, link)
    assert f"<a href='http://127.0.0.1:9/'>Back to {web_app.name}</a>" in answer.text


def test_the_consent_page_offers_to_use_another_member(
    sandbox: Sandbox, web_app, alice, bob, sign_in
) -> None:
    link = auth_link(sandbox, web_app, {"doc": "read"})
    with requests.Session() as browser:
        sign_in(browser, sandbox, alice.username)
        consent = browser.get(link).text
        switch = re.search(r"Not \w+\? <a href='([^']*)'>Use another member</a>", consent)
        assert switch
        target = parse_qs(urlsplit(switch.group(1).replace("&amp;", "&")).query)["next"][0]
        back = sign_in(browser, sandbox, bob.username, next=target)
        again = browser.get(sandbox.base_url.rstrip("/") + back.headers["Location"]).text
    assert f"Signed in as <strong>{bob.username}</strong>" in again
    assert "<form name='fa' method='post'>" in again


def test_a_posted_form_without_the_nonce_grants_nothing(
    sandbox: Sandbox, browser, web_app
) -> None:
    link = auth_link(sandbox, web_app, {"doc": "read"})
    answer = browser.post(link, data={"approve": "1"}, allow_redirects=False)
    assert answer.status_code == 400


def test_a_stranger_is_sent_to_sign_in_and_back(sandbox: Sandbox, web_app, alice, sign_in) -> None:
    link = auth_link(sandbox, web_app, {"doc": "read"})
    with requests.Session() as stranger:
        answer = stranger.get(link, allow_redirects=False)
        assert answer.status_code == 302
        signin = answer.headers["Location"]
        assert "/signin?next=" in signin
        next_path = parse_qs(urlsplit(signin).query)["next"][0]
        back = sign_in(stranger, sandbox, alice.username, next=next_path)
        assert back.status_code == 302
        assert back.headers["Location"].startswith("/apps/authorize?")
        assert COOKIE in stranger.cookies
        assert "session" not in stranger.cookies
        consent = stranger.get(sandbox.base_url.rstrip("/") + back.headers["Location"])
        assert "<form name='fa' method='post'>" in consent.text


def test_signing_in_with_a_new_name_creates_the_member(sandbox: Sandbox, http, sign_in) -> None:
    name = f"newcomer{time.monotonic_ns()}"
    sign_in(http, sandbox, name)
    assert sandbox.store.one("SELECT 1 FROM users WHERE username = ?", (name,)) is not None


def newcomer(sandbox: Sandbox, name: str):
    """Add a member whose username starts with ``name``."""
    return sandbox.add_user(f"{name}-{secrets.token_hex(6)}")


def crowd(sandbox: Sandbox) -> None:
    """Add more members than the sign-in page lists."""
    for _ in range(LISTED_MEMBERS):
        newcomer(sandbox, "crowd")


def listed_members(page: str) -> list[str]:
    """The usernames the sign-in page offers as buttons, in order."""
    return re.findall(r"<button name='username' value='([^']*)'>", page)


def test_the_sign_in_page_lists_members_in_the_order_they_joined() -> None:
    with Sandbox() as own, own.serve(port=0):
        own.add_user("alice", "Alice Martin")
        own.add_user("bob", "Bob Durand")
        page = requests.get(own.base_url + "signin", timeout=10).text
    assert listed_members(page) == ["alice", "bob"]
    assert "newest" not in page


def test_in_a_crowded_sandbox_the_sign_in_page_offers_the_latest_members(
    sandbox: Sandbox, http
) -> None:
    crowd(sandbox)
    earlier, newest = newcomer(sandbox, "earlier"), newcomer(sandbox, "newest")
    page = http.get(sandbox.base_url + "signin").text
    assert listed_members(page)[-2:] == [earlier.username, newest.username]
    assert len(listed_members(page)) == LISTED_MEMBERS
    assert "who joined earlier are not listed: type their name" in page


def test_typing_the_name_of_an_unlisted_member_signs_them_in(
    sandbox: Sandbox, alice, sign_in
) -> None:
    crowd(sandbox)
    with requests.Session() as stranger:
        assert alice.username not in listed_members(stranger.get(sandbox.base_url + "signin").text)
        sign_in(stranger, sandbox, alice.username)
        assert stranger.cookies[COOKIE] == sandbox.signin_cookies(alice)[COOKIE]


def test_sign_in_never_redirects_to_another_site(sandbox: Sandbox, alice, http, sign_in) -> None:
    answer = sign_in(http, sandbox, alice.username, next="//evil.test/x")
    assert answer.headers["Location"] == "/"


def test_a_forged_cookie_is_not_signed_in(sandbox: Sandbox, web_app, alice) -> None:
    with requests.Session() as forger:
        forger.cookies.set(COOKIE, f"{alice.user_id}.{'0' * 32}")
        answer = forger.get(auth_link(sandbox, web_app, {"doc": "read"}), allow_redirects=False)
    assert "/signin" in answer.headers["Location"]


def test_a_bad_signature_is_an_error_page_and_grants_nothing(
    sandbox: Sandbox, browser, web_app
) -> None:
    link = auth_link(sandbox, web_app, {"doc": "read"}).replace("perm_doc=read", "perm_doc=delete")
    answer = browser.get(link, allow_redirects=False)
    assert answer.status_code == 400
    assert "signature" in answer.text
    assert web_app.api_secret not in answer.text
    assert browser.post(link, data={"nonce": "x"}, allow_redirects=False).status_code == 400


def test_a_link_signed_with_a_method_name_is_refused(sandbox: Sandbox, browser, web_app) -> None:
    params = {"api_key": web_app.api_key, "perm_doc": "read"}
    params["api_sig"] = signature(params, web_app.api_secret, "auth.getToken")
    assert browser.get(sandbox.authorize_url, params=params).status_code == 400


def test_an_unknown_key_is_an_error_page(sandbox: Sandbox, browser) -> None:
    params = {"api_key": "0" * 32, "perm_doc": "read"}
    params["api_sig"] = signature(params, "whatever")
    assert browser.get(sandbox.authorize_url, params=params).status_code == 403


def test_a_link_asking_for_no_permission_gives_a_token_that_only_identifies(
    sandbox: Sandbox, browser, call, web_app, alice
) -> None:
    frob = frob_of(approve(browser, auth_link(sandbox, web_app, {})))
    token = call(web_app).ok("auth.getToken", frob=frob)["auth"]
    assert token["permissions"] == dict.fromkeys(permissions.TARGETS, "none")
    assert token["user"]["user_id"] == str(alice.user_id)


def test_an_unknown_level_is_an_error_page(sandbox: Sandbox, browser, web_app) -> None:
    params = {"api_key": web_app.api_key, "perm_doc": "everything"}
    params["api_sig"] = signature(params, web_app.api_secret)
    assert browser.get(sandbox.authorize_url, params=params).status_code == 400


def test_a_frob_works_only_once(sandbox: Sandbox, browser, call, web_app) -> None:
    frob = frob_of(approve(browser, auth_link(sandbox, web_app, {"doc": "read"})))
    call(web_app).ok("auth.getToken", frob=frob)
    assert call(web_app).error("auth.getToken", frob=frob) == 1


def test_a_frob_expires(sandbox: Sandbox, browser, call, web_app) -> None:
    sandbox.settings.frob_ttl = 0.2
    try:
        frob = frob_of(approve(browser, auth_link(sandbox, web_app, {"doc": "read"})))
    finally:
        sandbox.settings.frob_ttl = 300
    time.sleep(0.3)
    assert call(web_app).error("auth.getToken", frob=frob) == 1


def test_a_frob_belongs_to_its_application(
    sandbox: Sandbox, browser, call, web_app, desktop_app
) -> None:
    frob = frob_of(approve(browser, auth_link(sandbox, web_app, {"doc": "read"})))
    assert call(desktop_app).error("auth.getToken", frob=frob) == 1


def test_an_unknown_frob_is_1(call, web_app) -> None:
    assert call(web_app).error("auth.getToken", frob="nope") == 1


def test_get_token_without_frob_is_1(call, web_app) -> None:
    assert call(web_app).error("auth.getToken") == 1


# -- desktop applications ---------------------------------------------------------


def test_desktop_flow_confirms_and_makes_the_frob_exchangeable(
    sandbox: Sandbox, browser, call, desktop_app, alice
) -> None:
    program = call(desktop_app)
    frob = program.ok("auth.getFrob")["auth"]["frob"]
    assert program.error("auth.getToken", frob=frob) == 2  # not approved yet: poll again
    answer = approve(browser, auth_link(sandbox, desktop_app, {"doc": "read"}, frob))
    assert answer.status_code == 200
    assert '<div class="ok">' in answer.text.replace("'", '"')
    assert frob not in answer.text
    auth = program.ok("auth.getToken", frob=frob)["auth"]
    assert auth["user"]["username"] == alice.username
    assert auth["permissions"]["doc"] == "read"


def test_desktop_app_already_granted_is_confirmed_at_once(
    sandbox: Sandbox, browser, call, desktop_app, alice
) -> None:
    sandbox.grant(alice, desktop_app, {"doc": "write"})
    frob = call(desktop_app).ok("auth.getFrob")["auth"]["frob"]
    page = browser.get(auth_link(sandbox, desktop_app, {"doc": "read"}, frob))
    assert "class='ok'" in page.text
    assert (
        call(desktop_app).ok("auth.getToken", frob=frob)["auth"]["permissions"]["doc"] == "write"
    )


def test_desktop_link_without_frob_is_an_error_page(
    sandbox: Sandbox, browser, desktop_app
) -> None:
    assert browser.get(auth_link(sandbox, desktop_app, {"doc": "read"})).status_code == 400


def test_desktop_link_with_another_apps_frob_is_an_error_page(
    sandbox: Sandbox, browser, call, desktop_app, web_app
) -> None:
    frob = call(web_app).ok("auth.getFrob")["auth"]["frob"]
    assert browser.get(auth_link(sandbox, desktop_app, {"doc": "read"}, frob)).status_code == 400


def test_a_revoked_grant_cannot_be_exchanged(
    sandbox: Sandbox, browser, call, desktop_app, alice
) -> None:
    frob = call(desktop_app).ok("auth.getFrob")["auth"]["frob"]
    approve(browser, auth_link(sandbox, desktop_app, {"doc": "read"}, frob))
    sandbox.revoke(sandbox.grant(alice, desktop_app, {}))
    assert call(desktop_app).error("auth.getToken", frob=frob) == 1


# -- tokens -------------------------------------------------------------------------


def test_check_token_answers_the_token_mapping(sandbox: Sandbox, call, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"profile": "read"})
    answer = call(desktop_app, token).ok("auth.checkToken", auth_token=token["token"])["auth"]
    # The sample of auth.checkToken names the permissions "perms" too.
    assert answer == {
        **token,
        "perms": token["permissions"],
        "user": {**token["user"], "lg": "en", "is_pro": "0"},
    }


def test_check_token_of_a_revoked_token_is_107(sandbox: Sandbox, call, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"profile": "read"})
    sandbox.revoke(token)
    assert call(desktop_app, token).error("auth.checkToken", auth_token=token["token"]) == 107


def test_grant_returns_all_five_targets(sandbox: Sandbox, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"perm_doc": "read"})
    assert set(token["permissions"]) == set(permissions.TARGETS)
    assert token["user"]["user_id"] == str(alice.user_id)


def test_an_updated_callback_is_where_the_browser_goes(sandbox: Sandbox, browser, web_app) -> None:
    sandbox.update_app(web_app, callback="http://127.0.0.1:5555/ipernity/callback")
    answer = approve(browser, auth_link(sandbox, web_app, {"doc": "read"}))
    assert answer.headers["Location"].startswith("http://127.0.0.1:5555/ipernity/callback?frob=")
