"""The OAuth authorization page (``/apps/oauth/authorize``).

The same sign-in and consent pages as for frobs (the ``fa`` form), for a
request token instead of a signed link: the link carries ``oauth_token``, the
permissions as on a frob link (``perm_doc=write``…) and usually
``oauth_callback``. Once the member approves (or had already granted as much),
the browser goes to the callback given at the request step, else to the
link's, with ``?oauth_token=`` and no verifier; without any callback the member
sees the confirmation page.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    link_callback = request.args.get("oauth_callback", "")
    callback = row["callback"] or (link_callback if link_callback != "oob" else None)
    return TokenLink(app, row, permissions.merge(asked), callback or None)


def authorize(store: Store, secret: bytes, request: Request) -> Response:
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
            return _approved(store, link, member)
        if grants.covers(grants.find_grant(store, member["user_id"], link.app.app_id), link.asked):
            return _approved(store, link, member)
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


def _approved(store: Store, link: TokenLink, member: Row) -> Response:
    oauth_tokens.approve_request_token(store, link.token["token"], member["user_id"])
    if link.callback:
        return redirect_to(with_query(link.callback, oauth_token=link.token["token"]))
    grant = grants.find_grant(store, member["user_id"], link.app.app_id)
    granted = grants.grant_permissions(grant) if grant else link.asked
    return html_page(pages.confirmation_page(link.app.name, member["username"], granted))
