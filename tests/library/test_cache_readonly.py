"""The response cache keeps read-only answers only, each for the one caller and call.

Caching anything else is a leak or a lie: a cached ``auth.getToken`` hands one
visitor's token to whoever replays the frob, a cached write is never sent.
"""

from __future__ import annotations

from typing import Any

import pytest
from cachelib import SimpleCache

from ipernity import APIRequestError, IpernityAPI, TokenError
from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User


def cached_client(
    sandbox: Sandbox, app: App, token: Any, store: SimpleCache, auth: str = "desktop"
) -> IpernityAPI:
    return IpernityAPI(
        app.api_key,
        app.api_secret,
        token,
        url=sandbox.api_url,
        auth_url_base=sandbox.authorize_url,
        cache=store,
        retries=0,
        auth=auth,
    )


def sent(sandbox: Sandbox, method: str) -> int:
    return sum(1 for call in sandbox.calls if call.method == method)


@pytest.fixture
def token(sandbox: Sandbox, desktop_app: App, alice: User) -> dict[str, Any]:
    return sandbox.grant(alice, desktop_app, {"doc": "delete", "network": "read"})


# -- through the client, against the sandbox ------------------------------------


def test_every_get_frob_goes_to_the_service(sandbox: Sandbox, desktop_app: App) -> None:
    api = cached_client(sandbox, desktop_app, None, SimpleCache())
    before = sent(sandbox, "auth.getFrob")
    first = api.auth.getFrob()["auth"]["frob"]
    second = api.auth.getFrob()["auth"]["frob"]
    assert first != second
    assert sent(sandbox, "auth.getFrob") == before + 2


def test_a_spent_frob_is_asked_again_and_refused(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    store = SimpleCache()
    first_visitor = cached_client(sandbox, web_app, None, store, auth="web")
    callback = approve(sandbox, alice, first_visitor.auth.auth_url({"doc": "read"}))
    frob = callback.split("frob=", 1)[1]
    assert first_visitor.auth.getToken(frob, store_token=False)["auth"]["token"]
    before = sent(sandbox, "auth.getToken")
    replaying = cached_client(sandbox, web_app, None, store, auth="web")
    with pytest.raises(APIRequestError):
        replaying.auth.getToken(frob)
    assert replaying.token is None
    assert sent(sandbox, "auth.getToken") == before + 1


def test_check_token_is_asked_every_time(
    sandbox: Sandbox, desktop_app: App, token: dict[str, Any]
) -> None:
    api = cached_client(sandbox, desktop_app, token, SimpleCache())
    before = sent(sandbox, "auth.checkToken")
    api.auth.checkToken(token["token"])
    sandbox.revoke(token)
    with pytest.raises(TokenError):
        api.auth.checkToken(token["token"])
    assert sent(sandbox, "auth.checkToken") == before + 2


def test_the_same_write_twice_is_sent_twice(
    sandbox: Sandbox, desktop_app: App, alice: User, token: dict[str, Any]
) -> None:
    api = cached_client(sandbox, desktop_app, token, SimpleCache())
    doc = sandbox.add_doc(alice, "Tagged")
    before = sent(sandbox, "doc.tags.add")
    api.doc.tags.add(doc_id=doc.doc_id, keywords="twice")
    api.doc.tags.add(doc_id=doc.doc_id, keywords="twice")
    assert sent(sandbox, "doc.tags.add") == before + 2


def test_upload_tickets_are_asked_every_time(
    sandbox: Sandbox, desktop_app: App, token: dict[str, Any]
) -> None:
    api = cached_client(sandbox, desktop_app, token, SimpleCache())
    before = sent(sandbox, "upload.checkTickets")
    answers = [api.upload.checkTickets(tickets="999999") for _ in range(2)]
    assert answers[0]["api"]["status"] == "ok"
    assert sent(sandbox, "upload.checkTickets") == before + 2
