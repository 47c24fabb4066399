"""No credential shows, in any quoting, anywhere a caller or an operator can read.

Credentials: the API secret, the token (and an OAuth token's secret), the frob
and every request's ``api_sig`` or ``oauth_signature``. Places: log records of
every logger (urllib3's debug lines quote each URL), exception messages, reprs
and the parameters errors carry. Quotings: ``api_sig=…``, ``'api_sig': '…'``,
JSON, URL-encoded. A signature is 32 hex digits, and so is the API key (not a
secret): any other run of 32 hex digits is taken for a leaked signature,
whatever quotes it.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from ipernity import APIRequestError, InvalidResponse, IpernityAPI, NotFound, SignatureError
from ipernity.sandbox import App, Sandbox, User

_HEX32 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])")


def quotings(secret: str) -> set[str]:
    """The ways ``secret`` may be written in a text."""
    return {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}


def leaks(text: str, app: App, secrets: list[str]) -> list[str]:
    """What of ``secrets`` (or any signature) ``text`` shows."""
    found = [s for secret in secrets for s in quotings(secret) if s in text]
    found += [h for h in _HEX32.findall(text) if h.lower() != app.api_key.lower()]
    return found + _OAUTH_SIGNATURE.findall(text)


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    parts = []
    for record in caplog.records:
        parts += [record.getMessage(), repr(record.args), str(record.msg)]
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(repr(vars(record.exc_info[1])))
    return "\n".join(parts)


def everything_raised(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), repr(error.args), repr(vars(error))])


_OAUTH_SIGNATURE = re.compile(
    r"oauth_signature[\"']?\s*[:=]\s*[\"']?(?!\*\*\*)[A-Za-z0-9%+/=]{8,}"
)


@pytest.fixture(params=["api_sig", "oauth"])
def setup(
    request: pytest.FixtureRequest, sandbox: Sandbox, desktop_app: App, alice: User
) -> tuple[IpernityAPI, list[str]]:
    """A client with a token; its credentials (the token first)."""
    perms = {"doc": "delete"}
    if request.param == "oauth":
        oauth = sandbox.grant_oauth(alice, desktop_app, perms)
        token: Any = oauth
        secrets = [oauth["oauth_token"], desktop_app.api_secret, oauth["oauth_token_secret"]]
    else:
        token = sandbox.grant(alice, desktop_app, perms)
        secrets = [token["token"], desktop_app.api_secret]
    api = IpernityAPI(
        desktop_app.api_key,
        desktop_app.api_secret,
        token,
        auth=request.param.replace("api_sig", "desktop"),
        url=sandbox.api_url,
        auth_url_base=sandbox.authorize_url,
        retries=1,
    )
    return api, secrets


def test_no_credential_in_any_log_record(
    sandbox: Sandbox,
    desktop_app: App,
    alice: User,
    setup: tuple[IpernityAPI, list[str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    api, secrets = setup
    caplog.set_level(logging.DEBUG)
    doc = sandbox.add_doc(alice, "Logged")
    api.doc.get(doc_id=doc.doc_id)
    api.doc.tags.add(doc_id=doc.doc_id, keywords="posted")
    api.user.get()
    if api.token_secret is None:
        api.auth.checkToken(secrets[0])  # the token as a parameter of its own
    sandbox.fail_next("test.echo", http_status=503)
    api.test.echo(echo="retried")
    with pytest.raises(NotFound):
        api.doc.get(doc_id=987_654_321)
    text = everything_logged(caplog)
    assert "doc.get" in text
    assert "urllib3" in {record.name.split(".")[0] for record in caplog.records}
    assert leaks(text, desktop_app, secrets) == []


def test_no_credential_in_errors(
    sandbox: Sandbox, desktop_app: App, setup: tuple[IpernityAPI, list[str]]
) -> None:
    api, secrets = setup
    raised: list[BaseException] = []
    for fault in ({"code": 1}, {"http_status": 404}, {"html": True}, {"truncated": True}):
        sandbox.fail_next("test.echo", **fault, times=2)  # type: ignore[arg-type]
        with pytest.raises((APIRequestError, InvalidResponse)) as caught:
            api.test.echo(echo="x")
        raised.append(caught.value)
    wrong = IpernityAPI(desktop_app.api_key, "0" * 16, secrets[0], url=sandbox.api_url)
    with pytest.raises(SignatureError) as caught_sig:
        wrong.auth.checkToken(secrets[0])
    raised.append(caught_sig.value)
    for error in raised:
        text = everything_raised(error)
        assert leaks(text, desktop_app, secrets) == [], text
    params: dict[str, Any] = vars(caught_sig.value)["params"]
    assert params["auth_token"] == "***"


def test_no_credential_in_reprs(desktop_app: App, setup: tuple[IpernityAPI, list[str]]) -> None:
    api, secrets = setup
    texts = [repr(api), str(api), repr(api.auth), repr(api.doc.get), repr(api.doc)]
    for text in texts:
        assert leaks(text, desktop_app, secrets) == [], text
