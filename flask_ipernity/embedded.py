"""The embedded sandbox: Ipernity on a fresh machine, for development.

With ``IPERNITY_SANDBOX = True`` and no API key, the extension starts one
:class:`ipernity.sandbox.Sandbox` for the whole process, seeded with the demo
content, serving on a free port of 127.0.0.1 in a background thread, and
logs in against its demo web application.
"""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ipernity.sandbox import App, Sandbox, User

_lock = threading.Lock()
_embedded: EmbeddedSandbox | None = None


class EmbeddedSandbox:
    """A running sandbox and the demo web application sites log in with.

    :param sandbox: the running sandbox.
    :param app: its demo web application.
    :param members: its demo members, who can log in.
    """

    def __init__(self, sandbox: Sandbox, app: App, members: tuple[User, ...]) -> None:
        self.sandbox = sandbox
        self.members = members
        self._app = app
        self._lock = threading.Lock()

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

    def register_callback(self, url: str) -> None:
        """Make ``url`` the demo application's callback, if it is not already.

        A site's host and port are known only once it serves a request, so the
        login view registers them here just before sending a member to log in.
        """
        with self._lock:
            if self._app.callback != url:
                self._app = self.sandbox.update_app(self._app, callback=url)


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
