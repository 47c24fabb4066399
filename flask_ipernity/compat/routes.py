"""Flask-Ipernity 0.1's routes, for sites configured the 0.1 way.

- ``ip_callback.ipernity_callback`` at ``/ipernity/cb``: the callback URL
  every 0.1 site registered at Ipernity; it is the current callback view.
- with ``IPERNITY_LOGIN``, ``ip_login.login`` at ``/ipernity/login`` (the
  current login view) and ``ip_login.logout`` at ``/ipernity/logout``, which
  logs out on a plain GET from this site's pages, as 0.1 did.

``url_for`` with one of these endpoints warns, naming the current one.

The prefixes are 0.1's ``IPERNITY_CALLBACK_URL_PREFIX`` and
``IPERNITY_LOGIN_URL_PREFIX``; templates also get 0.1's ``ipernity``, and the
answers 0.1's request cache left in a visitor's session cookie are dropped.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, session
from werkzeug.wrappers import Response

from .. import views
from ..csrf import is_foreign_navigation
from ..extension import current_extension
from .deprecation import deprecated, site_frame
from .methods import forget_session_values, session_key
from .proxy import ipernity


def init_app(app: Flask) -> None:
    """Add 0.1's routes to ``app``, before the current ones: at a URL both have, 0.1's wins."""
    config = app.config
    if config["IPERNITY_CALLBACK"]:
        callback = Blueprint("ip_callback", __name__)
        callback.add_url_rule("/cb", "ipernity_callback", views.callback)
        callback.url_defaults(_warn_of_0_1_endpoint)
        app.register_blueprint(callback, url_prefix=config["IPERNITY_CALLBACK_URL_PREFIX"] or None)
    if config["IPERNITY_LOGIN"]:
        login = Blueprint("ip_login", __name__)
        login.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
        login.add_url_rule("/logout", "logout", logout)
        login.url_defaults(_warn_of_0_1_endpoint)
        app.register_blueprint(login, url_prefix=config["IPERNITY_LOGIN_URL_PREFIX"] or None)
        manager = getattr(app, "login_manager", None)
        if manager is not None and manager.login_view is None:
            manager.login_view = "ip_login.login"
    app.context_processor(_template_context)
    app.before_request(_drop_0_1_answers)


def logout() -> Response | str:
    """Log out (also of Flask-Login) and go to ``/``, as 0.1 did.

    A GET from another site only shows the logout form: other sites must not
    log members out.
    """
    if is_foreign_navigation():
        return views.logout()
    # Only sites with IPERNITY_LOGIN have this route: the others never load Flask-Login.
    import flask_login

    flask_login.logout_user()
    current_extension().logout()
    forget_session_values()
    return redirect("/")


#: 0.1's endpoints and the ones to build URLs for now.
NEW_ENDPOINTS = {
    "ip_callback.ipernity_callback": "ipernity.callback",
    "ip_login.login": "ipernity.login",
    "ip_login.logout": "ipernity.logout",
}


def _warn_of_0_1_endpoint(endpoint: str, values: dict[str, Any]) -> None:
    # Flask-Login builds its login view's URL from login_view, which this room
    # set to 0.1's endpoint: that is not the site naming it.
    frame = site_frame()
    if frame is not None and str(frame.f_globals.get("__name__")).startswith("flask_login"):
        return
    deprecated(f"url_for({endpoint!r})", f"url_for({NEW_ENDPOINTS[endpoint]!r})")


def _drop_0_1_answers() -> None:
    # 0.1's request cache kept answers in the session cookie, where nothing reads
    # them now; left there, they keep the cookie near the browsers' 4 kB limit,
    # past which a pending login no longer fits and logins fail.
    # At every request: the session itself, not a read through its proxy each time.
    visitor_session = session._get_current_object()  # type: ignore[attr-defined]
    key = session_key("cache")
    if key in visitor_session:
        del visitor_session[key]


def _template_context() -> dict[str, Any]:
    return {"ipernity": ipernity}
