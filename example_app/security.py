"""The headers every page of the site is sent with, so that browsers hold it to its own rules.

- ``Content-Security-Policy``: the site's pages run no script at all, load
  styles, fonts and pictures from the site itself (and the pictures of the
  origins a page names through :func:`~example_app.links.picture_url`, such as
  a member's icon on Ipernity), post forms only to the site and to Ipernity's
  authorization pages, and may not be framed. An injected ``<script>`` or
  ``javascript:`` link does nothing.
- ``X-Frame-Options: DENY``: no framing in browsers older than
  ``frame-ancestors`` either (clickjacking).
- ``X-Content-Type-Options: nosniff``: files are what their type says.
- ``Referrer-Policy: strict-origin-when-cross-origin``: other sites learn the
  site's origin only, never a page's path or query. The login needs the
  origin: Ipernity's consent page sends the member back, and the callback
  checks the request came from there.

A response that sets one of these itself keeps its own (the media proxy's
``default-src 'none'; sandbox``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response

from flask_ipernity import current_extension

from .links import picture_origins

#: The headers besides the policy, as sent.
FIXED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def register_security_headers(app: Flask) -> None:
    """Send the headers above with every response of ``app`` (set up with Flask-Ipernity)."""
    with app.app_context():
        forms = " ".join(["'self'", *login_origins(app)])

    def add_security_headers(response: Response) -> Response:
        policy = content_security_policy(forms)
        response.headers.setdefault("Content-Security-Policy", policy)
        for name, value in FIXED_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.after_request(add_security_headers)


def content_security_policy(form_sources: str) -> str:
    """The current page's policy: the site's own sources, and the picture origins it names.

    :param form_sources: where forms may be sent (``form-action``).
    """
    pictures = " ".join(["'self'", *sorted(picture_origins())])
    return (
        "default-src 'none'; "
        f"img-src {pictures}; "
        "style-src 'self'; "
        f"form-action {form_sources}; "
        "frame-ancestors 'none'; "
        "base-uri 'none'"
    )


def login_origins(app: Flask) -> list[str]:
    """The origins a login form may lead to: Ipernity's authorization pages.

    The site's own login form posts to the site, which redirects there, and
    browsers hold that redirect to ``form-action`` too.
    """
    sandbox = current_extension().sandbox
    if sandbox is not None:
        urls = [sandbox.auth_url, sandbox.oauth_url]
    else:
        auth_url = app.config["IPERNITY_AUTH_URL"]
        urls = [auth_url, app.config.get("IPERNITY_OAUTH_URL") or auth_url]
    return sorted({_origin(url) for url in urls})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
