"""Flask-Ipernity 0.1's Flask-Login module, kept for its names.

``flask_ipernity.login.User`` is now
:class:`flask_ipernity.login_integration.LoginUser` and ``load_user``
:func:`flask_ipernity.login_integration.load_user`; each warns once. Set
``IPERNITY_FLASK_LOGIN = True`` (0.1: ``IPERNITY_LOGIN``) to use them.
"""

from __future__ import annotations

from typing import Any

from .compat.deprecation import deprecated

_NEW_NAMES = {"User": "LoginUser", "load_user": "load_user"}


def __getattr__(name: str) -> Any:
    new = _NEW_NAMES.get(name)
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    deprecated(f"flask_ipernity.login.{name}", f"flask_ipernity.login_integration.{new}")
    from . import login_integration

    return getattr(login_integration, new)
