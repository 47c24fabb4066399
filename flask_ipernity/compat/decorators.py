"""Flask-Ipernity 0.1's view decorator, :func:`ipernity_auth_required`."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import current_app

from ..extension import current_extension
from .methods import deprecated, start_login

F = TypeVar("F", bound=Callable[..., Any])


def ipernity_auth_required(permissions: Mapping[str, str] | None = None) -> Callable[[F], F]:
    """Let only members who granted ``permissions`` reach a view (0.1's decorator).

    ``@ipernity_auth_required()`` asks ``IPERNITY_PERMISSIONS`` (read at each
    request); a visitor lacking them goes to Ipernity's authorization page
    and comes back to this page. Now :func:`~flask_ipernity.login_required`.

    :param permissions: the permissions the view needs.
    """
    deprecated("ipernity_auth_required", "flask_ipernity.login_required")

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def protected(*args: Any, **kwargs: Any) -> Any:
            needed = permissions
            if needed is None:
                needed = current_app.config["IPERNITY_PERMISSIONS"]
            extension = current_extension()
            if not extension.has_permissions(needed):
                return start_login(extension, needed, None)
            return current_app.ensure_sync(view)(*args, **kwargs)

        return protected  # type: ignore[return-value]

    return decorator
