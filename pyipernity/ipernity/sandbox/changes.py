"""Keeping a document's ``modified_at`` honest: every change moves it forward.

Programs that keep a copy of a member's documents (``ipernity.backup``) find
what changed from the ``dates`` that ``doc.getList(extra="dates")`` gives. So
any change to what a document is (its text, privacy, permissions, license,
place, file) or to what it carries or is in (tags, notes, albums, groups)
moves its ``modified_at`` on, by at least a second: two changes within one
second still show as two. SQLite triggers do it, so no method handler can
forget.
"""

from __future__ import annotations

#: The ``docs`` columns whose change is a change of the document.
TRACKED_COLUMNS = (
    "title",
    "description",
    "license",
    "safety",
    "is_public",
    "is_friend",
    "is_family",
    "perm_comment",
    "perm_tag",
    "perm_tagme",
    "rotation",
    "lat",
    "lng",
    "location",
    "created",
    "replaced_at",
    "secret",
)
#: Tables whose rows belong to a document, and the events that change it.
CHILD_TABLES = {
    "doc_tags": ("INSERT", "DELETE"),
    "notes": ("INSERT", "DELETE", "UPDATE"),
    "album_docs": ("INSERT", "DELETE"),
    "group_docs": ("INSERT", "DELETE", "UPDATE"),
}

_NOW = "CAST(strftime('%s', 'now') AS INTEGER)"


def _touch(row: str) -> str:
    return (
        # Only the constant names above go into the SQL.
        f"UPDATE docs SET modified_at = MAX({_NOW}, modified_at + 1) WHERE doc_id = {row}.doc_id;"  # noqa: S608
    )


def _doc_trigger() -> str:
    changed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in TRACKED_COLUMNS)
    # Recursive triggers are off in SQLite: the UPDATE below does not fire this again.
    return (
        "CREATE TRIGGER IF NOT EXISTS docs_changed AFTER UPDATE ON docs"  # noqa: S608
        f" WHEN {changed} BEGIN"
        f" UPDATE docs SET modified_at = MAX({_NOW}, OLD.modified_at + 1)"
        " WHERE doc_id = NEW.doc_id; END;\n"
    )


def _child_trigger(table: str, event: str) -> str:
    row = "OLD" if event == "DELETE" else "NEW"
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_touch AFTER {event} ON {table}"
        f" BEGIN {_touch(row)} END;\n"
    )


#: The SQL creating the triggers; :class:`~ipernity.sandbox.store.Store` runs it.
TRIGGERS = _doc_trigger() + "".join(
    _child_trigger(table, event) for table, events in CHILD_TABLES.items() for event in events
)
