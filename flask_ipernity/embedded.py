"""The embedded sandbox: Ipernity on a fresh machine, for development.

With ``IPERNITY_SANDBOX = True`` and no API key, the extension starts one
:class:`ipernity.sandbox.Sandbox` for the whole process, seeded with the demo
content, serving on a free port of 127.0.0.1 in a background thread. Each
Flask application gets a web application of its own on it
(:class:`SandboxSite`), whose callback is fixed once, by the first login:
``IPERNITY_CALLBACK_URL`` or ``SERVER_NAME`` when set, else the address the
development server is bound to (see :mod:`flask_ipernity.callback_url`),
never a request's ``Host`` header, which would send members' frobs (and OAuth
approvals) wherever a visitor chose.
"""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from ipernity.sandbox import App, Sandbox, User

_lock = threading.Lock()
_embedded: EmbeddedSandbox | None = None


class EmbeddedSandbox:
    """A running sandbox, its demo web application and members.

    Each site logs in with a web application of its own (:meth:`add_site`).

    :param sandbox: the running sandbox.
    :param app: its demo web application.
    :param members: its demo members, who can log in.
    """

    def __init__(self, sandbox: Sandbox, app: App, members: tuple[User, ...]) -> None:
        self.sandbox = sandbox
        self.members = members
        self._app = app

    @property
    def api_key(self) -> str:
        """The demo web application's API key."""
        return self._app.api_key

    @property
    def api_secret(self) -> str:
        """The demo web application's API secret."""
        return self._app.api_secret

    @property
    def api_url(self) -> str:
        """The sandbox's API URL."""
        return self.sandbox.api_url

    @property
    def auth_url(self) -> str:
        """The sandbox's authorization page."""
        return self.sandbox.authorize_url

    @property
    def oauth_url(self) -> str:
        """The base of the sandbox's OAuth steps."""
        return self.sandbox.oauth_url

    def add_site(self, name: str) -> SandboxSite:
        """Register a web application for the Flask application ``name``.

        Its callback is set by the site's first login (:meth:`SandboxSite.fix_callback`);
        until then it is the demo web application's.
        """
        placeholder = self._app.callback or "http://127.0.0.1/callback"
        return SandboxSite(self.sandbox, self.sandbox.add_app(name, callback=placeholder))


class SandboxSite:
    """One Flask application's web application on the embedded sandbox.

    :param sandbox: the running sandbox.
    :param app: the web application registered for the site.
    """

    def __init__(self, sandbox: Sandbox, app: App) -> None:
        self._sandbox = sandbox
        self._app = app
        self._fixed = False
        self._lock = threading.Lock()

    @property
    def api_key(self) -> str:
        """The site's API key on the sandbox."""
        return self._app.api_key

    @property
    def api_secret(self) -> str:
        """The site's API secret on the sandbox."""
        return self._app.api_secret

    @property
    def callback(self) -> str | None:
        """Where the sandbox sends members back to with their frob."""
        return self._app.callback

    def fix_callback(self, url: str) -> None:
        """Make ``url`` the site's callback if none was fixed yet; never move it after.

        A site's bound address is known only once it serves a request, so the
        login view calls this just before sending a member to log in (with
        the URL :func:`~flask_ipernity.callback_url.callback_url` gives).
        Only the first call counts: the callback never moves afterwards.
        """
        with self._lock:
            if not self._fixed:
                self._app = self._sandbox.update_app(self._app, callback=url)
                self._fixed = True


def site_name(app: Flask) -> str:
    """The name the embedded sandbox shows for ``app``: ``IPERNITY_SANDBOX_APP_NAME``,
    else the application's name made readable."""
    configured = app.config.get("IPERNITY_SANDBOX_APP_NAME")
    if configured:
        return str(configured)
    words = app.name.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words.capitalize() or "Flask site"


def embedded_sandbox() -> EmbeddedSandbox:
    """Return the process's embedded sandbox, starting it on first use."""
    global _embedded
    with _lock:
        if _embedded is None:
            _embedded = _start()
        return _embedded


def current_embedded() -> EmbeddedSandbox | None:
    """Return the process's embedded sandbox if it was started, else ``None``."""
    return _embedded


def _start() -> EmbeddedSandbox:
    from ipernity.sandbox import Sandbox
    from ipernity.sandbox.seed import seed_demo

    sandbox = Sandbox()
    demo = seed_demo(sandbox)
    sandbox.start("127.0.0.1", 0)
    atexit.register(sandbox.close)
    return EmbeddedSandbox(sandbox, demo.web_app, demo.members)
