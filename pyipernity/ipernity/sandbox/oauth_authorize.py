"""The OAuth authorization page (``/apps/oauth/authorize``).

The same sign-in and consent pages as for frobs (the ``fa`` form), for a
request token instead of a signed link: the link carries ``oauth_token``, the
permissions as on a frob link (``perm_doc=write``…) and usually
``oauth_callback``. Once the member approves (or had already granted as much),
the browser goes to the callback given at the request step, else to the
link's, with ``?oauth_token=`` and no verifier; without any callback the member
sees the confirmation page.

With OAuth 1.0a (:attr:`.Settings.oauth_verifier`), only the callback given at
the request step counts (the link's is not signed), and the approval adds an
``oauth_verifier``; without a callback, the confirmation page shows the
verifier for the member to type into the program.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit, urlunsplit

from werkzeug.wrappers import Request, Response

from ipernity import permissions

from . import grants, oauth_tokens, pages
from .authorize import (
    consent_nonce,
    html_page,
    posted_nonce_is_valid,
    redirect_to,
    signed_in_member,
    site_of,
    switch_member_url,
    to_signin,
    visit,
    with_query,
)
from .records import App
from .settings import Settings
from .store import Row, Store

# Keeps an OAuth consent nonce from serving on a frob link, and the reverse.
_PURPOSE = "oauth-consent"


@dataclass(frozen=True)
class TokenLink:
    """A checked OAuth authorization link."""

    app: App
    token: Row
    asked: dict[str, str]
    callback: str | None


def _invalid(message: str) -> Response:
    return html_page(pages.error_page("Invalid link", message), 400)


def _check_link(store: Store, request: Request) -> TokenLink | Response:
    row = oauth_tokens.live_request_token(store, request.args.get("oauth_token", ""))
    if row is None:
        return _invalid("The request token is missing, used or expired.")
    asked = {
        name.removeprefix("perm_"): level
        for name, level in request.args.items()
        if name.startswith("perm_")
    }
    if not all(t in permissions.TARGETS and v in permissions.LEVELS for t, v in asked.items()):
        return _invalid("The link asks for an unknown permission.")
    app_row = store.one("SELECT * FROM apps WHERE app_id = ?", (row["app_id"],))
    if app_row is None:
        return _invalid("The application of this request token is gone.")
    app = grants.app_from_row(app_row)
    callback = row["callback"]
    if not oauth_tokens.takes_verifier(store, row["token"]):
        link_callback = request.args.get("oauth_callback", "")
        callback = callback or (link_callback if link_callback != "oob" else None)
    return TokenLink(app, row, permissions.merge(asked), callback or None)


def authorize(store: Store, settings: Settings, secret: bytes, request: Request) -> Response:
    """Answer ``GET`` (look) and ``POST`` (approve or deny) on the OAuth page."""
    with store.transaction():
        link = _check_link(store, request)
        if isinstance(link, Response):
            return link
        member = signed_in_member(store, secret, request)
        if member is None:
            return to_signin(request)
        if link.token["user_id"] not in (None, member["user_id"]):
            return _invalid("Another member used this request token.")
        if request.method == "POST":
            if not posted_nonce_is_valid(secret, member, request, _PURPOSE):
                return html_page(
                    pages.error_page("Form expired", "Open the authorization link again."), 400
                )
            if request.form.get("deny"):
                return html_page(pages.denied_page(link.app.name, site_of(link.callback)))
            grants.upgrade(store, member["user_id"], link.app.app_id, link.asked)
            return _approved(store, settings, link, member)
        if grants.covers(grants.find_grant(store, member["user_id"], link.app.app_id), link.asked):
            return _approved(store, settings, link, member)
        nonce = consent_nonce(secret, member, request, _PURPOSE)
        seen = visit(store, secret, request)
        page = pages.consent_page(
            link.app.name,
            member["username"],
            link.asked,
            nonce,
            switch_url=switch_member_url(request),
            header=seen.header,
        )
        return seen.respond(request, page)


def _approved(store: Store, settings: Settings, link: TokenLink, member: Row) -> Response:
    verifier = oauth_tokens.approve_request_token(store, link.token["token"], member["user_id"])
    if link.callback:
        callback = link.callback
        if settings.oauth_drop_callback_port:
            callback = without_port(callback)
        answer = {"oauth_token": link.token["token"]}
        if verifier is not None:
            answer["oauth_verifier"] = verifier
        return redirect_to(with_query(callback, **answer))
    grant = grants.find_grant(store, member["user_id"], link.app.app_id)
    granted = grants.grant_permissions(grant) if grant else link.asked
    if verifier is not None:
        return html_page(_verifier_page(link.app.name, member["username"], granted, verifier))
    return html_page(pages.confirmation_page(link.app.name, member["username"], granted))


def _verifier_page(app_name: str, member: str, granted: Mapping[str, str], verifier: str) -> str:
    # Out of band (OAuth 1.0a without a callback): the member types the code into the program.
    return pages.layout(
        "Application authorized",
        f"<div class='ok'><h1>{escape(app_name)} is authorized</h1>"
        f"<p>{escape(member)}, type this code into {escape(app_name)}: "
        f"<code>{escape(verifier)}</code></p></div>{pages.permission_list(granted)}",
    )


def without_port(url: str) -> str:
    """``url`` without its port: ``http://localhost:5678/cb`` becomes ``http://localhost/cb``."""
    parts = urlsplit(url)
    if parts.port is None:
        return url
    netloc = parts.netloc.rpartition(":")[0]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
