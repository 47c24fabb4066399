"""An OAuth-signed call is checked before a queued fault answers it, as a service would.

The signature, the timestamp and the nonce are checked (and the nonce
recorded) first; only then may a fault answer instead of the method. A client
that resends a failed request with its first nonce is so refused, as by the
live service, instead of passing unnoticed.
"""

from __future__ import annotations

import requests
from requests_oauthlib import OAuth1

from ipernity.sandbox import App, Sandbox, User


def signed_user_get(
    sandbox: Sandbox, app: App, member: User, secret: str | None = None
) -> requests.PreparedRequest:
    """A ``user.get`` signed with OAuth for ``member``, ready to send (and resend as is)."""
    token = sandbox.grant_oauth(member, app, {"doc": "read"})
    auth = OAuth1(
        app.api_key,
        secret or app.api_secret,
        token["oauth_token"],
        token["oauth_token_secret"],
    )
    return requests.Request("GET", sandbox.api_url + "user.get", auth=auth).prepare()


def test_a_request_resent_after_a_fault_is_refused_as_a_replay(
    sandbox: Sandbox, http, web_app, alice
) -> None:
    request = signed_user_get(sandbox, web_app, alice)
    sandbox.fail_next("user.get", http_status=503)
    assert http.send(request, timeout=30).status_code == 503
    resent = http.send(request, timeout=30).json()["api"]
    assert (resent["code"], "nonce" in resent["message"]) == ("105", True)


def test_a_fresh_signature_after_a_fault_is_answered(
    sandbox: Sandbox, http, web_app, alice
) -> None:
    sandbox.fail_next("user.get", http_status=503)
    assert http.send(signed_user_get(sandbox, web_app, alice), timeout=30).status_code == 503
    answer = http.send(signed_user_get(sandbox, web_app, alice), timeout=30).json()
    assert answer["user"]["user_id"] == str(alice.user_id)


def test_a_refused_signature_is_answered_before_a_queued_fault(
    sandbox: Sandbox, http, web_app, alice
) -> None:
    sandbox.fail_next("user.get", http_status=503)
    refused = http.send(signed_user_get(sandbox, web_app, alice, secret="wrong"), timeout=30)
    assert refused.json()["api"]["code"] == "105"
    # The fault is still queued: the next good call meets it.
    assert http.send(signed_user_get(sandbox, web_app, alice), timeout=30).status_code == 503
