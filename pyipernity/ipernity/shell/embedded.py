"""``--sandbox``: an embedded offline Ipernity, seeded with demo members and content.

A newcomer can then try every command, ``login`` included, with no key and no
network. The sandbox lives as long as the shell.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .config import Credentials
from .errors import CommandError
from .output import Console

if TYPE_CHECKING:
    from ipernity.sandbox import Sandbox

#: The shell's name on the sandbox's consent and confirmation pages.
APP_NAME = "Ipernity shell"


class EmbeddedSandbox:
    """A running sandbox and the credentials of its demo desktop application.

    :raises CommandError: when the sandbox's extra is not installed.
    """

    def __init__(self) -> None:
        try:
            from ipernity.sandbox import Sandbox
            from ipernity.sandbox.seed import seed_demo
        except ImportError as exc:
            raise CommandError(
                f"--sandbox needs the sandbox extra ({exc.name} is missing): "
                "pip install 'Flask-Ipernity[sandbox]'"
            ) from None
        # Werkzeug logs every request's URL, tokens included, on the shell's terminal.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._sandbox: Sandbox = Sandbox()
        demo = seed_demo(self._sandbox)
        # The consent page names the application the member lets in: this shell.
        self._sandbox.update_app(demo.desktop_app, name=APP_NAME)
        self._sandbox.start()
        #: The demo desktop application's key and secret, no token yet.
        self.credentials = Credentials(demo.desktop_app.api_key, demo.desktop_app.api_secret)
        #: The usernames of the demo members.
        self.members = [member.username for member in demo.members]

    @property
    def api_url(self) -> str:
        """The API's base URL."""
        return self._sandbox.api_url

    @property
    def authorize_url(self) -> str:
        """The authorization page's URL."""
        return self._sandbox.authorize_url

    def introduce(self, console: Console) -> None:
        """Tell how to use the sandbox: where it is and how to log in as a member."""
        console.note(f"Sandbox running at {self._sandbox.base_url} with demo content.")
        console.note(
            "To log in, type e.g. login doc=write, open the page it gives, sign in as "
            f"one of the demo members ({', '.join(self.members)}) and approve."
        )

    def stop(self) -> None:
        """Stop the sandbox; its state goes with it."""
        self._sandbox.close()
