"""``album.*``: albums, the documents in them, their order and permissions.

An album holds its owner's documents; everyone may look at an album, and sees
in it the documents they may see. Removing an album's last document destroys
the album, as on the service.
"""

from __future__ import annotations

from typing import Any

from .. import content
from ..store import Row
from . import audience, shapes
from .listing import DocQuery, apply_filters, doc_list, seen_by, visible_doc
from .registry import Answer, Context, MethodError, handler, not_found
from .visibility import allows, share_level, visible

#: The ``perm_comment`` levels an album accepts.
COMMENT_LEVELS = range(6)


def album_row(ctx: Context, *, own: bool = False) -> Row:
    """The album of the ``album_id`` parameter (error 1), the caller's own if
    ``own`` (error 2 for someone else's)."""
    return ctx.record("albums", "album_id", "Album", own=own)


def album_link(ctx: Context, album: Row) -> str:
    """The album's page on the (pretend) site."""
    return ctx.url(f"doc/{album['owner_id']}/album/{album['album_id']}")


def doc_total(ctx: Context, album_id: int) -> int:
    """How many documents an album holds."""
    total: int = ctx.store.scalar(
        "SELECT COUNT(*) FROM album_docs WHERE album_id = ?", (album_id,)
    )
    return total


def _audience_counts(ctx: Context, album_id: int) -> dict[str, Any]:
    """How many of the album's documents each audience sees."""
    condition, params = visible(ctx.viewer, "d")
    row = ctx.store.one(
        f"SELECT SUM({condition}) AS docs, SUM(d.is_public) AS public,"  # noqa: S608
        " SUM(d.is_public OR d.is_family) AS family, SUM(d.is_public OR d.is_friend) AS friend,"
        " SUM(d.is_public OR d.is_family OR d.is_friend) AS ff"
        " FROM album_docs ad JOIN docs d USING (doc_id) WHERE ad.album_id = ?",
        (*params, album_id),
    )
    return {
        key: (row[key] if row else 0) or 0 for key in ("docs", "family", "friend", "ff", "public")
    }


def cover(ctx: Context, doc_id: int | None) -> dict[str, Any] | None:
    """An album's ``cover`` element, naming its document both ``doc_id`` and
    ``cover_id``: the samples spell it either way (``album.edit``'s says
    ``cover_id``, PROTOCOL.md's observed one ``doc_id``)."""
    doc = ctx.store.one("SELECT * FROM docs WHERE doc_id = ?", (doc_id,))
    if doc is None:
        return None
    return {**shapes.cover(ctx, doc), "cover_id": doc_id}


def album(ctx: Context, row: Row, *, in_list: bool = False) -> dict[str, Any]:
    """The ``album`` element of ``album.get``/``create``/``edit`` (and, with
    ``in_list``, of ``album.getList``).

    How many of its documents each audience sees is told twice, as the
    samples do: in ``visibility`` and in ``count``.
    """
    album_id, viewer = row["album_id"], ctx.viewer
    store = ctx.store
    audience = _audience_counts(ctx, album_id)
    answer: dict[str, Any] = {
        "album_id": album_id,
        "link": album_link(ctx, row),
        "title": row["title"],
        "description": None if in_list else row["description"],
        "visibility": {key: audience[key] for key in ("family", "friend", "ff", "public")},
    }
    if in_list:
        answer["dates"] = {
            "created_at": row["created_at"],
            "last_comment_at": row["comment_at"],
            "last_update_at": row["last_update_at"],
        }
    else:
        answer["dates"] = {"created_at": row["created_at"], "comment_at": row["comment_at"]}
    answer["count"] = {
        **audience,
        "visits": store.scalar(
            "SELECT COALESCE(SUM(visits), 0) FROM visits WHERE kind = 'album' AND target_id = ?",
            (album_id,),
        ),
        "faves": store.scalar(
            "SELECT COUNT(*) FROM faves WHERE kind = 'album' AND target_id = ?", (album_id,)
        ),
        "comments": store.scalar(
            "SELECT COUNT(*) FROM comments WHERE kind = 'album' AND target_id = ?", (album_id,)
        ),
    }
    answer["cover"] = cover(ctx, row["cover_id"])
    is_owner = viewer == row["owner_id"]
    answer["can"] = {
        # Owners may fave their own albums, as on the service.
        "fave": viewer is not None,
        "comment": allows(store, row["owner_id"], viewer, row["perm_comment"]),
        "add_doc": is_owner,
    }
    if is_owner:
        answer["permissions"] = {"comment": row["perm_comment"]}
    if viewer is not None and not in_list:
        you = shapes.doc_you(ctx, "album", album_id, viewer)
        answer["you"] = {
            "isfave": you["isfave"],
            "visits": you["visits"],
            "last_visit_at": you["last_visit"],
        }
    return answer


def _answer(ctx: Context, album_id: int) -> Answer:
    row = ctx.store.one("SELECT * FROM albums WHERE album_id = ?", (album_id,))
    if row is None:
        raise not_found("Album")
    return {"album": album(ctx, row)}


def chosen_cover(ctx: Context) -> int | None:
    """The ``cover_id`` parameter of an album or folder, if given: one of the
    caller's documents (error 3 otherwise)."""
    if not ctx.text("cover_id").strip():
        return None
    cover_id = ctx.record_id("cover_id", "Cover document")
    if not ctx.owns("docs", "doc_id", cover_id):
        raise MethodError(3, "The cover must be one of your documents")
    return cover_id


@handler("album.create")
def create(ctx: Context) -> Answer:
    """Create an album (its cover, when given, goes in it)."""
    title = ctx.require("title")
    cover_id = chosen_cover(ctx)
    album_id = content.create_album(ctx.store, ctx.me(), title, ctx.text("description"))
    level = ctx.integer("perm_comment", 3)
    if level in COMMENT_LEVELS:
        ctx.store.execute(
            "UPDATE albums SET perm_comment = ? WHERE album_id = ?", (level, album_id)
        )
    if cover_id is not None:
        content.add_to_album(ctx.store, album_id, cover_id)
    return _answer(ctx, album_id)


@handler("album.delete")
def delete(ctx: Context) -> Answer | None:
    """Delete one of the caller's albums (its documents stay)."""
    album_id = album_row(ctx, own=True)["album_id"]
    _destroy(ctx, album_id)
    return None


def _destroy(ctx: Context, album_id: int) -> None:
    store = ctx.store
    for table in ("comments", "faves", "visits"):
        store.execute(
            f"DELETE FROM {table} WHERE kind = 'album' AND target_id = ?",  # noqa: S608
            (album_id,),
        )
    store.execute("DELETE FROM albums WHERE album_id = ?", (album_id,))


@handler("album.docs.add")
def add_docs(ctx: Context) -> Answer:
    """Add up to 20 of the caller's documents to one of their albums."""
    album_id = album_row(ctx, own=True)["album_id"]
    items = []
    for doc_id in ctx.id_list("doc_id", "Document"):
        if not ctx.owns("docs", "doc_id", doc_id):
            items.append({"doc_id": doc_id, "added": False, "error": 1})
            continue
        added = content.add_to_album(ctx.store, album_id, doc_id)
        items.append({"doc_id": doc_id, "added": added, "error": 0})
    return {
        "album": {
            "album_id": album_id,
            "total": doc_total(ctx, album_id),
            **shapes.tally(items, "added"),
            "doc": items,
        }
    }


@handler("album.docs.remove")
def remove_docs(ctx: Context) -> Answer:
    """Take up to 20 documents out of an album; an album left empty is destroyed."""
    album_id = album_row(ctx, own=True)["album_id"]
    items = []
    for doc_id in ctx.id_list("doc_id", "Document"):
        removed = ctx.store.changed(
            "DELETE FROM album_docs WHERE album_id = ? AND doc_id = ?", (album_id, doc_id)
        )
        items.append({"doc_id": doc_id, "removed": removed > 0})
    _repair_cover(ctx, album_id)
    total = doc_total(ctx, album_id)
    if total == 0:
        _destroy(ctx, album_id)
    return {
        "album": {
            "album_id": album_id,
            "total": total,
            **shapes.tally(items, "removed"),
            "doc": items,
        }
    }


def _repair_cover(ctx: Context, album_id: int) -> None:
    """Give an album whose cover left it its first document as cover."""
    ctx.store.execute(
        "UPDATE albums SET cover_id = (SELECT doc_id FROM album_docs WHERE album_id = ?"
        " ORDER BY position LIMIT 1) WHERE album_id = ? AND (cover_id IS NULL OR cover_id NOT IN"
        " (SELECT doc_id FROM album_docs WHERE album_id = ?))",
        (album_id, album_id, album_id),
    )


@handler("album.docs.setList")
def set_docs(ctx: Context) -> Answer:
    """Replace an album's documents (in the order given) and its cover.

    The per-document results are under ``doc``, the sample's name, and under
    ``docs``, where clients tested against the live service read them.
    """
    album_id = album_row(ctx, own=True)["album_id"]
    doc_ids = ctx.id_list("doc_ids", "Document", limit=5000)
    cover_id = ctx.record_id("cover_id", "Cover document")
    if cover_id not in doc_ids or not ctx.owns("docs", "doc_id", cover_id):
        raise MethodError(3, "The cover must be one of your documents in doc_ids")
    before = {
        row["doc_id"]
        for row in ctx.store.query("SELECT doc_id FROM album_docs WHERE album_id = ?", (album_id,))
    }
    ctx.store.execute("DELETE FROM album_docs WHERE album_id = ?", (album_id,))
    items = []
    for doc_id in doc_ids:
        if not ctx.owns("docs", "doc_id", doc_id):
            items.append({"doc_id": doc_id, "added": False, "error": 1})
            continue
        content.add_to_album(ctx.store, album_id, doc_id)
        items.append({"doc_id": doc_id, "added": doc_id not in before, "error": 0})
    ctx.store.execute("UPDATE albums SET cover_id = ? WHERE album_id = ?", (cover_id, album_id))
    return {
        "album": {
            "album_id": album_id,
            "cover_id": cover_id,
            "total": doc_total(ctx, album_id),
            **shapes.tally(items, "added"),
            "doc": items,
            "docs": items,
        }
    }


def _album_docs(ctx: Context, album_id: int) -> DocQuery:
    query = seen_by(ctx.viewer).join(
        "JOIN album_docs ad ON ad.doc_id = d.doc_id AND ad.album_id = ?", album_id
    )
    return query.sort("ad.position ASC")


@handler("album.docs.getList")
def list_docs(ctx: Context) -> Answer:
    """The documents of an album the caller sees, in the album's order."""
    row = album_row(ctx)
    query = apply_filters(ctx, _album_docs(ctx, row["album_id"]), share=True)
    return {
        "album": {
            "album_id": row["album_id"],
            "docs": doc_list(ctx, query),
            "cover": cover(ctx, row["cover_id"]),
        }
    }


@handler("album.docs.getContext")
def doc_context(ctx: Context) -> Answer:
    """The documents before and after one in an album."""
    row = album_row(ctx)
    doc = visible_doc(ctx)
    rows = apply_filters(ctx, _album_docs(ctx, row["album_id"])).rows(ctx)
    position = next((i for i, r in enumerate(rows) if r["doc_id"] == doc["doc_id"]), None)
    if position is None:
        raise not_found("Document (in this album)")
    suffix = f"/in/album/{row['album_id']}"
    return {
        "album": {"album_id": row["album_id"], "total": len(rows), "thumbsize": ctx.thumbsize()},
        **shapes.context(ctx, rows, position, suffix),
    }


@handler("album.edit")
def edit(ctx: Context) -> Answer:
    """Change an album's title, description or cover."""
    row = album_row(ctx, own=True)
    cover_id = chosen_cover(ctx)
    title = ctx.text("title").strip() or row["title"]
    description = ctx.text("description", row["description"])
    ctx.store.execute(
        "UPDATE albums SET title = ?, description = ?, cover_id = ?, last_update_at = ?"
        " WHERE album_id = ?",
        (title, description, cover_id or row["cover_id"], ctx.now, row["album_id"]),
    )
    if cover_id is not None:
        content.add_to_album(ctx.store, row["album_id"], cover_id)
    answer = _answer(ctx, row["album_id"])
    answer["album"]["visibility"] = _as_flags(answer["album"]["visibility"])
    return answer


def _as_flags(seen: dict[str, int]) -> dict[str, Any]:
    """``album.edit``'s form of an album's visibility: whether each audience
    sees something, and the share level that makes."""
    flags = {
        "is_public": seen["public"] > 0,
        "is_family": seen["family"] > 0,
        "is_friend": seen["friend"] > 0,
    }
    return {
        "ispublic": flags["is_public"],
        "isfamily": flags["is_family"],
        "isfriends": flags["is_friend"],
        "share": share_level(flags),
    }


@handler("album.get")
def get(ctx: Context) -> Answer:
    """Describe an album; counts a visit."""
    row = album_row(ctx)
    audience.count_visit(ctx, "album", row["album_id"], row["owner_id"])
    answer = _answer(ctx, row["album_id"])
    answer["album"]["thumbsize"] = ctx.thumbsize()
    return answer


@handler("album.getFaves")
def get_faves(ctx: Context) -> Answer:
    """The members who faved an album."""
    return audience.faves(ctx, "album", album_row(ctx)["album_id"])


@handler("album.getVisitors")
def get_visitors(ctx: Context) -> Answer:
    """The latest visitors of one of the caller's albums."""
    return audience.visitors(ctx, "album", album_row(ctx, own=True)["album_id"])


@handler("album.getList")
def get_list(ctx: Context) -> Answer:
    """A member's albums in their order (``empty=1`` includes empty ones).

    The live service's answers carry ``pages`` and each album's ``owner``,
    which the catalogue's sample leaves out; clients rely on both.
    """
    user = ctx.user_row()
    owner = shapes.owner(ctx, user["user_id"])
    paging = ctx.paging()
    empty = (
        ""
        if ctx.flag("empty")
        else " AND EXISTS (SELECT 1 FROM album_docs ad WHERE ad.album_id = a.album_id)"
    )
    where = f"a.owner_id = ?{empty}"
    total = ctx.store.scalar(f"SELECT COUNT(*) FROM albums a WHERE {where}", (user["user_id"],))  # noqa: S608
    rows = ctx.store.query(
        f"SELECT a.* FROM albums a WHERE {where} ORDER BY a.position, a.album_id"  # noqa: S608
        " LIMIT ? OFFSET ?",
        (user["user_id"], paging.per_page, paging.offset),
    )
    return {
        "albums": {
            **paging.attributes(total),
            "count": len(rows),
            "thumbsize": ctx.thumbsize(),
            "can": {"create": ctx.viewer == user["user_id"]},
            "album": [{**album(ctx, row, in_list=True), "owner": owner} for row in rows],
        }
    }


def reorder(ctx: Context, table: str, key: str, ids: list[int]) -> None:
    """Put the caller's albums or folders listed first, in that order; the
    others follow by id."""
    owned = [
        row[key]
        for row in ctx.store.query(
            f"SELECT {key} FROM {table} WHERE owner_id = ? ORDER BY {key}",  # noqa: S608
            (ctx.me(),),
        )
    ]
    listed = [i for i in ids if i in owned]
    ordered = listed + [i for i in owned if i not in listed]
    for position, record_id in enumerate(ordered, 1):
        ctx.store.execute(
            f"UPDATE {table} SET position = ? WHERE {key} = ?",  # noqa: S608
            (position, record_id),
        )


@handler("album.orderList")
def order_list(ctx: Context) -> Answer | None:
    """Set the order of the caller's albums."""
    reorder(ctx, "albums", "album_id", ctx.id_list("album_ids", "Album", limit=5000))
    return None


@handler("album.setPerms")
def set_perms(ctx: Context) -> Answer | None:
    """Set who may comment on an album (0 you, 3 friends & family, 4 contacts, 5 all)."""
    row = album_row(ctx, own=True)
    level = ctx.integer("perm_comment", -1)
    if level not in COMMENT_LEVELS:
        raise MethodError(3, "Invalid perm_comment value")
    ctx.store.execute(
        "UPDATE albums SET perm_comment = ? WHERE album_id = ?", (level, row["album_id"])
    )
    return None
