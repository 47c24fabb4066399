"""OAuth 1.0 tokens: request tokens, their verifiers, access-token secrets and seen nonces.

A request token is the OAuth counterpart of a frob: issued to an application
by the request step, approved by a member on the authorization page, spent by
the access step. Issued while the sandbox speaks OAuth 1.0a, it gets a
verifier at each approval, which the access step requires. The access token
handed out then is the member's grant token (see :mod:`.grants`) with a secret
of its own, so an OAuth login and a frob login of the same member and
application act through the same grant:
upgrading or revoking it works for both.
"""

from __future__ import annotations

import secrets
import threading
import time
import weakref

from .store import Row, Store


def new_request_token(
    store: Store, app_id: int, callback: str | None, ttl: float, *, with_verifier: bool = False
) -> Row:
    """Issue a request token (and its secret) to an application.

    :param with_verifier: OAuth 1.0a: the member's approval will give the token
        a verifier, which the access step then requires.
    """
    token = secrets.token_hex(16)
    store.execute(
        "INSERT INTO oauth_request_tokens (token, secret, app_id, callback, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (token, secrets.token_hex(16), app_id, callback, time.time() + ttl),
    )
    if with_verifier:
        store.execute("INSERT INTO oauth_verifiers (token) VALUES (?)", (token,))
    row = live_request_token(store, token)
    if row is None:
        raise LookupError("the request token just written is missing")
    return row


def find_request_token(store: Store, token: str) -> Row | None:
    """Return a request token whatever its state (spent, expired, approved…)."""
    return store.one("SELECT * FROM oauth_request_tokens WHERE token = ?", (token,))


def live_request_token(store: Store, token: str) -> Row | None:
    """Return a request token that is neither spent nor expired."""
    row = find_request_token(store, token)
    return row if row is not None and is_live(row) else None


def is_live(row: Row) -> bool:
    """Tell whether a request token is neither spent nor expired."""
    return not row["used"] and row["expires_at"] > time.time()


def takes_verifier(store: Store, token: str) -> bool:
    """Tell whether a request token was issued with OAuth 1.0a's verifier."""
    return store.one("SELECT 1 FROM oauth_verifiers WHERE token = ?", (token,)) is not None


def verifier_of(store: Store, token: str) -> str | None:
    """Return the verifier the member's approval gave a request token, if any."""
    verifier: str | None = store.scalar(
        "SELECT verifier FROM oauth_verifiers WHERE token = ?", (token,)
    )
    return verifier


def approve_request_token(store: Store, token: str, user_id: int) -> str | None:
    """Record that member ``user_id`` approved the request token.

    :return: the token's new verifier, for a token issued with one (OAuth
        1.0a); each approval draws a new one.
    """
    store.execute("UPDATE oauth_request_tokens SET user_id = ? WHERE token = ?", (user_id, token))
    if not takes_verifier(store, token):
        return None
    verifier = secrets.token_urlsafe(16)
    store.execute("UPDATE oauth_verifiers SET verifier = ? WHERE token = ?", (verifier, token))
    return verifier


def spend_request_token(store: Store, token: str) -> None:
    """Spend a request token: the access step works once."""
    store.execute("UPDATE oauth_request_tokens SET used = 1 WHERE token = ?", (token,))


def access_token_secret(store: Store, grant: Row) -> str:
    """Return the secret of a grant's token, making it on first use."""
    store.execute(
        "INSERT OR IGNORE INTO oauth_token_secrets (token, secret) VALUES (?, ?)",
        (grant["token"], secrets.token_hex(16)),
    )
    secret: str = store.scalar(
        "SELECT secret FROM oauth_token_secrets WHERE token = ?", (grant["token"],)
    )
    return secret


def access_grant(store: Store, token: str) -> tuple[Row, str] | None:
    """Return the live grant an access token stands for, with the token's secret.

    A token whose grant was revoked has no grant any more: ``None``.
    """
    row = store.one(
        "SELECT grants.*, oauth_token_secrets.secret AS oauth_secret FROM grants"
        " JOIN oauth_token_secrets ON oauth_token_secrets.token = grants.token"
        " WHERE grants.token = ?",
        (token,),
    )
    return None if row is None else (row, row["oauth_secret"])


#: Seconds between two sweeps of the old nonces.
_SWEEP_EVERY = 60.0


class SeenNonces:
    """The nonces seen within the timestamp window, kept in memory.

    They matter for minutes only (older timestamps are refused anyway), so
    they stay out of the database: checking one is a dictionary lookup.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str, int], int] = {}
        self._lock = threading.Lock()
        self._swept = time.monotonic()

    def add(
        self, client_key: str, token: str, nonce: str, timestamp: int, forget_before: float
    ) -> bool:
        """Record a nonce; tell whether it is new for this key, token and timestamp.

        :param forget_before: nonces with an older timestamp are dropped now and
            then: such timestamps are refused anyway.
        """
        key = (client_key, token, nonce, timestamp)
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = timestamp
            if time.monotonic() - self._swept > _SWEEP_EVERY:
                self._swept = time.monotonic()
                self._seen = {k: t for k, t in self._seen.items() if t >= forget_before}
            return True


_nonces: weakref.WeakKeyDictionary[Store, SeenNonces] = weakref.WeakKeyDictionary()
_nonces_lock = threading.Lock()


def seen_nonces(store: Store) -> SeenNonces:
    """The nonces seen by the sandbox whose state ``store`` holds."""
    with _nonces_lock:
        nonces = _nonces.get(store)
        if nonces is None:
            nonces = _nonces[store] = SeenNonces()
        return nonces
