"""The JSON saved next to each original and for each album.

Only what describes the document or album is kept: counts of visits, what the
caller may do and thumbnail URLs change every day and say nothing about the
photo; a backup that kept them would rewrite every file on every run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: What the ``doc`` of ``doc.get`` keeps, as the service names it.
DOC_FIELDS = (
    "doc_id",
    "media",
    "title",
    "description",
    "dates",
    "visibility",
    "permissions",
    "license",
    "safety",
    "rotation",
    "link",
    "owner",
    "geo",
)


def document(
    doc: Mapping[str, Any], containers: Mapping[str, Any], *, file: str, md5: str
) -> dict[str, Any]:
    """A document's metadata from ``doc.get`` (with ``extra=tags,notes,geo,md5``)
    and ``doc.getContainers``.

    :param file: the original's path relative to the backup directory.
    :param md5: the original's md5, as checked.
    """
    record: dict[str, Any] = {name: doc.get(name) for name in DOC_FIELDS}
    record["tags"] = _items(doc.get("tags"), "tag")
    record["notes"] = _items(doc.get("notes"), "note")
    original = dict(doc.get("original") or {})
    original.pop("url", None)  # holds the document's secret, and changes
    record["original"] = {**original, "md5": md5, "file": file}
    record["albums"] = [
        {"album_id": album.get("album_id"), "title": album.get("title")}
        for album in _items(containers.get("albums"), "album")
    ]
    record["groups"] = [
        {"group_id": group.get("group_id"), "title": group.get("title")}
        for group in _items(containers.get("groups"), "group")
    ]
    return record


def album(
    listed: Mapping[str, Any], doc_ids: Sequence[str], files: Mapping[str, str]
) -> dict[str, Any]:
    """An album from ``album.getList`` and its documents in order.

    :param doc_ids: the album's documents, in the album's order.
    :param files: document id to the original's relative path, where saved.
    """
    cover = listed.get("cover") or {}
    return {
        "album_id": listed.get("album_id"),
        "title": listed.get("title"),
        "description": listed.get("description", ""),
        "link": listed.get("link"),
        "dates": listed.get("dates"),
        "visibility": listed.get("visibility"),
        "cover": {"doc_id": cover.get("doc_id")} if cover.get("doc_id") else None,
        "documents": [{"doc_id": doc_id, "file": files.get(doc_id)} for doc_id in doc_ids],
    }


def _items(collection: Any, name: str) -> list[dict[str, Any]]:
    """The items of a collection element: a list, one object, or none."""
    if not isinstance(collection, Mapping):
        return []
    items = collection.get(name) or []
    return [dict(items)] if isinstance(items, Mapping) else list(items)
