"""The default storage: the token mapping in Flask's session."""

from __future__ import annotations

from flask import request, session

from ..sealing import STORED_ACCESS_TOKEN, Unreadable, seal, unseal
from .base import TokenMapping, TokenStorage

# The key of an OAuth token's secret in the mapping: kept sealed in the cookie.
_OAUTH_SECRET = "oauth_token_secret"  # noqa: S105 -- a key's name, not a secret


class SessionStorage(TokenStorage):
    """Keeps the token mapping in ``flask.session``.

    With Flask's default session the mapping travels in the signed (not
    encrypted) session cookie: the member can read their own token, nobody
    else can, and nobody can forge one. An OAuth token's secret is sealed
    (encrypted, see :mod:`flask_ipernity.sealing`): the cookie never shows it.
    The mapping takes about 300 bytes (400 with OAuth).

    :param key: the session key the mapping is kept under.
    """

    def __init__(self, key: str = "ipernity_token") -> None:
        self.key = key
        # Each request opens a sealed secret once, under a name of this instance's own.
        self._memo = f"flask_ipernity.session_token.{id(self):x}"

    def get(self) -> TokenMapping | None:
        """Return the token mapping kept in the session, or ``None``.

        An OAuth secret sealed with a key the application no longer has (its
        ``SECRET_KEY`` changed, with no ``SECRET_KEY_FALLBACKS``) counts as no
        login.
        """
        # Read at every request: the session itself, not a read through its proxy.
        token: TokenMapping | None = session._get_current_object().get(self.key)  # type: ignore[attr-defined]
        if token is None or _OAUTH_SECRET not in token:
            return token
        secret = self._opened(str(token[_OAUTH_SECRET]))
        return None if secret is None else {**token, _OAUTH_SECRET: secret}

    def set(self, token: TokenMapping) -> None:
        """Keep ``token`` in the session, an OAuth secret sealed."""
        if _OAUTH_SECRET in token:
            token = {**token, _OAUTH_SECRET: seal(str(token[_OAUTH_SECRET]), STORED_ACCESS_TOKEN)}
        session[self.key] = token

    def delete(self) -> None:
        """Remove the token from the session."""
        session.pop(self.key, None)

    def _opened(self, sealed: str) -> str | None:
        memo: tuple[str, str | None] | None = request.environ.get(self._memo)
        if memo is None or memo[0] != sealed:
            try:
                memo = (sealed, unseal(sealed, STORED_ACCESS_TOKEN))
            except Unreadable:
                memo = (sealed, None)
            request.environ[self._memo] = memo
        return memo[1]
