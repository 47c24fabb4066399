"""The backup run: list, compare with what is saved, fetch what changed in parallel.

Documents are fetched while the listing goes on, page after page, and each
one is recorded as soon as it is saved: files appear as they are verified, and
a run stopped during a long listing keeps what it saved.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipernity import paging
from ipernity.exceptions import InvalidResponse, IpernityError, NotFound, RateLimited
from ipernity.transport import Timeout, new_session

from . import layout, metadata
from .disk import BackupDirectory
from .manifest import DocState, Manifest, timestamp
from .media import DocumentFailed, Downloader, SlowDown, Stopped, Throttle
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

if TYPE_CHECKING:
    import requests

    from ipernity.api import IpernityAPI

#: Documents fetched at once unless ``workers=`` says otherwise.
DEFAULT_WORKERS = 8
#: Seconds to connect, and to wait for each chunk of a file.
DEFAULT_TIMEOUT: Timeout = (10.0, 60.0)
#: Seconds one original may take in all.
DEFAULT_FILE_DEADLINE = 900.0
#: Bytes one original may have unless ``max_file_bytes=`` says otherwise.
DEFAULT_MAX_FILE_BYTES = 4_000_000_000
#: Tries of one request the service keeps answering "too many requests".
RATE_LIMIT_TRIES = 8
#: Times a read (a page of a listing, a document's metadata) is sent again after
#: a passing failure: no connection, no answer in time, HTTP 5xx.
READ_RETRIES = 3
#: Seconds between two saves of the manifest during a run.
MANIFEST_INTERVAL = 5.0
#: What the listing asks for: enough to tell what changed without another call.
LIST_EXTRAS = "dates,original,md5"
#: What the run keeps of each listed document.
LIST_FIELDS = ("doc_id", "title", "media", "dates", "original", "md5")
#: What ``doc.get`` adds for the metadata.
DOC_EXTRAS = "tags,notes,geo,md5"


def backup(
    api: IpernityAPI,
    directory: str | Path,
    *,
    albums: Iterable[int | str] | None = None,
    since: dt.datetime | dt.date | float | None = None,
    dry_run: bool = False,
    move_deleted: bool = False,
    workers: int = DEFAULT_WORKERS,
    timeout: Timeout = DEFAULT_TIMEOUT,
    file_deadline: float = DEFAULT_FILE_DEADLINE,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    shared: bool = False,
    progress: ProgressCallback | None = None,
) -> BackupSummary:
    """Save the token's member's documents, their metadata and albums into ``directory``.

    A run fetches only what is new or changed since the last one (the
    listing's dates and md5s against ``manifest.json``), checks every
    original against its md5, and writes each file under a temporary name
    first. A stopped run leaves only complete files; the next one carries on.
    One run at a time holds the directory; no link inside it is followed.

    :param api: a client with a token allowing ``doc`` read.
    :param directory: the backup directory (created if needed, readable by
        its owner alone unless ``shared``).
    :param albums: only the documents of these albums (and only these albums).
    :param since: only documents posted, changed or replaced since then (a
        datetime, a date, or a Unix time); naive datetimes are UTC.
    :param dry_run: write nothing; :attr:`BackupSummary.planned` says what
        would be fetched.
    :param move_deleted: move the files of documents deleted on Ipernity into
        ``deleted/`` (by default they stay where they are, and are reported).
    :param workers: documents fetched at once (1: one request at a time).
    :param timeout: seconds, or ``(connect, read)`` seconds, per file request.
    :param file_deadline: seconds one original may take in all.
    :param max_file_bytes: bytes one original may have; a larger one fails
        (4 GB by default).
    :param shared: create folders and files as the umask says (usually
        readable by every user of the machine) instead of 0700 and 0600.
    :param progress: called with each :class:`~ipernity.backup.Listed`,
        :class:`~ipernity.backup.Planned`,
        :class:`~ipernity.backup.DocumentDone` and
        :class:`~ipernity.backup.BytesReceived` event, one call at a time
        (from the download threads for the last two).
    :return: the :class:`~ipernity.backup.BackupSummary`; failed documents are
        listed in it, they do not raise.
    :raises BackupError: when the directory cannot be written, another backup
        is running in it, or there is no token.
    :raises IpernityError: when the documents cannot be listed, after
        :data:`READ_RETRIES` more tries of the failing page.
    """
    if workers < 1:
        raise ValueError("workers must be 1 or more")
    if max_file_bytes < 1:
        raise ValueError("max_file_bytes must be 1 or more")
    options = _Options(
        albums=None if albums is None else {str(album) for album in albums},
        since=_unix_time(since),
        dry_run=dry_run,
        move_deleted=move_deleted,
        workers=workers,
        timeout=timeout,
        file_deadline=file_deadline,
        max_file_bytes=max_file_bytes,
    )
    return _Run(api, BackupDirectory(Path(directory), shared=shared), options, progress).run()


@dataclass(frozen=True)
class _Options:
    albums: set[str] | None
    since: float | None
    dry_run: bool
    move_deleted: bool
    workers: int
    timeout: Timeout
    file_deadline: float
    max_file_bytes: int


@dataclass(frozen=True)
class _Job:
    """A document to fetch: what the listing says, and what was saved before."""

    listed: Mapping[str, Any]
    previous: DocState | None

    @property
    def doc_id(self) -> str:
        """The document's id."""
        return str(self.listed["doc_id"])

    @property
    def title(self) -> str:
        """The document's title as listed."""
        return str(self.listed.get("title") or "")


@dataclass(frozen=True)
class _AlbumContent:
    listed: Mapping[str, Any]
    doc_ids: list[str]


class _Run:
    """One run of :func:`backup`.

    The main thread lists and plans; the pool's threads read albums and save
    documents, and record each document in the manifest and the summary under
    :attr:`_lock` as soon as it is done.
    """

    def __init__(
        self,
        api: IpernityAPI,
        directory: BackupDirectory,
        options: _Options,
        progress: ProgressCallback | None,
    ) -> None:
        self.api = api
        self.disk = directory
        self.options = options
        self.summary = BackupSummary(directory.root, dry_run=options.dry_run)
        self.stop = threading.Event()
        self.throttle = Throttle()
        self._progress = progress
        # Guards the manifest, the summary's lists and the progress callback.
        self._lock = threading.Lock()
        self._fatal: BaseException | None = None
        self._planned_bytes = 0
        self._started = time.monotonic()
        self._manifest_saved_at = self._started

    # -- the run -------------------------------------------------------------

    def run(self) -> BackupSummary:
        """Back up; return the summary (see :func:`backup`)."""
        account = self._account()
        with self.disk.open(create=not self.options.dry_run):
            if not self.options.dry_run:
                # Before anything is touched: another run's files must stay as they are.
                self.disk.lock()
                self.disk.prepare()
            manifest = Manifest.load(self.disk, account)
            manifest.last_run = {"started_at": timestamp(), "complete": False}
            session = new_session()
            try:
                with ThreadPoolExecutor(self.options.workers, "ipernity-backup") as pool:
                    self._run(pool, session, manifest)
            finally:
                session.close()
        return self.summary

    def _run(
        self, pool: ThreadPoolExecutor, session: requests.Session, manifest: Manifest
    ) -> None:
        album_futures = [
            pool.submit(self._album_content, album) for album in self._albums_to_save()
        ]
        in_albums = None
        if self.options.albums is not None:
            in_albums = {doc for future in album_futures for doc in future.result().doc_ids}
        downloader = Downloader(
            session,
            self.disk,
            self.options.timeout,
            self.options.file_deadline,
            self.options.max_file_bytes,
            self.stop,
            self._count_bytes,
        )
        pending: list[Future[None]] = []
        try:
            listed = self._list_and_fetch(pool, downloader, manifest, in_albums, pending)
            contents = [future.result() for future in album_futures]
            with self._lock:
                self._find_deleted(listed, contents, manifest)
            total = sum(planned.size for planned in self.summary.planned)
            self._emit(Planned(len(self.summary.planned), total, self.summary.unchanged))
            if self.options.dry_run:
                self.summary.albums = len(contents)
                self._finish()
                return
            wait(pending, return_when=FIRST_EXCEPTION)
            self._raise_fatal()
            self._save_albums(contents, manifest)
            self._set_aside(manifest)
        except BaseException:
            # Ctrl-C or a full disk: keep what is complete for the next run.
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            if not self.options.dry_run:
                self._save_manifest_quietly(manifest)
            raise
        self._finish()
        manifest.last_run.update(
            finished_at=timestamp(), complete=True, summary=self.summary.describe()
        )
        manifest.save(self.disk)

    def _finish(self) -> None:
        self.summary.seconds = time.monotonic() - self._started

    def _account(self) -> dict[str, str]:
        if self.api.token is None:
            raise BackupError("A backup needs a member's token: log in first (doc=read)")
        if not self.api.has_permissions({"doc": "read"}):
            raise BackupError("The token does not allow reading documents: log in with doc=read")
        user = self.api.user_info or {}
        return {"user_id": str(user.get("user_id")), "username": str(user.get("username"))}

    def _raise_fatal(self) -> None:
        if self._fatal is not None:
            raise self._fatal

    # -- listing and planning ------------------------------------------------

    def _walk(self, method: str, workers: int, **params: Any) -> paging.Walk:
        return paging.Walk(self.api, method, None, workers, params, retries=READ_RETRIES)

    def _walk_workers(self) -> int:
        return min(self.options.workers, paging.DEFAULT_WORKERS)

    def _list_and_fetch(
        self,
        pool: ThreadPoolExecutor,
        downloader: Downloader,
        manifest: Manifest,
        in_albums: set[str] | None,
        pending: list[Future[None]],
    ) -> set[str]:
        """List the documents page by page, planning each and (unless a dry run)
        starting to fetch it at once into ``pending``; return the ids listed."""
        listed: set[str] = set()
        walk = self._walk("doc.getList", self._walk_workers(), extra=LIST_EXTRAS)
        with contextlib.closing(walk.pages()) as pages:
            for page in pages:
                for item in page:
                    doc_id = _record_id(item, "doc_id", "doc.getList")
                    if doc_id in listed:  # listed twice (the list moved): planned once
                        continue
                    listed.add(doc_id)
                    kept = {name: item.get(name) for name in LIST_FIELDS}
                    job = self._plan(kept, manifest, in_albums)
                    if job is not None and not self.options.dry_run:
                        pending.append(pool.submit(self._document_task, downloader, job, manifest))
                self._raise_fatal()
                self._emit(Listed(len(listed), len(self.summary.planned), self._planned_bytes))
        return listed

    def _albums_to_save(self) -> list[dict[str, Any]]:
        found = list(self._walk("album.getList", self._walk_workers(), empty=1))
        known = {_record_id(album, "album_id", "album.getList") for album in found}
        wanted = self.options.albums
        if wanted is None:
            return found
        unknown = sorted(wanted - known)
        if unknown:
            raise BackupError(f"No album {', '.join(unknown)} among the member's albums")
        return [album for album in found if str(album["album_id"]) in wanted]

    def _album_content(self, listed: Mapping[str, Any]) -> _AlbumContent:
        album_id = str(listed["album_id"])
        try:
            detail = self._call("album.get", album_id=album_id).get("album") or {}
        except DocumentFailed as exc:
            raise BackupError(f"Cannot read album {album_id}: {exc}") from None
        items = self._walk("album.docs.getList", 1, album_id=album_id)
        doc_ids = [_record_id(item, "doc_id", "album.docs.getList") for item in items]
        return _AlbumContent({**listed, **detail}, doc_ids)

    def _plan(
        self, item: Mapping[str, Any], manifest: Manifest, in_albums: set[str] | None
    ) -> _Job | None:
        """The job for a listed document, or ``None`` when it is left out or
        unchanged; counts it as planned, skipped or unchanged."""
        doc_id = str(item["doc_id"])
        if in_albums is not None and doc_id not in in_albums:
            self.summary.skipped += 1
            return None
        if self.options.since is not None and _changed_at(item) < self.options.since:
            self.summary.skipped += 1
            return None
        previous = manifest.documents.get(doc_id)
        reason = self._reason(item, previous)
        if reason is None:
            self.summary.unchanged += 1
            return None
        job = _Job(item, previous)
        size = self._to_download(item, previous)
        self._planned_bytes += size
        self.summary.planned.append(PlannedDocument(doc_id, job.title, reason, size))
        return job

    def _to_download(self, item: Mapping[str, Any], previous: DocState | None) -> int:
        """The bytes of the original a run downloads: none when the saved copy is current."""
        size = _int((item.get("original") or {}).get("bytes"))
        return 0 if self._vouched(previous, str(item.get("md5") or ""), size) else size

    def _vouched(self, previous: DocState | None, md5: str, size: int) -> int | None:
        """The size of the saved copy when the manifest vouches for it as the
        original whose md5 is ``md5`` and size ``size`` (the size recorded
        when the API gives none), else ``None``."""
        if not md5 or not previous or previous.get("md5") != md5:
            return None
        expected = size or _int(previous.get("bytes"))
        return expected if expected and self.disk.size(previous["file"]) == expected else None

    def _reason(self, item: Mapping[str, Any], previous: DocState | None) -> str | None:
        """Why a document must be fetched, or ``None`` when the saved copy is current."""
        if previous is None:
            return "new"
        dates = item.get("dates") or {}
        if previous.get("md5") != item.get("md5") or str(previous.get("replaced_at")) != str(
            dates.get("replaced_at")
        ):
            return "replaced"
        if str(previous.get("modified_at")) != str(dates.get("modified_at")):
            return "changed"
        # An empty metadata file is what a power cut can leave of one not flushed.
        if self.disk.size(previous["file"]) != previous.get("bytes") or not self.disk.size(
            previous["metadata"]
        ):
            return "missing"
        return None

    # -- fetching ------------------------------------------------------------

    def _document_task(self, downloader: Downloader, job: _Job, manifest: Manifest) -> None:
        """Save one document and record it; runs in a worker.

        Any error but the document's own stops the run: it is kept for the
        main thread, which raises it.
        """
        try:
            self._save_and_record(downloader, job, manifest)
        except BaseException as exc:
            with self._lock:
                if self._fatal is None:
                    self._fatal = exc
            self.stop.set()
            raise

    def _save_and_record(self, downloader: Downloader, job: _Job, manifest: Manifest) -> None:
        try:
            state = self._save_document(downloader, job)
        except Stopped:
            return
        except DocumentFailed as exc:
            failure = Failure(job.doc_id, job.title, str(exc))
            with self._lock:
                self.summary.failed.append(failure)
                self._notify(DocumentDone(job.doc_id, job.title, failure))
            return
        with self._lock:
            manifest.documents[job.doc_id] = state
            self.summary.saved.append(job.doc_id)
            self._notify(DocumentDone(job.doc_id, str(state.get("title") or "")))
            if time.monotonic() - self._manifest_saved_at > MANIFEST_INTERVAL:
                manifest.save(self.disk)
                self._manifest_saved_at = time.monotonic()

    def _save_document(self, downloader: Downloader, job: _Job) -> DocState:
        """Fetch one document's metadata and (if needed) original."""
        if self.stop.is_set():
            raise Stopped
        doc = self._call("doc.get", doc_id=job.doc_id, extra=DOC_EXTRAS).get("doc") or {}
        containers = self._call("doc.getContainers", doc_id=job.doc_id)
        original = doc.get("original") or {}
        md5 = str(doc.get("md5") or job.listed.get("md5") or "")
        size = _int(original.get("bytes"))
        file, meta = layout.document_paths(doc)
        saved = self._reuse(job, md5, size, file)
        if saved is None:
            if not original.get("url"):
                raise DocumentFailed("the API gives no original file for it")
            saved = self._download(downloader, str(original["url"]), size, md5, file)
        record = metadata.document(doc, containers, file=file, md5=md5)
        self.disk.write_json(meta, record, durable=False)
        self._drop_old_files(job.previous, file, meta)
        dates = doc.get("dates") or {}
        return {
            "title": doc.get("title"),
            "file": file,
            "metadata": meta,
            "md5": md5,
            "bytes": saved,
            "modified_at": dates.get("modified_at"),
            "replaced_at": dates.get("replaced_at"),
            "saved_at": timestamp(),
        }

    def _reuse(self, job: _Job, md5: str, size: int, file: str) -> int | None:
        """The size of a verified copy already on disk (moved to ``file`` if
        need be), or ``None`` when the original must be downloaded.

        A copy the manifest vouches for is trusted by its md5 and size (the
        API's, or when it gives none the size the manifest recorded); one a
        stopped run placed before the manifest knew of it is hashed first.
        Without an md5 nothing tells an original replaced by another of the
        same size: it is downloaded again.
        """
        vouched = self._vouched(job.previous, md5, size)
        if vouched and job.previous:
            self.disk.move(job.previous["file"], file)
            return vouched
        found = self.disk.size(file)
        if found is not None and found == (size or found) and self.disk.md5(file) == md5:
            return found
        return None

    def _download(self, downloader: Downloader, url: str, size: int, md5: str, file: str) -> int:
        """Download an original to ``file``; return its size."""
        mismatches = 0
        for attempt in range(RATE_LIMIT_TRIES):
            self.throttle.wait(self.stop)
            if self.stop.is_set():
                raise Stopped
            try:
                fetched = downloader.fetch(url, size or None)
            except SlowDown as exc:
                self.throttle.slow_down(attempt, exc.retry_after)
                continue
            if not md5 or fetched.md5 == md5:
                self.disk.place(fetched.temp, file)
                return fetched.size
            self.disk.discard(fetched.temp)
            mismatches += 1
            if mismatches == 2:
                raise DocumentFailed(
                    f"the file downloaded twice has md5 {fetched.md5}, not {md5} as the API says"
                )
        raise DocumentFailed(f"still rate limited after {RATE_LIMIT_TRIES} tries")

    def _drop_old_files(self, previous: DocState | None, file: str, meta: str) -> None:
        """Remove the files a renamed document (new title or date) had before."""
        if previous is None:
            return
        if previous.get("metadata") not in (None, meta):
            self.disk.remove(previous["metadata"])
        if previous.get("file") not in (None, file):
            self.disk.remove(previous["file"])

    def _call(self, method: str, **params: Any) -> dict[str, Any]:
        """Call the API from a worker: slow down on rate limits, send again after
        a passing failure, fail the document (not the run) on other errors."""
        limited = failed = 0
        while True:
            self.throttle.wait(self.stop)
            if self.stop.is_set():
                raise Stopped
            try:
                return self.api.call(method, **params)
            except NotFound:
                raise DocumentFailed(f"{method}: no longer on Ipernity") from None
            except IpernityError as exc:
                error = exc
            if _rate_limited(error):
                limited += 1
                if limited == RATE_LIMIT_TRIES:
                    raise DocumentFailed(f"{method}: still rate limited after {limited} tries")
                self.throttle.slow_down(limited - 1)
            elif failed < READ_RETRIES and paging.worth_retrying(error):
                self.stop.wait(paging.retry_pause(error, failed))
                failed += 1
            else:
                raise DocumentFailed(str(error))

    # -- after the documents -------------------------------------------------

    def _find_deleted(
        self, listed: set[str], contents: list[_AlbumContent], manifest: Manifest
    ) -> None:
        """Note the documents and albums saved before that Ipernity no longer lists."""
        self.summary.deleted = sorted(set(manifest.documents) - listed, key=_by_number)
        if self.options.albums is None:  # else the other albums were not listed at all
            albums = {str(content.listed["album_id"]) for content in contents}
            self.summary.deleted_albums = sorted(set(manifest.albums) - albums, key=_by_number)

    def _set_aside(self, manifest: Manifest) -> None:
        """Keep what was deleted on Ipernity, or move it into ``deleted/``."""
        for doc_id in self.summary.deleted:
            state = manifest.documents[doc_id]
            if not self.options.move_deleted:
                state.setdefault("gone_since", timestamp())
                continue
            for key in ("file", "metadata"):
                state[key] = self._move_aside(state[key])
            manifest.deleted[doc_id] = manifest.documents.pop(doc_id)
            self.summary.moved_aside.append(doc_id)
        for album_id in self.summary.deleted_albums if self.options.move_deleted else ():
            entry = manifest.albums.pop(album_id)
            manifest.deleted_albums[album_id] = {**entry, "file": self._move_aside(entry["file"])}

    def _move_aside(self, path: str) -> str:
        target = layout.deleted_path(path)
        self.disk.move(path, target)
        return target

    def _save_albums(self, contents: list[_AlbumContent], manifest: Manifest) -> None:
        files = {doc_id: state["file"] for doc_id, state in manifest.documents.items()}
        for content in contents:
            album_id = str(content.listed["album_id"])
            path = layout.album_path(content.listed)
            record = metadata.album(content.listed, content.doc_ids, files)
            previous = manifest.albums.get(album_id, {}).get("file")
            if previous and previous != path:
                self.disk.remove(previous)
            if not self.disk.same_text(path, record):
                self.disk.write_json(path, record, durable=False)
            manifest.albums[album_id] = {"title": content.listed.get("title"), "file": path}
            self.summary.albums += 1

    def _save_manifest_quietly(self, manifest: Manifest) -> None:
        # Best effort while stopping: on a full disk the old manifest stays whole.
        with contextlib.suppress(BackupError), self._lock:
            manifest.save(self.disk)

    # -- progress ------------------------------------------------------------

    def _count_bytes(self, count: int) -> None:
        with self._lock:
            self.summary.downloaded += count
            self._notify(BytesReceived(count))

    def _emit(self, event: BackupEvent) -> None:
        with self._lock:
            self._notify(event)

    def _notify(self, event: BackupEvent) -> None:
        """Call the progress callback; the caller holds :attr:`_lock`."""
        if self._progress is not None:
            self._progress(event)


def _record_id(item: Any, key: str, method: str) -> str:
    """The id of an item of a listing (``doc_id``…).

    :raises InvalidResponse: for an item that has none (a broken or hostile answer).
    """
    value = item.get(key) if isinstance(item, Mapping) else None
    if value is None or isinstance(value, dict | list):
        raise InvalidResponse("invalid", 200, f"the answer lists an item without {key}", method)
    return str(value)


def _rate_limited(error: IpernityError) -> bool:
    if isinstance(error, RateLimited):
        return error.code == 113
    return isinstance(error, InvalidResponse) and error.code == 429


def _by_number(record_id: str) -> tuple[int, str]:
    return len(record_id), record_id


def _changed_at(item: Mapping[str, Any]) -> float:
    dates = item.get("dates") or {}
    return float(
        max(_int(dates.get(name)) for name in ("posted_at", "modified_at", "replaced_at"))
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _unix_time(since: dt.datetime | dt.date | float | None) -> float | None:
    if since is None or isinstance(since, int | float):
        return since
    if isinstance(since, dt.datetime):
        moment = since if since.tzinfo else since.replace(tzinfo=dt.timezone.utc)
        return moment.timestamp()
    return dt.datetime(since.year, since.month, since.day, tzinfo=dt.timezone.utc).timestamp()
