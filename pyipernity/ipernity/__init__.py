"""Ipernity for Python: call the API of the non-commercial photo community.

>>> from ipernity import IpernityAPI
>>> api = IpernityAPI(api_key, api_secret, token)      # doctest: +SKIP
>>> api.user.get()["user"]["username"]                  # doctest: +SKIP
"""

from ._version import __version__, __version_tuple__, version, version_tuple
from .api import IpernityAPI
from .exceptions import (
    APIRequestError,
    InvalidAPIKey,
    InvalidResponse,
    IpernityError,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestTimeout,
    SignatureError,
    TokenError,
    TransportError,
    UnknownMethod,
    UploadError,
    UploadTimeout,
)

__all__ = [
    "APIRequestError",
    "InvalidAPIKey",
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
    "__version__",
    "__version_tuple__",
    "version",
    "version_tuple",
]
