"""``faves.*``: members' favourite documents and albums.

As on the service, a member may fave their own documents and albums, and
their fave list shows, by default, only what others own; ``owner_id`` narrows
it to one owner (the member themselves included).
"""

from __future__ import annotations

from typing import Any

from .. import content
from ..store import Row
from . import shapes
from .albums import album, album_row
from .listing import apply_filters, seen_by, visible_doc
from .registry import Answer, Context, MethodError, handler, not_found
from .visibility import relation


def _add(ctx: Context, kind: str, target_id: int) -> None:
    if not content.add_fave(ctx.store, kind, target_id, ctx.me()):
        raise MethodError(3, "Already in your faves")


def _remove(ctx: Context, kind: str, target_id: int) -> None:
    removed = ctx.store.changed(
        "DELETE FROM faves WHERE kind = ? AND target_id = ? AND user_id = ?",
        (kind, target_id, ctx.me()),
    )
    if not removed:
        raise not_found("Fave")


@handler("faves.docs.add")
def add_doc(ctx: Context) -> Answer | None:
    """Add a document the caller sees to their faves."""
    _add(ctx, "doc", visible_doc(ctx)["doc_id"])
    return None


@handler("faves.docs.remove")
def remove_doc(ctx: Context) -> Answer | None:
    """Take a document out of the caller's faves."""
    _remove(ctx, "doc", ctx.record_id("doc_id", "Document"))
    return None


def _owner_filter(ctx: Context, user: Row, column: str) -> tuple[str, list[Any]]:
    if ctx.text("owner_id").strip():
        owner = ctx.user_row("owner_id")
        return f"{column} = ?", [owner["user_id"]]
    return f"{column} != ?", [user["user_id"]]


@handler("faves.docs.getList")
def list_docs(ctx: Context) -> Answer:
    """A member's favourite documents the caller sees, latest faved first."""
    user = ctx.user_row()
    condition, params = _owner_filter(ctx, user, "d.owner_id")
    query = seen_by(ctx.viewer).join(
        "JOIN faves f ON f.kind = 'doc' AND f.target_id = d.doc_id AND f.user_id = ?",
        user["user_id"],
    )
    query.add(condition, *params)
    apply_filters(ctx, query).sort("f.faved_at DESC, d.doc_id DESC")
    paging = ctx.paging()
    total, rows = query.page(ctx, paging)
    extras = ctx.extras()
    items = []
    for row in rows:
        item = shapes.doc_item(ctx, row, extras)
        rel = relation(ctx.store, user["user_id"], row["owner_id"])
        item |= {
            "isfamily": bool(rel and rel["is_family"]),
            "isfriend": bool(rel and rel["is_friend"]),
            "iscontact": rel is not None,
        }
        items.append(item)
    return {"docs": {**paging.attributes(total), "count": len(items), "doc": items}}


@handler("faves.albums.add")
def add_album(ctx: Context) -> Answer | None:
    """Add an album to the caller's faves."""
    _add(ctx, "album", album_row(ctx)["album_id"])
    return None


@handler("faves.albums.remove")
def remove_album(ctx: Context) -> Answer | None:
    """Take an album out of the caller's faves."""
    _remove(ctx, "album", ctx.record_id("album_id", "Album"))
    return None


@handler("faves.albums.getList")
def list_albums(ctx: Context) -> Answer:
    """A member's favourite albums, latest faved first (no ``pages``, like
    ``album.getList``)."""
    user = ctx.user_row()
    condition, params = _owner_filter(ctx, user, "a.owner_id")
    paging = ctx.paging()
    where = f"f.kind = 'album' AND f.user_id = ? AND {condition}"
    joined = "FROM albums a JOIN faves f ON f.target_id = a.album_id"
    total = ctx.store.scalar(
        f"SELECT COUNT(*) {joined} WHERE {where}",
        (user["user_id"], *params),
    )
    rows = ctx.store.query(
        f"SELECT a.* {joined} WHERE {where} ORDER BY f.faved_at DESC, a.album_id LIMIT ? OFFSET ?",
        (user["user_id"], *params, paging.per_page, paging.offset),
    )
    items = []
    for row in rows:
        item = album(ctx, row, in_list=True)
        item["user_id"] = row["owner_id"]
        if "owner" in ctx.extras():
            item["owner"] = shapes.owner(ctx, row["owner_id"])
        items.append(item)
    return {
        "albums": {**paging.attributes(total, pages=False), "count": len(items), "album": items}
    }
