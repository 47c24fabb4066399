"""Authentication handlers: how requests are signed and how tokens are obtained.

:class:`DesktopAuthHandler` runs the desktop flow (``getFrob``, then the member
approves at :meth:`~DesktopAuthHandler.auth_url`, then ``getToken``);
:class:`WebAuthHandler` the web flow (the member approves at
:meth:`~WebAuthHandler.auth_url` and the service calls the site back with a
frob). Both sign every request the same way. The handler is ``api.auth``; the
service's other ``auth.*`` methods are reachable through it as well.
"""

from __future__ import annotations

import logging
import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from . import catalogue, compat, permissions
from .method import IpernityMethod
from .signing import ParamValue, encode_params, signature

if TYPE_CHECKING:
    from .api import IpernityAPI

log = logging.getLogger("ipernity")


class AuthHandler(compat.LegacyAuthHandler, ABC):
    """Signs requests and runs the ``auth.*`` methods for one client.

    Subclass it to change how requests are authenticated and pass the subclass
    (not an instance) as ``IpernityAPI(..., auth=MyHandler)``.

    :param api: the client this handler belongs to.
    """

    def __init__(self, api: IpernityAPI) -> None:
        self._api = api

    @property
    def api(self) -> IpernityAPI:
        """The client this handler belongs to."""
        return self._api

    def __getattr__(self, name: str) -> IpernityMethod:
        # api.auth.<method> reaches every auth.* method of the service.
        if name.startswith("_"):
            raise AttributeError(name)
        return IpernityMethod(self._api, f"auth.{name}")

    def getToken(
        self, frob: str, store_token: bool = True, **params: ParamValue
    ) -> dict[str, Any]:
        """Exchange an approved ``frob`` for a token (``auth.getToken``).

        :param frob: from :meth:`DesktopAuthHandler.getFrob`, or the web callback.
        :param store_token: also make the token (with its member and
            permissions) the client's own.
        :return: the complete answer; ``answer["auth"]`` is the token mapping.
        """
        result = self._api.call("auth.getToken", frob=frob, **params)
        if store_token:
            self._api.token = result["auth"]
        return result

    def checkToken(self, auth_token: str, **params: ParamValue) -> dict[str, Any]:
        """Describe a token: its member and permissions (``auth.checkToken``)."""
        return self._api.call("auth.checkToken", auth_token=auth_token, **params)

    @abstractmethod
    def auth_url(self, perms: Mapping[str, str], *args: str) -> str:
        """Return the signed link where the member approves the permissions ``perms``."""

    def send(self, url: str, method_name: str, method_args: Mapping[str, Any]) -> dict[str, Any]:
        """Sign a call and send it; return the checked answer.

        Every call of the client goes through here: override it to
        authenticate calls another way.

        :param url: the method's full URL.
        :param method_name: the method, part of the signature.
        :param method_args: the caller's parameters; ``file`` is sent as a
            streamed multipart part and is not signed.
        """
        method = catalogue.get(method_name)
        post = bool(method and method.post)
        args = dict(method_args)
        upload = args.pop("file", None)
        params = self.sign_params(encode_params(args), method_name)
        return self._api._transport.call(method_name, url, params, post=post, upload=upload)

    def sign_params(self, params: Mapping[str, str], method_name: str | None) -> dict[str, str]:
        """Add ``api_key``, the client's token (unless given) and ``api_sig``.

        :param method_name: the method, or ``None`` for an authorization link.
        """
        signed = dict(params)
        signed["api_key"] = self._api.api_key
        token = self._api.token
        if token and method_name is not None:
            signed.setdefault("auth_token", token)
        signed["api_sig"] = signature(signed, self._api.api_secret, method_name)
        return signed

    def _link(self, perms: Mapping[str, str], **extra: str) -> str:
        params = self.sign_params({**permissions.link_params(perms), **extra}, None)
        return f"{self._api.auth_url_base}?{urlencode(params)}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class DesktopAuthHandler(AuthHandler):
    """Authentication for programs: frob first, approval in a browser, then the token."""

    def getFrob(self) -> dict[str, Any]:
        """Ask for a frob (``auth.getFrob``); the frob is ``answer["auth"]["frob"]``."""
        return self._api.call("auth.getFrob")

    def auth_url(self, perms: Mapping[str, str], frob: str) -> str:  # type: ignore[override]
        """Return the link where the member approves ``perms`` for ``frob``.

        :param perms: e.g. ``{"doc": "write"}`` (keys may also be ``perm_doc``).
        :param frob: from :meth:`getFrob`.
        """
        return self._link(perms, frob=frob)


class WebAuthHandler(AuthHandler):
    """Authentication for web sites: approval, then a callback with a frob."""

    def auth_url(self, perms: Mapping[str, str]) -> str:  # type: ignore[override]
        """Return the link where the member approves ``perms``.

        The service then sends the browser to the application's registered
        callback URL with ``?frob=``; exchange it with :meth:`getToken`.
        """
        return self._link(perms)


#: The ``auth=`` names IpernityAPI accepts.
AUTH_HANDLERS: dict[str, type[AuthHandler]] = {
    "desktop": DesktopAuthHandler,
    "web": WebAuthHandler,
}


def __getattr__(name: str) -> Any:
    return compat.renamed_attribute(sys.modules[__name__], name, {"auth_methods": "AUTH_HANDLERS"})
