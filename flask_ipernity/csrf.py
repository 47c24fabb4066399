"""Requests another site may not make for the visitor: forms' tokens, foreign navigations.

Three defences, each where it fits:

- every state-changing form posts a random token kept in the visitor's
  session, which another site cannot read (:func:`csrf_token`,
  :func:`csrf_token_is_valid`);
- a GET that would start a login is trusted only when the browser says the
  visitor opened the page herself, from this site or by typing the address
  (:func:`is_foreign_navigation`): another site must not start a login whose
  callback it then forges, nor may an image or frame on one of this site's
  pages (a picture in a member's comment);
- a callback is trusted only when the browser says the page before it was
  Ipernity's or this site's (:func:`is_referred_by`), and only as a page
  (:func:`is_top_level_navigation`).

Hosts are compared whole, port included: ``evil-localhost``,
``localhost.evil.example`` or ``localhost:8080`` are not ``localhost``.
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

# The same, for a navigation of the whole tab from anywhere.
_TOP_LEVEL = {name: _OWN_FETCH[name] for name in ("Sec-Fetch-Mode", "Sec-Fetch-Dest")}

# The headers that say where a navigation comes from.
_PROVENANCE_HEADERS = ("Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Origin", "Referer")


def csrf_token() -> str:
    """Return the token forms post back, made on first use for this session."""
    token = session.get(CSRF_SESSION_KEY)
    if not token:
        token = session[CSRF_SESSION_KEY] = secrets.token_urlsafe(16)
    return str(token)


def csrf_token_is_valid() -> bool:
    """Tell whether the posted form carries this session's token.

    A session that has no token yet accepts none, the empty one included.
    """
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
            return host_of(value) != request.host.lower()
    return False


def is_top_level_navigation() -> bool:
    """Tell whether the request may be the whole tab going to a page.

    ``False`` when ``Sec-Fetch-Mode`` or ``Sec-Fetch-Dest`` say otherwise (an
    image, a frame, a ``fetch()``); a browser that sends neither is believed.
    """
    return not any(_header_not_in(name, top) for name, top in _TOP_LEVEL.items())


def is_referred_by(hosts: set[str]) -> bool:
    """Tell whether the request's ``Referer`` names a page on one of ``hosts``.

    Without a ``Referer`` (a page whose referrer policy hides it, an older
    browser going from HTTPS to HTTP) no host is proven, and the answer is
    ``False``.

    :param hosts: ``host`` or ``host:port`` values, lowercase, as in
        :func:`host_of`.
    """
    referer = request.headers.get("Referer")
    if not referer:
        return False
    host = host_of(referer)
    return host is not None and host in hosts


def says_nothing_of_its_provenance() -> bool:
    """Tell whether the request carries none of ``Sec-Fetch-*``, ``Origin`` and ``Referer``.

    What Flask's test client and most scripts send; but also an older browser
    leaving a page whose referrer policy is ``no-referrer``, so this proves
    nothing about who sent it.
    """
    return not any(name in request.headers for name in _PROVENANCE_HEADERS)


def host_of(url: str) -> str | None:
    """Return the lowercase ``host[:port]`` of an ``http(s)`` URL, or ``None``.

    ``None`` for anything a browser does not send as an ``Origin`` or
    ``Referer`` of a page: another scheme, ``"null"`` (a sandboxed frame, a
    ``data:`` URL), a URL with a user name or password in it, or one that does
    not parse.
    """
    try:
        parts = urlsplit(url.strip())
        # Reading the port checks it is a number in range.
        parts.port  # noqa: B018
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return parts.netloc.lower()


def _header_not_in(name: str, own: frozenset[str]) -> bool:
    # An absent header says nothing: browsers send the three together.
    value = request.headers.get(name)
    return value is not None and value.strip().lower() not in own
