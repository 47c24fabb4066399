"""Who faved and who visited a document, album or post (``*.getFaves``,
``*.getVisitors``), and counting a visit."""

from __future__ import annotations

from typing import Any

from .. import content
from .registry import Context


def faves(ctx: Context, kind: str, target_id: int) -> dict[str, Any]:
    """The paged ``faves`` answer: the members who faved it, latest first."""
    paging = ctx.paging()
    store = ctx.store
    total = store.scalar(
        "SELECT COUNT(*) FROM faves WHERE kind = ? AND target_id = ?", (kind, target_id)
    )
    rows = store.query(
        "SELECT f.user_id, u.username, f.faved_at FROM faves f JOIN users u USING (user_id)"
        " WHERE f.kind = ? AND f.target_id = ? ORDER BY f.faved_at DESC, f.user_id"
        " LIMIT ? OFFSET ?",
        (kind, target_id, paging.per_page, paging.offset),
    )
    return {
        "faves": {
            **paging.attributes(total),
            "count": len(rows),
            "fave": [dict(row) for row in rows],
        }
    }


def visitors(ctx: Context, kind: str, target_id: int) -> dict[str, Any]:
    """The paged ``visits`` answer: anonymous visits, then members, latest first."""
    paging = ctx.paging()
    store = ctx.store
    anonymous = store.one(
        "SELECT visited_at, visits FROM visits WHERE kind = ? AND target_id = ? AND user_id = 0",
        (kind, target_id),
    )
    total = store.scalar(
        "SELECT COUNT(*) FROM visits WHERE kind = ? AND target_id = ? AND user_id != 0",
        (kind, target_id),
    )
    rows = store.query(
        "SELECT v.user_id, u.username, v.visited_at, v.first_visit_at, v.visits"
        " FROM visits v JOIN users u USING (user_id) WHERE v.kind = ? AND v.target_id = ?"
        " ORDER BY v.visited_at DESC, v.user_id LIMIT ? OFFSET ?",
        (kind, target_id, paging.per_page, paging.offset),
    )
    return {
        "visits": {
            **paging.attributes(total),
            "count": len(rows),
            "anonymous": dict(anonymous) if anonymous else None,
            "visit": [dict(row) for row in rows],
        }
    }


def count_visit(ctx: Context, kind: str, target_id: int, owner_id: int) -> None:
    """Count the caller's look at something of ``owner_id`` (owners do not count)."""
    viewer = ctx.viewer
    if viewer != owner_id:
        content.visit(ctx.store, kind, target_id, viewer)
