"""``doc.*``: documents, their settings, lists, search, context, media and notes.

Comments are in ``comments.py`` and tags in ``tags.py``.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .. import content, media
from ..store import Row
from . import albums, audience, groups, shapes
from .listing import DocQuery, apply_filters, doc_list, own_doc, seen_by, visible_doc
from .registry import (
    Answer,
    Context,
    MethodError,
    SentEvenIfEmpty,
    forbidden,
    handler,
    not_found,
)
from .visibility import allows, share_level

#: The licenses ``doc.setLicense`` accepts (0 copyright, 1-11 Creative
#: Commons variants, 255 copyleft).
LICENSES = frozenset({0, 1, 3, 5, 7, 9, 11, 255})
#: The safety levels ``doc.setSafety`` accepts: 1 for everyone, 2 not for all,
#: 3 adults only.
SAFETY_LEVELS = frozenset({1, 2, 3})
#: ``lat``/``lng`` of -999 remove a document's location.
NO_PLACE = -999.0
#: Notes whose box leaves the photo (as shown 560 pixels wide) land here.
DEFAULT_NOTE_BOX = (0, 0, 50, 50)
_WORD = re.compile(r'([+-]?)("[^"]*"|\S+)')


@handler("doc.get")
def get(ctx: Context) -> Answer:
    """Describe a document (``extra``: tags, notes, geo, md5); counts a visit."""
    doc = visible_doc(ctx)
    audience.count_visit(ctx, "doc", doc["doc_id"], doc["owner_id"])
    return {"doc": shapes.doc(ctx, doc, ctx.viewer, ctx.extras())}


@handler("doc.getList")
def get_list(ctx: Context) -> Answer:
    """A member's documents the caller sees, newest first."""
    user = ctx.user_row()
    query = seen_by(ctx.viewer).add("d.owner_id = ?", user["user_id"])
    apply_filters(ctx, query, share=ctx.viewer == user["user_id"])
    return {"docs": doc_list(ctx, query)}


def _text_condition(word: str) -> tuple[str, list[Any]]:
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = (
        "(d.title LIKE ? ESCAPE '\\' OR d.description LIKE ? ESCAPE '\\' OR EXISTS"
        " (SELECT 1 FROM doc_tags dt JOIN tags t USING (tag_id) WHERE dt.doc_id = d.doc_id"
        " AND t.title LIKE ? ESCAPE '\\'))"
    )
    return sql, [pattern, pattern, pattern]


def _full_text(query: DocQuery, text: str) -> None:
    """Match ``blue sky``, ``+blue -clouds`` and ``"exact phrase"`` as the
    service does: plain words are alternatives ranked by how many match."""
    optional: list[tuple[str, list[Any]]] = []
    for sign, raw in _WORD.findall(text):
        word = raw.strip('"')
        if not word:
            continue
        condition, params = _text_condition(word)
        if sign == "+":
            query.add(condition, *params)
        elif sign == "-":
            query.add(f"NOT {condition}", *params)
        else:
            optional.append((condition, params))
    if optional:
        query.add(" OR ".join(c for c, _ in optional), *[p for _, ps in optional for p in ps])
        score = " + ".join(c for c, _ in optional)
        query.sort(
            f"({score}) DESC, d.posted_at DESC, d.doc_id DESC",
            *[p for _, ps in optional for p in ps],
        )


_SORTS = {
    "posted-desc": "d.posted_at DESC, d.doc_id DESC",
    "posted-asc": "d.posted_at ASC, d.doc_id ASC",
    "created-desc": "d.created DESC, d.doc_id DESC",
    "created-asc": "d.created ASC, d.doc_id ASC",
    "popular": "((SELECT COUNT(*) FROM faves f WHERE f.kind = 'doc' AND f.target_id = d.doc_id)"
    " + (SELECT COALESCE(SUM(v.visits), 0) FROM visits v WHERE v.kind = 'doc'"
    " AND v.target_id = d.doc_id)) DESC, d.doc_id DESC",
}


@handler("doc.search")
def search(ctx: Context) -> Answer:
    """Search documents by text, tags, place, dates, license, album or group."""
    viewer = ctx.viewer
    query = seen_by(viewer)
    if ctx.text("user_id").strip():
        user = ctx.user_row()
        query.add("d.owner_id = ?", user["user_id"])
        apply_filters(ctx, query, share=viewer == user["user_id"])
    else:
        query.add("d.is_public = 1")
        apply_filters(ctx, query)
    _search_scope(ctx, query)
    _search_tags(ctx, query)
    _search_dates(ctx, query)
    _search_place(ctx, query)
    text = ctx.text("text").strip()
    sort = ctx.text("sort", "relevance")
    if text:
        _full_text(query, text)
    if sort in _SORTS:
        query.sort(_SORTS[sort])
    return {"docs": doc_list(ctx, query, with_owner=True)}


def _search_scope(ctx: Context, query: DocQuery) -> None:
    if ctx.text("album_id").strip():
        album_id = ctx.record_id("album_id", "Album")
        query.add("d.doc_id IN (SELECT doc_id FROM album_docs WHERE album_id = ?)", album_id)
    if ctx.text("group_id").strip():
        group_id = ctx.record_id("group_id", "Group")
        query.add(
            "d.doc_id IN (SELECT doc_id FROM group_docs WHERE group_id = ? AND pending = 0)",
            group_id,
        )
    licenses = ctx.integers("license")
    if licenses:
        marks = ", ".join("?" for _ in licenses)
        query.add(f"d.license IN ({marks})", *licenses)


def _search_tags(ctx: Context, query: DocQuery) -> None:
    tags = [t.strip().lower() for t in ctx.text("tags").split(",") if t.strip()][:20]
    if tags:
        marks = ", ".join("?" for _ in tags)
        query.add(
            "EXISTS (SELECT 1 FROM doc_tags dt JOIN tags t USING (tag_id) WHERE"  # noqa: S608
            f" dt.doc_id = d.doc_id AND t.type = 'keyword' AND t.keyword IN ({marks}))",
            *tags,
        )


def _search_dates(ctx: Context, query: DocQuery) -> None:
    if ctx.has("posted_min"):
        query.add("d.posted_at >= ?", ctx.integer("posted_min", 0))
    if ctx.has("posted_max"):
        query.add("d.posted_at <= ?", ctx.integer("posted_max", 0))
    if ctx.text("created_min").strip():
        query.add("d.created >= ?", ctx.text("created_min").strip())
    if ctx.text("created_max").strip():
        query.add("d.created <= ?", ctx.text("created_max").strip())


def _search_place(ctx: Context, query: DocQuery) -> None:
    lat, lng = ctx.number("lat"), ctx.number("lng")
    if lat is None or lng is None:
        return
    dist = min(ctx.number("dist") or 5000.0, 30000.0)
    # A box around the point in SQL, then the exact circle in Python below.
    dlat = dist / 111_320.0
    dlng = dist / max(111_320.0 * math.cos(math.radians(lat)), 1.0)
    query.add("d.lat BETWEEN ? AND ?", lat - dlat, lat + dlat)
    query.add("d.lng BETWEEN ? AND ?", lng - dlng, lng + dlng)
    inside = [
        row["doc_id"]
        for row in query.rows(ctx)
        if _distance(lat, lng, row["lat"], row["lng"]) <= dist
    ]
    marks = ", ".join("?" for _ in inside) or "NULL"
    query.add(f"d.doc_id IN ({marks})", *inside)


def _distance(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Metres between two points (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


@handler("doc.set")
def set_doc(ctx: Context) -> Answer:
    """Change a document's title and description (and, like the service, its
    place, privacy, license and safety when those parameters come too)."""
    doc = own_doc(ctx)
    doc_id = doc["doc_id"]
    title = ctx.text("title", doc["title"])
    description = ctx.text("description", doc["description"])
    ctx.store.execute(
        "UPDATE docs SET title = ?, description = ?, modified_at = ? WHERE doc_id = ?",
        (title, description, ctx.now, doc_id),
    )
    if ctx.has("lat") or ctx.has("lng"):
        _set_place(ctx, doc_id)
    if any(ctx.has(name) for name in (*_PRIVACY, "share", *_ACTIONS)):
        _set_perms(ctx, doc_id)
    if ctx.has("license"):
        _set_choice(ctx, doc_id, "license", LICENSES)
    if ctx.has("safety"):
        _set_choice(ctx, doc_id, "safety", SAFETY_LEVELS)
    row = visible_doc(ctx, doc_id)
    return {
        "doc": {
            "doc_id": doc_id,
            "title": row["title"],
            "share": share_level(row),
            "description": row["description"],
        }
    }


@handler("doc.delete")
def delete(ctx: Context) -> Answer | None:
    """Delete one of the caller's documents with everything attached to it."""
    doc_id = own_doc(ctx)["doc_id"]
    store = ctx.store
    # Comments, faves and visits point at several kinds of things: no foreign key.
    for table in ("comments", "faves", "visits"):
        store.execute(
            f"DELETE FROM {table} WHERE kind = 'doc' AND target_id = ?",  # noqa: S608
            (doc_id,),
        )
    store.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))
    return None


@handler("doc.checkMD5")
def check_md5(ctx: Context) -> Answer:
    """Tell which of up to 20 md5 checksums match a document of the caller.

    As the live service does, only matches are listed (``md5``, ``doc_id``,
    ``found="1"``); the catalogue's sample also lists misses, but clients read
    ``doc_id`` from every entry.
    """
    wanted = [m.strip().lower() for m in ctx.require("md5").split(",") if m.strip()][:20]
    user_id = ctx.me()
    store = ctx.store
    # Demo pictures get their md5 when first drawn; draw the caller's now.
    for row in store.query("SELECT * FROM docs WHERE owner_id = ? AND md5 IS NULL", (user_id,)):
        media.file_facts(store, row)
    asked = list(dict.fromkeys(wanted))
    # Clients iterate docs.doc: it is there, empty, when nothing matches.
    items: SentEvenIfEmpty = SentEvenIfEmpty()
    for md5 in asked:
        found = store.one(
            "SELECT doc_id FROM docs WHERE owner_id = ? AND md5 = ? ORDER BY doc_id",
            (user_id, md5),
        )
        if found is not None:
            items.append({"md5": md5, "doc_id": found["doc_id"], "found": True})
    return {"docs": {"count": len(asked), "found": len(items), "doc": items}}


@handler("doc.getContainers")
def get_containers(ctx: Context) -> Answer:
    """The albums and groups a document is in.

    Both lists are sent even when empty: clients that work against the live
    service iterate ``groups.group`` of a document in no group.
    """
    doc = visible_doc(ctx)
    store = ctx.store
    album_rows = store.query(
        "SELECT a.* FROM albums a JOIN album_docs ad USING (album_id)"
        " WHERE ad.doc_id = ? ORDER BY a.album_id",
        (doc["doc_id"],),
    )
    group_rows = store.query(
        "SELECT g.*, gd.pending FROM groups g JOIN group_docs gd USING (group_id)"
        " WHERE gd.doc_id = ? ORDER BY g.group_id",
        (doc["doc_id"],),
    )
    album_items = SentEvenIfEmpty(_container_album(ctx, row) for row in album_rows)
    group_items = SentEvenIfEmpty(_container_group(ctx, row) for row in group_rows)
    pending = sum(1 for row in group_rows if row["pending"])
    return {
        "albums": {"total": len(album_items), "album": album_items},
        "groups": {
            "total": len(group_items),
            "added": len(group_items) - pending,
            "pending": pending,
            "invited": 0,
            "group": group_items,
        },
    }


def _container_album(ctx: Context, album: Row) -> dict[str, Any]:
    cover = ctx.store.one("SELECT * FROM docs WHERE doc_id = ?", (album["cover_id"],))
    return {
        "album_id": album["album_id"],
        "title": album["title"],
        "docs": albums.doc_total(ctx, album["album_id"]),
        "cover": shapes.thumb_url(ctx, cover, "75x") if cover else None,
        "link": albums.album_link(ctx, album),
    }


def _container_group(ctx: Context, group: Row) -> dict[str, Any]:
    return {
        "group_id": group["group_id"],
        "title": group["title"],
        "docs": groups.doc_total(ctx, group["group_id"]),
        "pending": bool(group["pending"]),
        "invited": False,
        "cover": groups.group_icon(ctx, group["group_id"]),
        "link": groups.group_link(ctx, group),
    }


@handler("doc.getContext")
def get_context(ctx: Context) -> Answer:
    """The documents posted before and after one in its owner's stream."""
    doc = visible_doc(ctx)
    query = seen_by(ctx.viewer).add("d.owner_id = ?", doc["owner_id"])
    apply_filters(ctx, query)
    rows = query.sort("d.posted_at ASC, d.doc_id ASC").rows(ctx)
    position = next((i for i, row in enumerate(rows) if row["doc_id"] == doc["doc_id"]), None)
    if position is None:
        raise not_found("Document (with these filters)")
    return shapes.context(ctx, rows, position)


@handler("doc.getExif")
def get_exif(ctx: Context) -> Answer:
    """The EXIF tags of a photo (none for other documents)."""
    doc = visible_doc(ctx)
    tags = media.exif_tags(media.original(ctx.store, doc)) if doc["media"] == "photo" else []
    items = [{"id": tag_id, "name": name, "value": value} for tag_id, name, value in tags]
    return {"exif": {"doc_id": doc["doc_id"], "total": len(items), "tag": items}}


@handler("doc.getFaves")
def get_faves(ctx: Context) -> Answer:
    """The members who faved a document."""
    return audience.faves(ctx, "doc", visible_doc(ctx)["doc_id"])


@handler("doc.getVisitors")
def get_visitors(ctx: Context) -> Answer:
    """The latest visitors of one of the caller's documents."""
    return audience.visitors(ctx, "doc", own_doc(ctx)["doc_id"])


@handler("doc.getMedias")
def get_medias(ctx: Context) -> Answer:
    """The URLs of a document's thumbnails, playable media and original file."""
    doc = visible_doc(ctx)
    return {
        "thumbs": shapes.thumbs(ctx, doc),
        "medias": shapes.medias(ctx, doc),
        "original": shapes.original(ctx, doc),
    }


@handler("doc.getPerms")
def get_perms(ctx: Context) -> Answer:
    """Privacy and permissions of one of the caller's documents.

    Each value is told twice: in the sample's names (``permissions.permcomment``,
    ``usage.canfave``…) and in the names ``doc.get`` uses, which clients tested
    against the live service read (``permissions.comment``, ``can.fave``…).
    """
    doc = own_doc(ctx)
    can = shapes.doc_can(ctx, doc, ctx.viewer)
    levels = {"comment": doc["perm_comment"], "tag": doc["perm_tag"], "tagme": doc["perm_tagme"]}
    return {
        "visibility": {
            "ispublic": bool(doc["is_public"]),
            "isfriend": bool(doc["is_friend"]),
            "isfamily": bool(doc["is_family"]),
        },
        "permissions": {**{"perm" + name: level for name, level in levels.items()}, **levels},
        "usage": {"can" + name: allowed for name, allowed in can.items()},
        "can": can,
    }


def _set_place(ctx: Context, doc_id: int) -> None:
    lat, lng = ctx.number("lat"), ctx.number("lng")
    if lat == NO_PLACE and lng == NO_PLACE:
        lat = lng = None
    elif lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise MethodError(3, "Give both lat (-90 to 90) and lng (-180 to 180), or -999 for both")
    ctx.store.execute(
        "UPDATE docs SET lat = ?, lng = ?, modified_at = ? WHERE doc_id = ?",
        (lat, lng, ctx.now, doc_id),
    )


@handler("doc.setGeo")
def set_geo(ctx: Context) -> Answer | None:
    """Place a document on the map (``-999`` for both removes its place)."""
    _set_place(ctx, own_doc(ctx)["doc_id"])
    return None


def _set_choice(ctx: Context, doc_id: int, name: str, choices: frozenset[int]) -> None:
    """Set the document's ``name`` (``license``, ``safety``) to the parameter
    of that name, one of ``choices`` (error 3 otherwise)."""
    value = ctx.integer(name, -1)
    if value not in choices:
        raise MethodError(3, f"Invalid {name} (one of {', '.join(map(str, sorted(choices)))})")
    # Only a name from the code is spliced in; the values are bound.
    ctx.store.execute(f"UPDATE docs SET {name} = ? WHERE doc_id = ?", (value, doc_id))  # noqa: S608


@handler("doc.setLicense")
def set_license(ctx: Context) -> Answer | None:
    """Set a document's license."""
    doc = own_doc(ctx)
    ctx.require("license")
    _set_choice(ctx, doc["doc_id"], "license", LICENSES)
    return None


_PRIVACY = ("is_public", "is_family", "is_friend")
_ACTIONS = ("perm_comment", "perm_tag", "perm_tagme")


def _set_perms(ctx: Context, doc_id: int) -> None:
    updates: dict[str, int] = {}
    if ctx.has("share"):
        share = ctx.integer("share", -1)
        if share not in range(6):
            raise MethodError(3, "Invalid share value")
        public = share >= 4
        updates |= {
            "is_public": public,
            "is_family": not public and share in (1, 3),
            "is_friend": not public and share in (2, 3),
        }
    elif any(ctx.has(name) for name in _PRIVACY):
        updates |= {name: bool(ctx.flag(name)) for name in _PRIVACY}
    for name in _ACTIONS:
        if ctx.has(name):
            level = ctx.integer(name, -1)
            if level not in range(6):
                raise MethodError(3, f"Invalid {name} value")
            updates[name] = level
    if not updates:
        raise MethodError(3, "Nothing to set")
    assignments = ", ".join(f"{column} = ?" for column in updates)
    ctx.store.execute(
        f"UPDATE docs SET {assignments} WHERE doc_id = ?",  # noqa: S608
        (*[int(v) for v in updates.values()], doc_id),
    )


@handler("doc.setPerms")
def set_perms(ctx: Context) -> Answer | None:
    """Set a document's privacy (``share`` or ``is_*``) and who may comment or tag."""
    _set_perms(ctx, own_doc(ctx)["doc_id"])
    return None


@handler("doc.setSafety")
def set_safety(ctx: Context) -> Answer | None:
    """Set a document's safety level: 1 for everyone, 2 not for all, 3 adults only."""
    doc = own_doc(ctx)
    ctx.require("safety")
    _set_choice(ctx, doc["doc_id"], "safety", SAFETY_LEVELS)
    return None


@handler("doc.albums.add")
def add_to_albums(ctx: Context) -> Answer:
    """Add one of the caller's documents to up to 20 of their albums."""
    doc = own_doc(ctx)
    items: list[dict[str, Any]] = []
    for album_id in ctx.id_list("album_id", "Album"):
        if not ctx.owns("albums", "album_id", album_id):
            items.append({"album_id": album_id, "added": False, "error": 1})
            continue
        added = content.add_to_album(ctx.store, album_id, doc["doc_id"])
        items.append({"album_id": album_id, "added": added, "error": 0})
    return {
        "doc": {
            "doc_id": doc["doc_id"],
            "total": len(items),
            **shapes.tally(items, "added"),
            "album": items,
        }
    }


# -- notes --------------------------------------------------------------------


def _note_box(ctx: Context, doc: Row) -> tuple[int, int, int, int]:
    x, y, w, h = (ctx.integer(name, -1) for name in ("x", "y", "w", "h"))
    width, height = media.fit(*media.picture_size(doc), "560")
    if x < 0 or y < 0 or w < 1 or h < 1 or x + w > width or y + h > height:
        return DEFAULT_NOTE_BOX
    return x, y, w, h


def _note_answer(ctx: Context, note_id: int) -> Answer:
    row = ctx.store.one(
        "SELECT n.*, u.username FROM notes n JOIN users u USING (user_id) WHERE note_id = ?",
        (note_id,),
    )
    if row is None:
        raise not_found("Note")
    return {"note": shapes.note(row)}


@handler("doc.notes.add")
def add_note(ctx: Context) -> Answer:
    """Put a note on a photo (``preview=1``: show it without adding it)."""
    doc = visible_doc(ctx)
    if doc["media"] != "photo":
        raise MethodError(3, "Notes go on photos only")
    if not allows(ctx.store, doc["owner_id"], ctx.viewer, doc["perm_comment"]):
        raise forbidden("You may not add notes to this document")
    member_id = ctx.integer("member_id", 0) or None
    text = ctx.text("content").strip() if member_id else ctx.require("content")
    if member_id and ctx.store.one("SELECT 1 FROM users WHERE user_id = ?", (member_id,)) is None:
        raise not_found("Member")
    x, y, w, h = _note_box(ctx, doc)
    if ctx.flag("preview"):
        me = ctx.me()
        preview = {"note_id": 0, "user_id": me, "posted_at": ctx.now}
        return {"note": {**preview, "x": x, "y": y, "w": w, "h": h, "content": text}}
    note_id = ctx.store.execute(
        "INSERT INTO notes (doc_id, user_id, member_id, content, x, y, w, h, posted_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc["doc_id"], ctx.me(), member_id, text, x, y, w, h, ctx.now),
    )
    return _note_answer(ctx, note_id)


def _own_note(ctx: Context) -> tuple[Row, Row]:
    """The note of the ``note_id`` parameter and its photo, if the caller wrote
    the note or owns the photo."""
    note_id = ctx.record_id("note_id", "Note")
    note = ctx.store.one("SELECT * FROM notes WHERE note_id = ?", (note_id,))
    if note is None:
        raise not_found("Note")
    doc = visible_doc(ctx, note["doc_id"])
    if ctx.me() not in (note["user_id"], doc["owner_id"]):
        raise forbidden("The note is neither yours nor on your document")
    return note, doc


@handler("doc.notes.edit")
def edit_note(ctx: Context) -> Answer:
    """Change a note's text and box (``preview=1``: show without saving)."""
    note, doc = _own_note(ctx)
    text = ctx.require("content")
    x, y, w, h = _note_box(ctx, doc)
    if ctx.flag("preview"):
        answer = _note_answer(ctx, note["note_id"])
        answer["note"].update({"x": x, "y": y, "w": w, "h": h, "content": text})
        return answer
    ctx.store.execute(
        "UPDATE notes SET content = ?, x = ?, y = ?, w = ?, h = ? WHERE note_id = ?",
        (text, x, y, w, h, note["note_id"]),
    )
    return _note_answer(ctx, note["note_id"])


@handler("doc.notes.delete")
def delete_note(ctx: Context) -> Answer | None:
    """Remove a note."""
    note, _ = _own_note(ctx)
    ctx.store.execute("DELETE FROM notes WHERE note_id = ?", (note["note_id"],))
    return None
