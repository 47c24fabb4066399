"""The ``ipernity`` blueprint: ``/login``, ``/callback``, ``/logout`` and the media proxy."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import Mapping

from flask import Blueprint, current_app, redirect, render_template, request, session
from werkzeug.wrappers import Response

from ipernity.exceptions import (
    APIRequestError,
    InvalidResponse,
    RequestTimeout,
    TransportError,
)
from ipernity.permissions import LEVELS, TARGETS, satisfies

from . import signals
from .extension import current_extension
from .login_state import LoginTimedOut, NoPendingLogin
from .redirects import safe_next
from .responses import error_response

log = logging.getLogger("flask_ipernity")

#: The session key of the token that the logout form must post back.
CSRF_SESSION_KEY = "ipernity_csrf"

# A frob is a short printable ticket; anything else is refused before any call.
_FROB = re.compile(r"[\x21-\x7e]{1,256}")


def create_blueprint(media_proxy: bool) -> Blueprint:
    """Return a new ``ipernity`` blueprint for one application.

    :param media_proxy: also add the ``ipernity.media`` route.
    """
    blueprint = Blueprint("ipernity", __name__, template_folder="templates")
    blueprint.add_url_rule("/login", "login", login)
    blueprint.add_url_rule("/callback", "callback", callback)
    blueprint.add_url_rule("/logout", "logout", logout, methods=["GET", "POST"])
    if media_proxy:
        from .media import media

        blueprint.add_url_rule("/media/<doc_id>/<size>", "media", media)
    return blueprint


def login() -> Response:
    """Start a login: record it in the session and send the visitor to Ipernity.

    Query parameters: ``next`` (a path on this site) and ``perm_<target>=<level>``
    for permissions beyond the configured ones.
    """
    extension = current_extension()
    perms = extension.permissions_to_ask(_asked_permissions(request.args))
    extension.pending_logins.start(safe_next(request.args.get("next")), perms)
    return redirect(extension.authorization_url(perms))


def callback() -> Response:
    """Complete a login: exchange the frob for a token and go to ``next``.

    Accepted only while this session has a live pending login, which the
    attempt consumes whatever its outcome.
    """
    extension = current_extension()
    frob = request.args.get("frob", "")
    if not _FROB.fullmatch(frob):
        return _failed(400, "missing_frob", "Ipernity's answer carried no login ticket.")
    try:
        pending = extension.pending_logins.take()
    except LoginTimedOut:
        return _failed(400, "login_timed_out", "This login took too long.")
    except NoPendingLogin:
        return _failed(403, "no_pending_login", "No login was started from this browser.")
    try:
        token = extension.client().auth.getToken(frob, store_token=False).get("auth")
    except RequestTimeout:
        return _failed(504, "ipernity_timeout", "Ipernity did not answer in time.")
    except (TransportError, InvalidResponse):
        return _failed(502, "ipernity_unavailable", "Ipernity cannot be reached right now.")
    except APIRequestError as error:
        log.info("Ipernity refused a login ticket (error %s)", error.code)
        return _failed(
            403, "frob_rejected", "Ipernity did not accept this login; it may have expired."
        )
    if not isinstance(token, Mapping) or not token.get("token") or not token.get("user"):
        return _failed(502, "ipernity_unavailable", "Ipernity gave an unexpected answer.")
    member = extension.log_in(token)
    extension.pending_logins.clear()
    if not satisfies(token.get("permissions"), pending.permissions):
        log.warning("Member %s granted less than the login asked", member.user_id)
    return redirect(pending.next_url)


def logout() -> Response | str:
    """Log out: a GET shows a one-button form, its POST forgets the token.

    The form carries a token kept in the session, so that another site cannot
    log the visitor out. Afterwards the visitor goes to ``next`` (this site only).
    """
    if request.method == "GET":
        return render_template(
            "ipernity/logout.html",
            csrf_token=csrf_token(),
            next_url=safe_next(request.args.get("next")),
        )
    expected = str(session.get(CSRF_SESSION_KEY) or "").encode()
    sent = request.form.get("csrf_token", "").encode()
    if not expected or not hmac.compare_digest(expected, sent):
        return error_response(
            400, "bad_csrf_token", "This logout form has expired. Please try again."
        )
    current_extension().logout()
    return redirect(safe_next(request.form.get("next")))


def csrf_token() -> str:
    """Return the token a logout form posts, made on first use for this session."""
    token = session.get(CSRF_SESSION_KEY)
    if not token:
        token = session[CSRF_SESSION_KEY] = secrets.token_urlsafe(16)
    return str(token)


def _asked_permissions(args: Mapping[str, str]) -> dict[str, str]:
    # Unknown targets and levels are ignored: the link is built from known ones only.
    asked = {target: args.get("perm_" + target, "") for target in TARGETS}
    return {target: level for target, level in asked.items() if level in LEVELS}


def _failed(status: int, reason: str, message: str) -> Response:
    log.info("Login failed: %s", reason)
    signals.login_failed.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        reason=reason,
    )
    extension = current_extension()
    return error_response(
        status,
        reason,
        message + " Please log in again.",
        login_url=extension.login_url(next_url="/"),
    )
