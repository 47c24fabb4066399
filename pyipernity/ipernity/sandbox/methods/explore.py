"""``explore.*``: what is recent and popular among everyone's public documents."""

from __future__ import annotations

import random

from . import shapes
from .groups import group
from .listing import DocQuery, apply_filters, doc_list
from .registry import Answer, Context, handler

#: How popular a document is: faves count most, then comments, then visits.
POPULARITY = (
    "(3 * (SELECT COUNT(*) FROM faves f WHERE f.kind = 'doc' AND f.target_id = d.doc_id)"
    " + 2 * (SELECT COUNT(*) FROM comments c WHERE c.kind = 'doc' AND c.target_id = d.doc_id)"
    " + (SELECT COALESCE(SUM(v.visits), 0) FROM visits v"
    " WHERE v.kind = 'doc' AND v.target_id = d.doc_id)) DESC, d.posted_at DESC, d.doc_id DESC"
)


def _public(ctx: Context) -> DocQuery:
    return apply_filters(ctx, DocQuery().add("d.is_public = 1"))


@handler("explore.docs.getPopular")
def popular(ctx: Context) -> Answer:
    """The most popular public documents."""
    return {"docs": doc_list(ctx, _public(ctx).sort(POPULARITY), with_owner=True)}


@handler("explore.docs.homepage")
def homepage(ctx: Context) -> Answer:
    """The homepage's focus: the most popular public documents, five a page."""
    return {"docs": doc_list(ctx, _public(ctx).sort(POPULARITY), with_owner=True)}


@handler("explore.docs.getRecent")
def recent(ctx: Context) -> Answer:
    """The latest public documents (``count``: 50 by default, at most 100)."""
    count = ctx.limited("count", ctx.method.count_limits)
    rows = _public(ctx).rows(ctx, count)
    extras = ctx.extras()
    items = [shapes.doc_item(ctx, row, extras, with_owner=True) for row in rows]
    return {"docs": {"count": len(items), "doc": items}}


@handler("explore.groups.getRandom")
def random_groups(ctx: Context) -> Answer:
    """Some public groups, in random order."""
    count = ctx.limited("count", ctx.method.count_limits)
    rows = ctx.store.query("SELECT * FROM groups WHERE ispublic > 0")
    chosen = random.sample(rows, min(count, len(rows)))
    return {"groups": {"count": len(chosen), "group": [group(ctx, row) for row in chosen]}}
