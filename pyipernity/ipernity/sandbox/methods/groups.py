"""``group.*``: groups, their members' shared documents and moderation.

Groups are made with :meth:`Sandbox.add_group` (the API cannot create them).
Members add their own documents; in a moderated group those wait as pending
until approved, except when an admin or moderator adds them.
"""

from __future__ import annotations

from typing import Any

from .. import content
from ..store import Row
from . import shapes
from .listing import DocQuery, apply_filters, doc_list, seen_by, visible_doc
from .registry import Answer, Context, MethodError, handler, not_found, parse_int

_SORTS = {
    "created-desc": "g.created_at DESC, g.group_id DESC",
    "created-asc": "g.created_at, g.group_id",
}


def group_row(ctx: Context) -> Row:
    """The group of the ``group_id`` parameter (an id or an alias), or error 1."""
    ref = ctx.require("group_id")
    row = ctx.store.one(
        "SELECT * FROM groups WHERE group_id = ? OR alias = ?", (parse_int(ref), ref)
    )
    if row is None:
        raise not_found("Group")
    return row


def group_link(ctx: Context, group: Row) -> str:
    """The group's page on the (pretend) site."""
    return ctx.url(f"group/{group['alias']}")


def group_icon(ctx: Context, group_id: int) -> str:
    """The URL of a group's icon, which the sandbox serves."""
    return ctx.url(f"icons/group/{group_id}.jpg")


def doc_total(ctx: Context, group_id: int) -> int:
    """How many (approved) documents a group holds."""
    total: int = ctx.store.scalar(
        "SELECT COUNT(*) FROM group_docs WHERE group_id = ? AND pending = 0", (group_id,)
    )
    return total


def membership(ctx: Context, group_id: int, user_id: int | None) -> Row | None:
    """A member's place in a group, if they belong to it."""
    return ctx.store.one(
        "SELECT * FROM group_members WHERE group_id = ? AND user_id = ?", (group_id, user_id)
    )


def _you(ctx: Context, group: Row, viewer: int) -> dict[str, Any]:
    member = membership(ctx, group["group_id"], viewer)
    visited = ctx.store.scalar(
        "SELECT visited_at FROM visits WHERE kind = 'group' AND target_id = ? AND user_id = ?",
        (group["group_id"], viewer),
    )
    return {
        "isadmin": bool(member and member["role"] == "admin"),
        "ismoderator": bool(member and member["role"] == "moderator"),
        "ismember": member is not None,
        "docs": ctx.store.scalar(
            "SELECT COUNT(*) FROM group_docs gd JOIN docs d USING (doc_id)"
            " WHERE gd.group_id = ? AND d.owner_id = ? AND gd.pending = 0",
            (group["group_id"], viewer),
        ),
        "joined_at": member["joined_at"] if member else 0,
        "visited_at": visited or 0,
    }


def group(ctx: Context, row: Row, *, full: bool = False) -> dict[str, Any]:
    """A ``group`` element: the list form, or with ``full`` the ``group.get`` one."""
    group_id, viewer = row["group_id"], ctx.viewer
    store = ctx.store
    last_doc = store.scalar(
        "SELECT MAX(added_at) FROM group_docs WHERE group_id = ? AND pending = 0", (group_id,)
    )
    answer: dict[str, Any] = {
        "group_id": group_id,
        "title": row["title"],
        "link": group_link(ctx, row),
        "icon": group_icon(ctx, group_id),
    }
    if full:
        is_member = membership(ctx, group_id, viewer) is not None
        answer |= {
            "id": group_id,
            "lang": row["lang"],
            "description": row["description"],
            "quota": {"moderated": bool(row["moderated"]), "max": 0, "period": "", "left": 0},
            "can": {
                "add_doc": is_member,
                "add_topic": is_member,
                **{f"accept_{kind}": True for kind in ("photo", "audio", "video", "other")},
            },
        }
    answer |= {
        "visibility": {"ispublic": row["ispublic"], "docs": 1, "topics": 1},
        "dates": {
            "created_at": row["created_at"],
            "last_doc_at": last_doc or 0,
            "last_topic_at": 0,
        },
        "count": {
            "members": store.scalar(
                "SELECT COUNT(*) FROM group_members WHERE group_id = ?", (group_id,)
            ),
            "docs": doc_total(ctx, group_id),
            "topics": 0,
        },
        "you": _you(ctx, row, viewer) if viewer is not None else None,
    }
    return answer


@handler("group.get")
def get(ctx: Context) -> Answer:
    """Describe a group (by id or alias); counts the member's visit."""
    row = group_row(ctx)
    if ctx.viewer is not None:
        content.visit(ctx.store, "group", row["group_id"], ctx.viewer)
    return {"group": group(ctx, row, full=True)}


@handler("group.getList")
def get_list(ctx: Context) -> Answer:
    """The groups a member belongs to (the caller when ``user_id`` is left out)."""
    user = ctx.user_row()
    paging = ctx.paging()
    total = ctx.store.scalar(
        "SELECT COUNT(*) FROM group_members WHERE user_id = ?", (user["user_id"],)
    )
    rows = ctx.store.query(
        "SELECT g.* FROM groups g JOIN group_members m USING (group_id) WHERE m.user_id = ?"
        " ORDER BY m.joined_at, g.group_id LIMIT ? OFFSET ?",
        (user["user_id"], paging.per_page, paging.offset),
    )
    return {
        "groups": {
            **paging.attributes(total),
            "count": len(rows),
            "thumbsize": ctx.thumbsize(),
            "group": [group(ctx, row) for row in rows],
        }
    }


@handler("group.search")
def search(ctx: Context) -> Answer:
    """Public groups whose title or description holds the words of ``text``."""
    paging = ctx.paging()
    where, params = ["g.ispublic > 0"], []
    for word in ctx.text("text").split():
        word = word.lstrip("+")
        if word.startswith("-"):
            where.append("NOT (g.title LIKE ? OR g.description LIKE ?)")
            word = word[1:]
        else:
            where.append("(g.title LIKE ? OR g.description LIKE ?)")
        pattern = "%" + word.replace("%", "").replace("_", "") + "%"
        params += [pattern, pattern]
    condition = " AND ".join(where)
    order = _SORTS.get(ctx.text("sort"), "g.title, g.group_id")
    total = ctx.store.scalar(f"SELECT COUNT(*) FROM groups g WHERE {condition}", params)  # noqa: S608
    rows = ctx.store.query(
        f"SELECT g.* FROM groups g WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
        (*params, paging.per_page, paging.offset),
    )
    return {"groups": {**paging.attributes(total), "group": [group(ctx, row) for row in rows]}}


@handler("group.docs.add")
def add_docs(ctx: Context) -> Answer:
    """Share up to 20 of the caller's documents in a group they belong to."""
    row = group_row(ctx)
    me = ctx.me()
    member = membership(ctx, row["group_id"], me)
    if member is None:
        raise MethodError(2, "You are not a member of this group")
    moderated = bool(row["moderated"]) and member["role"] == "member"
    items = []
    for doc_id in ctx.id_list("doc_id", "Document"):
        present = ctx.store.one(
            "SELECT pending FROM group_docs WHERE group_id = ? AND doc_id = ?",
            (row["group_id"], doc_id),
        )
        if not ctx.owns("docs", "doc_id", doc_id):
            items.append({"doc_id": doc_id, "added": False, "pending": False, "error": 1})
        elif present is not None:
            items.append(
                {"doc_id": doc_id, "added": False, "pending": bool(present[0]), "error": 0}
            )
        else:
            content.add_to_group(ctx.store, row["group_id"], doc_id, me, pending=moderated)
            items.append({"doc_id": doc_id, "added": True, "pending": moderated, "error": 0})
    return {
        "group": {
            "group_id": row["group_id"],
            "total": doc_total(ctx, row["group_id"]),
            **shapes.tally(items, "added"),
            "pending": sum(1 for item in items if item["pending"]),
            "doc": items,
        }
    }


@handler("group.docs.remove")
def remove_docs(ctx: Context) -> Answer:
    """Take documents out of a group: one's own, or any for admins and moderators.

    The answer is the sample's (``doc`` items with ``removed``) and the live
    service's: the removed documents as a list directly under ``docs``.
    """
    row = group_row(ctx)
    me = ctx.me()
    member = membership(ctx, row["group_id"], me)
    moderates = member is not None and member["role"] in ("admin", "moderator")
    items = []
    for doc_id in ctx.id_list("doc_id", "Document"):
        present = ctx.store.one(
            "SELECT d.owner_id FROM group_docs gd JOIN docs d USING (doc_id)"
            " WHERE gd.group_id = ? AND gd.doc_id = ?",
            (row["group_id"], doc_id),
        )
        removable = present is not None and (moderates or present["owner_id"] == me)
        if removable:
            ctx.store.execute(
                "DELETE FROM group_docs WHERE group_id = ? AND doc_id = ?",
                (row["group_id"], doc_id),
            )
        items.append({"doc_id": doc_id, "removed": removable})
    return {
        "group": {
            "group_id": row["group_id"],
            "total": doc_total(ctx, row["group_id"]),
            **shapes.tally(items, "removed"),
            "doc": items,
            "docs": [{"doc_id": item["doc_id"]} for item in items if item["removed"]],
        }
    }


def _group_docs(ctx: Context, group_id: int) -> DocQuery:
    query = seen_by(ctx.viewer).join(
        "JOIN group_docs gd ON gd.doc_id = d.doc_id AND gd.group_id = ? AND gd.pending = 0",
        group_id,
    )
    if ctx.text("user_id").strip():
        query.add("d.owner_id = ?", ctx.user_row()["user_id"])
    return apply_filters(ctx, query).sort("gd.position DESC")


@handler("group.docs.getList")
def list_docs(ctx: Context) -> Answer:
    """The (approved) documents of a group the caller sees, latest added first."""
    row = group_row(ctx)
    docs = doc_list(ctx, _group_docs(ctx, row["group_id"]))
    return {"group": {"group_id": row["group_id"], "docs": docs}}


@handler("group.docs.getContext")
def doc_context(ctx: Context) -> Answer:
    """The documents added before and after one in a group."""
    row = group_row(ctx)
    doc = visible_doc(ctx)
    rows = _group_docs(ctx, row["group_id"]).sort("gd.position ASC").rows(ctx)
    position = next((i for i, r in enumerate(rows) if r["doc_id"] == doc["doc_id"]), None)
    if position is None:
        raise not_found("Document (in this group)")
    suffix = f"/in/group/{row['group_id']}"
    return {
        "group": {"group_id": row["group_id"], "total": len(rows), "thumbsize": ctx.thumbsize()},
        **shapes.context(ctx, rows, position, suffix),
    }
