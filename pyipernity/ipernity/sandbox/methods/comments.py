"""``doc.comments.*`` and ``post.comments.*``: comments and replies.

Documents and posts are commented on alike; one set of functions serves both,
told apart by a :class:`Commented` description. Who may comment follows the
target's ``perm_comment``; a comment is edited by its author only, deleted by
its author or the target's owner. Posting the same text twice on a target
answers the first comment instead of adding a duplicate, as the service does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from .. import content
from ..store import Row
from .listing import visible_doc
from .posts import post_link, visible_post
from .registry import Answer, Context, forbidden, handler, not_found
from .shapes import doc_link
from .visibility import allows

#: How long after posting an edit leaves no ``modified_at`` mark.
EDIT_GRACE_SECONDS = 300


@dataclass(frozen=True)
class Commented:
    """What comments are attached to: documents or posts."""

    kind: str
    key: str
    find: Callable[[Context, int | None], Row]
    link: Callable[[Context, Row], str]


DOCS = Commented("doc", "doc_id", visible_doc, doc_link)
POSTS = Commented("post", "post_id", visible_post, post_link)


def _comment_row(ctx: Context, target: Commented) -> tuple[Row, Row]:
    """The comment of the ``comment_id`` parameter and the document or post it
    is on, if the caller sees that."""
    comment_id = ctx.record_id("comment_id", "Comment")
    comment = ctx.store.one(
        "SELECT c.*, u.username FROM comments c JOIN users u USING (user_id)"
        " WHERE c.comment_id = ? AND c.kind = ?",
        (comment_id, target.kind),
    )
    if comment is None:
        raise not_found("Comment")
    return comment, target.find(ctx, comment["target_id"])


def _item(ctx: Context, target: Commented, comment: Row, on: Row) -> dict[str, Any]:
    link = (
        target.link(ctx, on) + f"/comment/{comment['comment_id']}#comment{comment['comment_id']}"
    )
    return {
        "comment_id": comment["comment_id"],
        "parent_id": comment["parent_id"],
        "user_id": comment["user_id"],
        "username": comment["username"],
        "posted_at": comment["posted_at"],
        "modified_at": comment["modified_at"] or None,
        "link": link,
        "content": comment["content"],
    }


def _answer(ctx: Context, target: Commented, comment_id: int, on: Row) -> Answer:
    comment = ctx.store.one(
        "SELECT c.*, u.username FROM comments c JOIN users u USING (user_id)"
        " WHERE c.comment_id = ?",
        (comment_id,),
    )
    if comment is None:
        raise not_found("Comment")
    return {"comment": _item(ctx, target, comment, on)}


def _may_comment(ctx: Context, on: Row) -> None:
    if not allows(ctx.store, on["owner_id"], ctx.viewer, on["perm_comment"]):
        raise forbidden("You may not comment here")


def _post_comment(ctx: Context, target: Commented, on: Row, parent_id: int | None) -> Answer:
    text = ctx.require("content")
    me = ctx.me()
    if ctx.flag("preview"):
        preview = {"comment_id": 0, "parent_id": parent_id, "user_id": me, "posted_at": ctx.now}
        return {"comment": {**preview, "content": text}}
    twin = ctx.store.one(
        "SELECT comment_id FROM comments WHERE kind = ? AND target_id = ? AND user_id = ?"
        " AND content = ?",
        (target.kind, on[target.key], me, text),
    )
    if twin is not None:
        return _answer(ctx, target, twin["comment_id"], on)
    comment_id = content.add_comment(ctx.store, target.kind, on[target.key], me, text, parent_id)
    return _answer(ctx, target, comment_id, on)


def add(target: Commented, ctx: Context) -> Answer:
    """Comment on a document or post."""
    on = target.find(ctx, None)
    _may_comment(ctx, on)
    return _post_comment(ctx, target, on, None)


def reply(target: Commented, ctx: Context) -> Answer:
    """Reply to a comment."""
    parent, on = _comment_row(ctx, target)
    _may_comment(ctx, on)
    return _post_comment(ctx, target, on, parent["comment_id"])


def edit(target: Commented, ctx: Context) -> Answer:
    """Change the text of one's own comment."""
    comment, on = _comment_row(ctx, target)
    if comment["user_id"] != ctx.me():
        raise forbidden("Only its author may edit a comment")
    text = ctx.require("content")
    answer = _answer(ctx, target, comment["comment_id"], on)
    if ctx.flag("preview"):
        answer["comment"]["content"] = text
        return answer
    modified = ctx.now if ctx.now - comment["posted_at"] > EDIT_GRACE_SECONDS else 0
    ctx.store.execute(
        "UPDATE comments SET content = ?, modified_at = ? WHERE comment_id = ?",
        (text, modified, comment["comment_id"]),
    )
    return _answer(ctx, target, comment["comment_id"], on)


def delete(target: Commented, ctx: Context) -> Answer | None:
    """Delete a comment (its author or the target's owner); replies go with it."""
    comment, on = _comment_row(ctx, target)
    if ctx.me() not in (comment["user_id"], on["owner_id"]):
        raise forbidden("You may not delete this comment")
    ctx.store.execute("DELETE FROM comments WHERE comment_id = ?", (comment["comment_id"],))
    return None


def get(target: Commented, ctx: Context) -> Answer:
    """One comment, with the comment it replies to."""
    comment, on = _comment_row(ctx, target)
    viewer = ctx.viewer
    item = _item(ctx, target, comment, on)
    item |= {
        "canreply": allows(ctx.store, on["owner_id"], viewer, on["perm_comment"]),
        "canedit": viewer == comment["user_id"],
        "candelete": viewer in (comment["user_id"], on["owner_id"]),
    }
    if comment["parent_id"] is not None:
        parent = ctx.store.one(
            "SELECT c.comment_id, c.user_id, u.username, c.content FROM comments c"
            " JOIN users u USING (user_id) WHERE c.comment_id = ?",
            (comment["parent_id"],),
        )
        item["parent"] = dict(parent) if parent else None
    if "owner" in ctx.extras():
        item["owner"] = {"user_id": on["owner_id"]}
    return {"comment": item}


def get_list(target: Commented, ctx: Context) -> Answer:
    """The comments on a document or post, oldest first."""
    on = target.find(ctx, None)
    paging = ctx.paging()
    total = ctx.store.scalar(
        "SELECT COUNT(*) FROM comments WHERE kind = ? AND target_id = ?",
        (target.kind, on[target.key]),
    )
    rows = ctx.store.query(
        "SELECT c.*, u.username FROM comments c JOIN users u USING (user_id)"
        " WHERE c.kind = ? AND c.target_id = ? ORDER BY c.posted_at, c.comment_id"
        " LIMIT ? OFFSET ?",
        (target.kind, on[target.key], paging.per_page, paging.offset),
    )
    items = [_item(ctx, target, row, on) for row in rows]
    return {
        "comments": {
            target.key: on[target.key],
            **paging.attributes(total),
            "count": len(items),
            "comment": items,
        }
    }


def _register(prefix: str, target: Commented) -> None:
    actions: dict[str, Callable[[Commented, Context], Answer | None]] = {
        "add": add,
        "reply": reply,
        "edit": edit,
        "delete": delete,
        "get": get,
        "getList": get_list,
    }
    for action, function in actions.items():
        handler(f"{prefix}.comments.{action}")(partial(function, target))


_register("doc", DOCS)
_register("post", POSTS)
