"""The authorization page (``/apps/authorize``) and the sign-in page behind it.

The flow follows PROTOCOL.md: the signed link is checked first (an unknown key
or a bad signature gets an error page and nothing is granted); a member who is
not signed in is sent to the sign-in page and back; an application that
already holds at least what it asks for is let through at once; otherwise the
member sees the consent form. Approving grants (or upgrades) the permissions,
then redirects a web application to its callback with a fresh frob, or shows a
desktop application's member the confirmation while the frob it got from
``auth.getFrob`` becomes exchangeable.

The member's session is a cookie of the sandbox's own name
(:data:`MEMBER_COOKIE`), HMAC-signed with the sandbox's secret, so that it never
collides with the ``session`` cookie of a site under test on the same host.
Signing in and out are forms carrying a token (see :mod:`.webguard`): another
site cannot sign a visitor in as a member of its choosing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from werkzeug.wrappers import Request, Response

from ipernity import permissions
from ipernity.signing import is_valid_signature

from . import content, grants, pages, webguard
from .records import App
from .settings import Settings
from .store import Row, Store

#: The name of the cookie that keeps a member signed in on the sandbox's pages.
MEMBER_COOKIE = "ipernity_sandbox_member"
#: How many members the sign-in page offers as buttons; any other is typed.
LISTED_MEMBERS = 50


def _mac(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def member_cookie(secret: bytes, user_id: int) -> str:
    """The value of :data:`MEMBER_COOKIE` that signs member ``user_id`` in."""
    return f"{user_id}.{_mac(secret, f'member:{user_id}')}"


def signed_in_member(store: Store, secret: bytes, request: Request) -> Row | None:
    """The member the request's cookie signs in, if the cookie is genuine."""
    value = request.cookies.get(MEMBER_COOKIE, "")
    user_id, _, mac = value.partition(".")
    if not value.isascii() or not user_id.isdigit() or len(user_id) > 18:
        return None
    if not hmac.compare_digest(mac, _mac(secret, f"member:{user_id}")):
        return None
    return store.one("SELECT * FROM users WHERE user_id = ?", (int(user_id),))


def html_page(body: str, status: int = 200) -> Response:
    """An HTML answer of the sandbox's pages."""
    return Response(body, status=status, mimetype="text/html")


#: A path on this server: one "/" then printable ASCII, never "//" (another host).
_LOCAL_PATH = re.compile(r"/(?!/)[!-~]*")


def redirect_to(location: str) -> Response:
    """A redirect to ``location``."""
    return Response("", status=302, headers={"Location": location})


def to_signin(request: Request) -> Response:
    """Send a visitor who is signed in as no member to the sign-in page, then back."""
    query = urlencode({"next": request.full_path})
    return redirect_to(f"{request.script_root}/signin?{query}")


def _safe_next(target: str) -> str:
    # Only a path on the sandbox itself: never an open redirect to another site.
    # Browsers drop tabs and newlines from a Location ("/\t/evil.com" is
    # "//evil.com") and read "\\" as "/": printable ASCII only, no backslash.
    if not _LOCAL_PATH.fullmatch(target) or "\\" in target:
        return "/"
    return target


@dataclass(frozen=True)
class Visit:
    """Who is looking at a page: the member signed in (if any) and the page's header."""

    member: Row | None
    header: pages.Header
    token: webguard.FormToken

    def respond(self, request: Request, body: str, status: int = 200) -> Response:
        """The page ``body``, setting the cookie the header's form token is tied to if new."""
        response = html_page(body, status)
        webguard.keep_form_cookie(response, request, self.token)
        return response


def visit(store: Store, secret: bytes, request: Request) -> Visit:
    """Look at who is visiting: the member cookie, and the form token for the header."""
    member = signed_in_member(store, secret, request)
    token = webguard.form_token(secret, request)
    header = pages.Header(
        root=request.script_root,
        member=member["username"] if member else None,
        form_token=token.value,
        here=_here(request),
    )
    return Visit(member, header, token)


def _here(request: Request) -> str:
    """The page's path on the sandbox (without where it is mounted), with its query."""
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def _signin_page(
    store: Store, secret: bytes, request: Request, error: str | None = None, status: int = 200
) -> Response:
    # In the order they joined, as the demo site lists them; in a crowded
    # sandbox (a test session's, a long-lived database) the latest ones, since
    # the member just added is the one wanted.
    rows = store.query(
        "SELECT username, realname FROM"
        " (SELECT user_id, username, realname FROM users ORDER BY user_id DESC LIMIT ?)"
        " ORDER BY user_id",
        (LISTED_MEMBERS,),
    )
    unlisted = store.scalar("SELECT COUNT(*) FROM users") - len(rows)
    members = [(row["username"], row["realname"]) for row in rows]
    seen = visit(store, secret, request)
    page = pages.signin_page(members, unlisted, error, form_token=seen.token.value)
    return seen.respond(request, page, status)


def signin(store: Store, secret: bytes, request: Request) -> Response:
    """Show the sign-in page, or sign the chosen member in and go back."""
    if request.method != "POST":
        return _signin_page(store, secret, request)
    if not webguard.form_token_is_valid(secret, request):
        return _signin_page(
            store, secret, request, "This form has expired: choose the member again.", 400
        )
    username = " ".join(request.form.get("username", "").split())
    if not username or len(username) > 64:
        return _signin_page(
            store, secret, request, "Type a member name (at most 64 characters).", 400
        )
    with store.transaction():
        row = store.one("SELECT user_id FROM users WHERE username = ?", (username,))
        user_id = row["user_id"] if row else content.create_user(store, username, username)
    target = request.script_root + _safe_next(request.args.get("next", "/"))
    response = redirect_to(target)
    response.set_cookie(
        MEMBER_COOKIE,
        member_cookie(secret, user_id),
        path=request.script_root or "/",
        httponly=True,
        samesite="Lax",
    )
    return response


def signout(secret: bytes, request: Request) -> Response:
    """Sign the visitor out (a posted form with its token) and go back."""
    if not webguard.form_token_is_valid(secret, request):
        return html_page(
            pages.error_page("Form expired", "Go back, reload the page and sign out again."), 400
        )
    response = redirect_to(request.script_root + _safe_next(request.args.get("next", "/")))
    response.delete_cookie(MEMBER_COOKIE, path=request.script_root or "/", httponly=True)
    return response


def switch_member_url(request: Request) -> str:
    """The sign-in page that comes back to this page: "Not you? Use another member"."""
    return f"{request.script_root}/signin?{urlencode({'next': _here(request)})}"


def site_of(url: str | None) -> str | None:
    """The front page of the site ``url`` is on (an application's callback), if any."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


@dataclass(frozen=True)
class Link:
    """A checked authorization link."""

    app: App
    asked: dict[str, str]
    frob: str | None


def _check_link(store: Store, request: Request) -> Link | Response:
    params = {name: request.args.get(name, "") for name in request.args}
    app = grants.app_by_key(store, params.get("api_key", ""))
    if app is None:
        return html_page(
            pages.error_page("Unknown application", "This link has no valid api_key."), 403
        )
    if not params.get("api_sig") or not is_valid_signature(params, app.api_secret):
        return html_page(pages.error_page("Invalid link", "The link's signature is wrong."), 400)
    asked = {
        name.removeprefix("perm_"): level
        for name, level in params.items()
        if name.startswith("perm_")
    }
    valid = all(
        t in permissions.TARGETS and level in permissions.LEVELS for t, level in asked.items()
    )
    # Asking for nothing is valid: the token then only identifies the member.
    if not valid:
        return html_page(
            pages.error_page("Invalid link", "The link asks for an unknown permission."), 400
        )
    if app.auth == "web":
        return Link(app, permissions.merge(asked), None)
    frob = params.get("frob", "")
    row = grants.live_frob(store, frob, app.app_id) if frob else None
    if row is None:
        return html_page(
            pages.error_page("Invalid link", "The frob is missing, used or expired."), 400
        )
    return Link(app, permissions.merge(asked), frob)


def _frob_is_free_for(store: Store, link: Link, member: Row) -> bool:
    row = grants.live_frob(store, link.frob or "", link.app.app_id)
    return row is not None and row["user_id"] in (None, member["user_id"])


def consent_nonce(secret: bytes, member: Row, request: Request, purpose: str = "consent") -> str:
    """The nonce that binds a consent form to this member and this very link.

    :param purpose: tells the pages apart (frob links, OAuth's request tokens).
    """
    query = request.query_string.decode("latin-1")
    return _mac(secret, f"{purpose}:{member['user_id']}:{query}")


def posted_nonce_is_valid(
    secret: bytes, member: Row, request: Request, purpose: str = "consent"
) -> bool:
    """Whether the posted consent form carries :func:`consent_nonce` (any text is safe)."""
    # As bytes: compare_digest refuses text that is not ASCII.
    posted = request.form.get("nonce", "").encode()
    return hmac.compare_digest(posted, consent_nonce(secret, member, request, purpose).encode())


def authorize(store: Store, settings: Settings, secret: bytes, request: Request) -> Response:
    """Answer ``GET`` (look) and ``POST`` (approve or deny) on ``/apps/authorize``."""
    with store.transaction():
        link = _check_link(store, request)
        if isinstance(link, Response):
            return link
        member = signed_in_member(store, secret, request)
        if member is None:
            return to_signin(request)
        if link.frob is not None and not _frob_is_free_for(store, link, member):
            return html_page(
                pages.error_page("Invalid link", "Another member used this frob."), 400
            )
        if request.method == "POST":
            return _answer_form(store, settings, secret, request, link, member)
        if grants.covers(grants.find_grant(store, member["user_id"], link.app.app_id), link.asked):
            return _approved(store, settings, link, member)
        nonce = consent_nonce(secret, member, request)
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


def _answer_form(
    store: Store, settings: Settings, secret: bytes, request: Request, link: Link, member: Row
) -> Response:
    if not posted_nonce_is_valid(secret, member, request):
        return html_page(
            pages.error_page("Form expired", "Open the authorization link again."), 400
        )
    if request.form.get("deny"):
        back = site_of(link.app.callback) if link.app.auth == "web" else None
        return html_page(pages.denied_page(link.app.name, back))
    grants.upgrade(store, member["user_id"], link.app.app_id, link.asked)
    return _approved(store, settings, link, member)


def _approved(store: Store, settings: Settings, link: Link, member: Row) -> Response:
    grant = grants.find_grant(store, member["user_id"], link.app.app_id)
    granted = grants.grant_permissions(grant) if grant else link.asked
    if link.frob is None:
        frob = grants.new_frob(store, link.app.app_id, settings.frob_ttl, member["user_id"])
        return redirect_to(with_query(link.app.callback or "/", frob=frob))
    grants.approve_frob(store, link.frob, member["user_id"])
    return html_page(pages.confirmation_page(link.app.name, member["username"], granted))


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to its query string."""
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
