"""The shell's ``backup`` command: a thin layer over :func:`ipernity.backup.backup`.

It reads the options, draws two tqdm bars (documents and bytes) when standard
error is a terminal, prints what failed and the summary, and fails (exit
status 1 in a one-shot run) when any document failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from ipernity.backup import (
    DEFAULT_WORKERS,
    BackupEvent,
    BackupSummary,
    BytesReceived,
    DocumentDone,
    Planned,
    backup,
)

from .errors import CommandError
from .output import Console
from .session import Session

USAGE = (
    "backup DIR [--albums ID,ID…] [--since YYYY-MM-DD] [--dry-run] [--move-deleted] [--workers N]"
)
SUMMARY = (
    "save the member's originals (md5-checked), metadata and albums into DIR; a second run "
    "fetches only what changed; --dry-run says what it would fetch; "
    f"--workers: files fetched at once ({DEFAULT_WORKERS})"
)


@dataclass
class BackupOptions:
    """The ``backup`` command's words, parsed."""

    directory: Path
    albums: list[str] | None = None
    since: dt.datetime | None = None
    dry_run: bool = False
    move_deleted: bool = False
    workers: int = DEFAULT_WORKERS


def parse_options(words: tuple[str, ...]) -> BackupOptions:
    """Read ``DIR`` and the options; a mistake is one :class:`CommandError`."""
    positional: list[str] = []
    flags: dict[str, str | None] = {}
    queue = list(words)
    while queue:
        word = queue.pop(0)
        if word in ("--dry-run", "--move-deleted"):
            flags[word] = None
        elif word in ("--albums", "--since", "--workers"):
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
    """Two tqdm bars, documents and bytes, drawn only on a terminal.

    :attr:`done` counts the documents finished, bars or not.
    """

    def __init__(self, console: Console) -> None:
        self.done = 0
        self._console = console
        self._documents: Any = None
        self._bytes: Any = None

    def update(self, event: BackupEvent) -> None:
        """The backup's progress callback."""
        if isinstance(event, Planned):
            self._open(event)
        elif isinstance(event, DocumentDone):
            self.done += 1
            if self._documents is not None:
                self._documents.update(1)
        elif isinstance(event, BytesReceived) and self._bytes is not None:
            self._bytes.update(event.count)

    def _open(self, planned: Planned) -> None:
        if not self._console.err_is_terminal:
            return
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is the optional "shell" extra
            return
        err = self._console.err
        self._documents = tqdm(
            total=planned.documents, desc="documents", unit=" docs", file=err, leave=False
        )
        self._bytes = tqdm(
            total=planned.total_bytes,
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
