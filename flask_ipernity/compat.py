"""Names Flask-Ipernity 0.1 sites use, kept so that they can move over step by step.

============================  ==============================================
0.1                           now
============================  ==============================================
``ipernity.api``              :data:`flask_ipernity.api`
``ipernity.authorize(p, n)``  a redirect to ``url_for("ipernity.login")``
``ipernity.logout()``         :meth:`Ipernity.logout`
``@ipernity_auth_required``   :func:`flask_ipernity.login_required`
``IPERNITY_APP_KEY``          ``IPERNITY_API_KEY``
``IPERNITY_APP_SECRET``       ``IPERNITY_API_SECRET``
============================  ==============================================

Each use of an old name warns with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, cast

from flask import redirect
from werkzeug.local import LocalProxy
from werkzeug.wrappers import Response

from ipernity import IpernityAPI

from .config import DEPRECATED_ALIASES
from .decorators import login_required
from .extension import Ipernity, current_extension
from .redirects import safe_next


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"{old} is Flask-Ipernity 0.1's name; use {new}", DeprecationWarning, stacklevel=3
    )


class LegacyIpernity:
    """The 0.1 face of an :class:`~flask_ipernity.Ipernity` object.

    :param extension: the extension of the current application.
    """

    def __init__(self, extension: Ipernity) -> None:
        self.extension = extension

    @property
    def api(self) -> IpernityAPI:
        """The current request's client (now :data:`flask_ipernity.api`)."""
        _deprecated("ipernity.api", "flask_ipernity.api")
        return self.extension.api

    def authorize(
        self, permissions: Mapping[str, str] | None = None, next_url: str | None = None
    ) -> Response:
        """Start a login asking for ``permissions``, then go to ``next_url``.

        :return: the redirect to the login view (which records the login and
            goes on to Ipernity).
        """
        _deprecated("ipernity.authorize()", "a redirect to url_for('ipernity.login')")
        return redirect(self.extension.login_url(permissions, safe_next(next_url)))

    def logout(self) -> bool:
        """Forget the visitor's token; return whether one was logged in."""
        _deprecated("ipernity.logout()", "current_extension().logout()")
        return self.extension.logout()


#: 0.1's ``ipernity`` object: the current application's extension, as 0.1 spoke it.
ipernity = cast(LegacyIpernity, LocalProxy(lambda: LegacyIpernity(current_extension())))


def ipernity_auth_required(
    view_or_perms: Callable[..., Any] | Mapping[str, str] | None = None, /, **levels: str
) -> Any:
    """0.1's name of :func:`~flask_ipernity.login_required`, which it calls."""
    _deprecated("ipernity_auth_required", "flask_ipernity.login_required")
    return login_required(view_or_perms, **levels)


def apply_config_aliases(config: MutableMapping[str, Any]) -> None:
    """Copy 0.1's ``IPERNITY_APP_KEY``/``_SECRET`` to their new names, warning.

    A new name already set wins.
    """
    for old, new in DEPRECATED_ALIASES.items():
        if old in config:
            _deprecated(old, new)
            if not config.get(new):
                config[new] = config[old]
