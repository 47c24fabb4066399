"""The pretend site's pages that the API's ``link`` values lead to.

- ``/doc/<owner_id>/<doc_id>`` (and ``…/in/album/<album_id>``, as
  ``album.docs.getContext`` links): a document, its picture, title and owner;
- ``/doc/<owner_id>/album/<album_id>``: an album, the photos in it a page at a time;
- ``/home/<alias>``: a member's home, their albums and latest photos.

Each page shows what the member signed in on the sandbox may see, as the
API's privacy rules say (an anonymous visitor sees public documents only). A
document the visitor may not see is the same 404 as one that does not exist.
"""

from __future__ import annotations

import math

from werkzeug.wrappers import Request, Response

from . import media, pages
from .authorize import Visit, html_page, visit
from .methods.visibility import can_see, visible
from .store import Row, Store

#: Photos on an album's page; the rest on the next pages.
ALBUM_PAGE_SIZE = 24
#: Latest photos on a member's home.
HOME_PHOTOS = 24
#: The thumbnail of grids, and the size of a document's page.
GRID_LABEL = "240"
PAGE_LABEL = "640"


def not_found() -> Response:
    """The answer for a page that does not exist, or that the visitor may not see."""
    return html_page(pages.error_page("Not found", "There is no such page on the sandbox."), 404)


def doc_page(
    store: Store,
    secret: bytes,
    request: Request,
    owner_id: int,
    doc_id: int,
    album_id: int | None = None,
) -> Response:
    """A document's page, with a way back to its album (when reached from one) or its owner."""
    seen = visit(store, secret, request)
    doc = can_see(store, _viewer(seen), "docs", "doc_id", doc_id)
    owner = _member(store, owner_id)
    if doc is None or owner is None or doc["owner_id"] != owner_id:
        return not_found()
    root = request.script_root
    back = (_home(root, owner), _name(owner))
    if album_id is not None:
        album = _album_holding(store, album_id, doc)
        if album is None:
            return not_found()
        back = (_album_url(root, album), album["title"] or "Untitled album")
    page = pages.doc_page(
        doc["title"],
        doc["description"],
        pages.Owner(_name(owner), _home(root, owner)),
        _picture(root, doc, PAGE_LABEL, album_id),
        doc["created"],
        back,
        seen.header,
    )
    return seen.respond(request, page)


def album_page(
    store: Store, secret: bytes, request: Request, owner_id: int, album_id: int
) -> Response:
    """An album's page: the photos in it the visitor may see, :data:`ALBUM_PAGE_SIZE` at a time."""
    seen = visit(store, secret, request)
    album = store.one(
        "SELECT * FROM albums WHERE album_id = ? AND owner_id = ?", (album_id, owner_id)
    )
    owner = _member(store, owner_id)
    if album is None or owner is None:
        return not_found()
    condition, params = visible(_viewer(seen), "d")
    in_album = (
        "FROM album_docs a JOIN docs d ON d.doc_id = a.doc_id"
        f" WHERE a.album_id = ? AND {condition}"
    )
    total: int = store.scalar(f"SELECT COUNT(*) {in_album}", (album_id, *params))
    pages_count = max(1, math.ceil(total / ALBUM_PAGE_SIZE))
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= pages_count:
        return not_found()
    rows = store.query(
        f"SELECT d.* {in_album} ORDER BY a.position LIMIT ? OFFSET ?",
        (album_id, *params, ALBUM_PAGE_SIZE, (page - 1) * ALBUM_PAGE_SIZE),
    )
    root = request.script_root
    body = pages.album_page(
        album["title"],
        album["description"],
        pages.Owner(_name(owner), _home(root, owner)),
        [_picture(root, row, GRID_LABEL, album_id) for row in rows],
        total,
        (_album_url(root, album), page, pages_count),
        seen.header,
    )
    return seen.respond(request, body)


def member_page(store: Store, secret: bytes, request: Request, alias: str) -> Response:
    """A member's home: their albums and latest photos the visitor may see."""
    seen = visit(store, secret, request)
    owner = store.one("SELECT * FROM users WHERE alias = ?", (alias,))
    if owner is None:
        return not_found()
    condition, params = visible(_viewer(seen), "d")
    mine = f"FROM docs d WHERE d.owner_id = ? AND {condition}"
    total: int = store.scalar(f"SELECT COUNT(*) {mine}", (owner["user_id"], *params))
    latest = store.query(
        f"SELECT d.* {mine} ORDER BY d.posted_at DESC, d.doc_id DESC LIMIT ?",
        (owner["user_id"], *params, HOME_PHOTOS),
    )
    # Only the visibility condition from the code is spliced in; values are bound.
    counted = (
        "SELECT al.*, (SELECT COUNT(*) FROM album_docs a JOIN docs d ON d.doc_id = a.doc_id"  # noqa: S608
        f" WHERE a.album_id = al.album_id AND {condition}) AS seen"
        " FROM albums al WHERE al.owner_id = ? ORDER BY al.position"
    )
    albums = store.query(counted, (*params, owner["user_id"]))
    root = request.script_root
    body = pages.member_page(
        pages.Owner(_name(owner), _home(root, owner)),
        owner["username"],
        f"{root}/icons/user/{owner['user_id']}.jpg",
        [(_album_url(root, row), row["title"], row["seen"]) for row in albums],
        [_picture(root, row, GRID_LABEL) for row in latest],
        total,
        seen.header,
    )
    return seen.respond(request, body)


def _viewer(seen: Visit) -> int | None:
    return seen.member["user_id"] if seen.member is not None else None


def _member(store: Store, user_id: int) -> Row | None:
    return store.one("SELECT * FROM users WHERE user_id = ?", (user_id,))


def _album_holding(store: Store, album_id: int, doc: Row) -> Row | None:
    return store.one(
        "SELECT al.* FROM albums al JOIN album_docs a ON a.album_id = al.album_id"
        " WHERE al.album_id = ? AND al.owner_id = ? AND a.doc_id = ?",
        (album_id, doc["owner_id"], doc["doc_id"]),
    )


def _name(user: Row) -> str:
    return str(user["realname"] or user["username"])


def _home(root: str, user: Row) -> str:
    return f"{root}/home/{user['alias']}"


def _album_url(root: str, album: Row) -> str:
    return f"{root}/doc/{album['owner_id']}/album/{album['album_id']}"


def _picture(root: str, doc: Row, label: str, album_id: int | None = None) -> pages.Picture:
    page = f"{root}/doc/{doc['owner_id']}/{doc['doc_id']}"
    if album_id is not None:
        page += f"/in/album/{album_id}"
    width, height = media.fit(*media.picture_size(doc), label)
    src = f"{root}/media/{doc['doc_id']}.{doc['secret']}.{label}.jpg"
    return pages.Picture(page, doc["title"], src, width, height)
