"""What a backup reports: its progress events, its summary, its errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ipernity.exceptions import IpernityError


class BackupError(IpernityError):
    """The backup cannot go on: the directory cannot be written (full disk,
    no permission), it holds another member's backup, or there is no token.

    Nothing is left half-written: files already complete stay, and the next
    run carries on from them.
    """


@dataclass(frozen=True)
class Failure:
    """A document that could not be saved, and why."""

    doc_id: str
    title: str
    reason: str

    def __str__(self) -> str:
        return f"document {self.doc_id} ({self.title or 'untitled'}): {self.reason}"


@dataclass(frozen=True)
class Listed:
    """Sent after each page of the listing: how far it has come.

    Documents are fetched while the listing goes on, so
    :class:`DocumentDone` and :class:`BytesReceived` events may come before
    :class:`Planned`.
    """

    #: Documents listed so far.
    documents: int
    #: Of those, the documents to save (new or changed).
    to_fetch: int
    #: Bytes of their originals to download.
    total_bytes: int


@dataclass(frozen=True)
class Planned:
    """Sent once the listing is done: what this run fetches in all."""

    #: Documents to save (new or changed).
    documents: int
    #: Bytes of the originals to download.
    total_bytes: int
    #: Documents already saved and unchanged.
    unchanged: int


@dataclass(frozen=True)
class BytesReceived:
    """Sent as an original arrives, chunk by chunk."""

    count: int


@dataclass(frozen=True)
class DocumentDone:
    """Sent when a document is saved or has failed."""

    doc_id: str
    title: str
    #: The :class:`Failure`, or ``None`` when the document was saved.
    failure: Failure | None = None


BackupEvent = Listed | Planned | BytesReceived | DocumentDone
#: The ``progress`` callback of :func:`~ipernity.backup.backup`.
ProgressCallback = Callable[[BackupEvent], None]


@dataclass(frozen=True)
class PlannedDocument:
    """A document a run fetches, and why (``"new"``, ``"changed"``, ``"missing"``)."""

    doc_id: str
    title: str
    reason: str
    #: Bytes of the original to download (0 when only the metadata is fetched).
    size: int


@dataclass
class BackupSummary:
    """What a run of :func:`~ipernity.backup.backup` did."""

    #: The backup directory.
    directory: Path
    #: Whether this was a dry run (nothing written: :attr:`planned` says what would be).
    dry_run: bool = False
    #: Documents fetched this run (or, for a dry run, that would be), with why.
    planned: list[PlannedDocument] = field(default_factory=list)
    #: Ids of the documents saved (new or changed) this run.
    saved: list[str] = field(default_factory=list)
    #: Documents already saved and unchanged.
    unchanged: int = 0
    #: Documents left out by the ``since`` or ``albums`` options.
    skipped: int = 0
    #: The documents that failed, each with its reason.
    failed: list[Failure] = field(default_factory=list)
    #: Ids of documents saved before that are gone from Ipernity.
    deleted: list[str] = field(default_factory=list)
    #: Of those, the ids moved aside (``move_deleted``) this run.
    moved_aside: list[str] = field(default_factory=list)
    #: Ids of albums saved before that are gone from Ipernity (moved aside too
    #: with ``move_deleted``).
    deleted_albums: list[str] = field(default_factory=list)
    #: Albums written (or checked unchanged).
    albums: int = 0
    #: Bytes of originals downloaded.
    downloaded: int = 0
    #: Seconds the run took.
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every document was saved."""
        return not self.failed

    def describe(self) -> str:
        """One line: saved, unchanged, failed, bytes and time."""
        verb = "to fetch" if self.dry_run else "saved"
        count = len(self.planned) if self.dry_run else len(self.saved)
        parts = [f"{count} {verb}", f"{self.unchanged} unchanged"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        parts.append(f"{len(self.failed)} failed")
        if self.deleted:
            parts.append(f"{len(self.deleted)} deleted on Ipernity")
        if self.deleted_albums:
            parts.append(f"{len(self.deleted_albums)} albums deleted on Ipernity")
        parts.append(f"{self.albums} albums")
        parts.append(f"{human_size(self.downloaded)} in {self.seconds:.1f} s")
        return ", ".join(parts)


def human_size(count: int) -> str:
    """``count`` bytes for a person: ``"512 bytes"``, ``"4.2 MB"`` (powers of 1000)."""
    size, unit = float(count), "bytes"
    for bigger in ("KB", "MB", "GB"):
        if size < 1000:
            break
        size, unit = size / 1000, bigger
    return f"{count} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
