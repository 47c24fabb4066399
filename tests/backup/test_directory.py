"""Something in the way in a backup directory (a folder where a file goes, a
socket, a manifest that is not JSON) is one clear error naming it; files are
read a block at a time; JSON is written indented, its text as it is."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import tracemalloc
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import BackupError, backup
from ipernity.backup.disk import BackupDirectory

from .conftest import Library, saved

#: Seconds a run may take to refuse a FIFO: far more than it needs, far less than forever.
FIFO_DEADLINE = 15.0


def error_naming(path: Path, cause: str) -> str:
    """The pattern of ``Cannot write <path>: <cause>``, the path as it is."""
    return f"^Cannot write {re.escape(str(path))}: {cause}$"


def bind_socket(path: Path) -> socket.socket:
    """A Unix socket bound at ``path`` (close it after the test)."""
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server


def test_a_folder_where_the_lock_goes_is_one_clear_error(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    (tmp_path / ".lock").mkdir()

    with pytest.raises(BackupError, match=error_naming(tmp_path / ".lock", "Is a directory")):
        backup(api, tmp_path)


def test_a_socket_where_the_manifest_goes_is_one_clear_error(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    where = tmp_path / "manifest.json"
    with (
        bind_socket(where),
        pytest.raises(
            BackupError, match=f"^Cannot read {re.escape(str(where))}: No such device or address$"
        ),
    ):
        backup(api, tmp_path)


def test_a_fifo_where_the_manifest_goes_is_one_clear_error_at_once(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    fifo = tmp_path / "manifest.json"
    os.mkfifo(fifo)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            backup(api, tmp_path)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(FIFO_DEADLINE)
    waiting = thread.is_alive()
    if waiting:  # a writer coming and going lets the run's open return
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join()

    assert not waiting, "the run waited for a writer on the FIFO"
    assert [str(error) for error in errors] == [f"{fifo} is not a regular file"]


def test_a_manifest_that_is_not_json_is_one_clear_error_naming_it(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    (tmp_path / "manifest.json").write_text('{"format": 1,', "utf-8")

    with pytest.raises(
        BackupError, match=f"^Cannot read {re.escape(str(tmp_path / 'manifest.json'))}: Expecting"
    ):
        backup(api, tmp_path)


def test_a_folder_where_an_original_goes_is_one_clear_error_naming_it(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sunset = library.docs[0]
    in_the_way = tmp_path / "documents" / "2021" / f"{sunset.doc_id} Sunset at sea.jpg"
    in_the_way.mkdir(parents=True)

    with pytest.raises(BackupError, match=error_naming(in_the_way, "Is a directory")):
        backup(api, tmp_path, workers=1)


def test_a_folder_in_the_way_of_a_file_moved_aside_is_one_clear_error_naming_it(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    cat = library.docs[2]
    backup(api, tmp_path)
    original, _ = saved(tmp_path, cat)
    in_the_way = tmp_path / "deleted" / "2022" / original.name
    in_the_way.mkdir(parents=True)
    api.doc.delete(doc_id=cat.doc_id)

    with pytest.raises(BackupError, match=error_naming(in_the_way, "Is a directory")):
        backup(api, tmp_path, move_deleted=True)

    assert original.is_file()


def test_a_folder_in_place_of_a_renamed_documents_old_file_is_one_clear_error_naming_it(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sunset = library.docs[0]
    backup(api, tmp_path)
    old, _ = saved(tmp_path, sunset)
    old.unlink()
    old.mkdir()
    api.doc.set(doc_id=sunset.doc_id, title="Sunset renamed")

    with pytest.raises(BackupError, match=error_naming(old, "Is a directory")):
        backup(api, tmp_path)


def test_a_folder_removed_as_soon_as_it_is_made_is_one_clear_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folder = os.mkdir

    def made_then_removed(path: str, mode: int = 0o777, *, dir_fd: int | None = None) -> None:
        # Another program removes the folder between its creation and its opening.
        make_folder(path, mode, dir_fd=dir_fd)
        os.rmdir(path, dir_fd=dir_fd)

    with BackupDirectory(tmp_path).open() as directory:
        monkeypatch.setattr(os, "mkdir", made_then_removed)
        with pytest.raises(
            BackupError, match=error_naming(tmp_path / ".incoming", "it vanished meanwhile")
        ):
            directory.prepare()


def test_hashing_a_file_holds_one_block_in_memory_at_a_time(tmp_path: Path) -> None:
    (tmp_path / "large.bin").write_bytes(bytes(8 * 1024 * 1024))
    with BackupDirectory(tmp_path).open() as directory:
        tracemalloc.start()
        try:
            directory.md5("large.bin")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert peak < 3 * 1024 * 1024


def test_json_is_written_indented_with_its_text_as_it_is(tmp_path: Path) -> None:
    with BackupDirectory(tmp_path).open() as directory:
        directory.prepare()
        directory.write_json("albums/1 Été.json", {"title": "Été à Zürich", "docs": ["7"]})

    assert (tmp_path / "albums" / "1 Été.json").read_bytes() == (
        '{\n  "title": "Été à Zürich",\n  "docs": [\n    "7"\n  ]\n}\n'.encode()
    )


def test_a_file_where_a_folder_goes_is_one_clear_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "albums").write_text("not a folder")

    with (
        BackupDirectory(tmp_path).open() as directory,
        pytest.raises(
            BackupError, match=f"^{re.escape(str(tmp_path / 'albums'))} is not a folder$"
        ),
    ):
        directory.prepare()


def test_a_directory_used_before_it_is_opened_or_prepared_says_so(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match=f"^{re.escape(str(tmp_path))} is not open$"):
        BackupDirectory(tmp_path).prepare()

    with (
        BackupDirectory(tmp_path).open() as directory,
        pytest.raises(
            BackupError, match=f"^{re.escape(str(tmp_path / '.incoming'))} is not prepared$"
        ),
    ):
        directory.write_json("albums/1.json", {})


def files_open_under(folder: Path) -> list[str]:
    """What this process holds open under ``folder`` (files and folders)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # the listing's own descriptor, closed meanwhile
            continue
        if target == str(folder) or target.startswith(f"{folder}/"):
            held.append(target)
    return held


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_closed_directory_holds_nothing_open_and_closing_again_is_harmless(
    tmp_path: Path,
) -> None:
    directory = BackupDirectory(tmp_path).open()
    directory.lock()
    directory.prepare()
    directory.write_json("albums/1.json", {"title": "One"})
    assert files_open_under(tmp_path)

    directory.close()
    directory.close()

    assert files_open_under(tmp_path) == []


def test_a_folder_the_member_made_keeps_its_mode(tmp_path: Path) -> None:
    (tmp_path / "albums").mkdir()
    (tmp_path / "albums").chmod(0o755)

    with BackupDirectory(tmp_path).open() as directory:
        directory.prepare()
        directory.write_json("albums/1.json", {"title": "One"})
        directory.write_json("documents/2021/1.json", {"title": "One"})

    assert (tmp_path / "albums").stat().st_mode & 0o777 == 0o755
    # What the run makes is private.
    assert (tmp_path / "documents").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "documents" / "2021").stat().st_mode & 0o777 == 0o700


def test_a_backup_directory_is_made_with_the_folders_above_it(tmp_path: Path) -> None:
    root = tmp_path / "disks" / "photos" / "backup"

    with BackupDirectory(root).open() as directory:
        directory.prepare()

    assert root.is_dir()
    assert root.stat().st_mode & 0o777 == 0o700


def test_incoming_swapped_for_a_link_during_a_run_leads_no_file_out(tmp_path: Path) -> None:
    root, outside = tmp_path / "backup", tmp_path / "elsewhere"
    outside.mkdir()
    with BackupDirectory(root).open() as directory:
        directory.prepare()
        # Another program swaps the folder the run writes its files in for a link.
        (root / ".incoming").rename(root / ".incoming-moved")
        (root / ".incoming").symlink_to(outside)

        with directory.writing() as (temp, stream):
            stream.write(b"a private picture")
            stream.flush()
            # The file being written is in the folder the run opened, not behind the link.
            assert list(outside.iterdir()) == []
            assert (root / ".incoming-moved" / temp).read_bytes() == b"a private picture"
        directory.discard(temp)
        directory.write_json("albums/1.json", {"title": "One"})

    assert list(outside.iterdir()) == []
    assert json.loads((root / "albums" / "1.json").read_text("utf-8")) == {"title": "One"}


def test_comparing_a_file_with_a_text_reads_no_more_than_the_text(tmp_path: Path) -> None:
    with BackupDirectory(tmp_path).open() as directory:
        directory.prepare()
        directory.write_json("albums/1.json", {"title": "One"})
        # The file grown huge (sparse: nothing is written).
        with (tmp_path / "albums" / "1.json").open("r+b") as grown:
            grown.truncate(256 * 1024 * 1024)
        tracemalloc.start()
        try:
            same = directory.same_text("albums/1.json", {"title": "One"})
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert same is False
    assert peak < 1024 * 1024
