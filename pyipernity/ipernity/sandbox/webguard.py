"""What keeps other web sites out of the sandbox's pages.

The sandbox is a development tool, but it runs on developers' machines, where
any page they visit may try to reach it:

- DNS rebinding: a site whose name is made to resolve to 127.0.0.1 would read
  the sandbox's pages as its own. Pages are served only to requests naming the
  sandbox by an IP address, ``localhost`` or a name it was told to answer. What
  programs call (the API, OAuth's request and access steps, media files) holds
  no browser's session and answers any name: a program in another container
  may call the sandbox by its service name.
- Framing: another site could show a consent page in an invisible frame and
  make the member click it. No page may be framed.
- Forged forms: another site could sign a visitor in as a member of its
  choosing. The sandbox's own forms carry a token tied to a cookie of the
  visitor's browser (the consent form has its own nonce, see
  :func:`~.authorize.consent_nonce`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from . import pages

#: The paths programs call, which hold no browser's session: any host name reaches them.
PROGRAM_PATHS = ("/api/", "/apps/oauth/request", "/apps/oauth/access", "/media/", "/icons/")
#: The cookie the forms' tokens are tied to.
FORM_COOKIE = "ipernity_sandbox_form"
#: The headers that keep every HTML page out of other sites' frames.
NO_FRAMING = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def host_is_allowed(host: str | None, allowed: Collection[str]) -> bool:
    """Whether a request's ``Host`` header names the sandbox.

    IP addresses (DNS rebinding needs a name), ``localhost`` and its
    subdomains, and the names in ``allowed`` are; a request without the
    header (HTTP/1.0 programs) is too, as browsers always send one.
    """
    if host is None:
        return True
    name = _hostname(host)
    if name is None:
        return False
    if name == "localhost" or name.endswith(".localhost"):
        return True
    if name in {entry.lower() for entry in allowed}:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def is_for_programs(path: str) -> bool:
    """Whether ``path`` (under where the sandbox is mounted) is one programs call."""
    return path.startswith(PROGRAM_PATHS)


def _hostname(host: str) -> str | None:
    """The name of ``host:port`` (``[::1]:port`` for IPv6), lowercase; ``None`` if malformed."""
    host = host.strip().lower()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name
    name, colon, port = host.partition(":")
    if colon and not port.isdigit():
        return None
    return name.rstrip(".") or None


def refused_host() -> Response:
    """The answer to a request naming another host: a plain 400 page."""
    page = pages.error_page(
        "Unknown host",
        "This sandbox answers only to its own address. Add the name you reach it by "
        "to its allowed hosts.",
    )
    return Response(page, status=400, mimetype="text/html")


def forbid_framing(response: Response) -> None:
    """Add the headers that forbid showing an HTML answer in another page's frame."""
    if response.mimetype == "text/html":
        response.headers.update(NO_FRAMING)


@dataclass(frozen=True)
class FormToken:
    """The token a form carries, and the cookie to set if the browser had none."""

    value: str
    new_cookie: str | None


def _mac(secret: bytes, cookie: str) -> str:
    return hmac.new(secret, f"form:{cookie}".encode(), hashlib.sha256).hexdigest()[:32]


def _cookie(request: Request) -> str | None:
    value = request.cookies.get(FORM_COOKIE, "")
    # Only a value this module could have set; anything else is replaced.
    if len(value) == 32 and value.isascii() and value.isalnum():
        return value
    return None


def form_token(secret: bytes, request: Request) -> FormToken:
    """The token for the forms of a page answering ``request``."""
    cookie = _cookie(request)
    if cookie is not None:
        return FormToken(_mac(secret, cookie), None)
    cookie = secrets.token_hex(16)
    return FormToken(_mac(secret, cookie), cookie)


def keep_form_cookie(response: Response, request: Request, token: FormToken) -> None:
    """Set the form cookie ``token`` is tied to, if the browser does not have it yet."""
    if token.new_cookie is not None:
        response.set_cookie(
            FORM_COOKIE,
            token.new_cookie,
            path=request.script_root or "/",
            httponly=True,
            samesite="Lax",
        )


def form_token_is_valid(secret: bytes, request: Request) -> bool:
    """Whether a posted form carries the token of the browser's form cookie."""
    cookie = _cookie(request)
    if cookie is None:
        return False
    # As bytes: compare_digest refuses text that is not ASCII.
    posted = request.form.get("form_token", "").encode()
    return hmac.compare_digest(posted, _mac(secret, cookie).encode())
