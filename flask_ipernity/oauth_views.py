"""``/login`` and ``/callback`` with OAuth 1.0 (``IPERNITY_AUTH_METHOD = "oauth"``).

``/login`` obtains a request token (with this site's callback URL), records it
as a pending login of this session and sends the visitor to Ipernity's
authorization page. ``/callback`` accepts only a request token one of this
session's logins obtained, exchanges it for the access token, reads the member
and permissions with ``auth.checkToken`` and logs them in: the same signals,
storage and Flask-Login integration as the frob flow.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from ipernity.exceptions import APIRequestError, InvalidResponse, RequestTimeout, TransportError
from ipernity.oauth import OAuthError
from ipernity.permissions import satisfies

from .extension import current_extension
from .login_flow import asked_permissions as _asked_permissions
from .login_flow import login_failure as _failed
from .login_flow import login_request
from .login_state import LoginTimedOut, NoPendingLogin
from .oauth_state import PendingOAuthLogins
from .redirects import safe_next

if TYPE_CHECKING:
    from ipernity.oauth import OAuthHandler

log = logging.getLogger("flask_ipernity")

# A request token is a short printable value; anything else is refused at once.
_TOKEN = re.compile(r"[\x21-\x7e]{1,256}")


def _pending() -> PendingOAuthLogins:
    return PendingOAuthLogins(current_extension().pending_logins.timeout)


def _handler() -> OAuthHandler:
    return cast("OAuthHandler", current_extension().client().auth)


def oauth_login() -> Response:
    """Start an OAuth login: get a request token and send the visitor to approve it.

    Parameters and the protection against logins started by another site are
    the frob flow's (see :func:`~flask_ipernity.views.login_request`).
    """
    params = login_request()
    if isinstance(params, Response):
        return params
    extension = current_extension()
    perms = extension.permissions_to_ask(_asked_permissions(params))
    callback = url_for("ipernity.callback", _external=True)
    handler = _handler()
    try:
        request_token = handler.fetch_request_token(callback=callback)
    except RequestTimeout:
        return _failed(504, "ipernity_timeout", "Ipernity did not answer in time.")
    except (TransportError, InvalidResponse, OAuthError):
        return _failed(502, "ipernity_unavailable", "Ipernity cannot start a login right now.")
    _pending().start(request_token, safe_next(params.get("next")), perms)
    status = 303 if request.method == "POST" else 302
    return redirect(handler.auth_url(perms, request_token, callback), status)


def oauth_callback() -> Response:
    """Complete an OAuth login started in this browser; go to its own ``next``."""
    oauth_token = request.args.get("oauth_token", "")
    if not _TOKEN.fullmatch(oauth_token):
        return _failed(400, "missing_token", "Ipernity's answer carried no login ticket.")
    try:
        pending = _pending().take(oauth_token)
    except LoginTimedOut:
        return _failed(400, "login_timed_out", "This login took too long.")
    except NoPendingLogin:
        return _failed(403, "no_pending_login", "No login was started from this browser.")
    extension = current_extension()
    client = extension.client()
    try:
        access = cast("OAuthHandler", client.auth).fetch_access_token(pending.request_token)
        info: Any = client.auth.checkToken(access["oauth_token"]).get("auth")
    except RequestTimeout:
        return _failed(504, "ipernity_timeout", "Ipernity did not answer in time.")
    except (TransportError, InvalidResponse):
        return _failed(502, "ipernity_unavailable", "Ipernity cannot be reached right now.")
    except (OAuthError, APIRequestError) as error:
        log.info("Ipernity refused an OAuth login (%s)", type(error).__name__)
        return _failed(
            403, "token_rejected", "Ipernity did not accept this login; it may have expired."
        )
    if not isinstance(info, Mapping) or not info.get("user"):
        return _failed(502, "ipernity_unavailable", "Ipernity gave an unexpected answer.")
    token = {**info, "token": access["oauth_token"], **access}
    member = extension.log_in(token)
    if not satisfies(token.get("permissions"), pending.permissions):
        log.warning("Member %s granted less than the login asked", member.user_id)
    return redirect(pending.next_url)
