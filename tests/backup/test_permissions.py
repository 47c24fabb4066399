"""A backup of private photos is readable by its owner alone, whatever the umask;
``shared=True`` lets the umask decide, as any other program does."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import backup

from .conftest import Library


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The process's umask set to the test's parameter, then put back."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def modes(root: Path) -> tuple[set[int], set[int], int]:
    """The modes of the folders (``root`` included) and of the files under ``root``,
    and how many files there are."""
    paths = [root, *root.rglob("*")]
    folders = {stat.S_IMODE(path.lstat().st_mode) for path in paths if path.is_dir()}
    files = [path for path in paths if path.is_file()]
    return folders, {stat.S_IMODE(path.lstat().st_mode) for path in files}, len(files)


# 0o277 would leave the owner unable to write in a folder created 0700: modes are set after.
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000, 0o277], indirect=True, ids=oct)
def test_folders_are_0700_and_files_0600_whatever_the_umask(
    api: IpernityAPI, library: Library, tmp_path: Path, umask: int
) -> None:
    target = tmp_path / "backup"

    backup(api, target)

    folders, files, count = modes(target)
    assert folders == {0o700}
    assert files == {0o600}
    # Originals and metadata, two albums, the manifest and the lock.
    assert count == 2 * len(library.docs) + 2 + 2


@pytest.mark.parametrize("umask", [0o022], indirect=True, ids=oct)
def test_files_rewritten_by_a_later_run_stay_private(
    api: IpernityAPI, library: Library, tmp_path: Path, umask: int
) -> None:
    target = tmp_path / "backup"
    backup(api, target)

    api.doc.set(doc_id=library.docs[0].doc_id, title="Renamed sunset")
    backup(api, target)

    folders, files, _ = modes(target)
    assert (folders, files) == ({0o700}, {0o600})


@pytest.mark.parametrize("umask", [0o022], indirect=True, ids=oct)
def test_a_shared_backup_takes_the_modes_the_umask_gives(
    api: IpernityAPI, library: Library, tmp_path: Path, umask: int
) -> None:
    target = tmp_path / "backup"

    backup(api, target, shared=True)

    folders, files, _ = modes(target)
    assert folders == {0o755}
    assert files == {0o644}
