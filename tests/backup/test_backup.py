"""``ipernity.backup`` against the sandbox over HTTP: what it saves, and how a
second run finds what changed."""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from ipernity import IpernityAPI
from ipernity.backup import BackupSummary, BytesReceived, DocumentDone, Planned, backup
from ipernity.sandbox import Sandbox, media
from ipernity.sandbox.media import keep_file

from .conftest import Library, file_md5, manifest, originals, sandbox_md5, saved


def test_originals_are_byte_identical_to_the_service(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    summary = backup(api, tmp_path)

    assert summary.ok
    assert sorted(summary.saved) == sorted(str(doc.doc_id) for doc in library.docs)
    for doc in library.docs:
        original, meta = saved(tmp_path, doc)
        assert file_md5(original) == sandbox_md5(sandbox, doc)
        assert meta["original"]["md5"] == sandbox_md5(sandbox, doc)
    assert summary.downloaded == sum(path.stat().st_size for path in originals(tmp_path))


def test_folder_and_file_names_say_what_they_hold(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)

    sunset, _harbour, cat, odd = library.docs
    assert (tmp_path / "documents" / "2021" / f"{sunset.doc_id} Sunset at sea.jpg").is_file()
    assert (tmp_path / "documents" / "2021" / f"{sunset.doc_id} Sunset at sea.json").is_file()
    assert (tmp_path / "documents" / "2022" / f"{cat.doc_id} Private cat.jpg").is_file()
    # Characters no file system takes are replaced.
    assert (tmp_path / "documents" / "2023" / f"{odd.doc_id} Notes- a-b.jpg").is_file()
    assert (tmp_path / "albums" / f"{library.holidays.album_id} Holidays.json").is_file()


def test_metadata_holds_what_describes_the_document(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)

    _, meta = saved(tmp_path, library.docs[0])
    assert meta["title"] == "Sunset at sea"
    assert meta["description"] == "Red sky"
    assert meta["dates"]["created"] == "2021-07-14 21:30:00"
    assert meta["visibility"]["ispublic"] == "1"
    assert set(meta["permissions"]) == {"comment", "tag", "tagme"}
    assert meta["license"] == "0"
    assert [tag["keyword"] for tag in meta["tags"]] == ["sunset", "sea"]
    assert [note["content"] for note in meta["notes"]] == ["the sun"]
    assert float(meta["geo"]["lat"]) == 43.3
    assert meta["original"]["file"] == f"documents/2021/{library.docs[0].doc_id} Sunset at sea.jpg"
    assert [album["title"] for album in meta["albums"]] == ["Holidays"]
    assert next(group["title"] for group in meta["groups"]).startswith("Seascapes")
    _, harbour = saved(tmp_path, library.docs[1])
    assert harbour["license"] == "9"
    _, cat = saved(tmp_path, library.docs[2])
    assert cat["visibility"]["ispublic"] == "0"


def test_albums_keep_their_text_cover_and_order_and_empty_ones_are_saved(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)

    sunset, harbour = library.docs[0], library.docs[1]
    holidays = json.loads(
        (tmp_path / "albums" / f"{library.holidays.album_id} Holidays.json").read_text()
    )
    assert holidays["title"] == "Holidays"
    assert holidays["description"] == "Summer 2021"
    assert holidays["cover"] == {"doc_id": str(harbour.doc_id)}
    assert [entry["doc_id"] for entry in holidays["documents"]] == [
        str(harbour.doc_id),
        str(sunset.doc_id),
    ]
    assert (tmp_path / holidays["documents"][0]["file"]).is_file()
    empty = json.loads(
        (tmp_path / "albums" / f"{library.empty.album_id} Empty for now.json").read_text()
    )
    assert empty["documents"] == []


def test_the_summary_names_the_backup_directory(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    summary = backup(api, tmp_path / "backup")

    assert summary.directory == tmp_path / "backup"


def test_albums_are_listed_asking_for_the_empty_ones_as_the_api_says(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path, dry_run=True)

    asked = [
        call.params.get("empty")
        for call in sandbox.calls
        if call.method == "album.getList" and call.user_id == library.member.user_id
    ]
    assert asked == ["1"]


def test_the_manifest_names_each_albums_title_and_file(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)

    holidays = library.holidays.album_id
    assert manifest(tmp_path)["albums"][str(holidays)] == {
        "title": "Holidays",
        "file": f"albums/{holidays} Holidays.json",
    }


def test_the_manifest_names_each_documents_title_and_files(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)

    sunset = library.docs[0]
    state = manifest(tmp_path)["documents"][str(sunset.doc_id)]
    named = f"documents/2021/{sunset.doc_id} Sunset at sea"
    assert (state["title"], state["file"], state["metadata"]) == (
        "Sunset at sea",
        f"{named}.jpg",
        f"{named}.json",
    )


def test_a_renamed_album_is_saved_under_its_new_name_only(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    holidays = library.holidays.album_id
    backup(api, tmp_path)

    api.album.edit(album_id=holidays, title="Summer")
    backup(api, tmp_path)

    assert sorted(path.name for path in (tmp_path / "albums").iterdir()) == [
        f"{holidays} Summer.json",
        f"{library.empty.album_id} Empty for now.json",
    ]


def test_the_manifest_says_what_when_which_account_and_version(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    from ipernity import __version__

    summary = backup(api, tmp_path)

    data = manifest(tmp_path)
    assert data["format"] == 1
    assert data["generator"] == {"name": "PyIpernity", "version": __version__}
    assert data["account"] == {
        "user_id": str(library.member.user_id),
        "username": library.member.username,
    }
    last_run = data["last_run"]
    assert set(last_run) == {"started_at", "finished_at", "complete", "summary"}
    assert last_run["complete"] is True
    assert last_run["started_at"].endswith("Z")
    assert last_run["finished_at"].endswith("Z")
    assert last_run["started_at"] <= last_run["finished_at"]
    assert last_run["summary"] == summary.describe()
    assert set(data["documents"]) == {str(doc.doc_id) for doc in library.docs}
    assert all(state["saved_at"] for state in data["documents"].values())


def test_a_second_run_fetches_nothing_unchanged(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    before = {path: path.stat().st_mtime_ns for path in originals(tmp_path)}
    sandbox.calls.clear()

    summary = backup(api, tmp_path)

    assert summary.saved == []
    assert summary.unchanged == len(library.docs)
    assert summary.downloaded == 0
    assert not [call for call in sandbox.calls if call.method == "doc.get"]
    assert {path: path.stat().st_mtime_ns for path in originals(tmp_path)} == before


def test_changed_documents_are_fetched_again(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sunset, harbour, cat, _ = library.docs
    backup(api, tmp_path)

    api.doc.set(doc_id=sunset.doc_id, title="Sunset over the sea")
    api.doc.tags.add(doc_id=harbour.doc_id, keywords="boats")
    api.doc.setPerms(doc_id=cat.doc_id, perm_comment=0)
    summary = backup(api, tmp_path)

    assert sorted(summary.saved) == sorted(str(d.doc_id) for d in (sunset, harbour, cat))
    assert summary.downloaded == 0  # the files did not change: only the metadata is fetched
    renamed, meta = saved(tmp_path, sunset)
    assert renamed.name == f"{sunset.doc_id} Sunset over the sea.jpg"
    assert not (renamed.parent / f"{sunset.doc_id} Sunset at sea.jpg").exists()
    assert not (renamed.parent / f"{sunset.doc_id} Sunset at sea.json").exists()
    assert meta["title"] == "Sunset over the sea"
    assert "boats" in [tag["keyword"] for tag in saved(tmp_path, harbour)[1]["tags"]]
    assert saved(tmp_path, cat)[1]["permissions"]["comment"] == "0"


def test_a_replaced_file_is_downloaded_again(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    harbour = library.docs[1]
    backup(api, tmp_path)
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "PNG")
    picture.seek(0)
    picture.name = "red.png"

    api.replace_file(picture, harbour.doc_id)
    summary = backup(api, tmp_path)

    assert summary.saved == [str(harbour.doc_id)]
    assert summary.planned[0].reason == "replaced"
    original, _ = saved(tmp_path, harbour)
    assert original.suffix == ".png"
    assert file_md5(original) == sandbox_md5(sandbox, harbour)
    assert not original.with_suffix(".jpg").exists()


def test_a_file_changed_to_the_same_size_and_dates_is_downloaded_again(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    harbour = library.docs[1]
    backup(api, tmp_path)
    row = sandbox.store.one("SELECT * FROM docs WHERE doc_id = ?", (harbour.doc_id,))
    assert row is not None
    data = bytearray(media.original(sandbox.store, row))  # the file served
    data[len(data) // 2] ^= 0xFF
    dates = "SELECT modified_at, replaced_at FROM docs WHERE doc_id = ?"
    before = tuple(sandbox.store.one(dates, (harbour.doc_id,)) or ())
    keep_file(sandbox.store, harbour.doc_id, bytes(data))  # same size, another md5

    summary = backup(api, tmp_path)

    assert tuple(sandbox.store.one(dates, (harbour.doc_id,)) or ()) == before
    assert [(p.doc_id, p.reason) for p in summary.planned] == [(str(harbour.doc_id), "replaced")]
    assert summary.planned[0].size == len(data)  # the progress counts its bytes
    assert summary.downloaded == len(data)
    original, meta = saved(tmp_path, harbour)
    assert file_md5(original) == sandbox_md5(sandbox, harbour) == meta["original"]["md5"]


def test_deleted_documents_are_reported_and_kept(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    gone = library.docs[2:]
    backup(api, tmp_path)
    originals_of_gone = [saved(tmp_path, doc)[0] for doc in gone]

    for doc in gone:
        api.doc.delete(doc_id=doc.doc_id)
    summary = backup(api, tmp_path)

    assert summary.deleted == [str(doc.doc_id) for doc in gone]
    assert summary.moved_aside == []
    assert all(original.is_file() for original in originals_of_gone)
    states = manifest(tmp_path)["documents"]
    assert all(states[str(doc.doc_id)]["gone_since"] for doc in gone)


def test_deleted_documents_can_be_moved_aside(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    cat = library.docs[2]
    backup(api, tmp_path)
    original, _ = saved(tmp_path, cat)

    api.doc.delete(doc_id=cat.doc_id)
    summary = backup(api, tmp_path, move_deleted=True)

    assert summary.moved_aside == [str(cat.doc_id)]
    assert not original.exists()
    moved = tmp_path / "deleted" / "2022" / original.name
    assert moved.is_file()
    assert (
        manifest(tmp_path)["deleted"][str(cat.doc_id)]["file"] == f"deleted/2022/{original.name}"
    )
    assert str(cat.doc_id) not in manifest(tmp_path)["documents"]
    assert backup(api, tmp_path).deleted == []


def test_deleted_documents_whose_files_were_removed_by_hand_are_moved_aside_quietly(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    cat, odd = library.docs[2], library.docs[3]
    backup(api, tmp_path)
    cat_original, _ = saved(tmp_path, cat)
    cat_original.unlink()  # its metadata stays
    odd_original, _ = saved(tmp_path, odd)
    shutil.rmtree(odd_original.parent)  # its year's folder and both its files
    api.doc.delete(doc_id=cat.doc_id)
    api.doc.delete(doc_id=odd.doc_id)

    summary = backup(api, tmp_path, move_deleted=True)

    assert summary.moved_aside == [str(cat.doc_id), str(odd.doc_id)]
    assert [path.name for path in (tmp_path / "deleted").rglob("*.*")] == [
        cat_original.with_suffix(".json").name
    ]


def test_an_unchanged_album_file_is_not_written_again(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    album = tmp_path / "albums" / f"{library.holidays.album_id} Holidays.json"
    before = album.stat()

    backup(api, tmp_path)

    # Each write is a new file renamed into place: the same inode is the same file.
    assert (album.stat().st_ino, album.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize(
    ("section", "reported"), [("documents", "deleted"), ("albums", "deleted_albums")]
)
def test_what_is_gone_from_ipernity_is_reported_in_the_order_of_its_ids(
    api: IpernityAPI, library: Library, tmp_path: Path, section: str, reported: str
) -> None:
    backup(api, tmp_path)
    data = manifest(tmp_path)
    # Saved by an earlier run, gone since: ids of different lengths.
    for gone in ("10", "9", "100"):
        data[section][gone] = {"title": "Gone", "file": f"{section}/{gone} Gone.json"}
    (tmp_path / "manifest.json").write_text(json.dumps(data), "utf-8")

    summary = backup(api, tmp_path)

    assert getattr(summary, reported) == ["9", "10", "100"]


def test_the_plan_counts_what_is_unchanged(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    api.doc.set(doc_id=library.docs[0].doc_id, description="changed")
    events: list[object] = []

    backup(api, tmp_path, progress=events.append)

    assert [e for e in events if isinstance(e, Planned)] == [Planned(1, 0, len(library.docs) - 1)]


def test_progress_reports_the_plan_each_document_and_the_bytes(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    events: list[object] = []

    summary = backup(api, tmp_path, progress=events.append)

    planned = [event for event in events if isinstance(event, Planned)]
    assert planned == [Planned(len(library.docs), planned[0].total_bytes, 0)]
    assert planned[0].total_bytes == summary.downloaded
    done = [event for event in events if isinstance(event, DocumentDone)]
    assert sorted(event.doc_id for event in done) == sorted(summary.saved)
    assert sum(e.count for e in events if isinstance(e, BytesReceived)) == summary.downloaded


def test_progress_names_each_document_saved_by_its_title(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    untitled = sandbox.add_doc(library.member, "")
    events: list[object] = []

    backup(api, tmp_path, progress=events.append)

    done = {(e.doc_id, e.title) for e in events if isinstance(e, DocumentDone)}
    assert done == {(str(doc.doc_id), doc.title) for doc in [*library.docs, untitled]}


def test_the_summary_gives_the_seconds_the_run_took(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    started = time.monotonic()
    summary = backup(api, tmp_path)
    took = time.monotonic() - started

    assert 0 < summary.seconds <= took


def test_the_summary_line_counts_saved_unchanged_failed_bytes_and_time(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    summary: BackupSummary = backup(api, tmp_path)

    line = summary.describe()
    assert line.startswith(f"{len(library.docs)} saved, 0 unchanged, 0 failed, 2 albums, ")
    assert line.endswith(f"in {summary.seconds:.1f} s")


def test_deleted_albums_are_reported_kept_and_can_be_moved_aside(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    saved_as = tmp_path / "albums" / f"{library.empty.album_id} Empty for now.json"

    api.album.delete(album_id=library.empty.album_id)
    kept = backup(api, tmp_path)
    assert kept.deleted_albums == [str(library.empty.album_id)]
    assert saved_as.is_file()

    moved = backup(api, tmp_path, move_deleted=True)
    assert moved.deleted_albums == [str(library.empty.album_id)]
    assert not saved_as.exists()
    assert (tmp_path / "deleted" / "albums" / saved_as.name).is_file()
    entry = manifest(tmp_path)["deleted_albums"][str(library.empty.album_id)]
    assert entry["file"] == f"deleted/albums/{saved_as.name}"
    assert backup(api, tmp_path).deleted_albums == []


def test_a_dry_run_reports_deleted_documents_and_moves_nothing(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    cat = library.docs[2]
    backup(api, tmp_path)
    original, _ = saved(tmp_path, cat)
    api.doc.delete(doc_id=cat.doc_id)

    summary = backup(api, tmp_path, dry_run=True, move_deleted=True)

    assert summary.deleted == [str(cat.doc_id)]
    assert summary.moved_aside == []
    assert original.is_file()
