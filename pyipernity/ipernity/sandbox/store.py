"""The sandbox's state: one SQLite database holding everything the service knows.

Members, applications, grants and frobs, documents and their files, albums,
folders, groups, tags, comments, notes, faves, visits, the network, blog posts
and upload tickets all live here. The whole schema exists from the start, so a
method family only adds queries, never tables.

One connection serves every thread, guarded by a re-entrant lock: the sandbox
is a test double, and serialising requests makes each API call one atomic
transaction without any locking subtleties for the handlers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from . import changes

Row = sqlite3.Row
Params = Sequence[Any]

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    realname TEXT NOT NULL DEFAULT '',
    alias TEXT NOT NULL UNIQUE COLLATE NOCASE,
    is_pro INTEGER NOT NULL DEFAULT 0,
    is_closed INTEGER NOT NULL DEFAULT 0,
    country TEXT NOT NULL DEFAULT '',
    town TEXT NOT NULL DEFAULT '',
    lat REAL,
    lng REAL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS apps (
    app_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    auth TEXT NOT NULL CHECK (auth IN ('web', 'desktop')),
    callback TEXT,
    api_key TEXT NOT NULL UNIQUE,
    api_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS grants (
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    app_id INTEGER NOT NULL REFERENCES apps ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    perm_doc TEXT NOT NULL DEFAULT 'none',
    perm_blog TEXT NOT NULL DEFAULT 'none',
    perm_post TEXT NOT NULL DEFAULT 'none',
    perm_network TEXT NOT NULL DEFAULT 'none',
    perm_profile TEXT NOT NULL DEFAULT 'none',
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, app_id)
);
CREATE TABLE IF NOT EXISTS frobs (
    frob TEXT PRIMARY KEY,
    app_id INTEGER NOT NULL REFERENCES apps ON DELETE CASCADE,
    user_id INTEGER REFERENCES users ON DELETE CASCADE,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    approved INTEGER NOT NULL DEFAULT 0,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS docs (
    doc_id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    media TEXT NOT NULL DEFAULT 'photo',
    license INTEGER NOT NULL DEFAULT 0,
    safety INTEGER NOT NULL DEFAULT 1,
    is_public INTEGER NOT NULL DEFAULT 1,
    is_friend INTEGER NOT NULL DEFAULT 0,
    is_family INTEGER NOT NULL DEFAULT 0,
    perm_comment INTEGER NOT NULL DEFAULT 5,
    perm_tag INTEGER NOT NULL DEFAULT 4,
    perm_tagme INTEGER NOT NULL DEFAULT 4,
    rotation INTEGER NOT NULL DEFAULT 0,
    lat REAL,
    lng REAL,
    location TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    posted_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    replaced_at INTEGER NOT NULL DEFAULT 0,
    comment_at INTEGER NOT NULL DEFAULT 0,
    -- the file: either uploaded bytes (in blobs) or a demo picture drawn on demand
    art TEXT,
    filename TEXT NOT NULL DEFAULT '',
    ext TEXT NOT NULL DEFAULT 'jpg',
    mime TEXT NOT NULL DEFAULT 'image/jpeg',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER,
    md5 TEXT,
    secret TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_owner ON docs (owner_id, posted_at);
CREATE INDEX IF NOT EXISTS docs_md5 ON docs (owner_id, md5);
CREATE TABLE IF NOT EXISTS blobs (
    doc_id INTEGER PRIMARY KEY REFERENCES docs ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS thumbnails (
    doc_id INTEGER NOT NULL REFERENCES docs ON DELETE CASCADE,
    label TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (doc_id, label)
);
CREATE TABLE IF NOT EXISTS albums (
    album_id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cover_id INTEGER REFERENCES docs ON DELETE SET NULL,
    perm_comment INTEGER NOT NULL DEFAULT 3,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_update_at INTEGER NOT NULL,
    comment_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS album_docs (
    album_id INTEGER NOT NULL REFERENCES albums ON DELETE CASCADE,
    doc_id INTEGER NOT NULL REFERENCES docs ON DELETE CASCADE,
    position INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (album_id, doc_id)
);
CREATE INDEX IF NOT EXISTS album_docs_doc ON album_docs (doc_id);
CREATE TABLE IF NOT EXISTS folders (
    folder_id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cover_id INTEGER REFERENCES docs ON DELETE SET NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_update_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS folder_albums (
    folder_id INTEGER NOT NULL REFERENCES folders ON DELETE CASCADE,
    album_id INTEGER NOT NULL REFERENCES albums ON DELETE CASCADE,
    position INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (folder_id, album_id)
);
CREATE TABLE IF NOT EXISTS groups (
    group_id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    alias TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'en-us',
    ispublic INTEGER NOT NULL DEFAULT 1,
    moderated INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS group_members (
    group_id INTEGER NOT NULL REFERENCES groups ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'moderator', 'member')),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE TABLE IF NOT EXISTS group_docs (
    group_id INTEGER NOT NULL REFERENCES groups ON DELETE CASCADE,
    doc_id INTEGER NOT NULL REFERENCES docs ON DELETE CASCADE,
    added_by INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    position INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, doc_id)
);
CREATE INDEX IF NOT EXISTS group_docs_doc ON group_docs (doc_id);
-- keyword tags have member_id 0; member tags have keyword ''
CREATE TABLE IF NOT EXISTS tags (
    tag_id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL CHECK (type IN ('keyword', 'member')),
    keyword TEXT NOT NULL DEFAULT '',
    member_id INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    UNIQUE (type, keyword, member_id)
);
CREATE TABLE IF NOT EXISTS doc_tags (
    doc_id INTEGER NOT NULL REFERENCES docs ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (doc_id, tag_id)
);
CREATE INDEX IF NOT EXISTS doc_tags_tag ON doc_tags (tag_id);
CREATE TABLE IF NOT EXISTS post_tags (
    post_id INTEGER NOT NULL REFERENCES posts ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);
-- comments, faves and visits are shared by the kinds of things members look at
CREATE TABLE IF NOT EXISTS comments (
    comment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('doc', 'post', 'album')),
    target_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    parent_id INTEGER REFERENCES comments ON DELETE CASCADE,
    content TEXT NOT NULL,
    posted_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comments_target ON comments (kind, target_id);
CREATE TABLE IF NOT EXISTS faves (
    kind TEXT NOT NULL CHECK (kind IN ('doc', 'album', 'post')),
    target_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    faved_at INTEGER NOT NULL,
    PRIMARY KEY (kind, target_id, user_id)
);
-- user_id 0 is the anonymous visitors, counted together
CREATE TABLE IF NOT EXISTS visits (
    kind TEXT NOT NULL CHECK (kind IN ('doc', 'album', 'post', 'group')),
    target_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    visits INTEGER NOT NULL DEFAULT 1,
    first_visit_at INTEGER NOT NULL,
    visited_at INTEGER NOT NULL,
    PRIMARY KEY (kind, target_id, user_id)
);
CREATE TABLE IF NOT EXISTS notes (
    note_id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES docs ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    member_id INTEGER REFERENCES users ON DELETE SET NULL,
    content TEXT NOT NULL DEFAULT '',
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    w INTEGER NOT NULL,
    h INTEGER NOT NULL,
    posted_at INTEGER NOT NULL
);
-- one row per member who lists another: user_id counts contact_id as a contact
CREATE TABLE IF NOT EXISTS relations (
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    is_friend INTEGER NOT NULL DEFAULT 0,
    is_family INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, contact_id)
);
CREATE TABLE IF NOT EXISTS posts (
    post_id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    title TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    is_public INTEGER NOT NULL DEFAULT 1,
    is_friend INTEGER NOT NULL DEFAULT 0,
    is_family INTEGER NOT NULL DEFAULT 0,
    safety INTEGER NOT NULL DEFAULT 1,
    perm_comment INTEGER NOT NULL DEFAULT 5,
    posted_at INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS upload_tickets (
    ticket_id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users ON DELETE CASCADE,
    doc_id INTEGER REFERENCES docs ON DELETE SET NULL,
    replaced INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    ready_at REAL NOT NULL
);
-- OAuth 1.0: request tokens on their way to approval, and the secret of each
-- token handed out by the access step (the token itself is the grant's).
CREATE TABLE IF NOT EXISTS oauth_request_tokens (
    token TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    app_id INTEGER NOT NULL REFERENCES apps ON DELETE CASCADE,
    callback TEXT,
    user_id INTEGER REFERENCES users ON DELETE CASCADE,
    expires_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS oauth_token_secrets (
    token TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);
-- OAuth 1.0a: a row for each request token issued while the sandbox sends
-- verifiers; the verifier is set when a member approves the token.
CREATE TABLE IF NOT EXISTS oauth_verifiers (
    token TEXT PRIMARY KEY REFERENCES oauth_request_tokens ON DELETE CASCADE,
    verifier TEXT
);
"""

# Each kind of id starts in its own range, so that passing an album id where a
# doc id is expected finds nothing instead of some unrelated record.
FIRST_IDS = {
    "users": 1000,
    "apps": 10,
    "docs": 100000,
    "albums": 20000,
    "folders": 30000,
    "groups": 400,
    "tags": 5000,
    "comments": 700000,
    "notes": 800,
    "posts": 9000,
    "upload_tickets": 6000000,
}


class Store:
    """A SQLite database shared by the threads of the sandbox's server.

    :param path: a database file to keep the state in, or ``None`` for memory.
    """

    def __init__(self, path: str | None = None) -> None:
        self._conn = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._lock = threading.RLock()
        self._depth = 0
        with self._lock:
            self._conn.executescript(SCHEMA)
            self._conn.executescript(changes.TRIGGERS)
            self._number_ids()

    def _number_ids(self) -> None:
        for table, first in FIRST_IDS.items():
            self._conn.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ?"
                " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                (table, first - 1, table),
            )

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock and run the block as one transaction (nested blocks join it)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row ``sql`` selects."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row ``sql`` selects, or ``None``."""
        with self._lock:
            row: Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """Return the first column of the first row, or ``None`` without a row."""
        row = self.one(sql, params)
        return None if row is None else row[0]

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; return the new row's id for an ``INSERT``."""
        with self._lock:
            return self._conn.execute(sql, params).lastrowid or 0

    def changed(self, sql: str, params: Params = ()) -> int:
        """Run a statement; return how many rows it inserted, updated or deleted."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def setting(self, key: str, default: str) -> str:
        """Return a stored setting, storing ``default`` the first time."""
        with self.transaction():
            self.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, default)
            )
            value: str = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
            return value

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()
