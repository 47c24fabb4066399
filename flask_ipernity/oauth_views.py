"""``/login`` and ``/callback`` with OAuth 1.0 (``IPERNITY_AUTH_METHOD = "oauth"``).

A ``GET /login`` shows a "Log in with Ipernity" button and asks Ipernity for
nothing: only the button's POST (with the session's CSRF token) obtains a
request token, with this site's configured callback URL, records it as a
pending login of this session and on the server, and sends the visitor to
Ipernity's authorization page. ``/callback`` spends the request token for every
browser (see :mod:`.oauth_claims`), accepts it only if one of this session's
logins obtained it, requires the ``oauth_verifier`` when the service promised
one, exchanges it for the access token, reads the member and permissions with
``auth.checkToken`` and logs them in: the same signals, storage and
Flask-Login integration as the frob flow.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from flask import redirect, request
from werkzeug.wrappers import Response

from ipernity.exceptions import APIRequestError, InvalidResponse, RequestTimeout, TransportError
from ipernity.oauth import OAuthError
from ipernity.permissions import satisfies

from .csrf import is_foreign_navigation
from .extension import Ipernity, current_extension
from .login_flow import asked_permissions, login_failure, login_page, login_request
from .login_state import LoginTimedOut, NoPendingLogin
from .oauth_claims import Claim, TooManyLogins
from .oauth_state import PendingOAuthLogin, PendingOAuthLogins
from .redirects import safe_next

if TYPE_CHECKING:
    from ipernity.oauth import OAuthHandler

log = logging.getLogger("flask_ipernity")

# A request token or a verifier is a short printable value; anything else is refused at once.
_TOKEN = re.compile(r"[\x21-\x7e]{1,256}")


def _pending() -> PendingOAuthLogins:
    return PendingOAuthLogins(current_extension().pending_logins.timeout)


def oauth_login() -> Response:
    """Start an OAuth login on the visitor's click.

    A GET answers the page with the button (``templates/ipernity/login.html``),
    so that no request token is fetched for a visitor (or a script) who did
    not press it; its POST carries the parameters (``next``,
    ``perm_<target>=<level>``) and the session's CSRF token, checked as in
    the frob flow (see :func:`~flask_ipernity.login_flow.login_request`).
    """
    if request.method == "GET":
        return login_page(started_elsewhere=is_foreign_navigation())
    params = login_request()
    if isinstance(params, Response):
        return params
    extension = current_extension()
    perms = extension.permissions_to_ask(asked_permissions(params))
    callback = extension.callback_url()
    handler = cast("OAuthHandler", extension.client().auth)
    try:
        request_token = handler.fetch_request_token(callback=callback)
    except RequestTimeout:
        return login_failure(504, "ipernity_timeout", "Ipernity did not answer in time.")
    except (TransportError, InvalidResponse, OAuthError):
        return login_failure(
            502, "ipernity_unavailable", "Ipernity cannot start a login right now."
        )
    if extension.oauth_verifier_required and not handler.callback_confirmed:
        # Never a silent fall-back: this site counts on the verifier.
        log.warning("Ipernity did not confirm the OAuth callback; the login is refused")
        return login_failure(
            502, "ipernity_unavailable", "Ipernity cannot start a safe login right now."
        )
    try:
        extension.request_token_claims.issue(request_token["oauth_token"])
    except TooManyLogins:
        return login_failure(503, "too_many_logins", "Too many logins are under way right now.")
    _pending().start(
        request_token,
        safe_next(params.get("next")),
        perms,
        verifier_expected=bool(handler.callback_confirmed),
    )
    return redirect(handler.auth_url(perms, request_token, callback), 303)


def oauth_callback() -> Response:
    """Complete an OAuth login started in this browser; go to its own ``next``."""
    oauth_token = request.args.get("oauth_token", "")
    if not _TOKEN.fullmatch(oauth_token):
        return login_failure(400, "missing_token", "Ipernity's answer carried no login ticket.")
    extension = current_extension()
    # First, whatever follows: a token that reached a browser is spent for all of them.
    claim = extension.request_token_claims.claim(oauth_token)
    try:
        pending = _pending().take(oauth_token)
    except LoginTimedOut:
        return login_failure(400, "login_timed_out", "This login took too long.")
    except NoPendingLogin:
        return login_failure(403, "no_pending_login", "No login was started from this browser.")
    if claim is Claim.SPENT or (claim is Claim.UNKNOWN and extension.request_token_claims.shared):
        log.warning("A spent OAuth request token came back to the callback; refused")
        return login_failure(403, "login_link_used", "This login link was already used.")
    verifier = request.args.get("oauth_verifier") or None
    if verifier is not None and not _TOKEN.fullmatch(verifier):
        verifier = None
    if pending.verifier_expected and verifier is None:
        return login_failure(
            403, "missing_verifier", "Ipernity's answer did not prove this browser approved."
        )
    return _complete(extension, pending, verifier)


def _complete(extension: Ipernity, pending: PendingOAuthLogin, verifier: str | None) -> Response:
    client = extension.client()
    try:
        access = cast("OAuthHandler", client.auth).fetch_access_token(
            pending.request_token, verifier=verifier
        )
        info: Any = client.auth.checkToken(access["oauth_token"]).get("auth")
    except RequestTimeout:
        return login_failure(504, "ipernity_timeout", "Ipernity did not answer in time.")
    except (TransportError, InvalidResponse):
        return login_failure(502, "ipernity_unavailable", "Ipernity cannot be reached right now.")
    except (OAuthError, APIRequestError) as error:
        log.info("Ipernity refused an OAuth login (%s)", type(error).__name__)
        return login_failure(
            403, "token_rejected", "Ipernity did not accept this login; it may have expired."
        )
    if not isinstance(info, Mapping) or not info.get("user"):
        return login_failure(502, "ipernity_unavailable", "Ipernity gave an unexpected answer.")
    token = {**info, "token": access["oauth_token"], **access}
    member = extension.log_in(token)
    if not satisfies(token.get("permissions"), pending.permissions):
        log.warning("Member %s granted less than the login asked", member.user_id)
    return redirect(pending.next_url)
