"""Ipernity for Python: call the API of the non-commercial photo community.

>>> from ipernity import IpernityAPI
>>> api = IpernityAPI(api_key, api_secret, token)      # doctest: +SKIP
>>> api.user.get()["user"]["username"]                  # doctest: +SKIP
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__, __version_tuple__, version, version_tuple
from .api import IpernityAPI
from .exceptions import (
    APIRequestError,
    InvalidAPIKey,
    InvalidArguments,
    InvalidResponse,
    IpernityError,
    NotFound,
    PermissionDenied,
    RateLimited,
    SignatureError,
    TokenError,
    UnknownMethod,
    UploadError,
    UploadTimeout,
    WalkLimitReached,
)

if TYPE_CHECKING:
    from .network_errors import RequestTimeout, TransportError

__all__ = [
    "APIRequestError",
    "InvalidAPIKey",
    "InvalidArguments",
    "InvalidResponse",
    "IpernityAPI",
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
    "__version__",
    "__version_tuple__",
    "version",
    "version_tuple",
]


def __getattr__(name: str) -> Any:
    # TransportError and RequestTimeout import requests: only when first named.
    from . import exceptions

    if name in exceptions._NETWORK_ERRORS:
        return getattr(exceptions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
