"""A member's whole Ipernity on disk: originals, metadata and albums, verified,
incremental and resumable.

:func:`backup` does it (``from ipernity.backup import backup``); the shell's
``backup`` command is a thin layer over it. :mod:`ipernity.backup.layout`
describes the directory.
"""

from .layout import ALBUMS, DELETED, DOCUMENTS, INCOMING, LOCK, MANIFEST
from .results import (
    BackupError,
    BackupEvent,
    BackupSummary,
    BytesReceived,
    DocumentDone,
    Failure,
    Listed,
    Planned,
    PlannedDocument,
    ProgressCallback,
)
from .run import (
    DEFAULT_FILE_DEADLINE,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    backup,
)

__all__ = [
    "ALBUMS",
    "DEFAULT_FILE_DEADLINE",
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "DELETED",
    "DOCUMENTS",
    "INCOMING",
    "LOCK",
    "MANIFEST",
    "BackupError",
    "BackupEvent",
    "BackupSummary",
    "BytesReceived",
    "DocumentDone",
    "Failure",
    "Listed",
    "Planned",
    "PlannedDocument",
    "ProgressCallback",
    "backup",
]
