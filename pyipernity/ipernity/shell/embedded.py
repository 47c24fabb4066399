"""``--sandbox``: an embedded offline Ipernity, seeded with demo members and content.

A newcomer can then try every command, ``login`` included, with no key and no
network. The sandbox lives as long as the shell; with ``--sandbox-db`` its
state is kept in a file for the next run. A command given on the command line
that needs a token runs with a member's, granted by the sandbox itself: each
such run starts without one, and a browser is no help to a one-shot command.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from typing import TYPE_CHECKING

from ipernity import catalogue

from .config import Credentials
from .errors import CommandError
from .output import Console
from .parser import CommandLine, split_line

if TYPE_CHECKING:
    from ipernity.sandbox import App, Sandbox, User

#: The shell's name on the sandbox's consent and confirmation pages.
APP_NAME = "Ipernity shell"
#: The mode of a sandbox file the shell creates: it holds the sandbox's keys and tokens.
PRIVATE_MODE = 0o600
#: The token a one-shot command gets, for the commands that need one.
COMMAND_PERMISSIONS = {"backup": {"doc": "read"}, "whoami": {"doc": "read"}}
#: The token a method gets when the catalogue names no permission (what login suggests).
DEFAULT_PERMISSIONS = {"doc": "read"}


class EmbeddedSandbox:
    """A running sandbox, its members and the credentials of the shell's desktop application.

    :param db: a file keeping the sandbox's state from one run to the next; a
        new (or empty) one gets the demo content. In memory by default.
    :raises CommandError: when the sandbox's extra is not installed, or the
        file is not a sandbox the shell can use.
    """

    def __init__(self, db: str | None = None) -> None:
        try:
            from ipernity.sandbox import Sandbox
        except ImportError as exc:
            raise CommandError(
                f"--sandbox needs the sandbox extra ({exc.name} is missing): "
                "pip install 'Flask-Ipernity[sandbox]'"
            ) from None
        # Werkzeug logs every request's URL, tokens included, on the shell's terminal.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._sandbox: Sandbox = _open(Sandbox, db)
        try:
            self._app, self._members = _prepare(self._sandbox, db)
            self._sandbox.start()
        except BaseException:
            self._sandbox.close()
            raise
        #: The shell's desktop application's key and secret, no token yet.
        self.credentials = Credentials(self._app.api_key, self._app.api_secret)

    @property
    def members(self) -> list[str]:
        """The members' usernames, the first (the default of ``--as``) first."""
        return [member.username for member in self._members]

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
        console.paragraph(f"Sandbox running at {self._sandbox.base_url} with demo content.")
        console.paragraph(
            "To log in, type e.g. login doc=write, open the page it gives, sign in as "
            f"one of the demo members ({', '.join(self.members)}) and approve."
        )

    def credentials_for(self, console: Console, line: str, username: str | None) -> Credentials:
        """The credentials a one-shot command ``line`` runs with.

        A command that needs a token (see :func:`permissions_needed`) gets the
        token of the member ``username`` (by default the first member) with the
        permissions it needs, and one line on standard error says so.

        :raises CommandError: when no member is called ``username``.
        """
        member = self.member(username)
        try:
            command = split_line(line)
        except CommandError:
            command = None  # running it says what is wrong with the line
        perms = None if command is None else permissions_needed(command)
        if command is None or perms is None:
            return self.credentials
        token = str(self._sandbox.grant(member, self._app, perms)["token"])
        granted = " ".join(f"{target}={level}" for target, level in perms.items())
        note = f"Running as {member.username} ({granted}) on the sandbox"
        others = [name for name in self.members if name != member.username]
        if username is None and others:
            note += f"; --as <username> for another: {', '.join(others)}"
        console.paragraph(note + ".")
        return self.credentials._replace(token=token)

    def member(self, username: str | None) -> User:
        """The member called ``username`` (whatever its case); the first one for ``None``.

        :raises CommandError: when there is none, naming the members there are.
        """
        if username is None:
            return self._members[0]
        for member in self._members:
            if member.username.casefold() == username.casefold():
                return member
        raise CommandError(
            f"No sandbox member is called {username!r}: --as takes one of "
            f"{', '.join(self.members)}"
        )

    def stop(self) -> None:
        """Stop the sandbox; its state goes with it, unless kept in a file."""
        self._sandbox.close()


def permissions_needed(command: CommandLine) -> dict[str, str] | None:
    """The permissions a one-shot command needs a token with; ``None`` when it needs none.

    ``backup`` and ``whoami`` need a token; so does a method, called or walked,
    that the catalogue says needs one, and one whose ``user_id`` is left out
    (it then means the token's member). The catalogue's permissions are asked
    for, or ``doc=read`` when it names none.
    """
    if command.name in COMMAND_PERMISSIONS:
        return dict(COMMAND_PERMISSIONS[command.name])
    name, words = command.name, command.words
    if name == "walk" and words:
        name, words = words[0], words[1:]
    method = catalogue.get(name)
    if method is None:
        return None
    leaves_user_out = method.parameter("user_id") is not None and not any(
        word.startswith("user_id=") for word in words
    )
    if method.token or leaves_user_out:
        return dict(method.permissions) or dict(DEFAULT_PERMISSIONS)
    return None


def _open(sandbox_class: type[Sandbox], db: str | None) -> Sandbox:
    """Open the sandbox, in memory or in the file ``db``."""
    try:
        if db is not None:
            _create_private(db)
        return sandbox_class(db)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CommandError(f"Cannot open the sandbox file {db}: {reason}") from None


def _prepare(sandbox: Sandbox, db: str | None) -> tuple[App, list[User]]:
    """Seed a new sandbox with the demo; return the shell's application and the members.

    :raises CommandError: when the sandbox has no member, or its file is unfit.
    """
    try:
        if not sandbox.apps() and not sandbox.members():
            _seed(sandbox)
        app = _shell_app(sandbox)
        members = sandbox.members()
    except sqlite3.Error as exc:
        raise CommandError(f"Cannot use the sandbox file {db}: {exc}") from None
    if not members:
        raise CommandError(f"The sandbox in {db} has no members to act as")
    return app, members


def _seed(sandbox: Sandbox) -> None:
    from ipernity.sandbox.seed import seed_demo

    demo = seed_demo(sandbox)
    # The consent page names the application the member lets in: this shell.
    sandbox.update_app(demo.desktop_app, name=APP_NAME)


def _create_private(path: str) -> None:
    # SQLite would create the file readable by all (and its journals like it).
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def _shell_app(sandbox: Sandbox) -> App:
    """The shell's desktop application, registered in a sandbox that has none yet."""
    for app in sandbox.apps():
        if app.name == APP_NAME and app.auth == "desktop":
            return app
    return sandbox.add_app(APP_NAME, auth="desktop")
