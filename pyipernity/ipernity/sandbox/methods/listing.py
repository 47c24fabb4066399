"""Selecting, filtering and paging documents for the many methods that list them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..store import Row
from . import shapes
from .registry import Context, MethodError, Paging, not_found
from .visibility import can_see, visible

#: A document's privacy as the ``share`` filter counts it (4 is public).
SHARE_SQL = "(CASE WHEN d.is_public = 1 THEN 4 ELSE d.is_family + 2 * d.is_friend END)"
MEDIA = ("photo", "video", "audio", "other")


@dataclass
class DocQuery:
    """A ``SELECT`` over ``docs d`` under construction."""

    joins: str = ""
    join_params: list[Any] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    order: str = "d.posted_at DESC, d.doc_id DESC"
    order_params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> DocQuery:
        """Add a condition (joined with ``AND``) and its parameters."""
        self.where.append(condition)
        self.params.extend(params)
        return self

    def join(self, clause: str, *params: Any) -> DocQuery:
        """Join another table (``clause`` is the whole ``JOIN … ON …``)."""
        self.joins += " " + clause
        self.join_params.extend(params)
        return self

    def sort(self, order: str, *params: Any) -> DocQuery:
        """Order the documents by ``order`` (an SQL expression and its parameters)."""
        self.order = order
        self.order_params = list(params)
        return self

    def _from(self) -> str:
        where = " AND ".join(self.where) or "1"
        return f"FROM docs d {self.joins} WHERE {where}"

    def count(self, ctx: Context) -> int:
        """How many documents match."""
        total: int = ctx.store.scalar(
            f"SELECT COUNT(*) {self._from()}",
            [*self.join_params, *self.params],
        )
        return total

    def rows(self, ctx: Context, limit: int = -1, offset: int = 0) -> list[Row]:
        """The matching documents in order, ``limit`` of them after ``offset``."""
        sql = f"SELECT d.* {self._from()} ORDER BY {self.order} LIMIT ? OFFSET ?"
        params = [*self.join_params, *self.params, *self.order_params, limit, offset]
        return ctx.store.query(sql, params)

    def page(self, ctx: Context, paging: Paging) -> tuple[int, list[Row]]:
        """The total, and the documents of the page asked for."""
        return self.count(ctx), self.rows(ctx, paging.per_page, paging.offset)


def seen_by(viewer: int | None) -> DocQuery:
    """A query for the documents ``viewer`` may see."""
    condition, params = visible(viewer, "d")
    return DocQuery().add(condition, *params)


def apply_filters(ctx: Context, query: DocQuery, *, share: bool = False) -> DocQuery:
    """Apply the ``media``, ``safesurf`` and (when allowed) ``share`` parameters."""
    kind = ctx.text("media").strip()
    if kind in MEDIA:
        query.add("d.media = ?", kind)
    if ctx.has("safesurf"):
        query.add("d.safety <= ?", min(max(ctx.integer("safesurf", 3), 1), 3))
    if share and ctx.has("share"):
        query.add(f"{SHARE_SQL} = ?", ctx.integer("share", -1))
    return query


def visible_doc(ctx: Context, doc_id: int | None = None) -> Row:
    """The document of the ``doc_id`` parameter (or ``doc_id``) if the caller
    sees it; error 1 otherwise."""
    doc_id = doc_id if doc_id is not None else ctx.record_id("doc_id", "Document")
    row = can_see(ctx.store, ctx.viewer, "docs", "doc_id", doc_id)
    if row is None:
        raise not_found("Document")
    return row


def own_doc(ctx: Context, doc_id: int | None = None) -> Row:
    """The caller's own document of the ``doc_id`` parameter: error 1 when it
    is not seen, 2 when it is someone else's."""
    row = visible_doc(ctx, doc_id)
    if row["owner_id"] != ctx.me():
        raise MethodError(2, "The document does not belong to you")
    return row


def doc_list(ctx: Context, query: DocQuery, *, with_owner: bool = False) -> dict[str, Any]:
    """The paged ``docs`` element of ``query``: paging attributes and items."""
    paging = ctx.paging()
    total, rows = query.page(ctx, paging)
    extras = ctx.extras()
    return {
        **paging.attributes(total),
        "count": len(rows),
        "doc": [shapes.doc_item(ctx, row, extras, with_owner=with_owner) for row in rows],
    }
