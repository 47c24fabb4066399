"""Where things go in a backup directory: names a person can read.

::

    DIR/
      manifest.json                      what was saved, when, from which account
      documents/2023/123456 Sunset.jpg   each original, by the year it was taken
      documents/2023/123456 Sunset.json  its metadata, next to it
      albums/20001 Holidays.json         each album: its text, cover and documents
      deleted/2023/…, deleted/albums/…   deleted on Ipernity, moved aside
      .incoming/                         files being written (emptied by each run)
      .lock                              held by the run in progress

A document's files start with its id, so a name never clashes and a program
can find a document without reading the manifest.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

MANIFEST = "manifest.json"
DOCUMENTS = "documents"
ALBUMS = "albums"
DELETED = "deleted"
INCOMING = ".incoming"
LOCK = ".lock"

#: Longest part of a file name taken from a title.
TITLE_CHARS = 60
_UNSAFE = re.compile(r"[^\w\- ,.()'&+]+")
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,8}$")


def readable(title: str) -> str:
    """``title`` made safe as part of a file name on any system (may be empty)."""
    text = _SPACES.sub(" ", _UNSAFE.sub("-", title)).strip(" .-")
    return text[:TITLE_CHARS].rstrip(" .-")


def base_name(record_id: str, title: str) -> str:
    """``"123456 Sunset at sea"``: the id, then the title if it has one.

    The id comes from the service too: made safe like the title, so that an
    answer can never name a path outside its folder.
    """
    record = readable(record_id) or "unnamed"
    words = readable(title)
    return f"{record} {words}" if words else record


def year_of(doc: Mapping[str, Any]) -> str:
    """The year a document was taken, else posted; ``"undated"`` without either."""
    dates = doc.get("dates") or {}
    created = str(dates.get("created") or "")
    if re.match(r"^\d{4}-", created) and not created.startswith("0000"):
        return created[:4]
    posted = str(dates.get("posted_at") or "")
    if posted.isdigit() and int(posted) > 0:
        return time.strftime("%Y", time.gmtime(int(posted)))
    return "undated"


def extension(doc: Mapping[str, Any]) -> str:
    """The original's file extension (``bin`` when the service gives none usable)."""
    ext = str((doc.get("original") or {}).get("ext") or "")
    return ext.lower() if _EXTENSION.match(ext) else "bin"


def document_paths(doc: Mapping[str, Any]) -> tuple[str, str]:
    """Relative paths (POSIX style) of a document's original and its metadata."""
    folder = PurePosixPath(DOCUMENTS, year_of(doc))
    name = base_name(str(doc["doc_id"]), str(doc.get("title") or ""))
    return str(folder / f"{name}.{extension(doc)}"), str(folder / f"{name}.json")


def album_path(album: Mapping[str, Any]) -> str:
    """Relative path of an album's JSON file."""
    name = base_name(str(album["album_id"]), str(album.get("title") or ""))
    return str(PurePosixPath(ALBUMS, f"{name}.json"))


def deleted_path(path: str) -> str:
    """Where a deleted document's or album's file goes when moved aside:
    ``deleted/<year>/…`` and ``deleted/albums/…``."""
    parts = PurePosixPath(path).parts
    return str(PurePosixPath(DELETED, *(parts[1:] if parts[0] == DOCUMENTS else parts)))
