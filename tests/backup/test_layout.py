"""File names come from the service's answers: none may lead out of the backup directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipernity.backup import BackupError
from ipernity.backup.disk import BackupDirectory
from ipernity.backup.layout import album_path, document_paths


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "/etc/passwd", "..", "a/../../b"])
def test_ids_from_an_answer_stay_one_name_inside_their_folder(hostile: str) -> None:
    file, meta = document_paths({"doc_id": hostile, "title": "Sunset", "original": {"ext": "jpg"}})
    album = album_path({"album_id": hostile, "title": "Holidays"})
    for path in (file, meta, album):
        folder, _, name = path.rpartition("/")
        assert folder in ("documents/undated", "albums")
        assert name
        assert not name.startswith(".")


def test_an_ordinary_id_keeps_its_digits() -> None:
    assert document_paths({"doc_id": "123", "title": "Sunset"})[1] == (
        "documents/undated/123 Sunset.json"
    )


@pytest.mark.parametrize(
    "relative",
    ["../outside.json", "/etc/passwd", "documents/../../x", "", "documents/x\0.jpg"],
)
def test_the_directory_refuses_paths_that_leave_it(tmp_path: Path, relative: str) -> None:
    with pytest.raises(BackupError, match="not a path inside"):
        BackupDirectory(tmp_path).path(relative)


@pytest.mark.parametrize(
    "relative",
    [
        "documents\\..\\..\\x",  # Windows separators
        "C:/x",  # a drive
        "C:x",  # a drive's current folder
        "documents/x.jpg:stream",  # an NTFS stream
        "documents/.. /x",  # Windows drops trailing spaces and dots: "..".
        "documents/x.",
        "documents/NUL.json",  # a device, whatever its extension
        "documents/com1",
    ],
)
def test_the_directory_refuses_paths_that_would_leave_it_on_windows(
    tmp_path: Path, relative: str
) -> None:
    with pytest.raises(BackupError, match="not a path inside"):
        BackupDirectory(tmp_path).path(relative)


def test_paths_the_layout_makes_are_accepted(tmp_path: Path) -> None:
    file, meta = document_paths({"doc_id": "12", "title": "A: b\\c. ", "original": {"ext": "jpg"}})
    album = album_path({"album_id": "3", "title": "con"})
    for relative in (file, meta, album):
        assert BackupDirectory(tmp_path).path(relative) == tmp_path.joinpath(*relative.split("/"))
