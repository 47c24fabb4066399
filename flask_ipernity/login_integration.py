"""Optional Flask-Login integration, on with ``IPERNITY_FLASK_LOGIN = True``.

An Ipernity login also logs the member into Flask-Login as a
:class:`LoginUser`, which the extension's user loader rebuilds from the stored
token on later requests, with no API call. Logging out either way ends both:
``flask_login.logout_user()`` ends the Ipernity login, and the extension's
logout (or a revoked token) ends the Flask-Login one.

Flask-Login keeps one id per session and hands it to one user loader, which
may be the site's own, for users of its own. So a member's id is namespaced,
``ipernity:<user id>``: the loader the extension registers (:class:`UserLoader`)
answers those itself and passes every other id to the site's loader, which
therefore never sees an Ipernity id (member 1000 never loads as the site's
user 1000). A site that wants its own user for a member says so with
:meth:`Ipernity.user_for_member <flask_ipernity.Ipernity.user_for_member>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import flask_login
from flask import Flask, current_app, session

from . import signals
from .extension import current_extension
from .member import Member

#: The prefix of a member's Flask-Login id: ``ipernity:<user id>``.
ID_PREFIX = "ipernity:"

# Where Flask-Login keeps the logged-in user's id in the session.
_FLASK_LOGIN_USER_ID = "_user_id"

# The Flask-Login id the extension logged in, and whether it is a member's.
_LOGGED_IN_BY_US = "ipernity_flask_login"


class LoginUser(Member):
    """An Ipernity member as a Flask-Login user."""

    #: Flask-Login's user interface: a member is always an active, real user.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session: ``ipernity:<user id>``.

        A site configured the 0.1 way (``IPERNITY_LOGIN``) that has no user
        loader of its own gets the bare user id, as 0.1 kept it: no other
        loader could mistake it for one of its users.
        """
        if _keeps_bare_ids():
            return self.user_id
        return ID_PREFIX + self.user_id


class UserLoader:
    """The user loader the extension gives Flask-Login.

    Members' ids go to :func:`load_user`; every other id to the site's own
    loader, if it has one. Ids from before namespacing (0.1 and 1.0 sessions,
    which hold the member's bare id) still load the member.

    :param site_loader: the site's own user loader, or ``None``.
    """

    def __init__(self, site_loader: Callable[[str], Any] | None) -> None:
        self.site_loader = site_loader

    def __call__(self, user_id: str) -> Any:
        """Return the user whose Flask-Login id is ``user_id``, or ``None``."""
        if user_id.startswith(ID_PREFIX) or self.site_loader is None:
            return load_user(user_id)
        if _is_members_bare_id(user_id):
            return load_user(user_id)
        return self.site_loader(user_id)


def init_app(app: Flask) -> None:
    """Connect ``app``'s Flask-Login to the extension.

    Uses the application's :class:`flask_login.LoginManager`, or sets one up;
    registers a :class:`UserLoader` that keeps the site's own loader for its
    own users (also one the site registers later), and makes the Ipernity
    login the login view unless one is set.
    """
    manager = getattr(app, "login_manager", None)
    if manager is None:
        manager = flask_login.LoginManager(app)
    _wrap_site_loader(manager)
    # First of all, so that no other hook reads current_user with the site's loader alone.
    app.before_request_funcs.setdefault(None, []).insert(0, _keep_user_loader)
    if manager.login_view is None:
        manager.login_view = "ipernity.login"
    # Receivers connect for every application once; each checks its sender.
    signals.logged_in.connect(_on_ipernity_login)
    signals.logged_out.connect(_on_ipernity_logout)
    flask_login.user_logged_in.connect(_on_flask_login_login)
    flask_login.user_logged_out.connect(_on_flask_login_logout)


def load_user(user_id: str) -> LoginUser | None:
    """Return the logged-in member as a :class:`LoginUser` if ``user_id`` is theirs.

    :param user_id: a Flask-Login id: ``ipernity:<user id>``, or a bare user id
        as 0.1 and 1.0 kept it.
    """
    # Called at every request: built straight from the token, no Member to copy.
    token = current_extension().token
    member = LoginUser.from_token(token) if token is not None else None
    bare_id = user_id.removeprefix(ID_PREFIX)
    if member is None or member.user_id != bare_id:
        return None
    return member


def _wrap_site_loader(manager: flask_login.LoginManager) -> None:
    loader = manager._user_callback
    if not isinstance(loader, UserLoader):
        manager.user_loader(UserLoader(loader))


def _keep_user_loader() -> None:
    # A site may register its own loader after init_app: it then replaced ours.
    # At every request: the application itself, not a read through its proxy.
    _wrap_site_loader(current_app._get_current_object().login_manager)  # type: ignore[attr-defined]


def _keeps_bare_ids() -> bool:
    loader = getattr(current_app.login_manager, "_user_callback", None)  # type: ignore[attr-defined]
    has_site_loader = not isinstance(loader, UserLoader) or loader.site_loader is not None
    return bool(current_app.config.get("IPERNITY_LOGIN")) and not has_site_loader


def _is_members_bare_id(user_id: str) -> bool:
    # A bare id is a member's when the extension logged it in as one; in a
    # session from before namespacing (no record), when it is the stored
    # member's: the site's namesake user never gets the member's login.
    logged_in = session.get(_LOGGED_IN_BY_US)
    if isinstance(logged_in, dict):
        return bool(logged_in.get("member")) and logged_in.get("id") == user_id
    member = current_extension().user
    return member is not None and member.user_id == user_id


def _enabled(app: Any) -> bool:
    return isinstance(app, Flask) and bool(app.config.get("IPERNITY_FLASK_LOGIN"))


def _on_ipernity_login(app: Flask, member: Member, **extra: Any) -> None:
    if not _enabled(app):
        return
    site_user_for = current_extension().site_user_for_member
    site_user = site_user_for(member) if site_user_for is not None else None
    user = site_user if site_user is not None else LoginUser(**asdict(member))
    if flask_login.login_user(user):
        session[_LOGGED_IN_BY_US] = {"id": str(user.get_id()), "member": site_user is None}


def _on_ipernity_logout(app: Flask, member: Member, **extra: Any) -> None:
    # Only when Flask-Login still holds the user the extension logged in (in a
    # session from before the record, the member's bare id): not while it logs
    # out itself, nor a user the site logged in since.
    if not _enabled(app):
        return
    logged_in = session.get(_LOGGED_IN_BY_US)
    ours = logged_in.get("id") if isinstance(logged_in, dict) else member.user_id
    if session.get(_FLASK_LOGIN_USER_ID) == ours:
        flask_login.logout_user()


def _on_flask_login_login(app: Flask, **extra: Any) -> None:
    # Whoever logs in now, the record of what the extension logged in is stale;
    # the extension writes it again after its own logins.
    if _enabled(app):
        session.pop(_LOGGED_IN_BY_US, None)


def _on_flask_login_logout(app: Flask, **extra: Any) -> None:
    if _enabled(app):
        session.pop(_LOGGED_IN_BY_US, None)
        current_extension().logout()
