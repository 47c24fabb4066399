"""The records the :class:`~ipernity.sandbox.Sandbox` hands back to tests.

They are small frozen snapshots with the ids a test passes to the API (ids are
``int`` here; the API's answers carry them as strings, e.g. ``str(doc.doc_id)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class App:
    """A registered application: what a developer gets from the service."""

    app_id: int
    name: str
    #: ``"web"`` (redirected to :attr:`callback` with a frob) or ``"desktop"``.
    auth: str
    callback: str | None
    api_key: str
    api_secret: str = field(repr=False)


@dataclass(frozen=True)
class User:
    """A member of the service."""

    user_id: int
    username: str
    realname: str = ""


@dataclass(frozen=True)
class Doc:
    """A document (photo, video, audio or other file) of a member."""

    doc_id: int
    owner_id: int
    title: str


@dataclass(frozen=True)
class Album:
    """An album of a member."""

    album_id: int
    owner_id: int
    title: str


@dataclass(frozen=True)
class Folder:
    """A folder of albums of a member."""

    folder_id: int
    owner_id: int
    title: str


@dataclass(frozen=True)
class Group:
    """A group members join and share documents in."""

    group_id: int
    title: str


@dataclass(frozen=True)
class Post:
    """A blog post (article) of a member."""

    post_id: int
    owner_id: int
    title: str


@dataclass(frozen=True)
class Call:
    """One API request the sandbox received, as :attr:`Sandbox.calls` lists it."""

    #: The method name from the URL, e.g. ``"doc.get"``.
    method: str
    #: ``"GET"`` or ``"POST"``.
    http_method: str
    #: The parameters, with ``api_sig``, ``auth_token`` and ``frob`` masked.
    params: dict[str, Any]
    #: The calling member (from a valid token), or ``None``.
    user_id: int | None
    #: The error code answered, or ``None`` for a success.
    error: int | None
    #: The injected fault that answered instead of the method (see
    #: :meth:`Sandbox.fail_next`): ``"error"``, ``"http"``, ``"html"``, ``"drop"``,
    #: ``"truncated"``, or ``None``.
    fault: str | None = None
