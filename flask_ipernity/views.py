"""The ``ipernity`` blueprint: ``/login``, ``/callback``, ``/logout`` and the media proxy."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ipernity.exceptions import (
    APIRequestError,
    InvalidResponse,
    RequestTimeout,
    TransportError,
)
from ipernity.permissions import satisfies

from . import signals
from .csrf import (
    csrf_token,
    csrf_token_is_valid,
    host_of,
    is_referred_by,
    is_top_level_navigation,
    says_nothing_of_its_provenance,
)
from .extension import compact_token, current_extension
from .held_login import HeldLogin, HeldLogins
from .login_flow import asked_permissions, login_failure, login_request, unframeable
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
        blueprint.add_url_rule(
            "/login/confirm", "confirm_login", confirm_login, methods=["GET", "POST"]
        )
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
    :func:`~flask_ipernity.login_flow.login_request`.
    """
    params = login_request()
    if isinstance(params, Response):
        return params
    extension = current_extension()
    perms = extension.permissions_to_ask(asked_permissions(params))
    extension.pending_logins.start(safe_next(params.get("next")), perms)
    return redirect(extension.authorization_url(perms), 303 if request.method == "POST" else 302)


def callback(frob: str | None = None) -> Response:
    """Complete a login: exchange the frob for a token and go to ``next``.

    Accepted only while this session has a live pending login, which the
    attempt consumes whatever its outcome. The session's other pending logins
    (other tabs) stay, bound to the member now logged in.

    The token is stored at once only when the browser came from Ipernity's
    page or this site (its ``Referer``); otherwise nothing tells that the
    visitor chose this account (another site may have sent her here with its
    owner's frob), so the login is held and the visitor sent to
    :func:`confirm_login`, which names the member and stores nothing until she
    confirms.

    :param frob: the frob; the request's ``frob`` by default (0.1's
        ``set_token(frob)`` passes its own).
    """
    frob = request.args.get("frob", "") if frob is None else frob
    if not _FROB.fullmatch(frob):
        return login_failure(400, "missing_frob", "Ipernity's answer carried no login ticket.")
    if not is_top_level_navigation():
        # An image or a frame: no visitor is looking at this page.
        return login_failure(403, "not_a_page", "A login must come back as a page of its own.")
    extension = current_extension()
    try:
        pending = extension.pending_logins.take()
    except LoginTimedOut:
        return login_failure(400, "login_timed_out", "This login took too long.")
    except NoPendingLogin:
        return login_failure(403, "no_pending_login", "No login was started from this browser.")
    token = _exchange(frob)
    if isinstance(token, Response):
        return token
    if pending.member_id is not None and pending.member_id != Member.from_token(token).user_id:
        return login_failure(
            403, "another_member", "This login was for another member than the one logged in."
        )
    if not _came_back_from_ipernity():
        HeldLogins().hold(compact_token(token), pending.next_url, pending.permissions)
        log.info("A login that did not come from Ipernity's page waits for the visitor's word")
        return redirect(url_for("ipernity.confirm_login"))
    return _complete(token, pending.next_url, pending.permissions)


def confirm_login() -> Response:
    """Ask the visitor whether the held login's account is hers, then act on her answer.

    GET shows the page naming the member (``ipernity/confirm_login.html``); its
    form posts ``answer``: ``continue`` logs the member in and goes to the
    login's ``next``, ``other`` starts a new login, anything else drops the
    held login and goes to the home page. The POST needs the session's CSRF
    token; until it comes, nothing is stored.
    """
    if request.method == "GET":
        held = HeldLogins().peek()
        if held is None:
            return login_failure(400, "nothing_to_confirm", "No login waits for your answer.")
        page = render_template(
            "ipernity/confirm_login.html", member=held.member, csrf_token=csrf_token()
        )
        return unframeable(Response(page, mimetype="text/html"))
    if not csrf_token_is_valid():
        return error_response(
            400, "bad_csrf_token", "This confirmation form has expired. Please log in again."
        )
    held = HeldLogins().take()
    if held is None:
        return login_failure(400, "login_timed_out", "This login waited too long for your answer.")
    if request.form.get("answer") == "continue":
        return _complete(held.token, held.next_url, held.permissions, status=303)
    return _decline(held)


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


def _exchange(frob: str) -> Mapping[str, Any] | Response:
    # The token mapping auth.getToken gives for the frob, or the answer to its failure.
    try:
        token = current_extension().client().auth.getToken(frob, store_token=False).get("auth")
    except RequestTimeout:
        return login_failure(504, "ipernity_timeout", "Ipernity did not answer in time.")
    except (TransportError, InvalidResponse):
        return login_failure(502, "ipernity_unavailable", "Ipernity cannot be reached right now.")
    except APIRequestError as error:
        log.info("Ipernity refused a login ticket (error %s)", error.code)
        return login_failure(
            403, "frob_rejected", "Ipernity did not accept this login; it may have expired."
        )
    if not isinstance(token, Mapping) or not token.get("token") or not token.get("user"):
        return login_failure(502, "ipernity_unavailable", "Ipernity gave an unexpected answer.")
    return token


def _decline(held: HeldLogin) -> Response:
    # "No, log in as someone else" starts a login of the visitor's own; cancel goes home.
    log.info("The visitor declined a login held for confirmation")
    signals.login_failed.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        reason="declined",
    )
    if request.form.get("answer") != "other":
        return redirect("/", 303)
    extension = current_extension()
    extension.pending_logins.start(held.next_url, held.permissions)
    return redirect(extension.authorization_url(held.permissions), 303)


def _came_back_from_ipernity() -> bool:
    # Ipernity's consent page names itself in Referer (browsers send the origin
    # across sites); when Ipernity approves at once, the redirect chain keeps
    # this site's page as the Referer. Another site's page names itself, or
    # nothing with a "no-referrer" policy. Flask's test client sends no such
    # header: in testing mode, a request that says nothing is taken at its word.
    if current_app.testing and says_nothing_of_its_provenance():
        return True
    hosts = {request.host.lower(), host_of(current_extension().auth_url)}
    return is_referred_by({host for host in hosts if host})


def _complete(
    token: Mapping[str, Any], next_url: str, permissions: dict[str, str], status: int = 302
) -> Response:
    extension = current_extension()
    member = extension.log_in(token)
    extension.pending_logins.bind(member.user_id)
    if not satisfies(token.get("permissions"), permissions):
        log.warning("Member %s granted less than the login asked", member.user_id)
    return redirect(next_url, status)
