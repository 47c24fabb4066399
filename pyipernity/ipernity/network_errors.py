"""The network failures: errors of this library and of ``requests`` at once.

PyIpernity 0.3 let ``requests``' own exceptions through, so programs written for
it catch ``requests.RequestException``, ``requests.ConnectionError`` or
``requests.Timeout``. These classes derive from those as well as from
:class:`~ipernity.IpernityError`, so such programs keep catching them, while
the errors stay ours: a message that names the method and the cause, and no
request attached (its URL would carry the token and the signature).

They live apart from :mod:`ipernity.exceptions`, which makes them reachable,
because deriving from ``requests`` imports it.
"""

from __future__ import annotations

import requests

from .exceptions import IpernityError


class TransportError(IpernityError, requests.ConnectionError):
    """The service could not be reached: refused connection, DNS failure, reset.

    Also a :class:`requests.ConnectionError` (and so a
    :class:`requests.RequestException`), as PyIpernity 0.3's failures were.
    """

    def __init__(
        self, message: str = "The Ipernity API could not be reached", method: str | None = None
    ) -> None:
        #: The method that was being called.
        self.method = method
        super().__init__(message)


class RequestTimeout(TransportError, requests.Timeout):
    """The service did not answer in time.

    Also a :class:`requests.Timeout`, as PyIpernity 0.3's timeouts were.
    """

    def __init__(
        self,
        message: str = "The Ipernity API did not answer in time",
        method: str | None = None,
        connecting: bool = False,
    ) -> None:
        #: The connection itself could not be made in time (nothing was sent).
        self.connecting = connecting
        super().__init__(message, method)


# Shown and pickled where they are documented and reachable.
TransportError.__module__ = RequestTimeout.__module__ = "ipernity.exceptions"
