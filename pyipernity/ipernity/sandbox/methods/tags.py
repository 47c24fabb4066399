"""``doc.tags.*`` and ``tags.*``: keyword and member tags.

A keyword tag is shared by every document carrying that word (compared
case-insensitively); a member tag names a member. Who may tag follows the
document's ``perm_tag``; member tags name the tagger or members they count as
contacts.
"""

from __future__ import annotations

from typing import Any

from .. import content
from ..store import Row
from . import shapes
from .listing import apply_filters, doc_list, own_doc, seen_by, visible_doc
from .registry import Answer, Context, MethodError, find_user, forbidden, handler, not_found
from .visibility import allows, relation, visible

_TAG_SORTS = {
    "posted-desc": "d.posted_at DESC, d.doc_id DESC",
    "posted-asc": "d.posted_at ASC, d.doc_id ASC",
    "popular": "(SELECT COUNT(*) FROM faves f WHERE f.kind = 'doc' AND f.target_id = d.doc_id)"
    " DESC, d.posted_at DESC, d.doc_id DESC",
}


def _members(ctx: Context, text: str) -> list[int | None]:
    """The members named by ids or aliases; ``None`` for those not allowed."""
    me = ctx.me()
    named: list[int | None] = []
    for ref in (part.strip() for part in text.split(",")):
        if not ref:
            continue
        user = find_user(ctx.store, ref)
        if user is None or (
            user["user_id"] != me and relation(ctx.store, me, user["user_id"]) is None
        ):
            named.append(None)
        else:
            named.append(user["user_id"])
    return named


def _tag(ctx: Context, doc: Row, keywords: str, members: str) -> dict[str, Any]:
    """Put keyword and member tags on a document; the ``tags`` answer."""
    store, me = ctx.store, ctx.me()
    added: list[dict[str, Any]] = []
    dropped = 0
    tag_ids = [content.keyword_tag(store, word) for word in content.parse_keywords(keywords)]
    for member_id in _members(ctx, members):
        if member_id is None:
            dropped += 1
        else:
            tag_ids.append(content.member_tag(store, member_id))
    for tag_id in tag_ids:
        if not content.tag_doc(store, doc["doc_id"], tag_id, me):
            dropped += 1
            continue
        row = store.one(
            "SELECT t.*, dt.user_id, dt.added_at FROM doc_tags dt JOIN tags t USING (tag_id)"
            " WHERE dt.doc_id = ? AND dt.tag_id = ?",
            (doc["doc_id"], tag_id),
        )
        if row is not None:
            added.append(shapes.tag_item(row))
    return {"tags": {"added": len(added), "dropped": dropped, "tag": added}}


def _tagged_params(ctx: Context) -> tuple[str, str]:
    keywords, members = ctx.text("keywords"), ctx.text("members")
    if not ctx.has("keywords") and not ctx.has("members"):
        raise MethodError(1, "Give keywords or members")
    return keywords, members


@handler("doc.tags.add")
def add(ctx: Context) -> Answer:
    """Tag a document with keywords (``beach,"blue sky"``) and/or members."""
    doc = visible_doc(ctx)
    if not allows(ctx.store, doc["owner_id"], ctx.viewer, doc["perm_tag"]):
        raise forbidden("You may not tag this document")
    keywords, members = _tagged_params(ctx)
    return _tag(ctx, doc, keywords, members)


@handler("doc.tags.edit")
def edit(ctx: Context) -> Answer:
    """Replace the keyword tags and/or the member tags of one's own document."""
    doc = own_doc(ctx)
    keywords, members = _tagged_params(ctx)
    for kind, given in (("keyword", ctx.has("keywords")), ("member", ctx.has("members"))):
        if given:
            ctx.store.execute(
                "DELETE FROM doc_tags WHERE doc_id = ? AND tag_id IN"
                " (SELECT tag_id FROM tags WHERE type = ?)",
                (doc["doc_id"], kind),
            )
    return _tag(ctx, doc, keywords, members)


@handler("doc.tags.getList")
def get_list(ctx: Context) -> Answer:
    """The tags on a document."""
    rows = shapes.tag_rows(ctx, visible_doc(ctx)["doc_id"])
    tags = [shapes.tag_item(row, added_at=True) for row in rows]
    return {"tags": {"total": len(tags), "tag": tags}}


@handler("doc.tags.remove")
def remove(ctx: Context) -> Answer | None:
    """Remove a tag from a document: its owner may, and so may who added it."""
    doc = visible_doc(ctx)
    kind = ctx.require("type")
    tag_id = ctx.record_id("id", "Tag")
    row = ctx.store.one(
        "SELECT dt.user_id FROM doc_tags dt JOIN tags t USING (tag_id)"
        " WHERE dt.doc_id = ? AND dt.tag_id = ? AND t.type = ?",
        (doc["doc_id"], tag_id, kind),
    )
    if row is None:
        raise not_found("Tag")
    if ctx.me() not in (doc["owner_id"], row["user_id"]):
        raise forbidden("You may not remove this tag")
    ctx.store.execute(
        "DELETE FROM doc_tags WHERE doc_id = ? AND tag_id = ?", (doc["doc_id"], tag_id)
    )
    return None


def _tag_type(ctx: Context) -> str:
    kind = ctx.text("type", "keyword").strip().rstrip("s")
    if kind not in ("keyword", "member"):
        raise MethodError(3, "type is keyword or member")
    return kind


@handler("tags.docs.getList")
def tagged_docs(ctx: Context) -> Answer:
    """The documents the caller sees carrying a tag."""
    kind = _tag_type(ctx)
    tag_id = ctx.record_id("id", "Tag")
    if ctx.store.one("SELECT 1 FROM tags WHERE tag_id = ? AND type = ?", (tag_id, kind)) is None:
        raise not_found("Tag")
    query = seen_by(ctx.viewer).add(
        "d.doc_id IN (SELECT doc_id FROM doc_tags WHERE tag_id = ?)", tag_id
    )
    if ctx.text("user_id").strip():
        query.add("d.owner_id = ?", ctx.user_row()["user_id"])
    apply_filters(ctx, query).sort(_TAG_SORTS.get(ctx.text("sort"), _TAG_SORTS["popular"]))
    return {"docs": doc_list(ctx, query, with_owner=True)}


def _user_tags(ctx: Context, order: str) -> tuple[Row, str, list[Row]]:
    user = ctx.user_row()
    kind = _tag_type(ctx)
    count = ctx.limited("count", ctx.method.count_limits)
    condition, params = visible(ctx.viewer, "d")
    rows = ctx.store.query(
        "SELECT t.tag_id, t.title, COUNT(DISTINCT d.doc_id) AS docs,"  # noqa: S608
        " (SELECT COUNT(*) FROM post_tags pt JOIN posts p USING (post_id)"
        "  WHERE pt.tag_id = t.tag_id AND p.owner_id = ?) AS posts"
        " FROM tags t JOIN doc_tags dt USING (tag_id) JOIN docs d USING (doc_id)"
        f" WHERE d.owner_id = ? AND t.type = ? AND {condition}"
        f" GROUP BY t.tag_id ORDER BY {order} LIMIT ?",
        (user["user_id"], user["user_id"], kind, *params, count),
    )
    return user, kind, rows


@handler("tags.user.getList")
def user_tags(ctx: Context) -> Answer:
    """The tags on a member's documents, alphabetically."""
    user, kind, rows = _user_tags(ctx, "t.title COLLATE NOCASE")
    items = [{"type": kind, "id": row["tag_id"], "tag": row["title"]} for row in rows]
    return {"tags": {"count": len(items), "type": kind, "user_id": user["user_id"], "tag": items}}


@handler("tags.user.getPopular")
def popular_tags(ctx: Context) -> Answer:
    """A member's most used tags."""
    user, kind, rows = _user_tags(ctx, "docs DESC, t.title COLLATE NOCASE")
    items = [
        {"id": row["tag_id"], "tag": row["title"], "docs": row["docs"], "posts": row["posts"]}
        for row in rows
    ]
    return {"tags": {"count": len(items), "type": kind, "user_id": user["user_id"], "tag": items}}
