"""Fixtures for the extension's tests, wired to the session's sandbox.

- ``make_site(**config)``: a new site (a Flask app) registered as ``web_app``.
- ``app``: the default site, which pytest-flask's ``client`` fixture uses.
- ``login(client, member, perms)``: the real login flow (the plugin's
  ``ipernity_login``), against the shared sandbox.
- ``live_site``: a site served over real HTTP by a threaded werkzeug server,
  with the sandbox's web application calling back to it.
- ``browser``: a visitor driving ``live_site`` over HTTP.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Browser, LiveSite, Login, SiteFactory, build_site
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from flask_ipernity.testing import SandboxLogin
from ipernity.sandbox import App, Sandbox, User


@pytest.fixture
def make_site(sandbox: Sandbox, web_app: App) -> SiteFactory:
    """Build a site with extra configuration: ``make_site(IPERNITY_PERMISSIONS=...)``."""

    def factory(**config: Any) -> Flask:
        return build_site(sandbox, web_app, **config)

    return factory


@pytest.fixture
def app(make_site: SiteFactory) -> Flask:
    """The default site (pytest-flask's ``client`` is its test client)."""
    return make_site()


@pytest.fixture
def login(ipernity_login: SandboxLogin, sandbox: Sandbox) -> Login:
    """Log a test client in through the real flow: ``login(client, member, perms)``."""

    def run(client: FlaskClient, member: User, perms: Any = None, **kwargs: Any) -> TestResponse:
        return ipernity_login(client, member, perms, sandbox=sandbox, **kwargs)

    return run


@pytest.fixture
def live_site(sandbox: Sandbox, web_app: App) -> Iterator[LiveSite]:
    """The default site on a threaded werkzeug server; the sandbox calls it back."""
    site = build_site(sandbox, web_app, TESTING=False)
    server = make_server("127.0.0.1", 0, site, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    sandbox.update_app(web_app, callback=url + "/callback")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield LiveSite(site, url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def browser(live_site: LiveSite, sandbox: Sandbox) -> Iterator[Browser]:
    """A visitor of ``live_site``."""
    visitor = Browser(live_site, sandbox)
    yield visitor
    visitor.close()
