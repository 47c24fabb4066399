"""No link inside the backup directory is followed: each attack plants a real
symbolic link to a folder outside, whose files must come out untouched."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import BackupError, backup

from .conftest import Library, manifest, originals


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the backup, holding files a backup must never touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "canary.part").write_bytes(b"a leftover name, but not the backup's")
    (folder / "canary.jpg").write_bytes(b"someone's photo")
    return folder


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its content (``None`` for folders)."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


def test_a_linked_incoming_folder_is_refused_and_nothing_it_leads_to_is_deleted(
    api: IpernityAPI, library: Library, tmp_path: Path, outside: Path
) -> None:
    target = tmp_path / "backup"
    target.mkdir()
    (target / ".incoming").symlink_to(outside)
    before = snapshot(outside)

    with pytest.raises(BackupError, match=r"\.incoming is a symbolic link"):
        backup(api, target)

    assert snapshot(outside) == before


@pytest.mark.parametrize("folder", ["documents", "albums", "deleted"])
def test_a_linked_folder_of_the_backup_is_refused_and_nothing_is_written_through_it(
    api: IpernityAPI, library: Library, tmp_path: Path, outside: Path, folder: str
) -> None:
    target = tmp_path / "backup"
    target.mkdir()
    (target / folder).symlink_to(outside)
    before = snapshot(outside)

    with pytest.raises(BackupError, match=f"{folder} is a symbolic link"):
        backup(api, target)

    assert snapshot(outside) == before


def test_a_linked_year_folder_is_refused_and_its_files_are_neither_renamed_nor_deleted(
    api: IpernityAPI, library: Library, tmp_path: Path, outside: Path
) -> None:
    target = tmp_path / "backup"
    backup(api, target)
    year = target / "documents" / "2021"
    shutil.move(year, outside / "2021")
    year.symlink_to(outside / "2021")
    # A new title renames the document's files: a move and a deletion in that folder.
    api.doc.set(doc_id=library.docs[0].doc_id, title="Sunset renamed")
    before = snapshot(outside)

    with pytest.raises(BackupError, match="2021 is a symbolic link"):
        backup(api, target, move_deleted=True)

    assert snapshot(outside) == before


def test_only_regular_part_files_are_cleared_from_incoming(
    api: IpernityAPI, library: Library, tmp_path: Path, outside: Path
) -> None:
    incoming = tmp_path / "backup" / ".incoming"
    incoming.mkdir(parents=True)
    (incoming / "left by a stopped run.part").write_bytes(b"half a picture")
    (incoming / "notes.txt").write_text("not the backup's")
    (incoming / "link.part").symlink_to(outside / "canary.part")
    (incoming / "folder.part").mkdir()
    before = snapshot(outside)

    assert backup(api, tmp_path / "backup").ok

    assert sorted(path.name for path in incoming.iterdir()) == [
        "folder.part",
        "link.part",
        "notes.txt",
    ]
    assert snapshot(outside) == before


def test_the_backup_directory_itself_may_be_a_link(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    real = tmp_path / "other disk" / "backup"
    real.mkdir(parents=True)
    (tmp_path / "backup").symlink_to(real)

    assert backup(api, tmp_path / "backup").ok

    assert len(originals(real)) == len(library.docs)


@pytest.mark.parametrize(
    "hostile",
    [
        "documents\\..\\..\\outside\\canary.jpg",
        "C:/outside/canary.jpg",
        "C:canary.jpg",
        "//server/share/canary.jpg",
        "documents/.. /.. /outside/canary.jpg",
        "../outside/canary.jpg",
    ],
)
def test_a_manifest_naming_a_path_that_could_leave_the_directory_is_refused_first(
    api: IpernityAPI, library: Library, tmp_path: Path, hostile: str
) -> None:
    target = tmp_path / "backup"
    backup(api, target)
    data = manifest(target)
    data["documents"][str(library.docs[2].doc_id)]["file"] = hostile
    (target / "manifest.json").write_text(json.dumps(data))
    api.doc.delete(doc_id=library.docs[2].doc_id)  # the run would move its file aside
    listed = snapshot(target)

    with pytest.raises(BackupError, match="is not a path inside the backup directory"):
        backup(api, target, move_deleted=True)

    assert snapshot(target) == listed


def test_a_linked_manifest_is_refused_and_what_it_leads_to_is_neither_read_nor_replaced(
    api: IpernityAPI, library: Library, tmp_path: Path, outside: Path
) -> None:
    target = tmp_path / "backup"
    target.mkdir()
    (target / "manifest.json").symlink_to(outside / "canary.jpg")
    before = snapshot(outside)

    with pytest.raises(
        BackupError, match=f"^{re.escape(str(target / 'manifest.json'))} is a symbolic link"
    ):
        backup(api, target)

    assert snapshot(outside) == before


def test_a_linked_lock_file_is_refused_and_nothing_is_created_where_it_leads(
    api: IpernityAPI, library: Library, tmp_path: Path, outside: Path
) -> None:
    target = tmp_path / "backup"
    target.mkdir()
    lock = target / ".lock"
    lock.symlink_to(outside / "created by the lock")
    before = snapshot(outside)

    with pytest.raises(BackupError, match=f"^{re.escape(str(lock))} is a symbolic link"):
        backup(api, target)

    assert snapshot(outside) == before
