"""``network.*``: the members someone counts as contacts, friends or family."""

from __future__ import annotations

import time
from typing import Any

from ..store import Row
from . import shapes
from .listing import seen_by
from .registry import Answer, Context, handler

#: ``relation`` filter values: 0 everyone, 1 family, 2 friends, 3 friends or
#: family, 4 contacts who are neither; 8 (blocked members) lists nobody.
RELATIONS = {
    1: "r.is_family = 1",
    2: "r.is_friend = 1",
    3: "(r.is_family = 1 OR r.is_friend = 1)",
    4: "(r.is_family = 0 AND r.is_friend = 0)",
    8: "0",
}
#: The autocompleter's cap, as documented.
MAX_COMPLETIONS = 500


def _relation_filter(ctx: Context) -> str:
    return RELATIONS.get(ctx.integer("relation", 0), "1")


def _contact(ctx: Context, row: Row, extras: frozenset[str]) -> dict[str, Any]:
    contact_id = row["contact_id"]
    item: dict[str, Any] = {
        "user_id": contact_id,
        "username": row["username"],
        "icon": shapes.user_icon(ctx, contact_id),
        "alias": row["alias"],
        "realname": row["realname"] if "realname" in extras else None,
        "relation": shapes.relation_between(ctx, row["user_id"], contact_id),
    }
    if "count" in extras:
        item["count"] = shapes.user_counts(ctx, contact_id, ctx.viewer)
    if "location" in extras and (row["country"] or row["town"]):
        item["location"] = {"country": row["country"], "town": row["town"]}
    return item


@handler("network.getList")
def get_list(ctx: Context) -> Answer:
    """A member's contacts (the caller's with ``relation`` filtering)."""
    user = ctx.user_row()
    paging = ctx.paging()
    condition = _relation_filter(ctx) if ctx.viewer == user["user_id"] else "1"
    where = f"r.user_id = ? AND {condition}"
    total = ctx.store.scalar(
        f"SELECT COUNT(*) FROM relations r WHERE {where}",  # noqa: S608
        (user["user_id"],),
    )
    rows = ctx.store.query(
        "SELECT r.*, u.username, u.alias, u.realname, u.country, u.town"  # noqa: S608
        f" FROM relations r JOIN users u ON u.user_id = r.contact_id WHERE {where}"
        " ORDER BY u.username COLLATE NOCASE LIMIT ? OFFSET ?",
        (user["user_id"], paging.per_page, paging.offset),
    )
    extras = ctx.extras()
    items = [_contact(ctx, row, extras) for row in rows]
    return {"network": {**paging.attributes(total), "count": len(items), "user": items}}


@handler("network.autocomplete")
def autocomplete(ctx: Context) -> Answer:
    """The caller's contacts whose username starts a word with (or, with
    ``anywhere=1``, contains) ``query``.

    The answer's root is ``network``, as on the live service (and as
    ``network.getList`` answers), and also ``users``, the sandbox's older name.
    """
    query = ctx.require("query").lower()
    condition = _relation_filter(ctx)
    rows = ctx.store.query(
        "SELECT u.user_id, u.username, u.alias FROM relations r"  # noqa: S608
        f" JOIN users u ON u.user_id = r.contact_id WHERE r.user_id = ? AND {condition}"
        " ORDER BY u.username COLLATE NOCASE",
        (ctx.me(),),
    )
    anywhere = bool(ctx.flag("anywhere"))

    def matches(name: str) -> bool:
        name = name.lower()
        if anywhere:
            return query in name
        return any(word.startswith(query) for word in name.replace("_", " ").split())

    found = [dict(row) for row in rows if matches(row["username"])]
    shown = found[:MAX_COMPLETIONS]
    members = {"count": len(shown), "complete": len(found) <= MAX_COMPLETIONS, "user": shown}
    return {"network": members, "users": members}


@handler("network.docs.getRecent")
def recent_docs(ctx: Context) -> Answer:
    """Recent documents of the caller's contacts, at most ``limit`` per contact."""
    me = ctx.me()
    hours = min(max(ctx.integer("hours", 744), 1), 744)
    per_member = ctx.limited("limit", (5, 10))
    count = ctx.limited("count", ctx.method.count_limits)
    query = seen_by(me).add(
        "d.owner_id IN (SELECT r.contact_id FROM relations r WHERE r.user_id = ?"  # noqa: S608
        f" AND {_relation_filter(ctx)})",
        me,
    )
    query.add("d.posted_at >= ?", int(time.time()) - hours * 3600)
    shown: dict[int, int] = {}
    rows = []
    for row in query.rows(ctx):
        if shown.get(row["owner_id"], 0) < per_member:
            shown[row["owner_id"]] = shown.get(row["owner_id"], 0) + 1
            rows.append(row)
        if len(rows) == count:
            break
    extras = ctx.extras()
    items = [shapes.doc_item(ctx, row, extras, with_owner=True) for row in rows]
    return {"docs": {"count": len(items), "show": per_member, "doc": items}}
