"""OAuth 1.0 on the sandbox, driven by a foreign client (requests-oauthlib).

The sandbox checks signatures with oauthlib's server side; these tests hold it
against requests-oauthlib's client side and against a signature computed here
from the written rule of RFC 5849, section 3.4.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import requests
from requests_oauthlib import OAuth1, OAuth1Session

from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User
from ipernity.sandbox.__main__ import describe, parse_args

CALLBACK = "http://127.0.0.1:9/oauth-callback"


def request_token(sandbox: Sandbox, app: App, callback: str | None = CALLBACK) -> dict[str, str]:
    session = OAuth1Session(app.api_key, client_secret=app.api_secret, callback_uri=callback)
    token: dict[str, str] = session.fetch_request_token(sandbox.oauth_url + "request", timeout=30)
    return token


def authorize_link(sandbox: Sandbox, token: Mapping[str, str], **perms: str) -> str:
    query = "&".join(f"perm_{target}={level}" for target, level in perms.items())
    return f"{sandbox.oauth_url}authorize?oauth_token={token['oauth_token']}&{query}"


def access(
    sandbox: Sandbox, app: App, token: Mapping[str, str], verifier: str | None = None
) -> requests.Response:
    auth = OAuth1(
        app.api_key,
        app.api_secret,
        token["oauth_token"],
        token["oauth_token_secret"],
        verifier=verifier,
    )
    return requests.post(sandbox.oauth_url + "access", auth=auth, timeout=30)


def logged_in(sandbox: Sandbox, app: App, member: User, **perms: str) -> dict[str, str]:
    """Run the whole flow; return the access token mapping."""
    token = request_token(sandbox, app)
    approve(sandbox, member, authorize_link(sandbox, token, **perms))
    answer = access(sandbox, app, token)
    assert answer.status_code == 200, answer.text
    return dict(parse_qsl(answer.text))


def signer(app: App, token: Mapping[str, str] | None = None, **options: Any) -> OAuth1:
    owner = token or {}
    return OAuth1(
        app.api_key,
        app.api_secret,
        owner.get("oauth_token"),
        owner.get("oauth_token_secret"),
        **options,
    )


def api_get(sandbox: Sandbox, method: str, auth: Any, **params: str) -> dict[str, Any]:
    answer: dict[str, Any] = requests.get(
        f"{sandbox.api_url}{method}/json", params=params, auth=auth, timeout=30
    ).json()
    return answer


def error_of(answer: Mapping[str, Any]) -> tuple[int, str]:
    assert answer["api"]["status"] == "error", answer
    return int(answer["api"]["code"]), answer["api"]["message"]


# -- the three steps -----------------------------------------------------------


def test_oauth_url_is_served_under_apps_oauth(sandbox: Sandbox) -> None:
    assert sandbox.oauth_url == sandbox.base_url + "apps/oauth/"
    assert f"OAuth URL:         {sandbox.oauth_url}" in describe(sandbox)


def test_request_step_answers_a_token_and_its_secret(sandbox: Sandbox, web_app: App) -> None:
    token = request_token(sandbox, web_app)
    assert token["oauth_token"]
    assert token["oauth_token_secret"]
    assert token["oauth_token"] != token["oauth_token_secret"]


def test_request_step_refuses_a_wrong_consumer_secret(sandbox: Sandbox, web_app: App) -> None:
    auth = OAuth1(web_app.api_key, "not-the-secret", callback_uri=CALLBACK)
    answer = requests.post(sandbox.oauth_url + "request", auth=auth, timeout=30)
    assert answer.status_code == 401
    assert dict(parse_qsl(answer.text))["oauth_problem"] == "signature_invalid"


def test_request_step_refuses_an_unknown_consumer_key(sandbox: Sandbox, web_app: App) -> None:
    auth = OAuth1("f" * 32, web_app.api_secret)
    answer = requests.post(sandbox.oauth_url + "request", auth=auth, timeout=30)
    assert dict(parse_qsl(answer.text))["oauth_problem"] == "consumer_key_unknown"


def test_approval_sends_the_browser_to_the_callback_with_the_request_token(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = request_token(sandbox, web_app)
    location = approve(sandbox, alice, authorize_link(sandbox, token, doc="write"))
    assert location.startswith(CALLBACK + "?")
    query = dict(parse_qsl(urlsplit(location).query))
    # Ipernity sends no verifier.
    assert query == {"oauth_token": token["oauth_token"]}


def test_the_link_callback_is_used_when_the_request_step_gave_none(
    sandbox: Sandbox, desktop_app: App, alice: User
) -> None:
    token = request_token(sandbox, desktop_app, callback=None)
    link = (
        authorize_link(sandbox, token, doc="read")
        + "&oauth_callback=http%3A%2F%2F127.0.0.1%3A9%2Fhere"
    )
    assert approve(sandbox, alice, link).startswith("http://127.0.0.1:9/here?oauth_token=")


def test_without_any_callback_the_member_sees_the_confirmation(
    sandbox: Sandbox, desktop_app: App, alice: User, http: requests.Session
) -> None:
    token = request_token(sandbox, desktop_app, callback="oob")
    sandbox.grant(alice, desktop_app, {"doc": "read"})
    page = http.get(
        authorize_link(sandbox, token, doc="read"),
        cookies=sandbox.signin_cookies(alice),
        allow_redirects=False,
        timeout=30,
    )
    assert page.status_code == 200
    assert "<div class='ok'>" in page.text


def test_access_step_exchanges_an_approved_request_token_once(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = request_token(sandbox, web_app)
    approve(sandbox, alice, authorize_link(sandbox, token, doc="write"))
    first = access(sandbox, web_app, token)
    assert first.status_code == 200
    assert set(dict(parse_qsl(first.text))) == {"oauth_token", "oauth_token_secret"}
    again = access(sandbox, web_app, token)
    assert again.status_code == 401
    assert dict(parse_qsl(again.text))["oauth_problem"] == "token_used"


def test_access_step_refuses_a_request_token_not_approved_yet(
    sandbox: Sandbox, web_app: App
) -> None:
    answer = access(sandbox, web_app, request_token(sandbox, web_app))
    assert dict(parse_qsl(answer.text))["oauth_problem"] == "permission_unknown"


def test_access_step_accepts_the_request_token_as_verifier_and_nothing_else(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = request_token(sandbox, web_app)
    approve(sandbox, alice, authorize_link(sandbox, token, doc="read"))
    wrong = access(sandbox, web_app, token, verifier="something-else")
    assert dict(parse_qsl(wrong.text))["oauth_problem"] == "verifier_invalid"
    assert access(sandbox, web_app, token, verifier=token["oauth_token"]).status_code == 200


def test_access_step_refuses_a_request_token_of_another_application(
    sandbox: Sandbox, web_app: App, desktop_app: App, alice: User
) -> None:
    token = request_token(sandbox, web_app)
    approve(sandbox, alice, authorize_link(sandbox, token, doc="read"))
    answer = access(sandbox, desktop_app, token)
    assert dict(parse_qsl(answer.text))["oauth_problem"] == "token_rejected"


def test_a_request_token_approved_by_one_member_is_refused_to_another(
    sandbox: Sandbox, web_app: App, alice: User, bob: User
) -> None:
    token = request_token(sandbox, web_app)
    link = authorize_link(sandbox, token, doc="read")
    approve(sandbox, alice, link)
    page = requests.get(
        link, cookies=sandbox.signin_cookies(bob), allow_redirects=False, timeout=30
    )
    assert page.status_code == 400
    assert "Another member" in page.text


def test_a_consent_nonce_that_is_not_ascii_is_refused(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    link = authorize_link(sandbox, request_token(sandbox, web_app), doc="write")
    answer = requests.post(
        link,
        data={"nonce": "é" * 32, "approve": "1"},
        cookies=sandbox.signin_cookies(alice),
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 400
    assert "Form expired" in answer.text


def test_the_request_step_answers_as_ipernity_without_confirming_the_callback(
    sandbox: Sandbox, web_app: App
) -> None:
    auth = OAuth1(web_app.api_key, web_app.api_secret, callback_uri=CALLBACK)
    answer = requests.post(sandbox.oauth_url + "request", auth=auth, timeout=30)
    assert set(dict(parse_qsl(answer.text))) == {"oauth_token", "oauth_token_secret"}


# -- OAuth 1.0a: verifiers -------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_1_0a() -> Iterator[Sandbox]:
    """A sandbox started with ``oauth_verifier=True``."""
    sandbox = Sandbox(oauth_verifier=True)
    with sandbox.serve(port=0):
        yield sandbox
    sandbox.close()


@pytest.fixture
def app_1_0a(sandbox_1_0a: Sandbox) -> App:
    return sandbox_1_0a.add_app(f"Site {time.time_ns()}", auth="web", callback=CALLBACK)


@pytest.fixture
def dora(sandbox_1_0a: Sandbox) -> User:
    return sandbox_1_0a.add_user(f"dora{time.time_ns()}", realname="Dora")


def verifier_of(callback_url: str) -> str:
    return dict(parse_qsl(urlsplit(callback_url).query))["oauth_verifier"]


def test_in_1_0a_mode_the_request_step_confirms_the_callback(
    sandbox_1_0a: Sandbox, app_1_0a: App
) -> None:
    auth = OAuth1(app_1_0a.api_key, app_1_0a.api_secret, callback_uri=CALLBACK)
    answer = requests.post(sandbox_1_0a.oauth_url + "request", auth=auth, timeout=30)
    assert dict(parse_qsl(answer.text))["oauth_callback_confirmed"] == "true"


def test_in_1_0a_mode_the_approval_sends_a_verifier_to_the_callback(
    sandbox_1_0a: Sandbox, app_1_0a: App, dora: User
) -> None:
    token = request_token(sandbox_1_0a, app_1_0a)
    location = approve(sandbox_1_0a, dora, authorize_link(sandbox_1_0a, token, doc="read"))
    query = dict(parse_qsl(urlsplit(location).query))
    assert set(query) == {"oauth_token", "oauth_verifier"}
    assert query["oauth_verifier"] not in (token["oauth_token"], token["oauth_token_secret"])


def test_in_1_0a_mode_the_access_step_refuses_a_missing_verifier(
    sandbox_1_0a: Sandbox, app_1_0a: App, dora: User
) -> None:
    token = request_token(sandbox_1_0a, app_1_0a)
    approve(sandbox_1_0a, dora, authorize_link(sandbox_1_0a, token, doc="read"))
    answer = access(sandbox_1_0a, app_1_0a, token)
    assert answer.status_code == 400
    assert dict(parse_qsl(answer.text))["oauth_problem"] == "parameter_absent"


def test_in_1_0a_mode_the_access_step_refuses_a_wrong_verifier(
    sandbox_1_0a: Sandbox, app_1_0a: App, dora: User
) -> None:
    token = request_token(sandbox_1_0a, app_1_0a)
    approve(sandbox_1_0a, dora, authorize_link(sandbox_1_0a, token, doc="read"))
    # Not even the request token itself, which the verifier-less mode accepts.
    for wrong in ("guessed", token["oauth_token"]):
        answer = access(sandbox_1_0a, app_1_0a, token, verifier=wrong)
        assert dict(parse_qsl(answer.text))["oauth_problem"] == "verifier_invalid"


def test_in_1_0a_mode_the_approvals_verifier_gets_the_access_token(
    sandbox_1_0a: Sandbox, app_1_0a: App, dora: User
) -> None:
    token = request_token(sandbox_1_0a, app_1_0a)
    back = approve(sandbox_1_0a, dora, authorize_link(sandbox_1_0a, token, doc="read"))
    answer = access(sandbox_1_0a, app_1_0a, token, verifier=verifier_of(back))
    assert answer.status_code == 200
    assert set(dict(parse_qsl(answer.text))) == {"oauth_token", "oauth_token_secret"}


def test_in_1_0a_mode_only_the_request_steps_callback_counts(
    sandbox_1_0a: Sandbox, app_1_0a: App, dora: User, http: requests.Session
) -> None:
    token = request_token(sandbox_1_0a, app_1_0a, callback="oob")
    sandbox_1_0a.grant(dora, app_1_0a, {"doc": "read"})
    # The link's callback is not signed: it cannot redirect the approval.
    link = authorize_link(sandbox_1_0a, token, doc="read") + "&oauth_callback=http%3A%2F%2Fevil"
    page = http.get(
        link, cookies=sandbox_1_0a.signin_cookies(dora), allow_redirects=False, timeout=30
    )
    assert page.status_code == 200
    verifier = sandbox_1_0a.store.scalar(
        "SELECT verifier FROM oauth_verifiers WHERE token = ?", (token["oauth_token"],)
    )
    assert f"<code>{verifier}</code>" in page.text
    assert access(sandbox_1_0a, app_1_0a, token, verifier=verifier).status_code == 200


# -- the callback's port ---------------------------------------------------------


def test_the_callbacks_port_is_kept_by_default(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = request_token(sandbox, web_app, callback="http://localhost:5678/cb")
    back = approve(sandbox, alice, authorize_link(sandbox, token, doc="read"))
    assert back.startswith("http://localhost:5678/cb?oauth_token=")


def test_the_callbacks_port_is_dropped_as_ipernity_does_when_asked(
    sandbox: Sandbox, web_app: App, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox.settings, "oauth_drop_callback_port", True)
    token = request_token(sandbox, web_app, callback="http://localhost:5678/cb")
    back = approve(sandbox, alice, authorize_link(sandbox, token, doc="read"))
    assert back.startswith("http://localhost/cb?oauth_token=")


def test_the_command_line_starts_either_kind_of_sandbox() -> None:
    args = parse_args(["--oauth-verifier", "--oauth-drop-callback-port"])
    with (
        Sandbox(
            oauth_verifier=args.oauth_verifier,
            oauth_drop_callback_port=args.oauth_drop_callback_port,
        ) as sandbox,
        sandbox.serve(port=0),
    ):
        assert sandbox.settings.oauth_drop_callback_port
        assert "OAuth 1.0a, with verifiers" in describe(sandbox)
    assert parse_args([]).oauth_verifier is False


# -- API calls -----------------------------------------------------------------


def test_signed_calls_act_for_the_member_with_the_approved_permissions(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = logged_in(sandbox, web_app, alice, doc="read")
    auth = signer(web_app, token)
    assert api_get(sandbox, "user.get", auth)["user"]["user_id"] == str(alice.user_id)
    # Writing needs doc: write, which was not approved.
    answer = requests.post(
        sandbox.api_url + "album.create/json", data={"title": "x"}, auth=auth, timeout=30
    ).json()
    assert error_of(answer)[0] == 110


def test_parameters_may_be_signed_in_the_query_or_the_body(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = logged_in(sandbox, web_app, alice, doc="write")
    query_signed = signer(web_app, token, signature_type="query")
    echo = api_get(sandbox, "test.echo", query_signed, echo="été")
    assert echo["echo"] == "été"
    body_signed = signer(web_app, token, signature_type="body")
    created = requests.post(
        sandbox.api_url + "album.create/json",
        data={"title": "Signed in the body"},
        auth=body_signed,
        timeout=30,
    ).json()
    assert created["api"]["status"] == "ok", created


def test_a_consumer_signed_call_without_token_is_anonymous(sandbox: Sandbox, web_app: App) -> None:
    assert api_get(sandbox, "test.hello", signer(web_app))["hello"] == "hello world!"
    answer = requests.post(
        sandbox.api_url + "album.create/json",
        data={"title": "x"},
        auth=signer(web_app),
        timeout=30,
    ).json()
    assert error_of(answer)[0] == 106


def test_a_wrong_signature_is_error_105(sandbox: Sandbox, web_app: App, alice: User) -> None:
    token = logged_in(sandbox, web_app, alice, doc="read")
    forged = {**token, "oauth_token_secret": "guessed"}
    code, message = error_of(api_get(sandbox, "user.get", signer(web_app, forged)))
    assert (code, message) == (105, "Invalid OAuth signature")


def test_an_unknown_token_is_error_107(sandbox: Sandbox, web_app: App) -> None:
    made_up = {"oauth_token": "1-0123456789abcdef", "oauth_token_secret": "x"}
    assert error_of(api_get(sandbox, "user.get", signer(web_app, made_up)))[0] == 107


def test_a_revoked_token_is_error_107(sandbox: Sandbox, web_app: App, alice: User) -> None:
    token = logged_in(sandbox, web_app, alice, doc="read")
    sandbox.revoke(token)
    assert error_of(api_get(sandbox, "user.get", signer(web_app, token)))[0] == 107


def test_a_request_token_is_no_access_token(sandbox: Sandbox, web_app: App, alice: User) -> None:
    token = request_token(sandbox, web_app)
    approve(sandbox, alice, authorize_link(sandbox, token, doc="read"))
    assert error_of(api_get(sandbox, "user.get", signer(web_app, token)))[0] == 107


def test_an_unknown_consumer_key_is_error_101(sandbox: Sandbox) -> None:
    auth = OAuth1("0" * 32, "secret")
    assert error_of(api_get(sandbox, "test.hello", auth))[0] == 101


def test_a_stale_timestamp_is_refused(sandbox: Sandbox, web_app: App, alice: User) -> None:
    token = logged_in(sandbox, web_app, alice, doc="read")
    stale = str(int(time.time()) - 3600)
    code, message = error_of(api_get(sandbox, "user.get", signer(web_app, token, timestamp=stale)))
    assert code == 105
    assert "timestamp" in message


def test_a_replayed_request_is_refused(
    sandbox: Sandbox, web_app: App, alice: User, http: requests.Session
) -> None:
    token = logged_in(sandbox, web_app, alice, doc="read")
    prepared = requests.Request(
        "GET", sandbox.api_url + "user.get/json", auth=signer(web_app, token)
    ).prepare()
    assert http.send(prepared, timeout=30).json()["api"]["status"] == "ok"
    code, message = error_of(http.send(prepared, timeout=30).json())
    assert code == 105
    assert "nonce" in message


def test_oauth_parameters_without_a_signature_are_error_104(
    sandbox: Sandbox, web_app: App
) -> None:
    params = {
        "oauth_consumer_key": web_app.api_key,
        "oauth_nonce": "12345678901234567890",
        "oauth_timestamp": str(int(time.time())),
        "oauth_signature_method": "HMAC-SHA1",
    }
    answer = requests.get(sandbox.api_url + "test.hello/json", params=params, timeout=30).json()
    assert error_of(answer)[0] == 104


def test_a_multipart_upload_is_signed_over_its_text_fields(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = logged_in(sandbox, web_app, alice, doc="write")
    fields = {"title": "Signed upload", "is_public": "1"}
    url = sandbox.api_url + "upload.file/json"
    # The header is computed over the fields as a form body, then sent with
    # the multipart body, the file part left out of the signature.
    client = signer(web_app, token).client
    _, headers, _ = client.sign(
        url,
        "POST",
        body="title=Signed+upload&is_public=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    authorization = headers[b"Authorization"].decode()

    def upload(data: Mapping[str, str]) -> dict[str, Any]:
        answer: dict[str, Any] = requests.post(
            url,
            data=data,
            files={"file": ("a.jpg", io.BytesIO(b"not much of a picture"))},
            headers={"Authorization": authorization},
            timeout=30,
        ).json()
        return answer

    tampered = upload({**fields, "title": "Changed after signing"})
    assert error_of(tampered)[0] == 105
    done = upload(fields)
    assert done["api"]["status"] == "ok", done
    tickets = api_get(
        sandbox, "upload.checkTickets", signer(web_app, token), tickets=done["ticket"]
    )
    doc_id = tickets["tickets"]["ticket"][0]["doc_id"]
    doc = api_get(sandbox, "doc.get", signer(web_app, token), doc_id=doc_id)
    assert doc["doc"]["title"] == "Signed upload"


# -- a signature computed here from RFC 5849 ----------------------------------


def _percent(text: str) -> str:
    return quote(text, safe="-._~")


def rfc5849_signature(
    method: str, url: str, params: Mapping[str, str], consumer_secret: str, token_secret: str
) -> str:
    """HMAC-SHA1 over the signature base string, as RFC 5849 section 3.4 writes it."""
    pairs = sorted((_percent(name), _percent(value)) for name, value in params.items())
    normalized = "&".join(f"{name}={value}" for name, value in pairs)
    base = "&".join([method.upper(), _percent(url), _percent(normalized)])
    key = f"{_percent(consumer_secret)}&{_percent(token_secret)}"
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def test_a_signature_computed_from_the_rfc_rule_is_accepted(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    token = logged_in(sandbox, web_app, alice, doc="read")
    url = sandbox.api_url + "test.echo/json"
    params = {
        "echo": "a b&c=d/é",
        "oauth_consumer_key": web_app.api_key,
        "oauth_token": token["oauth_token"],
        "oauth_nonce": "rfc5849nonce" + str(time.time_ns()),
        "oauth_timestamp": str(int(time.time())),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_version": "1.0",
    }
    params["oauth_signature"] = rfc5849_signature(
        "GET", url, params, web_app.api_secret, token["oauth_token_secret"]
    )
    answer = requests.get(url, params=params, timeout=30).json()
    assert answer["echo"] == "a b&c=d/é"
    params["oauth_nonce"] += "x"
    params["echo"] = "changed"
    assert error_of(requests.get(url, params=params, timeout=30).json())[0] == 105


@pytest.mark.parametrize("perms", [{"doc": "write", "network": "read"}])
def test_grant_oauth_gives_a_token_that_signs_calls(
    sandbox: Sandbox, web_app: App, alice: User, perms: dict[str, str]
) -> None:
    token = sandbox.grant_oauth(alice, web_app, perms)
    checked = api_get(
        sandbox, "auth.checkToken", signer(web_app, token), auth_token=token["oauth_token"]
    )
    assert checked["auth"]["permissions"]["network"] == "read"
