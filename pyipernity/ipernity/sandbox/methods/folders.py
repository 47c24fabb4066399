"""``folder.*``: folders of albums, their albums and their order.

Removing a folder's last album destroys the folder, as on the service.
"""

from __future__ import annotations

from typing import Any

from .. import content
from ..store import Row
from . import shapes
from .albums import chosen_cover, reorder
from .registry import Answer, Context, handler, not_found


def folder_row(ctx: Context, *, own: bool = False) -> Row:
    """The folder of the ``folder_id`` parameter (error 1), the caller's own if
    ``own`` (error 2 for someone else's)."""
    return ctx.record("folders", "folder_id", "Folder", own=own)


def _album_total(ctx: Context, folder_id: int) -> int:
    """How many albums a folder holds."""
    total: int = ctx.store.scalar(
        "SELECT COUNT(*) FROM folder_albums WHERE folder_id = ?", (folder_id,)
    )
    return total


def _audience_counts(ctx: Context, folder_id: int) -> dict[str, int]:
    """How many of the folder's albums show something to each audience."""

    def albums_seen(condition: str) -> int:
        count: int = ctx.store.scalar(
            "SELECT COUNT(*) FROM folder_albums fa WHERE fa.folder_id = ? AND EXISTS"  # noqa: S608
            " (SELECT 1 FROM album_docs ad JOIN docs d USING (doc_id)"
            f" WHERE ad.album_id = fa.album_id AND {condition})",
            (folder_id,),
        )
        return count

    return {
        "public": albums_seen("d.is_public = 1"),
        "family": albums_seen("(d.is_public = 1 OR d.is_family = 1)"),
        "friend": albums_seen("(d.is_public = 1 OR d.is_friend = 1)"),
        "ff": albums_seen("(d.is_public = 1 OR d.is_family = 1 OR d.is_friend = 1)"),
    }


def _cover_doc(ctx: Context, folder: Row) -> Row | None:
    """The folder's cover document: its own, else its first album's cover."""
    if folder["cover_id"] is not None:
        return ctx.store.one("SELECT * FROM docs WHERE doc_id = ?", (folder["cover_id"],))
    return ctx.store.one(
        "SELECT d.* FROM folder_albums fa JOIN albums a USING (album_id)"
        " JOIN docs d ON d.doc_id = a.cover_id WHERE fa.folder_id = ? ORDER BY fa.position",
        (folder["folder_id"],),
    )


def _cover(ctx: Context, folder: Row, *, detailed: bool) -> dict[str, Any] | None:
    """The folder's ``cover``; ``detailed`` adds the label, secret and extension.

    The service's ``farm``, ``path`` and ``icon`` describe its media servers'
    layout; the sandbox serves every file itself at ``url`` and leaves them out.
    """
    doc = _cover_doc(ctx, folder)
    if doc is None:
        return None
    answer = shapes.cover(ctx, doc)
    if detailed:
        answer |= {"label": ctx.thumbsize(), "secret": doc["secret"], "ext": "jpg"}
    return answer


def folder(ctx: Context, row: Row, *, in_list: bool = False) -> dict[str, Any]:
    """The ``folder`` element of ``folder.get``/``create``/``edit`` (and, with
    ``in_list``, of ``folder.getList``).

    How many of its albums each audience sees is told in ``visibility`` and
    in ``count``, where (sic) lists spell friends ``friend``.
    """
    owner = ctx.store.one("SELECT alias FROM users WHERE user_id = ?", (row["owner_id"],))
    folder_id = row["folder_id"]
    audience = _audience_counts(ctx, folder_id)
    counts = {"albums": _album_total(ctx, folder_id), **audience}
    dates = {"created_at": row["created_at"]}
    if not in_list:
        dates["last_update_at"] = row["last_update_at"]
        counts["friends"] = counts.pop("friend")
    return {
        "folder_id": folder_id,
        "link": ctx.url(f"doc/{row['owner_id']}/album/{folder_id}"),
        "title": row["title"],
        "description": None if in_list else row["description"],
        "visibility": audience,
        "dates": dates,
        "count": counts,
        "cover": _cover(ctx, row, detailed=not in_list),
        "owner": None
        if in_list
        else {"user_id": row["owner_id"], "alias": owner["alias"] if owner else ""},
    }


def _answer(ctx: Context, folder_id: int) -> Answer:
    row = ctx.store.one("SELECT * FROM folders WHERE folder_id = ?", (folder_id,))
    if row is None:
        raise not_found("Folder")
    return {"folder": folder(ctx, row)}


@handler("folder.create")
def create(ctx: Context) -> Answer:
    """Create an (empty) folder."""
    folder_id = content.create_folder(
        ctx.store, ctx.me(), ctx.require("title"), ctx.text("description")
    )
    return _answer(ctx, folder_id)


@handler("folder.delete")
def delete(ctx: Context) -> Answer | None:
    """Delete one of the caller's folders (its albums stay)."""
    row = folder_row(ctx, own=True)
    ctx.store.execute("DELETE FROM folders WHERE folder_id = ?", (row["folder_id"],))
    return None


@handler("folder.edit")
def edit(ctx: Context) -> Answer:
    """Change a folder's title, description or cover document."""
    row = folder_row(ctx, own=True)
    cover_id = chosen_cover(ctx) or row["cover_id"]
    ctx.store.execute(
        "UPDATE folders SET title = ?, description = ?, cover_id = ?, last_update_at = ?"
        " WHERE folder_id = ?",
        (
            ctx.text("title").strip() or row["title"],
            ctx.text("description", row["description"]),
            cover_id,
            ctx.now,
            row["folder_id"],
        ),
    )
    return _answer(ctx, row["folder_id"])


@handler("folder.get")
def get(ctx: Context) -> Answer:
    """Describe a folder."""
    return _answer(ctx, folder_row(ctx)["folder_id"])


@handler("folder.getList")
def get_list(ctx: Context) -> Answer:
    """A member's folders in their order (``empty=1`` includes empty ones).

    Like the service, the answer has ``total`` and ``per_page`` but no ``pages``.
    """
    user = ctx.user_row()
    paging = ctx.paging()
    where = "f.owner_id = ?"
    if not ctx.flag("empty"):
        where += " AND EXISTS (SELECT 1 FROM folder_albums fa WHERE fa.folder_id = f.folder_id)"
    total = ctx.store.scalar(
        f"SELECT COUNT(*) FROM folders f WHERE {where}",  # noqa: S608
        (user["user_id"],),
    )
    rows = ctx.store.query(
        f"SELECT f.* FROM folders f WHERE {where} ORDER BY f.position, f.folder_id"  # noqa: S608
        " LIMIT ? OFFSET ?",
        (user["user_id"], paging.per_page, paging.offset),
    )
    return {
        "folders": {
            **paging.attributes(total, pages=False),
            "count": len(rows),
            "thumbsize": ctx.thumbsize(),
            "can": {"create": ctx.viewer == user["user_id"]},
            "folder": [folder(ctx, row, in_list=True) for row in rows],
        }
    }


@handler("folder.orderList")
def order_list(ctx: Context) -> Answer | None:
    """Set the order of the caller's folders."""
    reorder(ctx, "folders", "folder_id", ctx.id_list("folder_ids", "Folder", limit=5000))
    return None


@handler("folder.albums.add")
def add_albums(ctx: Context) -> Answer:
    """Put up to 20 of the caller's albums in one of their folders."""
    folder_id = folder_row(ctx, own=True)["folder_id"]
    items = []
    for album_id in ctx.id_list("album_id", "Album"):
        owned = ctx.owns("albums", "album_id", album_id)
        added = owned and content.add_to_folder(ctx.store, folder_id, album_id)
        items.append({"album_id": album_id, "added": added})
    return {
        "folder": {
            "folder_id": folder_id,
            "total": _album_total(ctx, folder_id),
            **shapes.tally(items, "added"),
            "album": items,
        }
    }


@handler("folder.albums.remove")
def remove_albums(ctx: Context) -> Answer:
    """Take up to 20 albums out of a folder; a folder left empty is destroyed."""
    folder_id = folder_row(ctx, own=True)["folder_id"]
    items = []
    for album_id in ctx.id_list("album_id", "Album"):
        removed = ctx.store.changed(
            "DELETE FROM folder_albums WHERE folder_id = ? AND album_id = ?", (folder_id, album_id)
        )
        items.append({"album_id": album_id, "removed": removed > 0})
    total = _album_total(ctx, folder_id)
    if total == 0:
        ctx.store.execute("DELETE FROM folders WHERE folder_id = ?", (folder_id,))
    return {
        "folder": {
            "folder_id": folder_id,
            "total": total,
            **shapes.tally(items, "removed"),
            "album": items,
        }
    }


@handler("folder.albums.getList")
def list_albums(ctx: Context) -> Answer:
    """The albums of a folder, in the folder's order, with their cover thumbnail."""
    row = folder_row(ctx)
    paging = ctx.paging()
    folder_id = row["folder_id"]
    total = _album_total(ctx, folder_id)
    albums = ctx.store.query(
        "SELECT a.* FROM folder_albums fa JOIN albums a USING (album_id)"
        " WHERE fa.folder_id = ? ORDER BY fa.position LIMIT ? OFFSET ?",
        (folder_id, paging.per_page, paging.offset),
    )
    items = []
    for album in albums:
        album_cover = ctx.store.one("SELECT * FROM docs WHERE doc_id = ?", (album["cover_id"],))
        thumb = shapes.thumb(ctx, album_cover, ctx.thumbsize()) if album_cover else None
        items.append({"album_id": album["album_id"], "title": album["title"], "thumb": thumb})
    cover_doc = _cover_doc(ctx, row)
    cover = None
    if cover_doc is not None:
        first_album = albums[0]["album_id"] if albums else None
        cover = {"album_id": first_album, **shapes.cover(ctx, cover_doc)}
    return {
        "folder": {
            "folder_id": folder_id,
            "albums": {**paging.attributes(total), "album": items},
            "cover": cover,
        }
    }
