"""The ``ipernity`` blueprint: ``/login``, ``/callback``, ``/logout`` and the media proxy."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from flask import Blueprint, current_app, redirect, render_template, request
from werkzeug.wrappers import Response

from ipernity.exceptions import (
    APIRequestError,
    InvalidResponse,
    RequestTimeout,
    TransportError,
)
from ipernity.permissions import LEVELS, TARGETS, satisfies

from . import signals
from .csrf import csrf_token, csrf_token_is_valid, is_foreign_navigation
from .extension import current_extension
from .login_state import LoginTimedOut, NoPendingLogin
from .member import Member
from .redirects import safe_next
from .responses import error_response

log = logging.getLogger("flask_ipernity")

# A frob is a short printable ticket; anything else is refused before any call.
_FROB = re.compile(r"[\x21-\x7e]{1,256}")


def create_blueprint(media_proxy: bool, oauth: bool = False) -> Blueprint:
    """Return a new ``ipernity`` blueprint for one application.

    :param media_proxy: also add the ``ipernity.media`` route.
    :param oauth: log in with OAuth 1.0 instead of frobs (same routes).
    """
    blueprint = Blueprint("ipernity", __name__, template_folder="templates")
    if oauth:
        from .oauth_views import oauth_callback, oauth_login

        blueprint.add_url_rule("/login", "login", oauth_login, methods=["GET", "POST"])
        blueprint.add_url_rule("/callback", "callback", oauth_callback)
    else:
        blueprint.add_url_rule("/login", "login", login, methods=["GET", "POST"])
        blueprint.add_url_rule("/callback", "callback", callback)
    blueprint.add_url_rule("/logout", "logout", logout, methods=["GET", "POST"])
    if media_proxy:
        from .media import media

        blueprint.add_url_rule("/media/<doc_id>/<size>", "media", media)
    return blueprint


def login() -> Response:
    """Start a login: record it in the session and send the visitor to Ipernity.

    Parameters (the query of a GET, the form of a POST): ``next`` (a path on
    this site) and ``perm_<target>=<level>`` for permissions beyond the
    configured ones. A GET that another site started only shows a page whose
    button posts the same login with the session's CSRF token; see
    :func:`login_request`.
    """
    params = login_request()
    if isinstance(params, Response):
        return params
    extension = current_extension()
    perms = extension.permissions_to_ask(_asked_permissions(params))
    extension.pending_logins.start(safe_next(params.get("next")), perms)
    return redirect(extension.authorization_url(perms), 303 if request.method == "POST" else 302)


def login_request() -> Mapping[str, str] | Response:
    """Return the parameters of a login the visitor started on purpose, or the answer.

    Ipernity's callback carries nothing that ties it to the login that asked
    for it, so a login started by another site (login CSRF) could be completed
    with that site's frob, logging the visitor in to its owner's account. A
    GET from this site, a typed address or a client that sends no
    ``Sec-Fetch-Site``/``Origin``/``Referer`` starts at once; a GET another
    site started gets the confirmation page; a POST needs the CSRF token.

    :return: the login's parameters, or the page (or error) to answer with.
    """
    if request.method == "POST":
        if not csrf_token_is_valid():
            return error_response(
                400,
                "bad_csrf_token",
                "This login form has expired. Please try again.",
                login_url=current_extension().login_url(next_url="/"),
            )
        return request.form
    if not is_foreign_navigation():
        return request.args
    log.info("A login started by another site waits for the visitor's confirmation")
    page = render_template(
        "ipernity/login.html",
        csrf_token=csrf_token(),
        next_url=safe_next(request.args.get("next")),
        permissions=_asked_permissions(request.args),
    )
    response = Response(page, mimetype="text/html")
    # Another site must not frame the button and trick the visitor into clicking it.
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    response.headers["Cache-Control"] = "no-store"
    return response


def callback(frob: str | None = None) -> Response:
    """Complete a login: exchange the frob for a token and go to ``next``.

    Accepted only while this session has a live pending login, which the
    attempt consumes whatever its outcome. The session's other pending logins
    (other tabs) stay, bound to the member now logged in.

    :param frob: the frob; the request's ``frob`` by default (0.1's
        ``set_token(frob)`` passes its own).
    """
    extension = current_extension()
    frob = request.args.get("frob", "") if frob is None else frob
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
    if pending.member_id is not None and pending.member_id != Member.from_token(token).user_id:
        return _failed(
            403, "another_member", "This login was for another member than the one logged in."
        )
    member = extension.log_in(token)
    extension.pending_logins.bind(member.user_id)
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
    if not csrf_token_is_valid():
        return error_response(
            400, "bad_csrf_token", "This logout form has expired. Please try again."
        )
    current_extension().logout()
    return redirect(safe_next(request.form.get("next")))


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
