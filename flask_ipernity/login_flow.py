"""The steps both login flows (frob and OAuth) share.

Starting a login only when the visitor meant to (:func:`login_request`,
:func:`login_page`),
reading the permissions it asks (:func:`asked_permissions`) and answering a
login that cannot complete (:func:`login_failure`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import current_app, render_template, request
from werkzeug.wrappers import Response

from ipernity.permissions import LEVELS, TARGETS

from . import signals
from .csrf import csrf_token, csrf_token_is_valid, is_foreign_navigation
from .extension import current_extension
from .redirects import safe_next
from .responses import error_response

log = logging.getLogger("flask_ipernity")


def login_request() -> Mapping[str, str] | Response:
    """Return the parameters of a login the visitor started on purpose, or the answer.

    A login started by another site (login CSRF) could be completed with that
    site's frob, logging the visitor in to its owner's account. A GET from
    this site, a typed address or a client that sends no
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
    return login_page(started_elsewhere=True)


def login_page(*, started_elsewhere: bool) -> Response:
    """Return the page whose button posts the login asked in the query, CSRF token included.

    :param started_elsewhere: another site sent the visitor here; the page says so.
    """
    page = render_template(
        "ipernity/login.html",
        csrf_token=csrf_token(),
        next_url=safe_next(request.args.get("next")),
        permissions=asked_permissions(request.args),
        started_elsewhere=started_elsewhere,
    )
    return unframeable(Response(page, mimetype="text/html"))


def asked_permissions(args: Mapping[str, str]) -> dict[str, str]:
    """Return the ``perm_<target>=<level>`` pairs of ``args`` as ``{target: level}``.

    Unknown targets and levels are left out: links are built from known ones only.
    """
    asked = {target: args.get("perm_" + target, "") for target in TARGETS}
    return {target: level for target, level in asked.items() if level in LEVELS}


def login_failure(status: int, reason: str, message: str) -> Response:
    """Answer a login that cannot complete, and send :data:`~flask_ipernity.login_failed`.

    :param status: the HTTP status.
    :param reason: the short code the signal and the JSON answer carry.
    :param message: what the visitor reads; "Please log in again." is added.
    :return: the error page (or JSON), with a link to log in again.
    """
    log.info("Login failed: %s", reason)
    signals.login_failed.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        reason=reason,
    )
    return error_response(
        status,
        reason,
        message + " Please log in again.",
        login_url=current_extension().login_url(next_url="/"),
    )


def unframeable(response: Response) -> Response:
    """Forbid framing and caching of a page whose button another site must not click for us.

    :return: ``response``, with ``X-Frame-Options``, a ``frame-ancestors``
        policy and ``Cache-Control: no-store``.
    """
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    response.headers["Cache-Control"] = "no-store"
    return response
