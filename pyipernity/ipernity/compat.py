"""PyIpernity 0.3's names and habits, kept working for the programs written for it.

Each old name points at the one real implementation; the deprecated ones warn
once per process with a :class:`DeprecationWarning` that names the new way.

====================================  ===========================================
PyIpernity 0.3                        now
====================================  ===========================================
``api.call(method_name="doc.get")``   ``api.call("doc.get")``
``api.walk_data(method_name=…)``      ``api.walk_data("doc.getList")``
``has_permissions(permissions=…)``    ``has_permissions(perms=…)``
``ipernity.auth.auth_methods``        ``ipernity.auth.AUTH_HANDLERS``
``AuthHandler.do_request()``          ``AuthHandler.send()``, the checked answer
overriding ``do_request``             overriding ``send``
====================================  ===========================================

Kept without a warning, because 0.3 programs and subclasses read them:
``api._perm``, ``api._user``, ``api._check_token()``, ``api._permission_values``,
``AuthHandler._sign_request()`` and ``AuthHandler._build_url()``.
"""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast
from urllib.parse import urlencode

from . import catalogue, permissions
from .signing import ParamValue, encode_params

if TYPE_CHECKING:
    import requests

    from .api import IpernityAPI

P = ParamSpec("P")
R = TypeVar("R")

_warned: set[str] = set()
_warned_lock = threading.Lock()


def deprecated(old: str, new: str, *, stacklevel: int = 2) -> None:
    """Warn, once per process, that ``old`` is PyIpernity 0.3's way and ``new`` today's.

    :param stacklevel: as for :func:`warnings.warn`, counted from the caller of
        this function: the warning points at the program's line.
    """
    with _warned_lock:
        if old in _warned:
            return
        _warned.add(old)
    warnings.warn(
        f"{old} is PyIpernity 0.3's way and is deprecated; use {new}",
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )


def renamed_keywords(**renames: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Let a function take keyword arguments under 0.3's names (``old="new"``)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def accept_old_names(*args: P.args, **kwargs: P.kwargs) -> R:
            given = cast(dict[str, Any], kwargs)
            for old, new in renames.items():
                if old in given:
                    where = func.__qualname__
                    deprecated(f"{where}({old}=...)", f"{where}({new}=...)")
                    given[new] = given.pop(old)
            return func(*args, **kwargs)

        return accept_old_names

    return decorate


def method_name_keyword(params: dict[str, ParamValue], where: str) -> str:
    """The method named by 0.3's ``method_name=`` keyword, taken out of ``params``.

    Only called when no method was given first: otherwise ``method_name`` is an
    ordinary API parameter, as every parameter name is.

    :raises TypeError: when no method is named at all.
    """
    name = params.pop("method_name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{where}() needs a method name first, e.g. api.{where}('doc.get')")
    deprecated(
        f"{where}(method_name=...)", f"{where}({name!r}, ...), the method first", stacklevel=3
    )
    return name


def renamed_attribute(module: ModuleType, name: str, renames: Mapping[str, str]) -> Any:
    """The module attribute 0.3 called ``name`` (a module's ``__getattr__``)."""
    new = renames.get(name)
    if new is None:
        raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
    deprecated(f"{module.__name__}.{name}", f"{module.__name__}.{new}", stacklevel=3)
    return getattr(module, new)


class LegacyClient:
    """The private attributes of PyIpernity 0.3's client that its users read."""

    if TYPE_CHECKING:
        _perms: dict[str, str] | None

        def _load_token_info(self) -> None: ...

    #: The permission levels in order (0.3's name).
    _permission_values = list(permissions.LEVELS)

    @property
    def _perm(self) -> dict[str, str] | None:
        """The token's permissions as known so far (``None``: not fetched yet)."""
        return self._perms

    @_perm.setter
    def _perm(self, value: dict[str, str] | None) -> None:
        self._perms = value

    def _check_token(self) -> None:
        """Fetch the token's member and permissions (``auth.checkToken``) unless known."""
        self._load_token_info()


class LegacyAuthHandler:
    """PyIpernity 0.3's side of an authentication handler.

    A 0.3 subclass overrides :meth:`do_request` to send calls its own way (an
    OAuth handler, say) and returns the raw :class:`requests.Response`; the
    client then sends every call through it and checks the answer. (One that
    returns the parsed answer, as release 0.2's did, is used as it is.)
    """

    if TYPE_CHECKING:

        @property
        def api(self) -> IpernityAPI: ...

        def sign_params(
            self, params: Mapping[str, str], method_name: str | None
        ) -> dict[str, str]: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "do_request" in cls.__dict__ and "send" not in cls.__dict__:
            deprecated(
                f"overriding do_request ({cls.__qualname__})",
                "an override of send(url, method_name, method_args), which returns the checked "
                "answer",
                # Past ABCMeta.__new__: the warning points at the class statement.
                stacklevel=3,
            )
            cls.send = _send_through_do_request  # type: ignore[attr-defined]

    def do_request(
        self, url: str, method_name: str, method_args: Mapping[str, Any]
    ) -> requests.Response:
        """Sign a call and send it once; return the service's raw HTTP answer.

        Deprecated: :meth:`~ipernity.auth.AuthHandler.send` also checks the
        answer, retries passing failures and returns the parsed JSON.

        :raises TransportError: when the service cannot be reached in time.
        """
        deprecated("AuthHandler.do_request()", "AuthHandler.send(), which returns the answer")
        return raw_response(self, url, method_name, method_args)

    def _sign_request(self, method_name: str | None = None, **kwargs: Any) -> dict[str, Any]:
        """``kwargs`` with ``api_key``, the token and ``api_sig`` added (0.3's helper)."""
        upload = kwargs.pop("file", None)
        signed: dict[str, Any] = self.sign_params(encode_params(kwargs), method_name)
        if upload is not None:
            signed["file"] = upload
        return signed

    def _build_url(self, url: str, **kwargs: Any) -> str:
        """``url`` with ``kwargs`` as its query string (0.3's helper)."""
        return f"{url}?{urlencode(kwargs)}"


def _send_through_do_request(
    handler: LegacyAuthHandler, url: str, method_name: str, method_args: Mapping[str, Any]
) -> dict[str, Any]:
    from .transport import parse_answer

    answer: Any = handler.do_request(url, method_name, method_args)
    # Release 0.2's do_request returned the checked answer itself.
    if isinstance(answer, Mapping):
        return dict(answer)
    return parse_answer(method_name, answer, method_args)


def raw_response(
    handler: LegacyAuthHandler, url: str, method_name: str, method_args: Mapping[str, Any]
) -> requests.Response:
    """Sign and send one call with the client's transport; no checks, no retries.

    The client's deadline and answer size limit apply, as to every call.
    """
    method = catalogue.get(method_name)
    args = dict(method_args)
    upload = args.pop("file", None)
    params = handler.sign_params(encode_params(args), method_name)
    post = method is not None and method.post
    return handler.api._transport.fetch(method_name, url, params, post=post, upload=upload)
