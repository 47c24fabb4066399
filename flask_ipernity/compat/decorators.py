"""Flask-Ipernity 0.1's view decorator, :func:`ipernity_auth_required`."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import current_app

from ipernity.permissions import merge

from ..extension import current_extension
from .deprecation import deprecated
from .methods import start_login

F = TypeVar("F", bound=Callable[..., Any])


def ipernity_auth_required(
    permissions: Callable[..., Any] | Mapping[str, str] | None = None, /, **levels: str
) -> Any:
    """Let only members who granted ``permissions`` reach a view (0.1's decorator).

    ``@ipernity_auth_required()`` asks ``IPERNITY_PERMISSIONS`` (read at each
    request); a visitor lacking them goes to Ipernity's authorization page
    and comes back to this page. 0.2's forms, ``@ipernity_auth_required`` and
    ``@ipernity_auth_required(doc="write")``, work too. Now
    :func:`~flask_ipernity.login_required`.

    :param permissions: the permissions the view needs (or, bare, the view).
    :param levels: permissions the view needs, as ``target=level``.
    """
    deprecated("ipernity_auth_required", "flask_ipernity.login_required")
    if callable(permissions):
        return _protect(permissions, None)
    needed = merge(permissions, levels) if permissions or levels else None

    def decorator(view: F) -> F:
        return _protect(view, needed)

    return decorator


def _protect(view: F, permissions: Mapping[str, str] | None) -> F:
    @functools.wraps(view)
    def protected(*args: Any, **kwargs: Any) -> Any:
        # At every request: the application itself, not a read through its proxy each time.
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        needed = permissions
        if needed is None:
            needed = app.config["IPERNITY_PERMISSIONS"]
        extension = current_extension()
        if not extension.has_permissions(needed):
            return start_login(extension, needed, None)
        return app.ensure_sync(view)(*args, **kwargs)

    return protected  # type: ignore[return-value]
