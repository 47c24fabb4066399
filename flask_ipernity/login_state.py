"""Pending logins: what ``/login`` records and ``/callback`` consumes.

A pending login is a random state, the sanitized ``next``, the permissions
asked, the time the login started and its place in the session's sequence,
signed with :mod:`itsdangerous` and kept in the visitor's session. Ipernity's
callback carries only a frob, so the callback accepts it only while this
session has a live pending login, and consumes that record at once: the same
record never completes two logins.

Nothing in a callback tells which of a session's pending logins (one per tab
that started a login) it answers: the newest is completed, and the others stay
for the other tabs, bound to the member who logged in (:meth:`PendingLogins.bind`),
so that they can only log that same member in again.
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass, replace
from typing import Any

from .pending import SignedRecords

#: The session key of the list of signed pending logins.
SESSION_KEY = "ipernity_pending"

#: Pending logins kept per session (one per browser tab that started a login).
MAX_PENDING = 3

_SALT = "flask-ipernity.pending-login"


class LoginStateError(Exception):
    """The callback has no pending login to complete."""


class NoPendingLogin(LoginStateError):
    """This session started no login: a forged or replayed callback."""


class LoginTimedOut(LoginStateError):
    """This session's logins started longer ago than the login timeout."""


@dataclass(frozen=True)
class PendingLogin:
    """One login started by ``/login`` and not completed yet."""

    #: A random value naming this login.
    state: str
    #: Where to send the visitor once logged in (a path on this site).
    next_url: str
    #: The permissions asked on the authorization page.
    permissions: dict[str, str]
    #: When the login started (seconds since the epoch).
    started_at: float
    #: Its place among the session's logins: a later login has a larger one.
    sequence: int = 0
    #: The member a login completed in another tab bound it to, if any.
    member_id: str | None = None

    def age(self) -> float:
        """Return the seconds since the login started."""
        return time.time() - self.started_at


class PendingLogins(SignedRecords[PendingLogin]):
    """The pending logins of the current request's session.

    :param timeout: seconds a pending login stays usable.
    """

    session_key = SESSION_KEY
    salt = _SALT

    def start(self, next_url: str, permissions: dict[str, str]) -> PendingLogin:
        """Record a new pending login and return it.

        Expired and unreadable records are dropped; only the newest
        :data:`MAX_PENDING` are kept, so the cookie stays small.
        """
        records = self._records()
        # A sequence, not the clock: two logins started in one millisecond must not tie.
        sequence = max((rec.sequence for _, rec in records), default=0) + 1
        login = PendingLogin(
            secrets.token_urlsafe(16), next_url, permissions, time.time(), sequence
        )
        kept = [signed for signed, rec in records if self._is_live(rec)][-(MAX_PENDING - 1) :]
        self._store([*kept, self._sign(login)])
        return login

    def take(self) -> PendingLogin:
        """Remove this session's newest live pending login and return it.

        Other pending logins stay (see :meth:`bind`).

        :raises NoPendingLogin: when the session started no login.
        :raises LoginTimedOut: when every login it started is too old.
        """
        records = self._records()
        live = [(signed, rec) for signed, rec in records if self._is_live(rec)]
        if not live:
            raise LoginTimedOut() if records else NoPendingLogin()
        signed, newest = max(live, key=lambda item: item[1].sequence)
        self._store([s for s, _ in records if s != signed])
        return newest

    def bind(self, member_id: str) -> None:
        """Bind the session's remaining live pending logins to ``member_id``.

        Called once a login completed: another tab's login may still finish,
        but only for the member now logged in, so that a callback forged for
        a leftover login cannot switch the visitor to someone else's account.
        """
        self._store(
            [
                self._sign(replace(rec, member_id=rec.member_id or member_id))
                for _, rec in self._records()
                if self._is_live(rec)
            ]
        )

    def _encode(self, record: PendingLogin) -> dict[str, Any]:
        return _encode(record)

    def _decode(self, data: Any) -> PendingLogin:
        return _decode(data)


def _encode(login: PendingLogin) -> dict[str, Any]:
    # Short keys: the records travel in the session cookie.
    encoded = {
        "s": login.state,
        "n": login.next_url,
        "p": login.permissions,
        # Rounded down: rounded up, a login read back at once looks started in the
        # future, so not live, and a second login started then would drop it.
        "t": math.floor(login.started_at * 1000) / 1000,
        "q": login.sequence,
    }
    if login.member_id is not None:
        encoded["u"] = login.member_id
    return encoded


def _decode(data: Any) -> PendingLogin:
    member_id = data.get("u")
    return PendingLogin(
        str(data["s"]),
        str(data["n"]),
        dict(data["p"]),
        float(data["t"]),
        int(data.get("q", 0)),
        None if member_id is None else str(member_id),
    )
