"""The interface every token storage implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

#: The token mapping ``auth.getToken`` returns: ``token``, ``permissions``, ``user``.
TokenMapping = dict[str, Any]


class StorageUnavailable(RuntimeError):
    """The token storage cannot be reached (a server-side store is down).

    The extension answers it with a 503 page; a visitor's token cannot be read
    meanwhile, so they count as logged out.
    """


class TokenStorage(ABC):
    """Keeps the token of the current visitor.

    The methods are called inside a request and act on that request's
    visitor, like Flask-Dance's storages: a backend finds the visitor from the
    session, a cookie, or the logged-in user of the site.
    """

    @abstractmethod
    def get(self) -> TokenMapping | None:
        """Return the visitor's token mapping, or ``None`` when there is none."""

    @abstractmethod
    def set(self, token: TokenMapping) -> None:
        """Store ``token`` (a token mapping) for the visitor, replacing any other."""

    @abstractmethod
    def delete(self) -> None:
        """Forget the visitor's token; nothing happens when there is none."""

    def end_sessions(self, user_id: str) -> None:
        """Make every stored login of member ``user_id``, on every device, count no more.

        Only a storage that keeps tokens on the server can: a copy of a session
        cookie that holds the token itself works until the member revokes the
        application on Ipernity.

        :raises NotImplementedError: for storages that cannot (the default).
        """
        raise NotImplementedError(
            f"{type(self).__name__} cannot end sessions everywhere: keep tokens on the "
            "server (IPERNITY_TOKEN_STORAGE = 'redis://…')"
        )
