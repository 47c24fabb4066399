"""The shell's ``backup`` command: a thin layer over :func:`ipernity.backup.backup`.

It reads the options, shows the progress on standard error (two tqdm bars,
documents and bytes, on a terminal where tqdm is installed; else a status
line), prints what failed and the summary, and fails (exit status 1 in a
one-shot run) when any document failed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from ipernity.backup import (
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_WORKERS,
    BackupEvent,
    BackupSummary,
    BytesReceived,
    DocumentDone,
    Listed,
    Planned,
    backup,
)
from ipernity.backup.results import human_size

from .errors import CommandError
from .output import Console
from .progress import StatusLine
from .session import Session

USAGE = (
    "backup DIR [--albums ID,ID…] [--since YYYY-MM-DD] [--dry-run] [--move-deleted] "
    "[--workers N] [--max-file-size SIZE] [--shared]"
)
SUMMARY = (
    "save the member's originals (md5-checked), metadata and albums into DIR, readable by "
    "you alone unless --shared; a second run fetches only what changed; --dry-run says what "
    f"it would fetch; --workers: files fetched at once ({DEFAULT_WORKERS}); --max-file-size: "
    f"the largest original fetched ({human_size(DEFAULT_MAX_FILE_BYTES)})"
)
#: What each suffix of ``--max-file-size`` multiplies by.
SIZE_UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4}
_SIZE = re.compile(r"^(\d{1,15}(?:\.\d{1,6})?)\s*([KMGT]?)B?$", re.IGNORECASE)


@dataclass
class BackupOptions:
    """The ``backup`` command's words, parsed."""

    directory: Path
    albums: list[str] | None = None
    since: dt.datetime | None = None
    dry_run: bool = False
    move_deleted: bool = False
    workers: int = DEFAULT_WORKERS
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    shared: bool = False


def parse_options(words: tuple[str, ...]) -> BackupOptions:
    """Read ``DIR`` and the options; a mistake is one :class:`CommandError`."""
    positional: list[str] = []
    flags: dict[str, str | None] = {}
    queue = list(words)
    while queue:
        word = queue.pop(0)
        if word in ("--dry-run", "--move-deleted", "--shared"):
            flags[word] = None
        elif word in ("--albums", "--since", "--workers", "--max-file-size"):
            if not queue:
                raise CommandError(f"{word} needs a value; usage: {USAGE}")
            flags[word] = queue.pop(0)
        elif word.startswith("--"):
            raise CommandError(f"Unknown option {word}; usage: {USAGE}")
        else:
            positional.append(word)
    if len(positional) != 1:
        raise CommandError(f"usage: {USAGE}")
    return BackupOptions(
        directory=Path(positional[0]).expanduser(),
        albums=_albums(flags.get("--albums")),
        since=_since(flags.get("--since")),
        dry_run="--dry-run" in flags,
        move_deleted="--move-deleted" in flags,
        workers=_workers(flags.get("--workers")),
        max_file_bytes=_file_size(flags.get("--max-file-size")),
        shared="--shared" in flags,
    )


def _albums(value: str | None) -> list[str] | None:
    if value is None:
        return None
    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not ids or not all(part.isdigit() for part in ids):
        raise CommandError(f"--albums takes album ids separated by commas, not {value!r}")
    return ids


def _since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--since takes a date, YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC), not {value!r}"
        ) from None


def _workers(value: str | None) -> int:
    if value is None:
        return DEFAULT_WORKERS
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise CommandError(f"--workers takes a number from 1 to 64, not {value!r}")
    return int(value)


def _file_size(value: str | None) -> int:
    if value is None:
        return DEFAULT_MAX_FILE_BYTES
    match = _SIZE.match(value.strip())
    size = int(float(match[1]) * SIZE_UNITS[match[2].upper()]) if match else 0
    if size < 1:
        raise CommandError(f"--max-file-size takes a size such as 500M or 8G, not {value!r}")
    return size


def run_backup(session: Session, words: tuple[str, ...]) -> None:
    """Back up the member's documents into a directory; see :data:`USAGE`."""
    options = parse_options(words)
    api = session.api
    with BackupProgress(session.console) as bars:
        try:
            summary = backup(
                api,
                options.directory,
                albums=options.albums,
                since=options.since,
                dry_run=options.dry_run,
                move_deleted=options.move_deleted,
                workers=options.workers,
                max_file_bytes=options.max_file_bytes,
                shared=options.shared,
                progress=bars.update,
            )
        except KeyboardInterrupt:
            raise CommandError(
                f"Backup stopped after {bars.done} documents; every file saved is complete: "
                "run it again to carry on"
            ) from None
    report(session.console, summary, moved=options.move_deleted)


def report(console: Console, summary: BackupSummary, *, moved: bool) -> None:
    """Print what was planned (dry run), deleted and failed, then the summary line.

    :param moved: whether what was deleted on Ipernity was moved aside.
    """
    for planned in summary.planned if summary.dry_run else ():
        console.text(f"would fetch {planned.doc_id} ({planned.reason}): {planned.title}")
    where = "moved to deleted/" if moved and not summary.dry_run else "kept"
    for doc_id in summary.deleted:
        console.text(f"deleted on Ipernity: document {doc_id} ({where})")
    for album_id in summary.deleted_albums:
        console.text(f"deleted on Ipernity: album {album_id} ({where})")
    for failure in summary.failed:
        console.error(f"failed: {failure}")
    console.text(f"{summary.directory}: {summary.describe()}")
    if summary.failed:
        raise CommandError(f"{len(summary.failed)} documents could not be saved (listed above)")


class BackupProgress:
    """Shows how a backup is going on standard error.

    On a terminal where tqdm is installed, two bars count the documents and
    the bytes; otherwise a :class:`~ipernity.shell.progress.StatusLine` says
    the same in words (redrawn on a terminal, a line a second in a log).
    :attr:`done` counts the documents finished, shown or not.

    :param console: where the progress goes.
    """

    def __init__(self, console: Console) -> None:
        self.done = 0
        self.failed = 0
        self.listed = 0
        self.to_fetch = 0
        self.received = 0
        self.total_bytes = 0
        self.listing = True
        self._console = console
        self._documents: Any = None
        self._bytes: Any = None
        tqdm = _tqdm() if console.err_is_terminal else None
        self._tqdm = tqdm
        self._line = (
            None if tqdm is not None else StatusLine(console.err, terminal=console.err_is_terminal)
        )

    def update(self, event: BackupEvent) -> None:
        """The backup's progress callback."""
        if isinstance(event, Listed):
            self.listed = event.documents
            self._set_totals(event.to_fetch, event.total_bytes)
        elif isinstance(event, Planned):
            self.listing = False
            self._set_totals(event.documents, event.total_bytes)
        elif isinstance(event, DocumentDone):
            self.done += 1
            if event.failure is not None:
                self.failed += 1
            self._advance(documents=1)
        elif isinstance(event, BytesReceived):
            self.received += event.count
            self._advance(received=event.count)
        if self._line is not None:
            self._line.show(self.describe())

    def describe(self) -> str:
        """The progress in words: ``backup: 12 of 180 documents, 3.1 MB of 46.5 MB``."""
        parts = [
            f"{self.done} of {self.to_fetch} documents",
            f"{human_size(self.received)} of {human_size(self.total_bytes)}",
        ]
        if self.failed:
            parts.append(f"{self.failed} failed")
        listing = f" (listing: {self.listed} documents so far)" if self.listing else ""
        return f"backup: {', '.join(parts)}{listing}"

    def _set_totals(self, documents: int, total_bytes: int) -> None:
        self.to_fetch = documents
        self.total_bytes = total_bytes
        if self._tqdm is None:
            return
        self._open_bars()
        for bar, total in ((self._documents, documents), (self._bytes, total_bytes)):
            bar.total = total
            bar.refresh()

    def _advance(self, *, documents: int = 0, received: int = 0) -> None:
        if self._tqdm is None:
            return
        self._open_bars()
        if documents:
            self._documents.update(documents)
        if received:
            self._bytes.update(received)

    def _open_bars(self) -> None:
        if self._documents is not None or self._tqdm is None:
            return
        err = self._console.err
        self._documents = self._tqdm(
            total=self.to_fetch, desc="documents", unit=" docs", file=err, leave=False
        )
        self._bytes = self._tqdm(
            total=self.total_bytes,
            desc="originals",
            unit="B",
            unit_scale=True,
            file=err,
            leave=False,
        )

    def __enter__(self) -> BackupProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for bar in (self._bytes, self._documents):
            if bar is not None:
                bar.close()
        if self._line is not None:
            self._line.clear()


def _tqdm() -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is the optional "shell" extra
        return None
    return tqdm
