"""The default storage: the token mapping in Flask's session."""

from __future__ import annotations

from flask import session

from .base import TokenMapping, TokenStorage


class SessionStorage(TokenStorage):
    """Keeps the token mapping in ``flask.session``.

    With Flask's default session the mapping travels in the signed (not
    encrypted) session cookie: the member can read their own token, nobody
    else can, and nobody can forge one. The mapping takes about 300 bytes.

    :param key: the session key the mapping is kept under.
    """

    def __init__(self, key: str = "ipernity_token") -> None:
        self.key = key

    def get(self) -> TokenMapping | None:
        """Return the token mapping kept in the session, or ``None``."""
        token: TokenMapping | None = session.get(self.key)
        return token

    def set(self, token: TokenMapping) -> None:
        """Keep ``token`` in the session."""
        session[self.key] = token

    def delete(self) -> None:
        """Remove the token from the session."""
        session.pop(self.key, None)
