"""``upload.*``: multipart uploads, replacements and their tickets.

An upload answers a ticket at once; the ticket is done ``upload_delay`` seconds
later (see :class:`~ipernity.sandbox.settings.Settings`), so that clients can be
tested polling. With ``async=0`` it answers the new document's id instead, as
the service does once the document is processed. The document itself exists as
soon as the upload is answered.

Errors, as the service documents them: 1 file missing or empty, 2 file too
large, 3 monthly upload limit reached, 4 document not found (replace),
5 media type differs (replace).
"""

from __future__ import annotations

import math
import secrets
import time
from typing import Any

from .. import content, media
from .registry import Answer, Context, MethodError, handler, invalid_number, parse_int
from .users import FREE_MONTHLY_BYTES, month_usage

#: How ``dir`` (EXIF orientation) turns into the document's rotation.
ROTATIONS = {1: 0, 3: 180, 6: 270, 8: 90}
#: The latest Unix time ``created_at`` may name (the end of year 9999).
MAX_TIMESTAMP = 253402300799
#: The most tickets ``upload.checkTickets`` looks at.
MAX_TICKETS = 50


def _file(ctx: Context) -> tuple[bytes, str, str | None]:
    """The uploaded file's bytes, name and content type, checked for size."""
    storage = ctx.files.get("file")
    if storage is None:
        raise MethodError(1, "File is missing")
    limit = ctx.settings.max_upload_bytes
    # Read one byte past the limit: enough to know, never more.
    data = storage.stream.read(limit + 1)
    if not data:
        raise MethodError(1, "File is empty")
    if len(data) > limit:
        raise MethodError(2, f"File is too large (at most {limit} bytes)")
    return data, storage.filename or "", storage.mimetype or None


def _check_quota(ctx: Context, user_id: int, size: int) -> None:
    is_pro = ctx.store.scalar("SELECT is_pro FROM users WHERE user_id = ?", (user_id,))
    if not is_pro and month_usage(ctx.store, user_id) + size > FREE_MONTHLY_BYTES:
        raise MethodError(3, "Monthly upload limit reached")


def _ticket(ctx: Context, user_id: int, doc_id: int, replaced: bool) -> Answer:
    now = time.time()
    ticket_id = ctx.store.execute(
        "INSERT INTO upload_tickets (user_id, doc_id, replaced, created_at, ready_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (user_id, doc_id, int(replaced), now, now + max(ctx.settings.upload_delay, 0.0)),
    )
    return {"ticket": ticket_id}


@handler("upload.file")
def upload_file(ctx: Context) -> Answer:
    """Store a new document from a multipart upload; answer its ticket."""
    user_id = ctx.me()
    data, filename, content_type = _file(ctx)
    _check_quota(ctx, user_id, len(data))
    lat, lng = ctx.number("lat"), ctx.number("lng")
    placed = lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180
    new = content.NewDoc(
        owner_id=user_id,
        title=ctx.text("title").strip(),
        description=ctx.text("description"),
        is_public=ctx.flag("is_public") is not False,
        is_friend=bool(ctx.flag("is_friend")),
        is_family=bool(ctx.flag("is_family")),
        license=ctx.integer("license", 0, minimum=0),
        safety=min(max(ctx.integer("safety", 1), 1), 3),
        lat=lat if placed else None,
        lng=lng if placed else None,
        created=_created(ctx),
        data=data,
        filename=filename,
        content_type=content_type,
    )
    doc_id = content.create_doc(ctx.store, new)
    _apply_options(ctx, doc_id, user_id)
    # async=0: the service answers once the document exists, with its id.
    if ctx.flag("async") is False:
        return {"doc_id": doc_id}
    return _ticket(ctx, user_id, doc_id, replaced=False)


def _created(ctx: Context) -> str | None:
    """The date taken: a Unix time, or a date text kept as sent."""
    raw = ctx.text("created_at").strip()
    if not raw.isnumeric():
        return raw[:19] or None
    timestamp = ctx.integer("created_at", 0, minimum=0)
    if timestamp > MAX_TIMESTAMP:
        raise invalid_number("created_at")
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(timestamp))


def _apply_options(ctx: Context, doc_id: int, user_id: int) -> None:
    """Keywords, member tags, album, permissions and rotation of an upload."""
    store = ctx.store
    content.add_keywords(store, doc_id, user_id, content.parse_keywords(ctx.text("keywords")))
    for member in ctx.text("member_ids").split(","):
        member_id = parse_int(member)
        if member_id and store.one("SELECT 1 FROM users WHERE user_id = ?", (member_id,)):
            content.tag_doc(store, doc_id, content.member_tag(store, member_id), user_id)
    album_id = ctx.integer("album_id", 0)
    if ctx.owns("albums", "album_id", album_id):
        content.add_to_album(store, album_id, doc_id)
    for name in ("perm_comment", "perm_tag", "perm_tagme"):
        level = ctx.integer(name, -1)
        if level in range(6):
            store.execute(f"UPDATE docs SET {name} = ? WHERE doc_id = ?", (level, doc_id))  # noqa: S608
    rotation = ROTATIONS.get(ctx.integer("dir", 1), 0)
    store.execute("UPDATE docs SET rotation = ? WHERE doc_id = ?", (rotation, doc_id))


@handler("upload.replace")
def upload_replace(ctx: Context) -> Answer:
    """Replace the file of one of the caller's documents; answer a ticket."""
    user_id = ctx.me()
    doc_id = ctx.integer("doc_id", 0)
    doc = ctx.store.one("SELECT * FROM docs WHERE doc_id = ? AND owner_id = ?", (doc_id, user_id))
    if doc is None:
        raise MethodError(4, "Document not found")
    data, filename, content_type = _file(ctx)
    probe = media.probe(data, filename, content_type)
    if probe.media != doc["media"]:
        raise MethodError(5, f"Media type differs ({probe.media}, not {doc['media']})")
    _check_quota(ctx, user_id, len(data))
    ctx.store.execute(
        "UPDATE docs SET art = NULL, filename = ?, ext = ?, mime = ?, width = ?, height = ?,"
        " replaced_at = ?, modified_at = ?, secret = ? WHERE doc_id = ?",
        (
            filename or doc["filename"],
            probe.ext,
            probe.mime,
            probe.width,
            probe.height,
            ctx.now,
            ctx.now,
            # A new secret: the old thumbnails' URLs must not serve the new file.
            secrets.token_hex(4),
            doc_id,
        ),
    )
    media.keep_file(ctx.store, doc_id, data)
    return _ticket(ctx, user_id, doc_id, replaced=True)


@handler("upload.checkTickets")
def check_tickets(ctx: Context) -> Answer:
    """Tell which upload tickets are done (with their document) or invalid."""
    user_id = ctx.me()
    wanted = [t.strip() for t in ctx.require("tickets").split(",") if t.strip()][:MAX_TICKETS]
    now = time.time()
    items: list[dict[str, Any]] = []
    for ticket in dict.fromkeys(wanted):
        row = ctx.store.one(
            "SELECT * FROM upload_tickets WHERE ticket_id = ? AND user_id = ?",
            (parse_int(ticket), user_id),
        )
        if row is None or row["doc_id"] is None:
            items.append({"id": ticket, "done": False, "invalid": True, "eta": 0})
        elif row["ready_at"] <= now:
            items.append(
                {"id": ticket, "done": True, "invalid": False, "doc_id": row["doc_id"], "eta": 0}
            )
        else:
            eta = math.ceil(row["ready_at"] - now)
            items.append({"id": ticket, "done": False, "invalid": False, "eta": eta})
    done = sum(1 for item in items if item["done"])
    invalid = sum(1 for item in items if item["invalid"])
    return {
        "tickets": {
            "total": len(items),
            "count": len(items),
            "done": done,
            "invalid": invalid,
            "left": len(items) - done - invalid,
            "eta": max((item["eta"] for item in items), default=0),
            "ticket": items,
        }
    }
