"""A small site built on Flask-Ipernity, and helpers that drive it like a visitor.

Imported by the tests as ``sites`` (this directory has no ``__init__.py`` on
purpose: as a package named ``flask`` it would hide the real Flask).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask, jsonify
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from flask_ipernity import Ipernity, api, current_extension, login_required
from ipernity.pytest_plugin import approve, consent_form_fields
from ipernity.sandbox import App, Sandbox, User

SiteFactory = Callable[..., Flask]
Login = Callable[..., TestResponse]


def build_site(sandbox: Sandbox, web_app: App, site: Flask | None = None, **config: Any) -> Flask:
    """A site whose views show who is logged in and call the API for them.

    :param site: the application to set up (one with a ``LoginManager`` of its
        own, say); a new one by default.
    """
    site = site or Flask(__name__)
    site.config.update(
        SECRET_KEY="a secret for the tests",
        TESTING=True,
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_AUTH_URL=sandbox.authorize_url,
        IPERNITY_SANDBOX=False,
        # The sandbox serves its media on this machine: allowed by name, as a site must.
        IPERNITY_MEDIA_LOCAL_HOSTS=[sandbox.base_url],
    )
    site.config.update(config)
    Ipernity(site)

    @site.route("/")
    def home() -> str:
        return "home"

    @site.route("/me")
    @login_required
    def me() -> Any:
        member = current_extension().user
        assert member is not None
        return jsonify(member=asdict(member), permissions=current_extension().permissions)

    @site.route("/me/from-api")
    @login_required
    def me_from_api() -> Any:
        return jsonify(username=api.user.get()["user"]["username"])

    @site.route("/write", methods=["GET", "POST", "OPTIONS"])
    @login_required(doc="write")
    def write() -> str:
        return "you may write"

    @site.route("/contacts")
    @login_required({"network": "read"})
    def contacts() -> str:
        return "your contacts"

    return site


def build_old_site(sandbox: Sandbox, web_app: App, **config: Any) -> Flask:
    """A site configured as for Flask-Ipernity 0.1 (its set-up warnings swallowed).

    With ``IPERNITY_LOGIN=True`` it has a ``LoginManager`` of its own, as 0.1 needed.
    """
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="a secret for the tests",
        TESTING=True,
        IPERNITY_APP_KEY=web_app.api_key,
        IPERNITY_APP_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_AUTH_URL=sandbox.authorize_url,
    )
    site.config.update(config)
    if config.get("IPERNITY_LOGIN"):
        from flask_login import LoginManager

        LoginManager(site)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        Ipernity(site)
    return site


def calls_from(sandbox: Sandbox, app: App) -> int:
    """How many API calls the sandbox received with ``app``'s key.

    The sandbox is shared by the whole test session: counting one test's own
    application leaves out any other test's late calls.
    """
    return sum(1 for call in list(sandbox.calls) if call.params.get("api_key") == app.api_key)


def session_of(client: FlaskClient) -> dict[str, Any]:
    """The session the client's cookie holds, decoded."""
    with client.session_transaction() as session:
        return dict(session)


def frob_for(client: FlaskClient, sandbox: Sandbox, member: User, query: str = "") -> str:
    """Start a login with the client and approve it as ``member``; return the frob."""
    answer = client.get("/login" + query)
    assert answer.status_code == 302
    callback = approve(sandbox, member, answer.headers["Location"])
    return callback.split("frob=", 1)[1]


def origin_of(url: str) -> str:
    """The ``scheme://host:port`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class LiveSite:
    """A site served over HTTP on a free port of 127.0.0.1."""

    def __init__(self, site: Flask, url: str) -> None:
        self.site = site
        self.url = url


class Browser:
    """One visitor of a live site: its own cookie jar, following the real redirects.

    The site and the sandbox share 127.0.0.1, so the jar holds the sandbox's
    sign-in cookie beside the site's session cookie, as a browser would.
    """

    def __init__(self, site: LiveSite, sandbox: Sandbox) -> None:
        self.site = site
        self.sandbox = sandbox
        self.http = requests.Session()
        self.callback_referer = site.url + "/"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET a page of the site without following redirects."""
        return self.http.get(self.site.url + path, allow_redirects=False, timeout=10, **kwargs)

    def approve(self, member: User, path: str = "/login") -> str:
        """Start a login at ``path`` and approve it as ``member``; return the callback URL.

        Afterwards :attr:`callback_referer` is the ``Referer`` a browser would
        send with the callback: the sandbox's origin after its consent page, the
        site's page when the sandbox approved at once.
        """
        for name, value in self.sandbox.signin_cookies(member).items():
            self.http.cookies.set(name, value, domain="127.0.0.1")
        to_ipernity = self.get(path)
        assert to_ipernity.status_code == 302
        authorize_url = to_ipernity.headers["Location"]
        self.callback_referer = self.site.url + "/"
        page = self.http.get(authorize_url, allow_redirects=False, timeout=10)
        if page.status_code == 200:
            form = consent_form_fields(page.text)
            page = self.http.post(authorize_url, data=form, allow_redirects=False, timeout=10)
            self.callback_referer = origin_of(authorize_url) + "/"
        assert page.status_code == 302, page.text
        callback = str(page.headers["Location"])
        assert urlsplit(callback).netloc == urlsplit(self.site.url).netloc
        return callback

    def log_in(self, member: User, path: str = "/login") -> requests.Response:
        """Log in as ``member``: /login, the sandbox's consent form, then the callback."""
        callback = self.approve(member, path)
        return self.http.get(
            callback, headers={"Referer": self.callback_referer}, allow_redirects=False, timeout=10
        )

    def session_token(self) -> str:
        """The token in the site's session cookie."""
        serializer = SecureCookieSessionInterface().get_signing_serializer(self.site.site)
        assert serializer is not None
        session = serializer.loads(self.http.cookies.get("session", domain="127.0.0.1"))
        return str(session["ipernity_token"]["token"])

    def close(self) -> None:
        """Close the visitor's connections."""
        self.http.close()
