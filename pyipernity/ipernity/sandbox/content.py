"""Creating the service's content: members, applications, documents, albums…

One place writes each kind of record, used alike by the
:class:`~ipernity.sandbox.Sandbox` facade, the demo seed and the API handlers
(``upload.file`` and ``album.create`` create what ``add_doc`` and
``add_album`` create).
"""

from __future__ import annotations

import csv
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from . import media
from .scenes import Art
from .store import Store

_ALIAS_CHARS = re.compile(r"[^a-z0-9]+")


def now() -> int:
    """The current Unix time."""
    return int(time.time())


def create_user(
    store: Store,
    username: str,
    realname: str = "",
    *,
    is_pro: bool = False,
    country: str = "",
    town: str = "",
) -> int:
    """Add a member; their alias (web address) is derived from the username."""
    with store.transaction():
        alias = _free_alias(store, "users", username, "member")
        return store.execute(
            "INSERT INTO users (username, realname, alias, is_pro, country, town, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (username, realname, alias, int(is_pro), country, town, now()),
        )


def _free_alias(store: Store, table: str, name: str, fallback: str) -> str:
    """An alias no row of ``table`` (``users``, ``groups``) has yet: ``name``
    in lowercase letters and digits (``fallback`` if that leaves nothing),
    numbered from 2 when taken."""
    base = _ALIAS_CHARS.sub("", name.lower()) or fallback
    alias, n = base, 1
    # Only a table name from the code is spliced in; the alias is bound.
    while store.one(f"SELECT 1 FROM {table} WHERE alias = ?", (alias,)):  # noqa: S608
        n += 1
        alias = f"{base}{n}"
    return alias


def create_app(
    store: Store, name: str, auth: str, callback: str | None, api_key: str, api_secret: str
) -> int:
    """Register an application."""
    if auth not in ("web", "desktop"):
        raise ValueError("auth must be 'web' or 'desktop'")
    if auth == "web" and not callback:
        raise ValueError("a web application needs a callback URL")
    return store.execute(
        "INSERT INTO apps (name, auth, callback, api_key, api_secret, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (name, auth, callback, api_key, api_secret, now()),
    )


@dataclass
class NewDoc:
    """The description of a document to create."""

    owner_id: int
    title: str = ""
    description: str = ""
    is_public: bool = True
    is_friend: bool = False
    is_family: bool = False
    license: int = 0
    safety: int = 1
    lat: float | None = None
    lng: float | None = None
    #: When the picture was taken, ``YYYY-MM-DD HH:MM:SS``.
    created: str | None = None
    posted_at: int | None = None
    #: The file; ``None`` draws a demo picture of ``width`` x ``height``.
    data: bytes | None = None
    filename: str = ""
    content_type: str | None = None
    width: int = 480
    height: int = 360
    #: What the demo picture shows (by default the scene the title names,
    #: seeded by the doc id).
    art: Art | None = None
    secret: str | None = None


def create_doc(store: Store, new: NewDoc) -> int:
    """Add a document and return its id."""
    posted = new.posted_at or now()
    created = new.created or time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(posted))
    if new.data is None:
        probe = media.Probe("photo", "jpg", "image/jpeg", new.width, new.height)
        filename = new.filename or "picture.jpg"
    else:
        probe = media.probe(new.data, new.filename, new.content_type)
        filename = new.filename or f"file.{probe.ext}"
    title = new.title or title_from_filename(filename)
    with store.transaction():
        doc_id = store.execute(
            "INSERT INTO docs (owner_id, title, description, media, license, safety, is_public,"
            " is_friend, is_family, lat, lng, created, posted_at, modified_at, filename,"
            " ext, mime, width, height, secret)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.owner_id,
                title,
                new.description,
                probe.media,
                new.license,
                new.safety,
                int(new.is_public),
                int(new.is_friend),
                int(new.is_family),
                new.lat,
                new.lng,
                created,
                posted,
                posted,
                filename,
                probe.ext,
                probe.mime,
                probe.width,
                probe.height,
                new.secret or secrets.token_hex(4),
            ),
        )
        if new.data is not None:
            media.keep_file(store, doc_id, new.data)
            return doc_id
        art = new.art or Art.for_title(title, doc_id)
        # The size of the picture's file is known before it is ever drawn.
        size = media.drawn_file_size(art, new.width, new.height)
        store.execute(
            "UPDATE docs SET art = ?, bytes = ? WHERE doc_id = ?", (str(art), size, doc_id)
        )
        return doc_id


def title_from_filename(filename: str) -> str:
    """The title a document gets from its file name (without the extension)."""
    return filename.rsplit(".", 1)[0] if "." in filename else filename


def parse_keywords(text: str) -> list[str]:
    """Split ``holidays,beach`` or ``"blue sky",sunset`` into keywords."""
    row = next(csv.reader([text], skipinitialspace=True), [])
    return list(dict.fromkeys(word.strip() for word in row if word.strip()))


def keyword_tag(store: Store, title: str) -> int:
    """The id of the keyword tag ``title`` (tags compare case-insensitively)."""
    keyword = title.strip().lower()
    with store.transaction():
        store.execute(
            "INSERT OR IGNORE INTO tags (type, keyword, member_id, title)"
            " VALUES ('keyword', ?, 0, ?)",
            (keyword, title.strip()),
        )
        tag_id: int = store.scalar(
            "SELECT tag_id FROM tags WHERE type = 'keyword' AND keyword = ?", (keyword,)
        )
        return tag_id


def member_tag(store: Store, member_id: int) -> int:
    """The id of the member tag naming ``member_id``."""
    with store.transaction():
        name = store.scalar("SELECT username FROM users WHERE user_id = ?", (member_id,))
        store.execute(
            "INSERT OR IGNORE INTO tags (type, keyword, member_id, title)"
            " VALUES ('member', '', ?, ?)",
            (member_id, name or str(member_id)),
        )
        tag_id: int = store.scalar(
            "SELECT tag_id FROM tags WHERE type = 'member' AND member_id = ?", (member_id,)
        )
        return tag_id


def tag_doc(store: Store, doc_id: int, tag_id: int, user_id: int) -> bool:
    """Put a tag on a document; tell whether it was new there."""
    added = store.changed(
        "INSERT OR IGNORE INTO doc_tags (doc_id, tag_id, user_id, added_at) VALUES (?, ?, ?, ?)",
        (doc_id, tag_id, user_id, now()),
    )
    return added > 0


def _next_position(store: Store, table: str, key: str, value: int) -> int:
    """The position after the last one of ``table`` rows whose ``key`` is ``value``."""
    position: int = store.scalar(
        f"SELECT COALESCE(MAX(position), 0) + 1 FROM {table} WHERE {key} = ?",  # noqa: S608
        (value,),
    )
    return position


def create_album(
    store: Store, owner_id: int, title: str, description: str = "", cover_id: int | None = None
) -> int:
    """Add an (empty) album at the end of its owner's list."""
    with store.transaction():
        position = _next_position(store, "albums", "owner_id", owner_id)
        return store.execute(
            "INSERT INTO albums (owner_id, title, description, cover_id, position, created_at,"
            " last_update_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (owner_id, title, description, cover_id, position, now(), now()),
        )


def add_to_album(store: Store, album_id: int, doc_id: int) -> bool:
    """Append a document to an album; tell whether it was not there yet.

    The first document added becomes the cover of an album without one.
    """
    with store.transaction():
        if store.one(
            "SELECT 1 FROM album_docs WHERE album_id = ? AND doc_id = ?", (album_id, doc_id)
        ):
            return False
        position = _next_position(store, "album_docs", "album_id", album_id)
        store.execute(
            "INSERT INTO album_docs (album_id, doc_id, position, added_at) VALUES (?, ?, ?, ?)",
            (album_id, doc_id, position, now()),
        )
        store.execute(
            "UPDATE albums SET cover_id = COALESCE(cover_id, ?), last_update_at = ?"
            " WHERE album_id = ?",
            (doc_id, now(), album_id),
        )
        return True


def create_folder(store: Store, owner_id: int, title: str, description: str = "") -> int:
    """Add an (empty) folder at the end of its owner's list."""
    with store.transaction():
        position = _next_position(store, "folders", "owner_id", owner_id)
        return store.execute(
            "INSERT INTO folders"
            " (owner_id, title, description, position, created_at, last_update_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (owner_id, title, description, position, now(), now()),
        )


def add_to_folder(store: Store, folder_id: int, album_id: int) -> bool:
    """Append an album to a folder; tell whether it was not there yet."""
    with store.transaction():
        if store.one(
            "SELECT 1 FROM folder_albums WHERE folder_id = ? AND album_id = ?",
            (folder_id, album_id),
        ):
            return False
        position = _next_position(store, "folder_albums", "folder_id", folder_id)
        store.execute(
            "INSERT INTO folder_albums (folder_id, album_id, position, added_at)"
            " VALUES (?, ?, ?, ?)",
            (folder_id, album_id, position, now()),
        )
        store.execute(
            "UPDATE folders SET last_update_at = ? WHERE folder_id = ?", (now(), folder_id)
        )
        return True


def create_group(
    store: Store, title: str, description: str = "", *, moderated: bool = False, ispublic: int = 1
) -> int:
    """Add a group; its alias (web address) is derived from the title."""
    with store.transaction():
        alias = _free_alias(store, "groups", title, "group")
        return store.execute(
            "INSERT INTO groups (title, alias, description, ispublic, moderated, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (title, alias, description, ispublic, int(moderated), now()),
        )


def join_group(store: Store, group_id: int, user_id: int, role: str = "member") -> None:
    """Make a member join a group (or change their role in it)."""
    store.execute(
        "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role",
        (group_id, user_id, role, now()),
    )


def add_to_group(store: Store, group_id: int, doc_id: int, user_id: int, pending: bool) -> bool:
    """Share a document in a group; tell whether it was not there yet."""
    with store.transaction():
        if store.one(
            "SELECT 1 FROM group_docs WHERE group_id = ? AND doc_id = ?", (group_id, doc_id)
        ):
            return False
        position = _next_position(store, "group_docs", "group_id", group_id)
        store.execute(
            "INSERT INTO group_docs (group_id, doc_id, added_by, position, added_at, pending)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (group_id, doc_id, user_id, position, now(), int(pending)),
        )
        return True


def relate(store: Store, user_id: int, contact_id: int, *, friend: bool, family: bool) -> None:
    """Record that ``user_id`` counts ``contact_id`` as a contact (friend, family)."""
    store.execute(
        "INSERT INTO relations (user_id, contact_id, is_friend, is_family, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, contact_id) DO UPDATE SET"
        " is_friend = excluded.is_friend, is_family = excluded.is_family",
        (user_id, contact_id, int(friend), int(family), now()),
    )


def create_post(
    store: Store,
    owner_id: int,
    title: str,
    content: str = "",
    *,
    is_public: bool = True,
    is_friend: bool = False,
    is_family: bool = False,
    posted_at: int | None = None,
) -> int:
    """Add a blog post."""
    posted = posted_at or now()
    return store.execute(
        "INSERT INTO posts (owner_id, title, content, is_public, is_friend, is_family, posted_at,"
        " modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (owner_id, title, content, int(is_public), int(is_friend), int(is_family), posted, posted),
    )


def add_comment(
    store: Store,
    kind: str,
    target_id: int,
    user_id: int,
    content: str,
    parent_id: int | None = None,
) -> int:
    """Comment on a document, post or album (or reply to a comment there)."""
    with store.transaction():
        comment_id = store.execute(
            "INSERT INTO comments (kind, target_id, user_id, parent_id, content, posted_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (kind, target_id, user_id, parent_id, content, now()),
        )
        if kind == "doc":
            store.execute("UPDATE docs SET comment_at = ? WHERE doc_id = ?", (now(), target_id))
        elif kind == "album":
            store.execute(
                "UPDATE albums SET comment_at = ? WHERE album_id = ?", (now(), target_id)
            )
        return comment_id


def add_fave(store: Store, kind: str, target_id: int, user_id: int) -> bool:
    """Add a document, album or post to a member's faves; tell whether it is new."""
    with store.transaction():
        if store.one(
            "SELECT 1 FROM faves WHERE kind = ? AND target_id = ? AND user_id = ?",
            (kind, target_id, user_id),
        ):
            return False
        store.execute(
            "INSERT INTO faves (kind, target_id, user_id, faved_at) VALUES (?, ?, ?, ?)",
            (kind, target_id, user_id, now()),
        )
        return True


def visit(store: Store, kind: str, target_id: int, user_id: int | None) -> None:
    """Count a visit (``user_id`` ``None`` is an anonymous visitor)."""
    store.execute(
        "INSERT INTO visits (kind, target_id, user_id, visits, first_visit_at, visited_at)"
        " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (kind, target_id, user_id) DO UPDATE SET"
        " visits = visits + 1, visited_at = excluded.visited_at",
        (kind, target_id, user_id or 0, now(), now()),
    )


def add_keywords(store: Store, doc_id: int, user_id: int, keywords: Iterable[str]) -> None:
    """Tag a document with keywords."""
    for keyword in keywords:
        tag_doc(store, doc_id, keyword_tag(store, keyword), user_id)
