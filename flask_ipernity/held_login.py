"""A login held until the visitor confirms it: what an untrusted callback obtained.

A frob is single-use, so the callback exchanges it before it can tell the
visitor whose account it opens. When the callback's navigation did not
provably come from Ipernity's page or this site, the token it obtained is not
stored: it is held here, signed in the visitor's session, for at most
:data:`HOLD_SECONDS`, until the page that names the member gets her answer.
Only one login is held per session; a newer one replaces it. The token never
appears in a page or a URL.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from .member import Member
from .pending import SignedRecords
from .storage import TokenMapping

#: The session key of the held login.
SESSION_KEY = "ipernity_held"

#: Seconds a held login waits for the visitor's answer.
HOLD_SECONDS = 300

_SALT = "flask-ipernity.held-login"


@dataclass(frozen=True)
class HeldLogin:
    """A token obtained by a callback, waiting for the visitor's confirmation."""

    #: The token mapping (``token``, ``permissions``, ``user``), compacted.
    token: TokenMapping
    #: Where to send the visitor once logged in (a path on this site).
    next_url: str
    #: The permissions the login asked.
    permissions: dict[str, str]
    #: When the login was held (seconds since the epoch).
    held_at: float

    @property
    def member(self) -> Member:
        """The member the token would log in."""
        return Member.from_token(self.token)

    def age(self) -> float:
        """Return the seconds since the login was held."""
        return time.time() - self.held_at


class HeldLogins(SignedRecords[HeldLogin]):
    """The login held in the current request's session, if any."""

    session_key = SESSION_KEY
    salt = _SALT

    def __init__(self, timeout: float = HOLD_SECONDS) -> None:
        super().__init__(timeout)

    def hold(self, token: TokenMapping, next_url: str, permissions: dict[str, str]) -> HeldLogin:
        """Hold ``token`` for the visitor's confirmation, replacing any held login.

        :param token: the compacted token mapping.
        :param next_url: where to go once confirmed.
        :param permissions: the permissions the login asked.
        """
        held = HeldLogin(token, next_url, permissions, time.time())
        self._store([self._sign(held)])
        return held

    def peek(self) -> HeldLogin | None:
        """Return the live held login, leaving it held; ``None`` when there is none."""
        live = [record for _, record in self._records() if self._is_live(record)]
        return live[-1] if live else None

    def take(self) -> HeldLogin | None:
        """Release the held login and return it if it is still live."""
        held = self.peek()
        self._store([])
        return held

    def _encode(self, record: HeldLogin) -> dict[str, Any]:
        return {
            "k": record.token,
            "n": record.next_url,
            "p": record.permissions,
            # Rounded down: rounded up, a login read back at once looks held in the future.
            "t": math.floor(record.held_at * 1000) / 1000,
        }

    def _decode(self, data: Any) -> HeldLogin:
        return HeldLogin(dict(data["k"]), str(data["n"]), dict(data["p"]), float(data["t"]))
