"""pytest fixtures for programs and sites that use Ipernity (a ``pytest11`` plugin).

Installed with the package, so tests can use at once:

- ``ipernity_sandbox``: a running :class:`ipernity.sandbox.Sandbox` for the
  test session; register an application on it and point the program or the
  site at its ``api_url`` and ``authorize_url``.
- ``ipernity_login``: logs a Flask test client in as a sandbox member by running
  the real flow (see :class:`flask_ipernity.testing.SandboxLogin`).

::

    def test_albums_page(client, ipernity_sandbox, ipernity_login):
        alice = ipernity_sandbox.add_user("alice")
        ipernity_login(client, alice, {"doc": "write"})
        assert client.get("/albums").status_code == 200

This module imports nothing but pytest and the standard library until a
fixture is used: with the library alone installed (no sandbox extra, no
Flask), a project's test run does not notice the plugin.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask_ipernity.testing import SandboxLogin
    from ipernity.sandbox import Sandbox, User

#: Seconds the sandbox may take to answer one step of a login.
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


@pytest.fixture
def ipernity_login(request: pytest.FixtureRequest) -> SandboxLogin:
    """A function that logs a Flask test client in as a sandbox member.

    Call it as ``ipernity_login(client, member, {"doc": "write"})``; see
    :class:`flask_ipernity.testing.SandboxLogin`.
    """
    from flask_ipernity.testing import SandboxLogin

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
