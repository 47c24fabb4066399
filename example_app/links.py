"""Links and pictures named by Ipernity's answers, made safe to put in a page.

An answer's ``doc.link``, ``user.link`` or ``user.icon`` is text the site did
not write: ``javascript:…`` in an ``href`` runs in the visitor's session when
clicked. Only web URLs (``http``/``https`` with a host) and paths of this site
reach a page; anything else is left out.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, request

links = Blueprint("links", __name__)

# Browsers drop or ignore these inside URLs ("java\tscript:"): never ours to pass.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\]")
# Where the request keeps the origins of other sites' pictures its page shows (the
# Content-Security-Policy allows them): the request's, as an application context
# may outlive one request (pytest-flask's does).
_PICTURE_ORIGINS = "lightbox.picture_origins"
# A host as the policy may name it: a name, or an IPv4 address.
_PLAIN_HOST = re.compile(r"[a-z0-9.-]+")


@links.app_template_filter()
def web_url(value: object) -> str:
    """``value`` if it is a web URL or a path of this site, else ``""``.

    :param value: a URL from an API answer (any type: answers are not ours).
    :return: an absolute ``http``/``https`` URL with a host, or a path
        starting with one ``/``; ``""`` for anything else (``javascript:``,
        ``data:``, ``//elsewhere``, text with spaces or control characters).
    """
    if not isinstance(value, str) or not value or _INVISIBLE.search(value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return value
    if not parts.scheme and value.startswith("/") and not value.startswith("//"):
        return value
    return ""


@links.app_template_filter()
def picture_url(value: object) -> str:
    """:func:`web_url` for an ``<img src>``; the page then allows pictures of its origin.

    :return: the URL, or ``""`` when it is not one to show (its host is not a
        plain name or IPv4 address, which the page's policy could not name).
    """
    url = web_url(value)
    parts = urlsplit(url)
    if not parts.scheme:
        return url
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return ""
    if parts.username is not None or not _PLAIN_HOST.fullmatch(host):
        return ""
    request.environ.setdefault(_PICTURE_ORIGINS, set()).add(
        f"{parts.scheme.lower()}://{host}{port}"
    )
    return url


def picture_origins() -> set[str]:
    """The origins of the pictures the current page shows through :func:`picture_url`."""
    origins: set[str] = request.environ.get(_PICTURE_ORIGINS, set())
    return origins
