"""The ``login`` command: desktop authentication, finished by polling.

(``login --oauth`` runs OAuth 1.0 instead: see :mod:`.oauth_login`.)

The member approves in a browser; meanwhile the shell asks ``auth.getToken``
again and again, waiting longer each time, until the token comes, the time is
up or the member presses Enter (which asks at once).
"""

from __future__ import annotations

import os
import select
import sys
import time
import webbrowser
from collections.abc import Mapping
from typing import Any

from ipernity import permissions
from ipernity.api import IpernityAPI
from ipernity.exceptions import APIRequestError

from .errors import CommandError
from .parser import parse_params
from .session import Session

#: Seconds to wait for the member's approval before giving up; a frob lasts a few minutes.
TIMEOUT = 300.0
#: The first pause between two ``auth.getToken`` calls, how it grows, and its ceiling.
FIRST_DELAY = 0.5
GROWTH = 1.5
MAX_DELAY = 5.0

USAGE = "login [--oauth] [--timeout SECONDS] [target=level …]"


def login(session: Session, words: tuple[str, ...]) -> None:
    """Get a token for the permissions in ``words`` (``doc=write blog=read``).

    A target left out gets no permission. ``--oauth`` logs in with OAuth 1.0
    (see :mod:`.oauth_login`) instead of a frob.
    """
    timeout, perms, oauth = _parse(words)
    try:
        if oauth:
            from .oauth_login import authorize_with_oauth

            client = authorize_with_oauth(session, perms, timeout)
        else:
            client = _authorize(session, perms, timeout)
    except KeyboardInterrupt:
        raise CommandError("Login cancelled") from None
    session.use_client(client)
    session.console.text(f"Logged in as {describe_user(client.user_info)}")


def _authorize(session: Session, perms: dict[str, str], timeout: float) -> IpernityAPI:
    api = session.new_client()
    frob = str(api.auth.getFrob()["auth"]["frob"])
    url = api.auth.auth_url(perms, frob)
    stdin = _terminal_stdin()
    show_link(session, url)
    hint = "press Enter once you have approved, " if stdin is not None else ""
    session.console.note(f"Waiting for approval ({hint}Ctrl-C to give up)…")
    _wait_for_token(session, api, frob, timeout, stdin)
    return api


def show_link(session: Session, url: str) -> None:
    """Open the authorization page in a browser, or print its link."""
    if _open_browser(url):
        session.console.note("The authorization page is open in your browser: approve there.")
    else:
        session.console.text("Open this link in a browser and approve:")
        session.console.text(url)


def describe_user(user: Mapping[str, Any] | None) -> str:
    """Return ``username (real name), user_id N`` for a member, as far as known."""
    if not user:
        return "an unknown member"
    name = str(user.get("username") or "?")
    realname = user.get("realname")
    text = f"{name} ({realname})" if realname and realname != name else name
    return f"{text}, user_id {user.get('user_id', '?')}"


def _parse(words: tuple[str, ...]) -> tuple[float, dict[str, str], bool]:
    rest = list(words)
    timeout = TIMEOUT
    oauth = False
    while rest and rest[0] in ("--timeout", "--oauth"):
        if rest[0] == "--oauth":
            oauth = True
            del rest[0]
            continue
        if len(rest) < 2:
            raise CommandError(f"--timeout needs a number of seconds; usage: {USAGE}")
        timeout = _seconds(rest[1])
        del rest[:2]
    perms = parse_params(rest)
    for key, level in perms.items():
        if permissions.target_name(key) not in permissions.TARGETS:
            raise CommandError(
                f"Unknown permission target {key!r}: use {', '.join(permissions.TARGETS)}"
            )
        if level not in permissions.LEVELS:
            raise CommandError(
                f"Unknown permission level {level!r} for {key}: "
                f"use {', '.join(permissions.LEVELS)}"
            )
    asked = permissions.merge(perms)
    if not asked:
        raise CommandError(f"Ask for at least one permission, e.g. login doc=read; usage: {USAGE}")
    return timeout, asked, oauth


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise CommandError(f"--timeout needs a positive number of seconds, not {text!r}")
    return seconds


def _open_browser(url: str) -> bool:
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False


def _terminal_stdin() -> int | None:
    # Only a person at a terminal presses Enter; piped input holds the next commands.
    if os.name != "posix" or not sys.stdin.isatty():
        return None
    return sys.stdin.fileno()


def _wait_for_token(
    session: Session, api: IpernityAPI, frob: str, timeout: float, stdin: int | None
) -> dict[str, Any]:
    enter = _EnterKey(stdin)
    deadline = time.monotonic() + timeout
    delay = FIRST_DELAY
    while True:
        try:
            return api.auth.getToken(frob)
        except APIRequestError as exc:
            # Before the member approves, the service refuses the frob.
            refusal = exc
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CommandError(f"Not approved within {timeout:g} s ({refusal}); run login again")
        if enter.wait(min(delay, remaining)):
            session.console.note("Checking…")
        delay = min(delay * GROWTH, MAX_DELAY)


class _EnterKey:
    """Waits between two polls; Enter on the terminal ends a wait early."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; tell whether Enter ended the wait."""
        if self._fd is None:
            time.sleep(seconds)
            return False
        ready, _, _ = select.select([self._fd], [], [], seconds)
        if not ready:
            return False
        if os.read(self._fd, 4096):
            return True
        # End of input (Ctrl-D): no Enter can come any more, so stop watching.
        self._fd = None
        return False
