"""Requests another site may not make for the visitor: forms' tokens, foreign navigations.

Two defences, each where it fits:

- every state-changing form posts a random token kept in the visitor's
  session, which another site cannot read (:func:`csrf_token`,
  :func:`csrf_token_is_valid`);
- a GET that would start a login is trusted only when the browser says the
  visitor opened the page herself, from this site or by typing the address
  (:func:`is_foreign_navigation`): another site must not start a login whose
  callback it then forges, nor may an image or frame on one of this site's
  pages (a picture in a member's comment).
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import request, session

#: The session key of the token every state-changing form must post back.
CSRF_SESSION_KEY = "ipernity_csrf"

#: The form field that carries the token.
CSRF_FIELD = "csrf_token"

# What the Sec-Fetch-* headers say of a page the visitor opened herself: from
# this site, or by typing the address or opening a bookmark ("none"), as a
# navigation of the whole tab to a document. "same-site" is another host of the
# same registrable domain (a sibling subdomain), which this site does not
# control; an <img>, <script>, fetch() or frame is not the visitor's choice.
_OWN_FETCH = {
    "Sec-Fetch-Site": frozenset({"same-origin", "none"}),
    "Sec-Fetch-Mode": frozenset({"navigate"}),
    "Sec-Fetch-Dest": frozenset({"document"}),
}


def csrf_token() -> str:
    """Return the token forms post back, made on first use for this session."""
    token = session.get(CSRF_SESSION_KEY)
    if not token:
        token = session[CSRF_SESSION_KEY] = secrets.token_urlsafe(16)
    return str(token)


def csrf_token_is_valid() -> bool:
    """Tell whether the posted form carries this session's token."""
    expected = str(session.get(CSRF_SESSION_KEY) or "").encode()
    sent = request.form.get(CSRF_FIELD, "").encode()
    return bool(expected) and hmac.compare_digest(expected, sent)


def is_foreign_navigation() -> bool:
    """Tell whether the current request is not a page the visitor opened herself.

    Browsers say where a navigation came from in ``Sec-Fetch-Site``, across
    redirects, and what loads it in ``Sec-Fetch-Mode`` and ``Sec-Fetch-Dest``:
    another site's request, or this site's image, script, fetch or frame, is
    foreign. Without these, ``Origin`` and then ``Referer`` are compared with
    this site's host. A request that carries none of them (an older browser,
    a script, a test client) counts as the visitor's own.
    """
    if "Sec-Fetch-Site" in request.headers:
        return any(_header_not_in(name, own) for name, own in _OWN_FETCH.items())
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value:
            return not _is_this_host(value)
    return False


def _header_not_in(name: str, own: frozenset[str]) -> bool:
    # An absent header says nothing: browsers send the three together.
    value = request.headers.get(name)
    return value is not None and value.strip().lower() not in own


def _is_this_host(url: str) -> bool:
    # Only the host and port: a site behind a proxy without ProxyFix may think
    # it serves http while browsers name https. "null" (a sandboxed frame, a
    # data: URL) names no host and is foreign.
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc.lower() == request.host.lower()
