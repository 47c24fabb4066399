"""Pending OAuth logins: what ``/login`` records and ``/callback`` looks up.

With OAuth, Ipernity calls the site back with the request token the login
obtained. Each pending login keeps that token, its secret (it signs the access
step; sealed, see :mod:`.sealing`, so that the cookie never shows it), whether
the service promised a verifier, the sanitized ``next``, the permissions asked
and the time it started, signed with :mod:`itsdangerous` in the visitor's
session. The callback accepts only a request token one of this session's own
logins obtained, and removes that login whatever happens next: each tab comes
back to its own ``next``, a request token approved in someone else's browser
matches nothing here, and a second visit of the same callback finds no login.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import Any

from .login_state import LoginTimedOut, NoPendingLogin
from .pending import SignedRecords
from .sealing import PENDING_REQUEST_TOKEN, seal, unseal

#: The session key of the list of signed pending OAuth logins.
SESSION_KEY = "ipernity_oauth_pending"

#: Pending logins kept per session (one per browser tab that started a login).
MAX_PENDING = 3

_SALT = "flask-ipernity.pending-oauth-login"


@dataclass(frozen=True)
class PendingOAuthLogin:
    """One OAuth login started by ``/login`` and not completed yet."""

    #: The request token and its secret: ``oauth_token``, ``oauth_token_secret``.
    request_token: dict[str, str]
    #: Where to send the visitor once logged in (a path on this site).
    next_url: str
    #: The permissions asked on the authorization page.
    permissions: dict[str, str]
    #: When the login started (seconds since the epoch).
    started_at: float
    #: Whether the service confirmed the callback (OAuth 1.0a): the callback
    #: must then carry the ``oauth_verifier`` of the member's approval.
    verifier_expected: bool = False

    def age(self) -> float:
        """Return the seconds since the login started."""
        return time.time() - self.started_at


class PendingOAuthLogins(SignedRecords[PendingOAuthLogin]):
    """The pending OAuth logins of the current request's session.

    :param timeout: seconds a pending login stays usable.
    """

    session_key = SESSION_KEY
    salt = _SALT

    def start(
        self,
        request_token: dict[str, str],
        next_url: str,
        permissions: dict[str, str],
        verifier_expected: bool = False,
    ) -> PendingOAuthLogin:
        """Record a new pending login; keep only the newest :data:`MAX_PENDING` live ones.

        :param request_token: ``oauth_token`` and ``oauth_token_secret``.
        :param verifier_expected: the service confirmed the callback (OAuth 1.0a).
        """
        login = PendingOAuthLogin(
            {name: request_token[name] for name in ("oauth_token", "oauth_token_secret")},
            next_url,
            dict(permissions),
            time.time(),
            verifier_expected,
        )
        kept = [signed for signed, rec in self._records() if self._is_live(rec)]
        self._store([*kept[-(MAX_PENDING - 1) :], self._sign(login)])
        return login

    def take(self, oauth_token: str) -> PendingOAuthLogin:
        """Remove and return this session's pending login for ``oauth_token``.

        :raises NoPendingLogin: when no login of this session obtained that token.
        :raises LoginTimedOut: when the login that did started too long ago.
        """
        records = self._records()
        for signed, login in records:
            if hmac.compare_digest(login.request_token["oauth_token"], oauth_token):
                self._store([other for other, _ in records if other != signed])
                if not self._is_live(login):
                    raise LoginTimedOut()
                return login
        raise NoPendingLogin()

    def _encode(self, record: PendingOAuthLogin) -> dict[str, Any]:
        return _encode(record)

    def _decode(self, data: Any) -> PendingOAuthLogin:
        return _decode(data)


def _encode(login: PendingOAuthLogin) -> dict[str, Any]:
    # Short keys: the records travel in the session cookie.
    return {
        "k": login.request_token["oauth_token"],
        "s": seal(login.request_token["oauth_token_secret"], PENDING_REQUEST_TOKEN),
        "n": login.next_url,
        "p": login.permissions,
        # Whole seconds, rounded down: a login just started is never in the future.
        "t": int(login.started_at),
        "v": login.verifier_expected,
    }


def _decode(data: Any) -> PendingOAuthLogin:
    # A secret sealed with another key raises Unreadable, a ValueError: the record is dropped.
    token = {
        "oauth_token": str(data["k"]),
        "oauth_token_secret": unseal(str(data["s"]), PENDING_REQUEST_TOKEN),
    }
    return PendingOAuthLogin(
        token, str(data["n"]), dict(data["p"]), float(data["t"]), data["v"] is True
    )
