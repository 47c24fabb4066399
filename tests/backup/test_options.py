"""The options: only some albums, only what changed since a date, a dry run."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import BackupError, BackupEvent, DocumentDone, backup
from ipernity.sandbox import App, Sandbox

from .conftest import Library, client, manifest, originals


def test_only_the_documents_and_album_asked_for(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    summary = backup(api, tmp_path, albums=[library.holidays.album_id])

    sunset, harbour = library.docs[0], library.docs[1]
    assert sorted(summary.saved) == sorted([str(sunset.doc_id), str(harbour.doc_id)])
    assert summary.skipped == 2
    assert [path.name for path in (tmp_path / "albums").iterdir()] == [
        f"{library.holidays.album_id} Holidays.json"
    ]


def test_albums_the_member_does_not_have_are_a_clear_error_naming_them(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    with pytest.raises(BackupError, match=r"^No album 1, 2 among the member's albums$"):
        backup(api, tmp_path, albums=["2", library.holidays.album_id, "1"])


@pytest.mark.parametrize("date", ["posted_at", "modified_at", "replaced_at"])
def test_only_documents_posted_changed_or_replaced_since_a_date(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path, date: str
) -> None:
    harbour = library.docs[1]
    old = 1_500_000_000
    # replaced_at first: the sandbox moves modified_at on when it changes.
    for column in ("replaced_at", "posted_at", "modified_at"):
        set_all = f"UPDATE docs SET {column} = ? WHERE owner_id = ?"  # noqa: S608
        sandbox.store.execute(set_all, (old, library.member.user_id))
        if column == date:
            set_one = f"UPDATE docs SET {column} = ? WHERE doc_id = ?"  # noqa: S608
            sandbox.store.execute(set_one, (old + 86_400 * 10, harbour.doc_id))

    summary = backup(api, tmp_path, since=dt.date(2017, 7, 20))

    assert summary.saved == [str(harbour.doc_id)]
    assert summary.skipped == len(library.docs) - 1


def test_a_document_changed_at_the_very_moment_given_is_saved(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    moment = 1_500_000_000
    sandbox.store.execute(
        "UPDATE docs SET replaced_at = 0, posted_at = ?, modified_at = ? WHERE owner_id = ?",
        (moment - 1, moment - 1, library.member.user_id),
    )
    harbour = library.docs[1]
    sandbox.store.execute(
        "UPDATE docs SET modified_at = ? WHERE doc_id = ?", (moment, harbour.doc_id)
    )

    summary = backup(api, tmp_path, since=moment)

    assert summary.saved == [str(harbour.doc_id)]


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time ten hours ahead of UTC, for one test."""
    monkeypatch.setenv("TZ", "FAR-10")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


MOMENT = dt.datetime(2017, 7, 14, 2, 40, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("since", "moment"),
    [
        (MOMENT.replace(tzinfo=None), MOMENT),
        (MOMENT.astimezone(dt.timezone(dt.timedelta(hours=2))), MOMENT),
        (MOMENT.date(), MOMENT.replace(hour=0, minute=0)),
    ],
    ids=["naive datetime", "datetime in another zone", "date"],
)
@pytest.mark.usefixtures("far_from_utc")
def test_since_is_a_moment_in_utc_whatever_the_machines_time_zone(
    sandbox: Sandbox,
    api: IpernityAPI,
    library: Library,
    tmp_path: Path,
    since: dt.datetime | dt.date,
    moment: dt.datetime,
) -> None:
    unix = int(moment.timestamp())
    sandbox.store.execute(
        "UPDATE docs SET replaced_at = 0, posted_at = ?, modified_at = ? WHERE owner_id = ?",
        (unix - 1, unix - 1, library.member.user_id),
    )
    harbour = library.docs[1]
    sandbox.store.execute(
        "UPDATE docs SET modified_at = ? WHERE doc_id = ?", (unix, harbour.doc_id)
    )

    summary = backup(api, tmp_path, since=since, dry_run=True)

    assert [planned.doc_id for planned in summary.planned] == [str(harbour.doc_id)]


def test_a_dry_run_says_what_it_would_fetch_and_writes_nothing(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "backup"

    summary = backup(api, target, dry_run=True)

    assert not target.exists()
    assert summary.dry_run
    assert summary.saved == []
    assert sorted((p.doc_id, p.title) for p in summary.planned) == sorted(
        (str(doc.doc_id), doc.title) for doc in library.docs
    )
    assert {p.reason for p in summary.planned} == {"new"}
    assert summary.describe().startswith(f"{len(library.docs)} to fetch, ")


def test_a_dry_run_counts_the_albums_a_real_run_saves(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    planned = backup(api, tmp_path / "backup", dry_run=True)
    done = backup(api, tmp_path / "backup")

    assert planned.albums == done.albums == 2
    assert planned.describe().startswith(
        f"{len(library.docs)} to fetch, 0 unchanged, 0 failed, 2 albums"
    )


def test_a_dry_run_after_a_backup_names_only_what_changed(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    api.doc.set(doc_id=library.docs[3].doc_id, description="now described")
    before = manifest(tmp_path)

    summary = backup(api, tmp_path, dry_run=True)

    assert [(p.doc_id, p.reason) for p in summary.planned] == [
        (str(library.docs[3].doc_id), "changed")
    ]
    assert manifest(tmp_path) == before


def test_one_worker_saves_every_document_from_one_thread(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    savers: set[str] = set()

    def note_the_thread(event: BackupEvent) -> None:
        if isinstance(event, DocumentDone):
            savers.add(threading.current_thread().name)

    summary = backup(api, tmp_path, workers=1, progress=note_the_thread)

    assert len(summary.saved) == len(library.docs)
    assert len(savers) == 1


def test_one_request_at_a_time_saves_the_same(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path / "parallel")
    backup(api, tmp_path / "serial", workers=1)

    def contents(directory: Path) -> list[tuple[str, bytes]]:
        return [(p.name, p.read_bytes()) for p in originals(directory)]

    assert contents(tmp_path / "parallel") == contents(tmp_path / "serial")


def test_no_secret_reaches_the_logs_or_the_files(
    sandbox: Sandbox,
    api: IpernityAPI,
    library: Library,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sandbox.fail_next("media", http_status=404)

    summary = backup(api, tmp_path, workers=1)

    credentials = [library.app.api_secret, str(library.token["token"])]
    # The documents' URL secrets are in the file URLs the service gives; they stay
    # out of what the backup writes, which may be shared.
    url_secrets = [
        sandbox.store.scalar("SELECT secret FROM docs WHERE doc_id = ?", (doc.doc_id,))
        for doc in library.docs
    ]
    written = "".join(path.read_text("utf-8") for path in tmp_path.rglob("*.json"))
    reported = json.dumps([str(failure) for failure in summary.failed])
    for secret in credentials:
        assert secret not in caplog.text
    for secret in credentials + url_secrets:
        assert secret not in written
        assert secret not in reported


@pytest.mark.parametrize("option", ["workers", "max_file_bytes"])
def test_a_count_below_one_is_refused_naming_it(
    api: IpernityAPI, tmp_path: Path, option: str
) -> None:
    with pytest.raises(ValueError, match=f"^{option} must be 1 or more$"):
        backup(api, tmp_path, **{option: 0})


def test_one_worker_and_a_one_byte_cap_are_allowed(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    summary = backup(api, tmp_path, workers=1, max_file_bytes=1, dry_run=True)

    assert len(summary.planned) == len(library.docs)


def test_without_a_token_the_backup_says_to_log_in(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    with (
        IpernityAPI(library.app.api_key, library.app.api_secret, url=sandbox.api_url) as anonymous,
        pytest.raises(
            BackupError, match=r"^A backup needs a member's token: log in first \(doc=read\)$"
        ),
    ):
        backup(anonymous, tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_token_not_allowing_to_read_documents_says_which_permission_to_ask(
    sandbox: Sandbox, library: Library, web_app: App, tmp_path: Path
) -> None:
    token = sandbox.grant(library.member, web_app, {"blog": "read"})
    with (
        client(sandbox, web_app, token) as api,
        pytest.raises(
            BackupError,
            match=r"^The token does not allow reading documents: log in with doc=read$",
        ),
    ):
        backup(api, tmp_path)
    assert not list(tmp_path.iterdir())
