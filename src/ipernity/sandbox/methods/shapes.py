"""The JSON shapes of the service's records, shared by the method families.

Each function builds one element of an answer from a database row, the way
the catalogue's ``response_xml`` samples show it (attributes as members, child
elements as nested objects). Values may still be numbers here; the dispatcher
turns them into strings.
"""

from __future__ import annotations

from typing import Any

from .. import media
from ..store import Row
from .registry import Context
from .visibility import relation, visible


def user_link(ctx: Context, user: Row) -> str:
    """The member's home page on the (pretend) site."""
    return ctx.url(f"home/{user['alias']}")


def user_icon(ctx: Context, user_id: int) -> str:
    """The URL of a member's icon, which the sandbox serves."""
    return ctx.url(f"icons/user/{user_id}.jpg")


def owner(ctx: Context, user_id: int) -> dict[str, Any]:
    """The ``owner`` element naming a record's owner."""
    user = ctx.store.one("SELECT * FROM users WHERE user_id = ?", (user_id,))
    if user is None:
        return {"user_id": user_id}
    return {"user_id": user_id, "username": user["username"], "realname": user["realname"]}


def relation_between(ctx: Context, viewer: int, user_id: int) -> dict[str, Any]:
    """The ``relation`` element: how the viewer counts the member (``is…``) and
    how the member counts the viewer (``rev…``)."""
    mine = relation(ctx.store, viewer, user_id)
    theirs = relation(ctx.store, user_id, viewer)
    return {
        "isfamily": bool(mine and mine["is_family"]),
        "isfriend": bool(mine and mine["is_friend"]),
        "iscontact": mine is not None,
        "revfamily": bool(theirs and theirs["is_family"]),
        "revfriend": bool(theirs and theirs["is_friend"]),
        "revcontact": theirs is not None,
    }


def user_counts(ctx: Context, user_id: int, viewer: int | None) -> dict[str, Any]:
    """The ``count`` element of a member: documents and posts the viewer sees,
    and the size of their network."""
    docs_seen, params = visible(viewer, "d")
    posts_seen, post_params = visible(viewer, "p")
    store = ctx.store
    return {
        "docs": store.scalar(
            f"SELECT COUNT(*) FROM docs d WHERE d.owner_id = ? AND {docs_seen}",  # noqa: S608
            (user_id, *params),
        ),
        "posts": store.scalar(
            f"SELECT COUNT(*) FROM posts p WHERE p.owner_id = ? AND {posts_seen}",  # noqa: S608
            (user_id, *post_params),
        ),
        "network": store.scalar("SELECT COUNT(*) FROM relations WHERE user_id = ?", (user_id,)),
    }


def user(ctx: Context, row: Row, viewer: int | None) -> dict[str, Any]:
    """The ``user`` element of ``user.get``."""
    answer: dict[str, Any] = {
        "user_id": row["user_id"],
        "is_pro": bool(row["is_pro"]),
        "is_online": False,
        "is_closed": bool(row["is_closed"]),
        "tmo": 0,
        "username": row["username"],
        "realname": row["realname"],
        "alias": row["alias"],
        "icon": user_icon(ctx, row["user_id"]),
        "link": user_link(ctx, row),
    }
    if viewer is not None and viewer != row["user_id"]:
        answer["relation"] = relation_between(ctx, viewer, row["user_id"])
    if row["country"] or row["town"] or row["lat"] is not None:
        answer["location"] = {
            "country": row["country"],
            "town": row["town"],
            "lat": row["lat"],
            "lng": row["lng"],
        }
    answer["count"] = user_counts(ctx, row["user_id"], viewer)
    return answer


def thumb_url(ctx: Context, doc: Row, label: str) -> str:
    """Where the sandbox serves a document's ``label`` thumbnail."""
    return ctx.url(f"media/{doc['doc_id']}.{doc['secret']}.{label}.jpg")


def thumb(ctx: Context, doc: Row, label: str) -> dict[str, Any]:
    """One ``thumb`` element: label, extension, size and URL."""
    width, height = media.fit(*media.picture_size(doc), label)
    return {
        "label": label,
        "ext": "jpg",
        "w": width,
        "h": height,
        "url": thumb_url(ctx, doc, label),
    }
