"""Optional Flask-Login integration, on with ``IPERNITY_FLASK_LOGIN = True``.

An Ipernity login also logs the member into Flask-Login as a
:class:`LoginUser` (its ``get_id()`` is the Ipernity user id), which the
registered user loader rebuilds from the stored token on later requests, with
no API call. Logging out either way ends both: ``flask_login.logout_user()``
ends the Ipernity login, and the extension's logout (or a revoked token) ends
the Flask-Login one.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import flask_login
from flask import Flask, session

from . import signals
from .extension import current_extension
from .member import Member

# Where Flask-Login keeps the logged-in user's id in the session.
_FLASK_LOGIN_USER_ID = "_user_id"


class LoginUser(Member):
    """An Ipernity member as a Flask-Login user."""

    #: Flask-Login's user interface: a member is always an active, real user.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """Return the Ipernity user id, which Flask-Login keeps in the session."""
        return self.user_id


def init_app(app: Flask) -> None:
    """Connect ``app``'s Flask-Login to the extension.

    Uses the application's :class:`flask_login.LoginManager`, or sets one up;
    registers :func:`load_user` unless the site has its own user loader, and
    makes the Ipernity login the login view unless one is set.
    """
    manager = getattr(app, "login_manager", None)
    if manager is None:
        manager = flask_login.LoginManager(app)
    if manager._user_callback is None:
        manager.user_loader(load_user)
    if manager.login_view is None:
        manager.login_view = "ipernity.login"
    # Receivers connect for every application once; each checks its sender.
    signals.logged_in.connect(_on_ipernity_login)
    signals.logged_out.connect(_on_ipernity_logout)
    flask_login.user_logged_out.connect(_on_flask_login_logout)


def load_user(user_id: str) -> LoginUser | None:
    """Return the logged-in member as a :class:`LoginUser` if their id is ``user_id``."""
    # Called at every request: built straight from the token, no Member to copy.
    token = current_extension().token
    member = LoginUser.from_token(token) if token is not None else None
    if member is None or member.user_id != user_id:
        return None
    return member


def _enabled(app: Any) -> bool:
    return isinstance(app, Flask) and bool(app.config.get("IPERNITY_FLASK_LOGIN"))


def _on_ipernity_login(app: Flask, member: Member, **extra: Any) -> None:
    if _enabled(app):
        flask_login.login_user(LoginUser(**asdict(member)))


def _on_ipernity_logout(app: Flask, member: Member, **extra: Any) -> None:
    # Only when Flask-Login still holds this member: not while it logs out itself.
    if _enabled(app) and session.get(_FLASK_LOGIN_USER_ID) == member.user_id:
        flask_login.logout_user()


def _on_flask_login_logout(app: Flask, **extra: Any) -> None:
    if _enabled(app):
        current_extension().logout()
