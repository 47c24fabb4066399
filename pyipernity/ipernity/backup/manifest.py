"""``manifest.json``: what a backup holds, from which account, saved when and by what.

It is both the record a person or program reads and the state the next run
starts from. It is rewritten safely (see :mod:`ipernity.backup.disk`) every
few seconds during a run and at its end, so a stopped run loses little.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ipernity._version import __version__

from . import layout
from .disk import BackupDirectory
from .results import BackupError

#: The manifest's format; a program reading it checks this first.
FORMAT = 1

DocState = dict[str, Any]


def timestamp(seconds: float | None = None) -> str:
    """A UTC time as ISO 8601 text, e.g. ``2024-05-01T12:00:00Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


@dataclass
class Manifest:
    """The manifest's content.

    :param account: ``user_id`` and ``username`` of the member backed up.
    """

    account: dict[str, str]
    created_at: str = field(default_factory=timestamp)
    #: Document id to what was saved: files, md5, bytes, dates, ``saved_at``.
    documents: dict[str, DocState] = field(default_factory=dict)
    #: Album id to its title and JSON file.
    albums: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Documents deleted on Ipernity and moved aside, as :attr:`documents`.
    deleted: dict[str, DocState] = field(default_factory=dict)
    #: Albums deleted on Ipernity and moved aside, as :attr:`albums`.
    deleted_albums: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The last run: when it started and ended, and its summary.
    last_run: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: BackupDirectory, account: dict[str, str]) -> Manifest:
        """The directory's manifest, or a new one for ``account``.

        :raises BackupError: when the directory holds another member's backup,
            a manifest this version cannot read, or one naming a path that could
            lead out of the directory (edited by hand, say).
        """
        data = directory.read_json(layout.MANIFEST)
        if data is None:
            return cls(account)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(
                f"{directory.path(layout.MANIFEST)} is not a backup manifest this version reads"
            )
        _check_paths(directory, data)
        saved_for = data.get("account") or {}
        if str(saved_for.get("user_id")) != account["user_id"]:
            raise BackupError(
                f"{directory.root} holds the backup of another member "
                f"({saved_for.get('username')}); choose another directory"
            )
        return cls(
            account=account,
            created_at=str(data.get("created_at") or timestamp()),
            documents=dict(data.get("documents") or {}),
            albums=dict(data.get("albums") or {}),
            deleted=dict(data.get("deleted") or {}),
            deleted_albums=dict(data.get("deleted_albums") or {}),
        )

    def to_json(self) -> dict[str, Any]:
        """The manifest as it is written."""
        return {
            "format": FORMAT,
            "generator": {"name": "PyIpernity", "version": __version__},
            "account": self.account,
            "created_at": self.created_at,
            "last_run": self.last_run,
            "layout": {
                "documents": f"{layout.DOCUMENTS}/<year taken>/<doc_id> <title>.<ext> and .json",
                "albums": f"{layout.ALBUMS}/<album_id> <title>.json",
                "deleted": f"{layout.DELETED}/<year taken>/…, {layout.DELETED}/{layout.ALBUMS}/…",
            },
            "documents": _by_id(self.documents),
            "albums": _by_id(self.albums),
            "deleted": _by_id(self.deleted),
            "deleted_albums": _by_id(self.deleted_albums),
        }

    def save(self, directory: BackupDirectory) -> None:
        """Write the manifest safely."""
        directory.write_json(layout.MANIFEST, self.to_json())


def _check_paths(directory: BackupDirectory, data: dict[str, Any]) -> None:
    """Refuse a manifest before the run touches anything if any path it names
    could lead out of the directory (see :func:`~ipernity.backup.disk.checked_parts`)."""
    where = directory.path(layout.MANIFEST)
    for section in ("documents", "deleted", "albums", "deleted_albums"):
        records = data.get(section) or {}
        if not isinstance(records, dict) or not all(isinstance(r, dict) for r in records.values()):
            raise BackupError(f"{where}: {section} is not a mapping of records")
        for record in records.values():
            for key in ("file", "metadata"):
                path = record.get(key)
                if path is not None and not isinstance(path, str):
                    raise BackupError(f"{where}: {path!r} is not a path")
                if path is not None:
                    directory.path(path)


def _by_id(records: dict[str, Any]) -> dict[str, Any]:
    """``records`` in the order of their ids, so that a run changes only what changed."""
    return dict(sorted(records.items(), key=lambda item: (len(item[0]), item[0])))
