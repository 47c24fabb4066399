"""Grants of members to applications: tokens and frobs.

A grant is what a member gave one application: a permission level per target
and the token that carries it. A member has at most one grant per application;
asking again for more permissions upgrades it in place and keeps the token
(levels merge, they never go down). The token lasts until the member revokes the
application.

A frob is the single-use ticket that turns an approval into a token through
``auth.getToken``. A desktop application asks for one with ``auth.getFrob``
before sending the member to the authorization page; a web application gets a
fresh one, already approved, on the redirect to its callback.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from ipernity import permissions

from .records import App, User
from .store import Row, Store

PERM_COLUMNS = {target: "perm_" + target for target in permissions.TARGETS}


def _new_ticket(user_or_app_id: int) -> str:
    return f"{user_or_app_id}-{secrets.token_hex(8)}"


def app_by_key(store: Store, api_key: str) -> App | None:
    """Return the application whose key is ``api_key``, if any."""
    row = store.one("SELECT * FROM apps WHERE api_key = ?", (api_key,))
    return None if row is None else app_from_row(row)


def app_from_row(row: Row) -> App:
    """Build the :class:`App` record of an ``apps`` row."""
    return App(
        app_id=row["app_id"],
        name=row["name"],
        auth=row["auth"],
        callback=row["callback"],
        api_key=row["api_key"],
        api_secret=row["api_secret"],
    )


def user_from_row(row: Row) -> User:
    """Build the :class:`User` record of a ``users`` row."""
    return User(user_id=row["user_id"], username=row["username"], realname=row["realname"])


def grant_permissions(row: Row) -> dict[str, str]:
    """The five targets' levels of a ``grants`` row."""
    return {target: row[column] for target, column in PERM_COLUMNS.items()}


def find_grant(store: Store, user_id: int, app_id: int) -> Row | None:
    """Return the grant of a member to an application, if any."""
    return store.one("SELECT * FROM grants WHERE user_id = ? AND app_id = ?", (user_id, app_id))


def token_grant(store: Store, token: str) -> Row | None:
    """Return the live grant a token stands for, if any."""
    return store.one("SELECT * FROM grants WHERE token = ?", (token,))


def upgrade(store: Store, user_id: int, app_id: int, asked: Mapping[str, str]) -> Row:
    """Grant ``asked`` to an application on top of what it has; return the grant."""
    with store.transaction():
        current = find_grant(store, user_id, app_id)
        levels = permissions.merge(grant_permissions(current) if current else None, asked)
        full = {target: levels.get(target, "none") for target in permissions.TARGETS}
        columns = ", ".join(PERM_COLUMNS.values())
        if current is None:
            store.execute(
                f"INSERT INTO grants (user_id, app_id, token, granted_at, {columns})"  # noqa: S608
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (user_id, app_id, _new_ticket(user_id), int(time.time()), *full.values()),
            )
        else:
            assignments = ", ".join(f"{column} = ?" for column in PERM_COLUMNS.values())
            store.execute(
                f"UPDATE grants SET {assignments} WHERE user_id = ? AND app_id = ?",  # noqa: S608
                (*full.values(), user_id, app_id),
            )
        grant = find_grant(store, user_id, app_id)
        if grant is None:
            raise LookupError("the grant just written is missing")
        return grant


def covers(grant: Row | None, asked: Mapping[str, str]) -> bool:
    """Tell whether an existing grant already gives at least ``asked``."""
    return grant is not None and permissions.satisfies(grant_permissions(grant), asked)


def revoke(store: Store, token: str) -> bool:
    """Withdraw the grant a token stands for; tell whether there was one."""
    with store.transaction():
        grant = token_grant(store, token)
        if grant is None:
            return False
        store.execute(
            "DELETE FROM grants WHERE user_id = ? AND app_id = ?",
            (grant["user_id"], grant["app_id"]),
        )
        return True


def token_mapping(store: Store, grant: Row) -> dict[str, Any]:
    """The ``auth`` answer of ``auth.getToken``/``auth.checkToken`` for a grant."""
    user = store.one("SELECT * FROM users WHERE user_id = ?", (grant["user_id"],))
    if user is None:
        raise LookupError("a grant outlived its member")
    return {
        "token": grant["token"],
        "permissions": grant_permissions(grant),
        "user": {
            "user_id": str(user["user_id"]),
            "username": user["username"],
            "realname": user["realname"],
        },
    }


def new_frob(store: Store, app_id: int, ttl: float, user_id: int | None = None) -> str:
    """Issue a frob for an application; with ``user_id`` it is approved already."""
    frob = _new_ticket(app_id)
    now = time.time()
    store.execute(
        "INSERT INTO frobs (frob, app_id, user_id, created_at, expires_at, approved)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (frob, app_id, user_id, now, now + ttl, int(user_id is not None)),
    )
    return frob


def live_frob(store: Store, frob: str, app_id: int) -> Row | None:
    """Return an application's frob if it is neither used nor expired."""
    return store.one(
        "SELECT * FROM frobs WHERE frob = ? AND app_id = ? AND used = 0 AND expires_at > ?",
        (frob, app_id, time.time()),
    )


def approve_frob(store: Store, frob: str, user_id: int) -> None:
    """Record that a member approved the application holding ``frob``."""
    store.execute("UPDATE frobs SET user_id = ?, approved = 1 WHERE frob = ?", (user_id, frob))


def use_frob(store: Store, frob: str) -> None:
    """Spend a frob: it cannot be exchanged twice."""
    store.execute("UPDATE frobs SET used = 1 WHERE frob = ?", (frob,))
