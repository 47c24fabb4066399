"""A member's whole Ipernity on disk: originals, metadata and albums, verified,
incremental and resumable.

>>> from ipernity.backup import backup
>>> summary = backup(api, "ipernity-backup")           # doctest: +SKIP
>>> print(summary.describe())                          # doctest: +SKIP
12 saved, 0 unchanged, 0 failed, 2 albums, 1.2 MB in 0.8 s

See :func:`backup` and the layout in :mod:`ipernity.backup.layout`.
"""

from .layout import ALBUMS, DELETED, DOCUMENTS, INCOMING, MANIFEST
from .results import (
    BackupError,
    BackupEvent,
    BackupSummary,
    BytesReceived,
    DocumentDone,
    Failure,
    Planned,
    PlannedDocument,
    ProgressCallback,
)
from .run import DEFAULT_FILE_DEADLINE, DEFAULT_TIMEOUT, DEFAULT_WORKERS, backup

__all__ = [
    "ALBUMS",
    "DEFAULT_FILE_DEADLINE",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "DELETED",
    "DOCUMENTS",
    "INCOMING",
    "MANIFEST",
    "BackupError",
    "BackupEvent",
    "BackupSummary",
    "BytesReceived",
    "DocumentDone",
    "Failure",
    "Planned",
    "PlannedDocument",
    "ProgressCallback",
    "backup",
]
