"""The HTML pages of the sandbox: sign-in, consent, confirmation, errors, and the
pretend site's pages the API's links lead to (a document, an album, a member).

Plain pages with a little inline CSS. Programs that scrape the live service's
authorization page find the same landmarks here: the consent form is
``<form name="fa" method="post">`` whose hidden inputs, posted back, approve;
a desktop application's confirmation holds ``<div class="ok">``. Every value
shown is escaped, and no page ever shows a secret, token, frob or signature
(the forms' own anti-forgery tokens aside).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

#: The name every page's title ends with.
SITE_NAME = "Ipernity sandbox"

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #222; margin: 0; }
main { max-width: 34rem; margin: 3rem auto; background: #fff; padding: 1.5rem 2rem;
       border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 0, 0, .12); overflow-wrap: anywhere; }
main.wide { max-width: 60rem; }
@media (max-width: 36rem) { main { margin: 1rem .75rem; padding: 1rem 1.1rem; } }
h1 { font-size: 1.3rem; margin-top: 0; }
h2 { font-size: 1.1rem; }
header { background: #2d3e50; color: #fff; padding: .6rem 1rem; font-weight: 600;
         display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center;
         justify-content: space-between; }
header a { color: #fff; text-decoration: none; }
header .who { font-weight: normal; }
header form { display: inline; }
ul.perms li { margin: .2rem 0; }
ul.perms code { white-space: nowrap; }
button { font: inherit; padding: .45rem 1rem; border-radius: 5px; border: 1px solid #2d3e50;
         background: #2d3e50; color: #fff; cursor: pointer; margin: 0 .5rem .5rem 0; }
button.secondary { background: #fff; color: #2d3e50; }
header button { padding: .1rem .6rem; margin: 0 0 0 .5rem; border-color: #fff; }
input[type=text] { font: inherit; padding: .4rem; width: 14rem; max-width: 100%; }
.ok { border-left: 4px solid #2e8b57; padding: .5rem 1rem; background: #eef8f1; }
.error { border-left: 4px solid #c0392b; padding: .5rem 1rem; background: #fbeeee; }
.muted { color: #666; }
code { background: #f0f0f0; padding: 0 .25rem; }
ul.grid { list-style: none; padding: 0; display: grid; gap: .4rem;
          grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr)); }
ul.grid img { display: block; width: 100%; height: auto; aspect-ratio: 1; object-fit: cover;
              background: #dde; }
figure { margin: 0; }
figure img { display: block; max-width: 100%; height: auto; background: #dde; }
nav.pager { display: flex; gap: 1rem; }
"""

#: How each permission level reads on the consent page.
LEVEL_WORDS = {"read": "see", "write": "see and change", "delete": "see, change and delete"}
TARGET_WORDS = {
    "doc": "your documents",
    "blog": "your blog",
    "post": "your articles",
    "network": "your contacts",
    "profile": "your profile",
}


@dataclass(frozen=True)
class Header:
    """What a page's header says about the visitor.

    :param root: where the sandbox is mounted (``""`` at the root), for links.
    :param member: the username of the member signed in, if any.
    :param form_token: the token the sign-out form carries.
    :param here: the path of the page, to come back to after signing out.
    """

    root: str
    member: str | None
    form_token: str
    here: str


@dataclass(frozen=True)
class Picture:
    """A document as a page shows it: a thumbnail linking to its page."""

    page: str
    title: str
    src: str
    width: int
    height: int


def layout(title: str, body: str, header: Header | None = None, *, wide: bool = False) -> str:
    """A whole page around ``body`` (HTML), titled ``title`` (text; ``""``: the site's name)."""
    full_title = f"{title} · {SITE_NAME}" if title else SITE_NAME
    main = "<main class='wide'>" if wide else "<main>"
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(full_title)}</title><style>{_STYLE}</style></head>"
        f"<body>{_header(header)}{main}{body}</main></body></html>\n"
    )


def _header(header: Header | None) -> str:
    if header is None:
        return f"<header>{SITE_NAME}</header>"
    home = f"<a href='{escape(header.root)}/'>{SITE_NAME}</a>"
    if header.member is None:
        query = urlencode({"next": header.here})
        who = f"<a href='{escape(header.root)}/signin?{escape(query)}'>Sign in</a>"
    else:
        who = (
            f"Signed in as <strong>{escape(header.member)}</strong>"
            f"{signout_form(header.root, header.form_token, header.here)}"
        )
    return f"<header>{home}<span class='who'>{who}</span></header>"


def signout_form(root: str, form_token: str, here: str) -> str:
    """The sign-out button: a form posting the form token, coming back to ``here``."""
    action = f"{root}/signout?{urlencode({'next': here})}"
    return (
        f"<form method='post' action='{escape(action)}'>"
        f"<input type='hidden' name='form_token' value='{escape(form_token)}'>"
        "<button class='secondary'>Sign out</button></form>"
    )


def error_page(title: str, message: str, header: Header | None = None) -> str:
    """A page saying what went wrong, and nothing secret."""
    return layout(
        title, f"<h1>{escape(title)}</h1><div class='error'>{escape(message)}</div>", header
    )


def signin_page(
    members: Iterable[tuple[str, str]],
    unlisted: int = 0,
    error: str | None = None,
    *,
    form_token: str = "",
) -> str:
    """The sign-in page: pick a member or type a name (no password).

    Two forms: pressing Enter in the name field sends the name typed, never a
    member's button.

    :param members: ``(username, realname)`` of the members to offer, in order.
    :param unlisted: how many other members there are, to be typed.
    :param form_token: the anti-forgery token both forms carry.
    """
    token = f"<input type='hidden' name='form_token' value='{escape(form_token)}'>"
    buttons = "".join(
        f"<button name='username' value='{escape(name)}'>{escape(realname or name)}</button>"
        for name, realname in members
    )
    notice = f"<div class='error'>{escape(error)}</div>" if error else ""
    more = f" {unlisted} who joined earlier are not listed: type their name." if unlisted else ""
    return layout(
        "Sign in",
        "<h1>Sign in</h1>"
        f"{notice}<p>Choose a member of this sandbox; no password is needed.{more}</p>"
        f"<form method='post' class='members'>{token}<p>{buttons}</p></form>"
        f"<form method='post' class='typed'>{token}"
        "<p><label>Or a member name: <input type='text' name='username' required></label> "
        "<button class='secondary'>Sign in</button></p>"
        "<p>A name nobody uses yet creates that member.</p></form>",
    )


def permission_list(asked: Mapping[str, str]) -> str:
    """The ``<ul>`` telling in words what an application asks for."""
    items = "".join(
        f"<li>{escape(LEVEL_WORDS.get(level, level))} {escape(TARGET_WORDS.get(target, target))}"
        f" <code>{escape(target)}: {escape(level)}</code></li>"
        for target, level in asked.items()
        if level != "none"
    )
    return f"<ul class='perms'>{items or '<li>know who you are, and nothing more</li>'}</ul>"


def consent_page(
    app_name: str,
    member: str,
    asked: Mapping[str, str],
    nonce: str,
    *,
    switch_url: str | None = None,
    header: Header | None = None,
) -> str:
    """Ask the signed-in member whether ``app_name`` may have ``asked``.

    Posting the form's hidden inputs back approves; the deny button declines.

    :param switch_url: the sign-in page that comes back here, for "Not you?".
    """
    switch = (
        f"<p class='muted'>Not {escape(member)}? "
        f"<a href='{escape(switch_url)}'>Use another member</a></p>"
        if switch_url
        else ""
    )
    return layout(
        "Authorize an application",
        f"<h1>{escape(app_name)} would like to access your account</h1>"
        f"<p>Signed in as <strong>{escape(member)}</strong>. If you agree, "
        f"{escape(app_name)} will be able to:</p>{permission_list(asked)}"
        "<form name='fa' method='post'>"
        f"<input type='hidden' name='nonce' value='{escape(nonce)}'>"
        "<input type='hidden' name='approve' value='1'>"
        "<button type='submit'>Authorize</button>"
        "<button type='submit' class='secondary' name='deny' value='1'>Deny</button>"
        f"</form>{switch}",
        header,
    )


def confirmation_page(app_name: str, member: str, granted: Mapping[str, str]) -> str:
    """Tell the member that a desktop application may now finish signing in."""
    return layout(
        "Application authorized",
        f"<div class='ok'><h1>{escape(app_name)} is authorized</h1>"
        f"<p>{escape(member)}, you may close this window and go back to "
        f"{escape(app_name)}.</p></div>{permission_list(granted)}",
    )


def denied_page(app_name: str, back_url: str | None = None) -> str:
    """Tell the member that the application got nothing, and how to go back to it.

    :param back_url: the application's site; without one (a desktop
        application), the member is told to close the window.
    """
    if back_url:
        back = f"<p><a href='{escape(back_url)}'>Back to {escape(app_name)}</a></p>"
    else:
        back = f"<p>You may close this window and go back to {escape(app_name)}.</p>"
    return layout(
        "Authorization declined",
        f"<h1>Authorization declined</h1><p>{escape(app_name)} was given no access.</p>{back}",
    )


def home_page(
    api_url: str,
    authorize_url: str,
    members: Iterable[tuple[str, str, str]],
    header: Header | None = None,
) -> str:
    """The sandbox's front page: where the API and the authorization page are.

    :param members: ``(username, realname, home page URL)`` of each member.
    """
    people = "".join(
        f"<li><a href='{escape(url)}'>{escape(name)}</a> ({escape(realname)})</li>"
        for name, realname, url in members
    )
    return layout(
        "",
        "<h1>An offline Ipernity</h1>"
        f"<p>API: <code>{escape(api_url)}</code><br>"
        f"Authorization page: <code>{escape(authorize_url)}</code></p>"
        f"<h2>Members</h2><ul>{people or '<li>none yet</li>'}</ul>",
        header,
    )


def _grid(pictures: Sequence[Picture]) -> str:
    items = "".join(
        f"<li><a href='{escape(p.page)}' title='{escape(p.title)}'>"
        f"<img src='{escape(p.src)}' width='{p.width}' height='{p.height}'"
        f" alt='{escape(p.title)}'></a></li>"
        for p in pictures
    )
    return f"<ul class='grid'>{items}</ul>"


def _pager(base: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    links = []
    if page > 1:
        links.append(f"<a href='{escape(base)}?page={page - 1}'>‹ Previous</a>")
    links.append(f"<span>Page {page} of {pages}</span>")
    if page < pages:
        links.append(f"<a href='{escape(base)}?page={page + 1}'>Next ›</a>")
    return f"<nav class='pager'>{''.join(links)}</nav>"


@dataclass(frozen=True)
class Owner:
    """The member a page's content belongs to: their name and home page."""

    name: str
    home: str


def doc_page(
    title: str,
    description: str,
    owner: Owner,
    picture: Picture,
    taken: str,
    back: tuple[str, str],
    header: Header,
) -> str:
    """A document's page: the picture, its title and owner, and a way back.

    :param back: the URL and name of the page to go back to (its album, or its
        owner's home).
    """
    text = f"<p>{escape(description)}</p>" if description else ""
    return layout(
        title or "Untitled",
        f"<p class='crumbs'><a href='{escape(back[0])}'>‹ {escape(back[1])}</a></p>"
        f"<figure><img src='{escape(picture.src)}' width='{picture.width}'"
        f" height='{picture.height}' alt='{escape(title)}'>"
        f"<figcaption><h1>{escape(title or 'Untitled')}</h1>{text}"
        f"<p class='muted'>By <a href='{escape(owner.home)}'>{escape(owner.name)}</a>"
        f" · taken {escape(taken)}</p></figcaption></figure>",
        header,
        wide=True,
    )


def album_page(
    title: str,
    description: str,
    owner: Owner,
    pictures: Sequence[Picture],
    total: int,
    pager: tuple[str, int, int],
    header: Header,
) -> str:
    """An album's page: its photos the visitor may see, a page at a time.

    :param pager: the album's URL, the page shown and the number of pages.
    """
    text = f"<p>{escape(description)}</p>" if description else ""
    photos = _grid(pictures) if pictures else "<p>No photo to show.</p>"
    return layout(
        title or "Album",
        f"<p class='crumbs'><a href='{escape(owner.home)}'>‹ {escape(owner.name)}</a></p>"
        f"<h1>{escape(title or 'Untitled album')}</h1>{text}"
        f"<p class='muted'>{total} photo{'s' if total != 1 else ''}</p>"
        f"{photos}{_pager(*pager)}",
        header,
        wide=True,
    )


def member_page(
    owner: Owner,
    username: str,
    icon: str,
    albums: Sequence[tuple[str, str, int]],
    pictures: Sequence[Picture],
    total: int,
    header: Header,
) -> str:
    """A member's home: their albums and their latest photos the visitor may see.

    :param albums: ``(URL, title, photos the visitor sees)`` of each album.
    """
    album_items = "".join(
        f"<li><a href='{escape(url)}'>{escape(title or 'Untitled album')}</a>"
        f" <span class='muted'>({count})</span></li>"
        for url, title, count in albums
    )
    photos = _grid(pictures) if pictures else "<p>No photo to show.</p>"
    root = header.root
    return layout(
        owner.name,
        f"<p class='crumbs'><a href='{escape(root)}/'>‹ {SITE_NAME}</a></p>"
        f"<h1><img src='{escape(icon)}' width='48' height='48' alt=''> {escape(owner.name)}</h1>"
        f"<p class='muted'>{escape(username)} · {total} photo{'s' if total != 1 else ''}</p>"
        f"<h2>Albums</h2><ul>{album_items or '<li>none</li>'}</ul>"
        f"<h2>Latest photos</h2>{photos}",
        header,
        wide=True,
    )
