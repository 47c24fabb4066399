"""``IpernityAPI(..., auth="oauth")``: the OAuth flow and OAuth-signed calls.

The sandbox checks every signature with oauthlib's server side, so these tests
hold the client's signing (through requests-oauthlib) against it over HTTP.
"""

from __future__ import annotations

import io
import logging
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, unquote, urlsplit

import oauthlib.common
import pytest
import requests
from cachelib import SimpleCache
from requests_oauthlib import OAuth1

from ipernity import IpernityAPI
from ipernity.exceptions import IpernityError, TokenError
from ipernity.oauth import CallSigner, OAuthError, OAuthHandler, _base_string_uri
from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User


def client(sandbox: Sandbox, app: App, token: object = None, **options: object) -> IpernityAPI:
    return IpernityAPI(
        app.api_key,
        app.api_secret,
        token,  # type: ignore[arg-type]
        auth=OAuthHandler,
        url=sandbox.api_url,
        auth_url_base=sandbox.authorize_url,
        **options,  # type: ignore[arg-type]
    )


def test_the_handler_finds_the_oauth_steps_beside_the_authorization_page(
    sandbox: Sandbox, web_app: App
) -> None:
    api = client(sandbox, web_app)
    assert isinstance(api.auth, OAuthHandler)
    assert api.auth.oauth_url == sandbox.oauth_url


def test_the_whole_flow_gives_the_client_a_working_token(
    sandbox: Sandbox, desktop_app: App, alice: User
) -> None:
    api = client(sandbox, desktop_app)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    link = api.auth.auth_url({"doc": "write"}, request_token)
    assert link.startswith(sandbox.oauth_url + "authorize?")
    back = approve(sandbox, alice, link)
    assert dict(parse_qsl(urlsplit(back).query))["oauth_token"] == request_token["oauth_token"]
    access = api.auth.fetch_access_token(request_token)
    assert api.token == access["oauth_token"]
    assert api.token_secret == access["oauth_token_secret"]
    assert api.user_info is not None
    assert api.user_info["username"] == alice.username
    assert api.has_permissions({"doc": "write"})
    album = api.album.create(title="Made over OAuth")
    assert album["album"]["album_id"]


def test_a_second_exchange_of_the_request_token_is_refused(
    sandbox: Sandbox, desktop_app: App, alice: User
) -> None:
    api = client(sandbox, desktop_app)
    request_token = api.auth.fetch_request_token()
    approve(
        sandbox, alice, api.auth.auth_url({"doc": "read"}, request_token, "http://127.0.0.1:9/")
    )
    api.auth.fetch_access_token(request_token)
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_access_token(request_token)
    assert refused.value.problem == "token_used"
    assert request_token["oauth_token_secret"] not in str(refused.value)


def test_a_wrong_consumer_secret_is_refused_at_the_request_step(
    sandbox: Sandbox, web_app: App
) -> None:
    api = IpernityAPI(
        web_app.api_key, "wrong", auth=OAuthHandler, auth_url_base=sandbox.authorize_url
    )
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_request_token()
    assert refused.value.problem == "signature_invalid"


def test_calls_get_post_walks_and_uploads_are_signed(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    for number in range(7):
        sandbox.add_doc(alice, f"Walked {number}")
    api = client(sandbox, web_app, sandbox.grant_oauth(alice, web_app, {"doc": "write"}))
    assert api.test.echo(echo="ça va?")["echo"] == "ça va?"
    assert len(list(api.walk_docs(per_page=2, workers=3))) == 7
    doc_id = api.upload_file(io.BytesIO(b"bytes of a picture"), title="Über OAuth", is_public=1)
    assert api.doc.get(doc_id=doc_id)["doc"]["title"] == "Über OAuth"
    assert all(call.error is None for call in sandbox.calls[-3:])


def test_a_retried_call_is_signed_again(sandbox: Sandbox, web_app: App, alice: User) -> None:
    api = client(sandbox, web_app, sandbox.grant_oauth(alice, web_app, {"doc": "read"}), retries=2)
    api._transport.backoff = 0.0
    sandbox.fail_next("user.get", http_status=503)
    # A resent request would reuse its nonce and be refused as a replay.
    assert api.user.get()["user"]["user_id"] == str(alice.user_id)


def test_a_revoked_token_raises_a_token_error(sandbox: Sandbox, web_app: App, alice: User) -> None:
    token = sandbox.grant_oauth(alice, web_app, {"doc": "read"})
    sandbox.revoke(token)
    with pytest.raises(TokenError):
        client(sandbox, web_app, token).user.get()


def test_the_cache_keeps_each_token_apart(
    sandbox: Sandbox, web_app: App, alice: User, bob: User
) -> None:
    cache = SimpleCache()
    as_alice = client(
        sandbox, web_app, sandbox.grant_oauth(alice, web_app, {"doc": "read"}), cache=cache
    )
    as_bob = client(
        sandbox, web_app, sandbox.grant_oauth(bob, web_app, {"doc": "read"}), cache=cache
    )
    assert as_alice.user.get()["user"]["username"] == alice.username
    assert as_bob.user.get()["user"]["username"] == bob.username


def test_the_token_secret_is_never_shown(
    sandbox: Sandbox, web_app: App, alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    token = sandbox.grant_oauth(alice, web_app, {"doc": "read"})
    api = client(sandbox, web_app, token)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(IpernityError) as failed:
        api.doc.get(doc_id=1, oauth_token_secret=token["oauth_token_secret"])
    api.user.get()
    shown = " ".join(
        [repr(api), repr(api.auth), str(failed.value), repr(failed.value.params), caplog.text]  # type: ignore[attr-defined]
    )
    assert token["oauth_token_secret"] not in shown
    assert token["oauth_token"] not in shown


def test_without_requests_oauthlib_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, web_app: App
) -> None:
    monkeypatch.setitem(sys.modules, "requests_oauthlib", None)
    with pytest.raises(OAuthError) as refused:
        IpernityAPI(web_app.api_key, web_app.api_secret, auth=OAuthHandler)
    assert str(refused.value) == (
        'OAuth needs requests-oauthlib: install it with pip install "PyIpernity[oauth]"'
    )


def _signature_of(header: str) -> str:
    fields = dict(part.strip().split("=", 1) for part in header.removeprefix("OAuth ").split(","))
    return unquote(fields["oauth_signature"].strip('"'))


@pytest.mark.parametrize("http_method", ["GET", "POST"])
def test_the_call_signature_is_the_one_requests_oauthlib_computes(
    monkeypatch: pytest.MonkeyPatch, http_method: str
) -> None:
    monkeypatch.setattr(oauthlib.common, "generate_nonce", lambda: "fixednonce12345678901")
    monkeypatch.setattr(oauthlib.common, "generate_timestamp", lambda: "1700000000")
    params = {"doc_id": "42", "title": "Été à Paris & co", "keywords": "a+b c"}
    token = ("1000-0123456789abcdef", "token-secret")
    url = "http://127.0.0.1:5050/api/doc.setMeta/json"
    data, query = (params, None) if http_method == "POST" else (None, params)
    theirs = requests.Request(
        http_method,
        url,
        data=data,
        params=query,
        auth=OAuth1(
            "consumer-key",
            "consumer-secret",
            *token,
            nonce="fixednonce12345678901",
            timestamp="1700000000",
        ),
    ).prepare()
    ours = requests.Request(
        http_method,
        url,
        data=data,
        params=query,
        auth=CallSigner("consumer-key", "consumer-secret", *token, params),
    ).prepare()
    expected = theirs.headers["Authorization"]
    expected = expected.decode() if isinstance(expected, bytes) else expected
    assert _signature_of(ours.headers["Authorization"]) == _signature_of(expected)


def test_auth_oauth_names_a_members_client_and_needs_the_token(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    # PyIpernity 0.3 answered auth="oauth" with a ValueError, and its suite checks it.
    with pytest.raises(ValueError, match=r"auth=ipernity.oauth.OAuthHandler"):
        IpernityAPI(web_app.api_key, web_app.api_secret, auth="oauth")
    token = sandbox.grant_oauth(alice, web_app, {"doc": "read"})
    api = IpernityAPI(
        web_app.api_key, web_app.api_secret, token, auth="oauth", url=sandbox.api_url
    )
    assert isinstance(api.auth, OAuthHandler)
    assert api.user.get()["user"]["username"] == alice.username


# -- OAuth 1.0a: the verifier ----------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_1_0a() -> Iterator[Sandbox]:
    """A sandbox that confirms callbacks and sends verifiers."""
    sandbox = Sandbox(oauth_verifier=True)
    with sandbox.serve(port=0):
        yield sandbox
    sandbox.close()


@pytest.fixture
def tool_1_0a(sandbox_1_0a: Sandbox) -> App:
    return sandbox_1_0a.add_app(f"Tool {time.time_ns()}", auth="desktop")


@pytest.fixture
def erin(sandbox_1_0a: Sandbox) -> User:
    return sandbox_1_0a.add_user(f"erin{time.time_ns()}", realname="Erin")


def test_a_service_without_verifiers_leaves_the_callback_unconfirmed(
    sandbox: Sandbox, desktop_app: App
) -> None:
    api = client(sandbox, desktop_app)
    assert api.auth.callback_confirmed is None
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    assert api.auth.callback_confirmed is False
    assert set(request_token) == {"oauth_token", "oauth_token_secret"}


def test_the_handler_remembers_that_the_service_confirmed_the_callback(
    sandbox_1_0a: Sandbox, tool_1_0a: App
) -> None:
    api = client(sandbox_1_0a, tool_1_0a)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    assert api.auth.callback_confirmed is True
    assert request_token["oauth_callback_confirmed"] == "true"


def test_the_callbacks_verifier_completes_the_flow(
    sandbox_1_0a: Sandbox, tool_1_0a: App, erin: User
) -> None:
    api = client(sandbox_1_0a, tool_1_0a)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    back = approve(sandbox_1_0a, erin, api.auth.auth_url({"doc": "read"}, request_token))
    verifier = dict(parse_qsl(urlsplit(back).query))["oauth_verifier"]
    api.auth.fetch_access_token(request_token, verifier=verifier)
    assert api.user.get()["user"]["username"] == erin.username


def test_a_confirmed_callback_without_its_verifier_is_refused_before_any_request(
    sandbox_1_0a: Sandbox, tool_1_0a: App, erin: User
) -> None:
    api = client(sandbox_1_0a, tool_1_0a)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    approve(sandbox_1_0a, erin, api.auth.auth_url({"doc": "read"}, request_token))
    sent: list[str] = []
    api._transport.session.hooks["response"].append(lambda answer, **_: sent.append(answer.url))
    with pytest.raises(OAuthError, match="oauth_verifier") as refused:
        api.auth.fetch_access_token(request_token)
    assert refused.value.problem == "parameter_absent"
    assert sent == []


def test_the_refusal_of_a_missing_verifier_says_how_to_pass_it(
    sandbox_1_0a: Sandbox, tool_1_0a: App
) -> None:
    api = client(sandbox_1_0a, tool_1_0a)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_access_token(request_token)
    assert str(refused.value) == (
        "The service confirmed the callback (OAuth 1.0a): pass the oauth_verifier the "
        "callback carried, fetch_access_token(request_token, verifier=...)"
    )


def test_a_wrong_verifier_is_refused_by_the_service(
    sandbox_1_0a: Sandbox, tool_1_0a: App, erin: User
) -> None:
    api = client(sandbox_1_0a, tool_1_0a)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    approve(sandbox_1_0a, erin, api.auth.auth_url({"doc": "read"}, request_token))
    with pytest.raises(OAuthError) as refused:
        api.auth.fetch_access_token(request_token, verifier="guessed")
    assert refused.value.problem == "verifier_invalid"
    assert api.token is None


def test_the_1_0_call_with_store_token_by_position_still_works(
    sandbox: Sandbox, desktop_app: App, alice: User
) -> None:
    api = client(sandbox, desktop_app)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    approve(sandbox, alice, api.auth.auth_url({"doc": "read"}, request_token))
    access = api.auth.fetch_access_token(request_token, False)
    assert access["oauth_token"]
    assert api.token is None


# -- the handler's details ---------------------------------------------------------


def test_the_handler_shows_its_class_and_oauth_url(sandbox: Sandbox, web_app: App) -> None:
    api = client(sandbox, web_app)
    assert repr(api.auth) == f"<OAuthHandler {sandbox.oauth_url}>"


def test_the_token_steps_are_posts(sandbox: Sandbox, desktop_app: App, alice: User) -> None:
    api = client(sandbox, desktop_app)
    sent: list[str | None] = []
    api._transport.session.hooks["response"].append(
        lambda answer, **_: sent.append(answer.request.method)
    )
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    approve(sandbox, alice, api.auth.auth_url({"doc": "read"}, request_token))
    api.auth.fetch_access_token(request_token)
    assert sent == ["POST", "POST"]


def test_the_authorization_link_takes_the_request_token_alone(
    sandbox: Sandbox, desktop_app: App
) -> None:
    api = client(sandbox, desktop_app)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:9/back")
    by_token = api.auth.auth_url({"doc": "read"}, request_token["oauth_token"])
    assert by_token == api.auth.auth_url({"doc": "read"}, request_token)


def test_without_a_members_token_calls_are_signed_by_the_application_alone(
    sandbox: Sandbox, web_app: App
) -> None:
    api = client(sandbox, web_app)
    assert api.test.echo(echo="hello")["echo"] == "hello"


def test_calls_of_one_method_normalize_its_url_once_whatever_their_arguments(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    api = client(sandbox, web_app, sandbox.grant_oauth(alice, web_app, {"doc": "read"}))
    api.test.echo(echo=f"first {time.time_ns()}")
    normalized = _base_string_uri.cache_info().misses
    api.test.echo(echo=f"second {time.time_ns()}")
    assert _base_string_uri.cache_info().misses == normalized
