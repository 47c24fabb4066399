"""``post.*``: members' blog posts (articles).

The catalogue documents no parameters for most of these; they take what their
siblings do: ``post_id``, ``user_id``, ``text``, paging, ``title``/``content``.
"""

from __future__ import annotations

import re
from typing import Any

from ..store import Row
from . import audience, shapes
from .registry import Answer, Context, forbidden, handler, not_found
from .visibility import allows, can_see, visible

_TAGS = re.compile(r"<[^>]*>")


def visible_post(ctx: Context, post_id: int | None = None) -> Row:
    """The post of the ``post_id`` parameter if the caller sees it (error 1)."""
    post_id = post_id if post_id is not None else ctx.record_id("post_id", "Post")
    row = can_see(ctx.store, ctx.viewer, "posts", "post_id", post_id)
    if row is None:
        raise not_found("Post")
    return row


def own_post(ctx: Context) -> Row:
    """The caller's own post of the ``post_id`` parameter: error 1 when it is
    not seen, 2 when it is someone else's."""
    row = visible_post(ctx)
    if row["owner_id"] != ctx.me():
        raise forbidden("The post does not belong to you")
    return row


def post_link(ctx: Context, post: Row) -> str:
    """The post's page on the (pretend) site."""
    return ctx.url(f"blog/{post['owner_id']}/{post['post_id']}")


def post(ctx: Context, row: Row, *, full: bool = True) -> dict[str, Any]:
    """A ``post`` element (``full``: with content, counts and permissions)."""
    post_id, viewer = row["post_id"], ctx.viewer
    answer: dict[str, Any] = {
        "post_id": post_id,
        "title": row["title"],
        "link": post_link(ctx, row),
        "owner": shapes.owner(ctx, row["owner_id"]),
        "dates": {"posted_at": row["posted_at"], "modified_at": row["modified_at"]},
        "visibility": shapes.visibility(row),
    }
    if not full:
        answer["summary"] = _TAGS.sub("", row["content"])[:200]
        return answer
    store = ctx.store
    answer |= {
        "content": row["content"],
        "count": {
            "visits": store.scalar(
                "SELECT COALESCE(SUM(visits), 0) FROM visits"
                " WHERE kind = 'post' AND target_id = ?",
                (post_id,),
            ),
            "faves": store.scalar(
                "SELECT COUNT(*) FROM faves WHERE kind = 'post' AND target_id = ?", (post_id,)
            ),
            "comments": store.scalar(
                "SELECT COUNT(*) FROM comments WHERE kind = 'post' AND target_id = ?", (post_id,)
            ),
        },
        "can": {
            "fave": viewer is not None and viewer != row["owner_id"],
            "comment": allows(store, row["owner_id"], viewer, row["perm_comment"]),
        },
        "you": shapes.doc_you(ctx, "post", post_id, viewer) if viewer is not None else None,
    }
    return answer


@handler("post.get")
def get(ctx: Context) -> Answer:
    """Describe a post; counts a visit."""
    row = visible_post(ctx)
    audience.count_visit(ctx, "post", row["post_id"], row["owner_id"])
    return {"post": post(ctx, row)}


def _posts(ctx: Context, where: list[str], params: list[Any]) -> Answer:
    condition, seen = visible(ctx.viewer, "p")
    if ctx.has("safesurf"):
        where.append("p.safety <= ?")
        params.append(min(max(ctx.integer("safesurf", 3), 1), 3))
    clause = " AND ".join([condition, *where])
    paging = ctx.paging()
    total = ctx.store.scalar(
        f"SELECT COUNT(*) FROM posts p WHERE {clause}",  # noqa: S608
        (*seen, *params),
    )
    rows = ctx.store.query(
        f"SELECT p.* FROM posts p WHERE {clause}"  # noqa: S608
        " ORDER BY p.posted_at DESC, p.post_id DESC LIMIT ? OFFSET ?",
        (*seen, *params, paging.per_page, paging.offset),
    )
    items = [post(ctx, row, full=False) for row in rows]
    return {"posts": {**paging.attributes(total), "count": len(items), "post": items}}


@handler("post.getList")
def get_list(ctx: Context) -> Answer:
    """A member's posts the caller sees, newest first."""
    return _posts(ctx, ["p.owner_id = ?"], [ctx.user_row()["user_id"]])


@handler("post.search")
def search(ctx: Context) -> Answer:
    """Posts whose title or content holds every word of ``text`` (a member's
    with ``user_id``)."""
    where: list[str] = []
    params: list[Any] = []
    if ctx.text("user_id").strip():
        where.append("p.owner_id = ?")
        params.append(ctx.user_row()["user_id"])
    for word in ctx.text("text").split():
        pattern = "%" + word.replace("%", "").replace("_", "") + "%"
        where.append("(p.title LIKE ? OR p.content LIKE ?)")
        params += [pattern, pattern]
    return _posts(ctx, where, params)


@handler("post.set")
def set_post(ctx: Context) -> Answer:
    """Change the title and content of one of the caller's posts."""
    row = own_post(ctx)
    title = ctx.text("title").strip() or row["title"]
    body = ctx.text("content", row["content"])
    ctx.store.execute(
        "UPDATE posts SET title = ?, content = ?, modified_at = ? WHERE post_id = ?",
        (title, body, ctx.now, row["post_id"]),
    )
    return {"post": post(ctx, visible_post(ctx, row["post_id"]))}


@handler("post.getContext")
def get_context(ctx: Context) -> Answer:
    """The posts before and after one in its owner's blog."""
    row = visible_post(ctx)
    condition, seen = visible(ctx.viewer, "p")
    rows = ctx.store.query(
        f"SELECT p.* FROM posts p WHERE p.owner_id = ? AND {condition}"  # noqa: S608
        " ORDER BY p.posted_at, p.post_id",
        (row["owner_id"], *seen),
    )
    position = next(i for i, r in enumerate(rows) if r["post_id"] == row["post_id"])
    before = ctx.limited("prev", (10, 50))
    after = ctx.limited("next", (10, 50))
    older = rows[max(0, position - before) : position][::-1]
    newer = rows[position + 1 : position + 1 + after]

    def item(r: Row, index: int) -> dict[str, Any]:
        return {
            "index": index,
            "post_id": r["post_id"],
            "title": r["title"],
            "link": post_link(ctx, r),
        }

    return {
        "prev": {"count": len(older), "post": [item(r, -n) for n, r in enumerate(older, 1)]},
        "post": item(row, 0),
        "next": {"count": len(newer), "post": [item(r, n) for n, r in enumerate(newer, 1)]},
    }


@handler("post.getFaves")
def get_faves(ctx: Context) -> Answer:
    """The members who faved a post."""
    return audience.faves(ctx, "post", visible_post(ctx)["post_id"])


@handler("post.getVisitors")
def get_visitors(ctx: Context) -> Answer:
    """The latest visitors of one of the caller's posts."""
    return audience.visitors(ctx, "post", own_post(ctx)["post_id"])
