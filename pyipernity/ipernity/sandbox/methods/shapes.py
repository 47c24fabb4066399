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
from .visibility import allows, relation, share_level, visible


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
    # A timestamp, as the dates of documents; joining is the one date a sandbox member has.
    answer["dates"] = {"member_since": row["created_at"]}
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


def cover(ctx: Context, doc: Row) -> dict[str, Any]:
    """The ``cover`` element of an album or folder: a document's thumbnail in
    the size asked."""
    picture = thumb(ctx, doc, ctx.thumbsize())
    return {"doc_id": doc["doc_id"], "w": picture["w"], "h": picture["h"], "url": picture["url"]}


def doc_link(ctx: Context, doc: Row, suffix: str = "") -> str:
    """The document's page on the (pretend) site."""
    return ctx.url(f"doc/{doc['owner_id']}/{doc['doc_id']}{suffix}")


def original_url(ctx: Context, doc: Row) -> str:
    """Where the sandbox serves a document's original file."""
    return ctx.url(f"media/{doc['doc_id']}.{doc['secret']}.{doc['ext']}")


def thumbs(ctx: Context, doc: Row) -> dict[str, Any]:
    """The ``thumbs`` collection of ``doc.get`` and ``doc.getMedias``.

    Each thumb names its ``secret``, as ``doc.getMedias``' sample does for the
    sizes whose secret differs; the sandbox has one secret per document.
    """
    return {
        "thumb": [
            {**thumb(ctx, doc, label), "secret": doc["secret"]} for label in media.LISTED_LABELS
        ]
    }


def medias(ctx: Context, doc: Row) -> dict[str, Any] | None:
    """The ``medias`` (playable files) of a video or audio document, else ``None``.

    The sandbox converts nothing: the original file is the one media, and
    there are no Flash ``players`` (``doc.getMedias``' sample has some).
    Durations are not measured: lengths are 0.
    """
    if not _playable(doc):
        return None
    item = {
        "label": doc["ext"],
        "ext": doc["ext"],
        "w": doc["width"],
        "h": doc["height"],
        "lenght": 0,  # sic: the service's spelling
        "url": original_url(ctx, doc),
    }
    return {"media": [item]}


def _playable(doc: Row) -> bool:
    return doc["media"] in ("video", "audio")


def original(ctx: Context, doc: Row) -> dict[str, Any]:
    """The ``original`` element: the uploaded file (with a ``length`` when it
    plays, 0 as in :func:`medias`)."""
    size = media.file_size(ctx.store, doc)
    return {
        "ext": doc["ext"],
        "w": doc["width"],
        "h": doc["height"],
        "length": 0 if _playable(doc) else None,
        "filename": doc["filename"],
        "bytes": size,
        "url": original_url(ctx, doc),
    }


def dates(doc: Row) -> dict[str, Any]:
    """The ``dates`` element of a document."""
    return {
        "posted_at": doc["posted_at"],
        "replaced_at": doc["replaced_at"],
        "created": doc["created"],
        "modified_at": doc["modified_at"],
        "comment_at": doc["comment_at"],
    }


def geo(doc: Row) -> dict[str, Any] | None:
    """The ``geo`` element of a geolocated document, else ``None``.

    ``loc_id`` is 0: the sandbox has no gazetteer of the service's places.
    """
    if doc["lat"] is None or doc["lng"] is None:
        return None
    return {"lat": doc["lat"], "lng": doc["lng"], "loc_id": 0, "location": doc["location"]}


def doc_counts(ctx: Context, doc_id: int) -> dict[str, Any]:
    """The ``count`` element of a document."""
    store = ctx.store
    visits = store.one(
        "SELECT COALESCE(SUM(visits), 0) AS n, COALESCE(MAX(visited_at), 0) AS last"
        " FROM visits WHERE kind = 'doc' AND target_id = ?",
        (doc_id,),
    )
    return {
        "visits": visits["n"] if visits else 0,
        "faves": store.scalar(
            "SELECT COUNT(*) FROM faves WHERE kind = 'doc' AND target_id = ?", (doc_id,)
        ),
        "comments": store.scalar(
            "SELECT COUNT(*) FROM comments WHERE kind = 'doc' AND target_id = ?", (doc_id,)
        ),
        "notes": store.scalar("SELECT COUNT(*) FROM notes WHERE doc_id = ?", (doc_id,)),
        "tags": store.scalar("SELECT COUNT(*) FROM doc_tags WHERE doc_id = ?", (doc_id,)),
        "albums": store.scalar("SELECT COUNT(*) FROM album_docs WHERE doc_id = ?", (doc_id,)),
        "groups": store.scalar(
            "SELECT COUNT(*) FROM group_docs WHERE doc_id = ? AND pending = 0", (doc_id,)
        ),
        "last_visit": visits["last"] if visits else 0,
    }


def visibility(row: Row) -> dict[str, Any]:
    """The ``visibility`` element of a document or post."""
    return {
        "ispublic": bool(row["is_public"]),
        "isfriend": bool(row["is_friend"]),
        "isfamily": bool(row["is_family"]),
        "share": share_level(row),
    }


def doc_can(ctx: Context, doc: Row, viewer: int | None) -> dict[str, Any]:
    """The ``can`` element: what the viewer may do with the document."""
    store, owner_id = ctx.store, doc["owner_id"]
    is_owner = viewer == owner_id
    return {
        # Owners may fave their own documents, as on the service.
        "fave": viewer is not None,
        "comment": allows(store, owner_id, viewer, doc["perm_comment"]),
        "tag": allows(store, owner_id, viewer, doc["perm_tag"]),
        "tagme": allows(store, owner_id, viewer, doc["perm_tagme"]),
        "zoom": True,
        "download": is_owner,
        "print": False,
    }


def doc_you(ctx: Context, kind: str, target_id: int, viewer: int) -> dict[str, Any]:
    """The ``you`` element: the viewer's fave and visits of a doc, album or post."""
    store = ctx.store
    mine = store.one(
        "SELECT visits, visited_at FROM visits WHERE kind = ? AND target_id = ? AND user_id = ?",
        (kind, target_id, viewer),
    )
    faved = store.one(
        "SELECT 1 FROM faves WHERE kind = ? AND target_id = ? AND user_id = ?",
        (kind, target_id, viewer),
    )
    return {
        "isfave": faved is not None,
        "visits": mine["visits"] if mine else 0,
        "last_visit": mine["visited_at"] if mine else 0,
    }


def tag_item(row: Row, *, added_at: bool = False) -> dict[str, Any]:
    """One ``tag`` as the ``doc.tags.*`` methods answer it (``type``, ``id``,
    ``user_id``, ``tag``); ``doc.get`` names tags otherwise (:func:`doc_tag`)."""
    item: dict[str, Any] = {
        "type": row["type"],
        "id": row["tag_id"],
        "user_id": row["user_id"],
        "tag": row["title"],
    }
    if row["type"] == "member":
        item["member_id"] = row["member_id"]
    if added_at:
        item["added_at"] = row["added_at"]
    return item


def doc_tag(row: Row) -> dict[str, Any]:
    """One ``tag`` of ``doc.get``: ``tag_id``, ``type``, who added it
    (``user_id``), then ``keyword`` (lowercase) or ``member_id``, and the
    ``title`` as written."""
    item: dict[str, Any] = {
        "tag_id": row["tag_id"],
        "type": row["type"],
        "user_id": row["user_id"],
    }
    if row["type"] == "member":
        item["member_id"] = row["member_id"]
    else:
        item["keyword"] = row["keyword"]
    item["title"] = row["title"]
    return item


def tag_rows(ctx: Context, doc_id: int) -> list[Row]:
    """The tags on a document with who added them and when, oldest first."""
    return ctx.store.query(
        "SELECT t.*, dt.user_id, dt.added_at FROM doc_tags dt JOIN tags t USING (tag_id)"
        " WHERE dt.doc_id = ? ORDER BY dt.added_at, dt.rowid",
        (doc_id,),
    )


def note(row: Row) -> dict[str, Any]:
    """One ``note`` on a photo."""
    item: dict[str, Any] = {
        "note_id": row["note_id"],
        "user_id": row["user_id"],
        "username": row["username"],
        "posted_at": row["posted_at"],
        "x": row["x"],
        "y": row["y"],
        "w": row["w"],
        "h": row["h"],
        "content": row["content"],
    }
    if row["member_id"] is not None:
        item["member_id"] = row["member_id"]
    return item


def doc_notes(ctx: Context, doc_id: int) -> list[dict[str, Any]]:
    """The notes on a photo, oldest first."""
    rows = ctx.store.query(
        "SELECT n.*, u.username FROM notes n JOIN users u USING (user_id)"
        " WHERE n.doc_id = ? ORDER BY n.note_id",
        (doc_id,),
    )
    return [note(row) for row in rows]


def doc(ctx: Context, row: Row, viewer: int | None, extras: frozenset[str]) -> dict[str, Any]:
    """The ``doc`` element of ``doc.get``; ``extras`` may add tags, notes, geo, md5."""
    doc_id = row["doc_id"]
    answer: dict[str, Any] = {
        "doc_id": doc_id,
        "media": row["media"],
        "license": row["license"],
        "rotation": row["rotation"],
        "title": row["title"],
        "safety": row["safety"],
        "link": doc_link(ctx, row),
        "owner": owner(ctx, row["owner_id"]),
        "description": row["description"],
        "dates": dates(row),
        "visibility": visibility(row),
        "permissions": {
            "comment": row["perm_comment"],
            "tag": row["perm_tag"],
            "tagme": row["perm_tagme"],
        },
        "count": doc_counts(ctx, doc_id),
        "can": doc_can(ctx, row, viewer),
        "you": doc_you(ctx, "doc", doc_id, viewer) if viewer is not None else None,
        "thumbs": thumbs(ctx, row),
        "medias": medias(ctx, row),
        "original": original(ctx, row),
    }
    if "geo" in extras:
        answer["geo"] = geo(row)
    if "tags" in extras:
        tags = [doc_tag(tag) for tag in tag_rows(ctx, doc_id)]
        answer["tags"] = {"total": len(tags), "tag": tags}
    if "notes" in extras:
        notes = doc_notes(ctx, doc_id)
        answer["notes"] = {"total": len(notes), "note": notes}
    if "md5" in extras:
        answer["md5"] = media.file_facts(ctx.store, row)[1]
    return answer


def doc_item(
    ctx: Context, row: Row, extras: frozenset[str], *, with_owner: bool = False
) -> dict[str, Any]:
    """One ``doc`` of a list, with its ``thumb`` in the size asked and the
    extras asked (owner, dates, count, geo, medias, original, license, md5)."""
    item: dict[str, Any] = {
        "doc_id": row["doc_id"],
        "media": row["media"],
        "license": row["license"],
        "title": row["title"],
        "safety": row["safety"],
    }
    if with_owner or "owner" in extras:
        item["owner"] = owner(ctx, row["owner_id"])
    item["thumb"] = thumb(ctx, row, ctx.thumbsize())
    if "dates" in extras:
        item["dates"] = dates(row)
    if "count" in extras:
        item["count"] = doc_counts(ctx, row["doc_id"])
    if "geo" in extras:
        item["geo"] = geo(row)
    if "medias" in extras:
        item["medias"] = medias(ctx, row)
    if "original" in extras:
        item["original"] = original(ctx, row)
    if "md5" in extras:
        item["md5"] = media.file_facts(ctx.store, row)[1]
    return item


def tally(items: list[dict[str, Any]], outcome: str) -> dict[str, int]:
    """The counts of a batch answer (``album.docs.add``, ``group.docs.remove``…):
    how many ``items`` were ``outcome`` (``added``, ``removed``), how many
    ``skipped``."""
    done = sum(1 for item in items if item[outcome])
    return {outcome: done, "skipped": len(items) - done}


def context_item(ctx: Context, row: Row, index: int, in_suffix: str = "") -> dict[str, Any]:
    """One ``doc`` of a ``getContext`` answer."""
    width, height = media.fit(*media.picture_size(row), ctx.thumbsize())
    return {
        "index": index,
        "doc_id": row["doc_id"],
        "media": row["media"],
        "title": row["title"],
        "safety": row["safety"],
        "w": width,
        "h": height,
        "url": thumb_url(ctx, row, ctx.thumbsize()),
        "link": doc_link(ctx, row, in_suffix),
        "user_id": row["owner_id"],
    }


def context(ctx: Context, rows: list[Row], position: int, in_suffix: str = "") -> dict[str, Any]:
    """The ``prev``, ``doc`` and ``next`` members around ``rows[position]``.

    ``prev`` and ``next`` default to 10 documents each, at most 50.
    """
    before = ctx.limited("prev", (10, 50))
    after = ctx.limited("next", (10, 50))
    older = rows[max(0, position - before) : position][::-1]
    newer = rows[position + 1 : position + 1 + after]
    return {
        "prev": {
            "count": len(older),
            "doc": [context_item(ctx, r, -n, in_suffix) for n, r in enumerate(older, 1)],
        },
        "doc": context_item(ctx, rows[position], 0, in_suffix),
        "next": {
            "count": len(newer),
            "doc": [context_item(ctx, r, n, in_suffix) for n, r in enumerate(newer, 1)],
        },
    }
