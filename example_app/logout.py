"""After a logout: say so, and let the visitor choose to log in again.

Logging out of the site does not sign the member out of Ipernity, where the
site stays approved. A protected page opened afterwards would go through
Ipernity and come straight back logged in, with no sign of it. So after a
logout, such a page offers "Log in with Ipernity" instead, until the next login.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, render_template, request, session
from flask.typing import ResponseReturnValue

from flask_ipernity import current_extension, logged_in, logged_out

#: The session key remembering that the visitor logged out.
LOGGED_OUT = "lightbox_logged_out"
#: The site's pages that need no login; every other page of ``gallery`` does.
PUBLIC_ENDPOINTS = frozenset({"gallery.home", "gallery.favicon"})


def register_logout_notice(app: Flask) -> None:
    """Connect the notice and the choice to ``app``."""
    logged_out.connect(remember_logout, app)
    logged_in.connect(forget_logout, app)
    app.before_request(offer_login_again)


def remember_logout(app: Flask, **extra: Any) -> None:
    """On the visitor's own logout (not an expired token), say so and remember it."""
    if request.endpoint != "ipernity.logout":
        return
    session[LOGGED_OUT] = True
    flash(
        "You are logged out of Lightbox. Ipernity may still have you signed in: "
        "log out there too on a shared computer."
    )


def forget_logout(app: Flask, **extra: Any) -> None:
    """A new login: protected pages go back to logging in by themselves."""
    session.pop(LOGGED_OUT, None)


def offer_login_again() -> ResponseReturnValue | None:
    """For a protected page after a logout, a page with a button rather than a silent login."""
    if request.blueprint != "gallery" or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not session.get(LOGGED_OUT) or current_extension().is_logged_in:
        return None
    back = request.full_path.rstrip("?")
    return render_template("logged_out.html", next_path=back), 401
