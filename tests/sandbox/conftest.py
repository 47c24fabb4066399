"""Signed calls over HTTP with plain ``requests``, as any client would make them.

``call`` (a fixture) makes a :class:`Caller` for an application and, optionally,
a token: ``call(app, token).ok("doc.get", doc_id=1)`` returns the answer of a
successful call, ``.error(...)`` the code of a failed one, ``.raw(...)`` the
HTTP response. Methods the catalogue marks ``post`` are POSTed, ``sign`` ones
signed, exactly as the catalogue says, unless told otherwise.

``world`` and ``table`` set up the catalogue table's records and make its call
of any method (see ``catalogue_world.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
import requests

from ipernity import catalogue
from ipernity.sandbox import App, Sandbox
from ipernity.signing import encode_params, signature
from tests.sandbox.catalogue_world import TableCaller, World, build_world

Token = str | Mapping[str, Any] | None


class Caller:
    """Makes API calls to a sandbox as one application (and member)."""

    def __init__(
        self, sandbox: Sandbox, session: requests.Session, app: App, token: Token
    ) -> None:
        self.sandbox = sandbox
        self.session = session
        self.app = app
        self.token = token if token is None or isinstance(token, str) else str(token["token"])

    def raw(
        self,
        method: str,
        /,
        *,
        http: str | None = None,
        sign: bool | None = None,
        files: Mapping[str, Any] | None = None,
        fmt: str = "json",
        **params: Any,
    ) -> requests.Response:
        """Send the call and return the HTTP response."""
        entry = catalogue.get(method)
        sent = encode_params({"api_key": self.app.api_key, "auth_token": self.token, **params})
        if sign if sign is not None else (entry is not None and entry.sign):
            sent["api_sig"] = signature(sent, self.app.api_secret, method)
        verb = http or ("POST" if entry is not None and entry.post else "GET")
        url = f"{self.sandbox.api_url}{method}/{fmt}"
        if verb == "POST":
            return self.session.post(url, data=sent, files=files, timeout=30)
        return self.session.get(url, params=sent, timeout=30)

    def answer(self, method: str, /, **params: Any) -> dict[str, Any]:
        """The parsed JSON answer, whatever its status."""
        response = self.raw(method, **params)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def ok(self, method: str, /, **params: Any) -> dict[str, Any]:
        """The answer of a call that must succeed."""
        result = self.answer(method, **params)
        assert result["api"]["status"] == "ok", result
        return result

    def error(self, method: str, /, **params: Any) -> int:
        """The error code of a call that must fail."""
        result = self.answer(method, **params)
        assert result["api"]["status"] == "error", result
        return int(result["api"]["code"])


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A plain HTTP session."""
    with requests.Session() as session:
        # The sandbox is local: no proxy to look up in the environment, which
        # requests would otherwise read again on every request.
        session.trust_env = False
        yield session


@pytest.fixture
def call(sandbox: Sandbox, http: requests.Session) -> Callable[..., Caller]:
    """``call(app, token=None)`` -> a :class:`Caller` on the shared sandbox."""

    def make(app: App, token: Token = None) -> Caller:
        return Caller(sandbox, http, app, token)

    return make


@pytest.fixture
def world(sandbox: Sandbox, call: Callable[..., Caller], desktop_app: App, alice, bob) -> World:
    """The catalogue table's records (see ``catalogue_world.py``)."""
    return build_world(sandbox, call, desktop_app, alice, bob)


@pytest.fixture
def table(
    world: World, sandbox: Sandbox, call: Callable[..., Caller], desktop_app: App
) -> TableCaller:
    """Makes the catalogue table's call of any method, as Alice with every permission."""
    return TableCaller(world, sandbox, call, desktop_app)


def sign_in_as(
    session: requests.Session, sandbox: Sandbox, username: str, **params: str
) -> requests.Response:
    """Sign ``username`` in as a browser does: open the sign-in page, send its form.

    ``params`` go in the query (``next=``); the redirect is not followed.
    """
    page = session.get(sandbox.base_url + "signin", params=params, timeout=10)
    token = re.search(r"name='form_token' value='([^']*)'", page.text)
    assert token, page.text
    return session.post(
        sandbox.base_url + "signin",
        params=params,
        data={"username": username, "form_token": token.group(1)},
        allow_redirects=False,
        timeout=10,
    )


@pytest.fixture
def sign_in() -> Callable[..., requests.Response]:
    """:func:`sign_in_as`: ``sign_in(session, sandbox, username, next=...)``."""
    return sign_in_as
