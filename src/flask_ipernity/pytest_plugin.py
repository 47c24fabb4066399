"""Fixtures to test a Flask-Ipernity site against the sandbox (a ``pytest11`` plugin).

Installed with the package, so a site's tests can use at once:

- ``ipernity_sandbox``: a running :class:`ipernity.sandbox.Sandbox` for the
  test session; register the site as a web application on it and configure the
  site with its key, secret, ``api_url`` and ``authorize_url``.
- ``ipernity_login``: logs a Flask test client in as a sandbox member by running
  the real flow: the site's ``/login``, the sandbox's authorization page over
  HTTP (signed in as the member, approving the form), then the site's
  ``/callback`` with the frob.

::

    def test_albums_page(client, ipernity_sandbox, ipernity_login):
        alice = ipernity_sandbox.add_user("alice")
        ipernity_login(client, alice, {"doc": "write"})
        assert client.get("/albums").status_code == 200

Flask and the sandbox are imported only when a fixture is used, so the plugin
costs nothing to projects that use the library alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    from ipernity.sandbox import Sandbox, User

#: Seconds the sandbox may take to answer one step of the login.
HTTP_TIMEOUT = 10.0


class LoginFlowError(AssertionError):
    """A step of the login did not answer as the real flow does."""


@pytest.fixture(scope="session")
def ipernity_sandbox() -> Iterator[Sandbox]:
    """A sandbox serving on a free port of 127.0.0.1 for the whole test session."""
    from ipernity.sandbox import Sandbox

    sandbox = Sandbox()
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.close()


class SandboxLogin:
    """What the ``ipernity_login`` fixture returns: call it to log a client in.

    :param request: the requesting test, to reach the ``ipernity_sandbox``
        fixture only when needed.
    """

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __call__(
        self,
        client: FlaskClient,
        member: User,
        permissions: Mapping[str, str] | None = None,
        *,
        sandbox: Sandbox | None = None,
        next_url: str = "/",
    ) -> TestResponse:
        """Log ``client`` in as ``member``, granting ``permissions``.

        :param client: a test client of the site (with Flask-Ipernity set up).
        :param member: a member of the sandbox (``sandbox.add_user(...)``).
        :param permissions: asked on top of the site's ``IPERNITY_PERMISSIONS``.
        :param sandbox: the sandbox the site talks to; by default the site's
            embedded sandbox, else the ``ipernity_sandbox`` fixture.
        :param next_url: the ``next`` passed to ``/login``.
        :return: the site's answer to the callback (a redirect to ``next_url``).
        :raises LoginFlowError: when a step answers otherwise than expected.
        """
        from flask import url_for

        from ipernity.permissions import link_params

        app = client.application
        asked: dict[str, Any] = link_params(permissions)
        with app.test_request_context():
            login_path = url_for("ipernity.login", next=next_url, **asked)
        answer = client.get(login_path)
        if answer.status_code != 302:
            raise LoginFlowError(f"GET {login_path} answered {answer.status_code}, not 302")
        authorize_url = answer.headers["Location"]
        sandbox = sandbox or self._sandbox_for(authorize_url)
        callback_url = approve(sandbox, member, authorize_url)
        parts = urlsplit(callback_url)
        return client.get(parts.path, query_string=parts.query)

    def _sandbox_for(self, authorize_url: str) -> Sandbox:
        from .embedded import current_embedded

        embedded = current_embedded()
        if embedded is not None and authorize_url.startswith(embedded.auth_url):
            return embedded.sandbox
        sandbox: Sandbox = self._request.getfixturevalue("ipernity_sandbox")
        return sandbox


@pytest.fixture
def ipernity_login(request: pytest.FixtureRequest) -> SandboxLogin:
    """A function that logs a Flask test client in as a sandbox member.

    Call it as ``ipernity_login(client, member, {"doc": "write"})``; see
    :class:`SandboxLogin`.
    """
    return SandboxLogin(request)


def approve(sandbox: Sandbox, member: User, authorize_url: str) -> str:
    """Approve a signed authorization link as ``member``, as a browser would.

    :return: the URL the sandbox sends the browser to: the application's
        callback with ``?frob=``.
    :raises LoginFlowError: when the sandbox shows no consent form or does not
        redirect.
    """
    import requests

    cookies = sandbox.signin_cookies(member)
    with requests.Session() as browser:
        page = browser.get(
            authorize_url, cookies=cookies, allow_redirects=False, timeout=HTTP_TIMEOUT
        )
        if page.status_code == 200:
            form = consent_form_fields(page.text)
            page = browser.post(
                authorize_url,
                data=form,
                cookies=cookies,
                allow_redirects=False,
                timeout=HTTP_TIMEOUT,
            )
    if page.status_code != 302:
        raise LoginFlowError(f"the authorization page answered {page.status_code}, not 302")
    return str(page.headers["Location"])


def consent_form_fields(html: str) -> dict[str, str]:
    """Return the hidden fields of the consent form (``<form name="fa">``).

    :raises LoginFlowError: when the page has no such form.
    """
    parser = _ConsentFormParser()
    parser.feed(html)
    if not parser.found:
        raise LoginFlowError("the authorization page shows no consent form")
    return parser.fields


class _ConsentFormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found = False
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes: dict[str, Any] = dict(attrs)
        if tag == "form" and attributes.get("name") == "fa":
            self.found = self._inside = True
        elif tag == "input" and self._inside and attributes.get("type") == "hidden":
            self.fields[str(attributes.get("name"))] = str(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
