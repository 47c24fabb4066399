"""Testing a Flask-Ipernity site: logging a test client in through the real flow.

The ``ipernity_login`` fixture (from the ``pytest11`` plugin
:mod:`ipernity.pytest_plugin`) returns a :class:`SandboxLogin`.
"""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from flask import url_for

from ipernity.permissions import link_params
from ipernity.pytest_plugin import LoginFlowError, approve

from .embedded import current_embedded
from .extension import current_extension

if TYPE_CHECKING:
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse

    from ipernity.sandbox import Sandbox, User


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

        With OAuth, the login page's button is pressed (its form posted back),
        and the callback carries the sandbox's verifier when it sends one.

        :param client: a test client of the site (with Flask-Ipernity set up).
        :param member: a member of the sandbox (``sandbox.add_user(...)``).
        :param permissions: asked on top of the site's ``IPERNITY_PERMISSIONS``.
        :param sandbox: the sandbox the site talks to; by default the site's
            embedded sandbox, else the ``ipernity_sandbox`` fixture.
        :param next_url: the ``next`` passed to ``/login``.
        :return: the site's answer to the callback (a redirect to ``next_url``),
            reached from the sandbox's consent page as a browser would (its
            ``Referer`` names the sandbox).
        :raises LoginFlowError: when a step answers otherwise than expected.
        """
        app = client.application
        asked: dict[str, Any] = link_params(permissions)
        with app.test_request_context():
            login_path = url_for("ipernity.login", next=next_url, **asked)
            form_action = url_for("ipernity.login")
            oauth = current_extension().auth_method == "oauth"
        answer = client.get(login_path)
        if oauth:
            # OAuth logins start on the button's POST only: press it.
            fields = login_form_fields(answer.get_data(as_text=True), form_action)
            answer = client.post(form_action, data=fields)
            if answer.status_code != 303:
                raise LoginFlowError(f"POST {form_action} answered {answer.status_code}, not 303")
        elif answer.status_code != 302:
            raise LoginFlowError(f"GET {login_path} answered {answer.status_code}, not 302")
        authorize_url = answer.headers["Location"]
        sandbox = sandbox or self._sandbox_for(authorize_url)
        callback_url = approve(sandbox, member, authorize_url)
        parts = urlsplit(callback_url)
        # What a browser sends coming back from the consent page: its origin.
        consent = urlsplit(authorize_url)
        referer = f"{consent.scheme}://{consent.netloc}/"
        return client.get(parts.path, query_string=parts.query, headers={"Referer": referer})

    def _sandbox_for(self, authorize_url: str) -> Sandbox:
        embedded = current_embedded()
        # Either flow's page (frob or OAuth) is on the embedded sandbox's address.
        if embedded is not None and authorize_url.startswith(embedded.sandbox.base_url):
            return embedded.sandbox
        sandbox: Sandbox = self._request.getfixturevalue("ipernity_sandbox")
        return sandbox


def login_form_fields(html: str, action: str) -> dict[str, str]:
    """Return the hidden fields of the page's form that posts to ``action``.

    :raises LoginFlowError: when the page has no such form.
    """
    parser = _FormParser(action)
    parser.feed(html)
    if not parser.found:
        raise LoginFlowError(f"the page shows no form posting to {action}")
    return parser.fields


class _FormParser(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.found = False
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and not self.found and attributes.get("action") == self.action:
            self.found = self._inside = True
        elif tag == "input" and self._inside and attributes.get("type") == "hidden":
            self.fields[str(attributes.get("name"))] = str(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
