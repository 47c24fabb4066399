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
