"""The exceptions of the library: one hierarchy under :class:`IpernityError`.

Catch :class:`IpernityError` to handle every failure; catch a subclass to handle
one kind. No exception carries a secret: the API secret, tokens, frobs and
signatures are masked in :attr:`APIRequestError.params` and never appear in
messages.

:class:`TransportError` and :class:`RequestTimeout` are also ``requests``'
``ConnectionError`` and ``Timeout`` (see :mod:`ipernity.network_errors`); they
are defined on first use, so that ``import ipernity`` does not import
``requests``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .network_errors import RequestTimeout, TransportError

#: Parameters whose values are credentials and are masked wherever shown.
SECRET_PARAMS = frozenset(
    {
        "api_secret",
        "api_sig",
        "auth_token",
        "frob",
        "token",
        "oauth_token",
        "oauth_token_secret",
        "oauth_signature",
    }
)

MASK = "***"


def redact(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return a copy of ``params`` fit to show: credentials masked, files named."""
    shown: dict[str, Any] = {}
    for name, value in (params or {}).items():
        if name in SECRET_PARAMS:
            shown[name] = MASK
        elif name == "file" and not isinstance(value, str | bytes):
            shown[name] = getattr(value, "name", "<file>")
        else:
            shown[name] = value
    return shown


_SECRET_QUERY = re.compile(
    r"\b(" + "|".join(sorted(SECRET_PARAMS, key=len, reverse=True)) + r")=[^&\s\"'#]*"
)
# A media file's name: "<doc_id>.<secret>.<label>.jpg" or "<doc_id>.<secret>.<ext>".
_MEDIA_SECRET = re.compile(r"(/\d+\.)[0-9A-Za-z]{6,}(?=\.)")


def redact_url(text: str) -> str:
    """Return ``text`` with the credentials of any URL in it masked.

    Masks the values of credential parameters (``api_sig=***``,
    ``oauth_token=***``…) and the secret in a media file's name
    (``/123.***.240.jpg``), which lets anyone holding the URL see the file.
    """
    text = _SECRET_QUERY.sub(rf"\1={MASK}", text)
    return _MEDIA_SECRET.sub(rf"\1{MASK}", text)


class IpernityError(Exception):
    """Base class of every error raised by the library."""

    def __init__(self, message: str = "Unspecified Ipernity error") -> None:
        super().__init__(message)
        #: A message fit to show to a user.
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownMethod(IpernityError):
    """A method that is not in the catalogue was called; no request was sent."""

    def __init__(self, method: str | None = None, message: str | None = None) -> None:
        #: The method name that was asked for.
        self.method = method
        super().__init__(message or f"Unknown method {method!r}: it is not in the catalogue")


class InvalidArguments(IpernityError):
    """A call's arguments cannot be what the catalogue says; no request was sent.

    Raised by a client made with ``IpernityAPI(..., strict=True)``: a required
    parameter is missing, or a value cannot be of its parameter's kind.
    """

    def __init__(self, method: str, problems: tuple[str, ...]) -> None:
        #: The method that was called.
        self.method = method
        #: What is wrong, one sentence each (``"per_page must be a number, not 'abc'"``).
        self.problems = problems
        super().__init__(f"{method} not sent: {'; '.join(problems)}")


class APIRequestError(IpernityError):
    """The service answered a call with an error.

    :attr:`status` is the answer's status (``"error"``), or ``"httperror"`` when
    the HTTP exchange itself failed (see :class:`InvalidResponse`); :attr:`code`
    is the service's error code, or the HTTP status for ``"httperror"``.
    """

    def __init__(
        self,
        status: str = "error",
        code: int | str = 0,
        message: str = "Unspecified Error",
        method: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        #: ``"error"`` for an error from the service, ``"httperror"`` for HTTP failures.
        self.status = status
        #: The error code as an int (the service sends it as a string).
        self.code = _to_int(code)
        #: The method called.
        self.method = method
        #: The call's parameters, with credentials masked.
        self.params = redact(params)
        super().__init__(message)

    def __str__(self) -> str:
        if self.method:
            return f"Error {self.code} from {self.method}: {self.message}"
        return f"Error {self.code}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, method={self.method!r})"


class NotFound(APIRequestError):
    """The object asked for does not exist or is not visible (error 1)."""


class InvalidAPIKey(APIRequestError):
    """The API key is missing, unknown or disabled (errors 100, 101)."""


class SignatureError(APIRequestError):
    """The request's signature is missing or wrong: check the API secret (104, 105)."""


class TokenError(APIRequestError):
    """The token is missing, expired or revoked: the member must log in (106, 107)."""


class PermissionDenied(APIRequestError):
    """The token lacks a permission the method needs (110)."""


class RateLimited(APIRequestError):
    """The application or client reached a request quota or rate limit (112, 113)."""


class InvalidResponse(APIRequestError):
    """The answer was not the service's JSON: an HTTP error, an HTML page, truncated JSON."""

    #: Seconds the server asked to wait before trying again (``Retry-After``), if any.
    retry_after: float | None = None


class WalkLimitReached(IpernityError):
    """A walk reached its cap of pages or items while the answers still announced more.

    The service's page counts are not trusted to end a walk: a broken or hostile
    server could announce pages forever. Raise the cap (``max_pages=``,
    ``max_items=``) for a listing that is really that long.
    """

    def __init__(self, method: str, message: str) -> None:
        #: The method being walked.
        self.method = method
        super().__init__(f"{method}: {message}")


class UploadError(IpernityError):
    """An upload failed: its ticket became invalid or it did not finish in time."""

    def __init__(
        self, filename: str | None = None, ticket: str | None = None, message: str | None = None
    ) -> None:
        #: The file being uploaded (its name), if known.
        self.filename = filename
        #: The upload ticket.
        self.ticket = ticket
        super().__init__(message or f"Upload of {filename or 'file'} failed (ticket {ticket})")


class UploadTimeout(UploadError):
    """An upload ticket was not done before the deadline."""


_BY_CODE: dict[int, type[APIRequestError]] = {
    1: NotFound,
    100: InvalidAPIKey,
    101: InvalidAPIKey,
    104: SignatureError,
    105: SignatureError,
    106: TokenError,
    107: TokenError,
    110: PermissionDenied,
    112: RateLimited,
    113: RateLimited,
}


def error_for(
    code: int | str, message: str, method: str, params: Mapping[str, Any] | None = None
) -> APIRequestError:
    """Build the exception for the service's error ``code`` from ``method``."""
    number = _to_int(code)
    cls = _BY_CODE.get(number, APIRequestError)
    # Upload methods use the low codes for their own meanings (1: file missing).
    if number < 100 and method.startswith("upload."):
        cls = APIRequestError
    return cls("error", number, message, method, params)


def _to_int(code: int | str) -> int:
    try:
        return int(code)
    except (TypeError, ValueError):
        return 0


#: The classes :mod:`ipernity.network_errors` defines, reachable from here too.
_NETWORK_ERRORS = frozenset({"TransportError", "RequestTimeout"})


def __getattr__(name: str) -> Any:
    # The network errors derive from requests' exceptions: defining them imports
    # requests (~50 ms), which waits until a program first names one of them.
    if name in _NETWORK_ERRORS:
        from . import network_errors

        return getattr(network_errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MASK",
    "SECRET_PARAMS",
    "APIRequestError",
    "InvalidAPIKey",
    "InvalidArguments",
    "InvalidResponse",
    "IpernityError",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "RequestTimeout",
    "SignatureError",
    "TokenError",
    "TransportError",
    "UnknownMethod",
    "UploadError",
    "UploadTimeout",
    "WalkLimitReached",
    "error_for",
    "redact",
]
