"""Flask-Ipernity 0.1's methods of the extension object, on the current extension.

:class:`LegacyMethods` is mixed into :class:`~flask_ipernity.Ipernity`; each
method warns once with its replacement and calls the current implementation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, session
from werkzeug.wrappers import Response

from ..csrf import is_foreign_navigation
from ..redirects import current_path, safe_next
from .deprecation import deprecated

if TYPE_CHECKING:
    from ..extension import Ipernity

#: The session key the visitor's token is read under by ``session_get("token")``.
TOKEN_KEY = "token"  # noqa: S105 -- a key's name, not a secret

#: 0.1's request cache counters, which ``session_get()`` reads from where they are
#: kept (:mod:`flask_ipernity.compat.request_cache`), not from the session.
COUNTERS = frozenset({"api_calls", "returns_from_cache"})


class LegacyMethods:
    """0.1's methods of the extension object: ``authorize``, ``set_token``, ``session_*``."""

    def authorize(
        self, permissions: Mapping[str, str] | None = None, next_url: str | None = None
    ) -> Response:
        """Start a login asking ``permissions``, coming back to ``next_url``.

        :param permissions: the permissions to ask; ``IPERNITY_PERMISSIONS`` by default.
        :param next_url: where to go once logged in; the current page by default.
        :return: the redirect to Ipernity's authorization page (through the
            login view when the visitor did not come from this site).
        """
        deprecated("authorize()", "redirect(current_extension().login_url(permissions, next))")
        return start_login(_extension(self), permissions, next_url)

    def set_token(self, frob: str | None = None) -> None:
        """Complete the login this session started, as the callback does.

        When the browser did not come from Ipernity's page or this site, the
        login waits for the visitor's confirmation, as at the callback: the
        session's ``next_url`` is then the confirmation page.

        :param frob: the frob; the current request's ``frob`` by default.
        :raises werkzeug.exceptions.HTTPException: carrying the callback's
            error page, when the login cannot complete (this session started
            none, Ipernity refused the frob…); unless caught, the visitor gets
            that page.
        """
        deprecated("set_token()", "the /callback route (url_for('ipernity.callback'))")
        from .. import views

        answer = views.callback(frob)
        if answer.status_code >= 400:
            abort(answer)
        # Where 0.1's callback found the page to go back to.
        session[session_key("next_url")] = answer.location

    def session_get(self, key: str, default: Any = None) -> Any:
        """Return the session value ``key`` (``"token"``: the visitor's token mapping)."""
        deprecated("session_get()", "flask.session, or current_extension().token")
        if key == TOKEN_KEY:
            token = _extension(self).token
            return default if token is None else token
        if key in COUNTERS:
            from .request_cache import read_counter

            return read_counter(key, default)
        return session.get(session_key(key), default)

    def session_set(self, key: str, value: Any) -> None:
        """Set the session value ``key`` (``"token"``: log the token's member in)."""
        deprecated("session_set()", "flask.session, or current_extension().log_in(token)")
        if key == TOKEN_KEY:
            _extension(self).log_in(value)
        elif key in COUNTERS:
            from .request_cache import write_counter

            write_counter(key, value)
        else:
            session[session_key(key)] = value

    def session_pop(self, key: str, default: Any = None) -> Any:
        """Remove the session value ``key`` and return it (``"token"``: log out)."""
        deprecated("session_pop()", "flask.session, or current_extension().logout()")
        if key in COUNTERS:
            from .request_cache import pop_counter

            return pop_counter(key, default)
        if key != TOKEN_KEY:
            return session.pop(session_key(key), default)
        extension = _extension(self)
        token = extension.token
        extension.logout()
        return default if token is None else token


def start_login(
    extension: Ipernity, permissions: Mapping[str, str] | None, next_url: str | None
) -> Response:
    """0.1's login start: straight to Ipernity, as 0.1 went.

    Only for a visitor who came from this site: any other request goes through
    the login view, which guards against logins started by other sites.
    """
    if permissions is None:
        permissions = current_app.config["IPERNITY_PERMISSIONS"]
    target = local_next(next_url) if next_url is not None else current_path()
    if is_foreign_navigation():
        return redirect(extension.login_url(permissions, target))
    asked = extension.permissions_to_ask(permissions)
    extension.pending_logins.start(target, asked)
    return redirect(extension.authorization_url(asked))


def local_next(next_url: str) -> str:
    """Return ``next_url`` as a path on this site (0.1 took full URLs), else ``"/"``."""
    if _host_of(next_url) == request.host:
        parts = urlsplit(next_url)
        if parts.scheme in ("http", "https"):
            next_url = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(next_url)


def _host_of(url: str) -> str:
    # Malformed URLs name no host.
    try:
        return urlsplit(url).netloc
    except ValueError:
        return ""


def forget_session_values() -> None:
    """Remove every session value with 0.1's prefix, as 0.1's logout did."""
    prefix = session_key("")
    for key in [key for key in session if key.startswith(prefix)]:
        del session[key]


def session_key(name: str) -> str:
    """Return the session key 0.1 kept ``name`` under (``IPERNITY_SESSION_PREFIX`` + name)."""
    # Read at every request: the application itself, not its proxy's slower way.
    config = current_app._get_current_object().config  # type: ignore[attr-defined]
    return str(config.get("IPERNITY_SESSION_PREFIX", "ipernity_")) + name


def _extension(methods: LegacyMethods) -> Ipernity:
    # The mixin is only ever part of an Ipernity object.
    return methods  # type: ignore[return-value]
