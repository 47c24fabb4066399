"""View decorators: :func:`login_required`."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

from flask import current_app, request

from ipernity.permissions import TARGETS, merge

from .extension import current_extension

F = TypeVar("F", bound=Callable[..., Any])

#: Methods that never need a login: CORS preflights carry no cookies.
EXEMPT_METHODS = frozenset({"OPTIONS"})


@overload
def login_required(view: F, /) -> F: ...


@overload
def login_required(
    perms: Mapping[str, str] | None = None, /, **levels: str
) -> Callable[[F], F]: ...


def login_required(
    view_or_perms: Callable[..., Any] | Mapping[str, str] | None = None, /, **levels: str
) -> Any:
    """Let only members logged in with enough permissions reach a view.

    All three forms work::

        @login_required
        @login_required(doc="write")
        @login_required({"doc": "write", "network": "read"})

    A visitor who is not logged in, or did not grant the permissions, is sent to
    the login view (which asks for these permissions, the configured ones and
    those already granted), and back to this page afterwards; a request that
    prefers JSON gets a 401 naming the login URL. The check reads the
    permissions stored with the token: it costs no API call. ``OPTIONS``
    requests pass; async views run through :meth:`flask.Flask.ensure_sync`.

    :param view_or_perms: the view (bare form), or the permissions needed.
    :param levels: permissions needed, as ``target=level``.
    :return: the decorated view, or a decorator.
    :raises ValueError: for an unknown target or level, when decorating.
    """
    if callable(view_or_perms):
        return _protect(view_or_perms, {})
    needed = merge(view_or_perms, levels)
    unknown = sorted(set(needed) - set(TARGETS))
    if unknown:
        raise ValueError(f"unknown permission target {unknown[0]!r}; use one of {TARGETS}")

    def decorator(view: F) -> F:
        return _protect(view, needed)

    return decorator


def _protect(view: F, needed: dict[str, str]) -> F:
    @functools.wraps(view)
    def protected(*args: Any, **kwargs: Any) -> Any:
        if request.method not in EXEMPT_METHODS:
            extension = current_extension()
            if not extension.has_permissions(needed):
                return extension.unauthorized(needed)
        return current_app.ensure_sync(view)(*args, **kwargs)

    return protected  # type: ignore[return-value]
