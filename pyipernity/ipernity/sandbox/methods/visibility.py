"""Who sees what: the SQL conditions of the service's privacy rules.

A document (or blog post) is seen by its owner; by everyone when public; by
the members its owner counts as friends when shared with friends, and as
family when shared with family. Anonymous callers, and callers whose token
lacks the method's permission, see public things only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..store import Row, Store


def visible(viewer: int | None, alias: str) -> tuple[str, list[Any]]:
    """The condition (and its parameters) on table ``alias`` (``docs`` or
    ``posts`` rows) that keeps what ``viewer`` may see."""
    if viewer is None:
        return f"{alias}.is_public = 1", []
    # Only a table alias from the code is spliced in; values are bound.
    sql = (
        f"({alias}.is_public = 1 OR {alias}.owner_id = ?"  # noqa: S608
        f" OR ({alias}.is_friend = 1 AND EXISTS (SELECT 1 FROM relations r"
        f" WHERE r.user_id = {alias}.owner_id AND r.contact_id = ? AND r.is_friend = 1))"
        f" OR ({alias}.is_family = 1 AND EXISTS (SELECT 1 FROM relations r"
        f" WHERE r.user_id = {alias}.owner_id AND r.contact_id = ? AND r.is_family = 1)))"
    )
    return sql, [viewer, viewer, viewer]


def can_see(store: Store, viewer: int | None, table: str, key: str, record_id: int) -> Row | None:
    """Return the ``docs``/``posts`` row ``record_id`` if ``viewer`` may see it."""
    condition, params = visible(viewer, "t")
    return store.one(
        f"SELECT t.* FROM {table} t WHERE t.{key} = ? AND {condition}",  # noqa: S608
        (record_id, *params),
    )


def relation(store: Store, user_id: int, contact_id: int) -> Row | None:
    """How ``user_id`` counts ``contact_id``, if at all."""
    return store.one(
        "SELECT * FROM relations WHERE user_id = ? AND contact_id = ?", (user_id, contact_id)
    )


def share_level(row: Row | Mapping[str, Any]) -> int:
    """The ``share`` value of a doc or post (or anything with ``is_public``,
    ``is_family`` and ``is_friend``): 0 private, 1 family, 2 friends, 3 both,
    5 public."""
    if row["is_public"]:
        return 5
    return (1 if row["is_family"] else 0) + (2 if row["is_friend"] else 0)


def allows(store: Store, owner_id: int, viewer: int | None, level: int) -> bool:
    """Whether ``viewer`` passes a permission level of ``owner_id``'s (who may
    comment, tag…): 0 only the owner, 1 family, 2 friends, 3 friends and family,
    4 contacts, 5 every member."""
    if viewer is None:
        return False
    if viewer == owner_id:
        return True
    if level >= 5:
        return True
    rel = relation(store, owner_id, viewer)
    if rel is None:
        return False
    return bool(
        level == 4
        or (level in (1, 3) and rel["is_family"])
        or (level in (2, 3) and rel["is_friend"])
    )
