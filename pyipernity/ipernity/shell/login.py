"""The ``login`` command: desktop authentication, finished by polling.

(``login --oauth`` runs OAuth 1.0 instead: see :mod:`.oauth_login`.)

The member approves in a browser; meanwhile the shell asks ``auth.getToken``
again and again, waiting longer each time, until the token comes, the time is
up or the member presses Enter (which asks at once). Each ask is a short call
of its own: one that fails or hangs (a network hiccup, a busy server) is given
up after :data:`POLL_DEADLINE` seconds and the next one follows, so the wait
ends with the token or with "Not approved", never with one stuck call.
"""

from __future__ import annotations

import os
import select
import sys
import time
import webbrowser
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ipernity import permissions
from ipernity.api import IpernityAPI
from ipernity.deadline import Deadline
from ipernity.exceptions import APIRequestError, InvalidResponse, IpernityError

from .errors import CommandError
from .parser import parse_params
from .session import Session

if TYPE_CHECKING:
    import requests

#: Seconds to wait for the member's approval before giving up; a frob lasts a few minutes.
TIMEOUT = 300.0
#: The first pause between two ``auth.getToken`` calls, how it grows, and its ceiling.
FIRST_DELAY = 0.5
GROWTH = 1.5
MAX_DELAY = 5.0
#: Seconds one ``auth.getToken`` call may take, and may take to connect.
POLL_DEADLINE = 10.0
POLL_CONNECT_TIMEOUT = 5.0
#: The least time a last call gets when the login's time is nearly up.
MIN_POLL_DEADLINE = 0.2

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
    session.console.paragraph(f"Waiting for approval ({hint}Ctrl-C to give up)…")
    api.token = _wait_for_token(session, frob, timeout, stdin)
    return api


def show_link(session: Session, url: str) -> None:
    """Open the authorization page in a browser, or print its link."""
    if _open_browser(url):
        session.console.paragraph("The authorization page is open in your browser: approve there.")
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
    session: Session, frob: str, timeout: float, stdin: int | None
) -> dict[str, Any]:
    """Ask ``auth.getToken`` until the member approves; return its token mapping.

    :raises CommandError: when ``timeout`` seconds pass first.
    """
    from ipernity.transport import new_session

    enter = _EnterKey(stdin)
    deadline = Deadline(timeout)
    delay = FIRST_DELAY
    # What the service last said (the frob is not approved yet), else what went wrong.
    refusal: IpernityError | None = None
    failure: IpernityError | None = None
    # One pool for all the calls: each is a client of its own, with its own deadline.
    with new_session() as http:
        while True:
            try:
                return _ask_for_token(session, http, frob, deadline)
            except IpernityError as exc:
                if _answered(exc):
                    refusal = exc
                else:
                    failure = exc
            remaining = deadline.remaining()
            if remaining <= 0:
                raise CommandError(
                    f"Not approved within {timeout:g} s ({refusal or failure}); run login again"
                )
            if enter.wait(min(delay, remaining)):
                session.console.note("Checking…")
            delay = min(delay * GROWTH, MAX_DELAY)


def _ask_for_token(
    session: Session, http: requests.Session, frob: str, deadline: Deadline
) -> dict[str, Any]:
    """One ``auth.getToken`` call, over within :data:`POLL_DEADLINE` and the login's time."""
    seconds = max(MIN_POLL_DEADLINE, min(POLL_DEADLINE, deadline.remaining()))
    timeout = (min(POLL_CONNECT_TIMEOUT, seconds), seconds)
    # No retries: the next ask is the retry, after the usual pause.
    with session.new_client(timeout=timeout, deadline=seconds, retries=0, http=http) as client:
        answer: dict[str, Any] = client.auth.getToken(frob, store_token=False)["auth"]
    return answer


def _answered(error: IpernityError) -> bool:
    """Whether the service itself answered (an API error), rather than the network failing."""
    return isinstance(error, APIRequestError) and not isinstance(error, InvalidResponse)


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
