"""``python -m ipernity … backup DIR``: the shell command over the library function."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from ipernity.sandbox import Sandbox
from ipernity.shell.backup import parse_options
from ipernity.shell.errors import CommandError

from .conftest import RUN_TIMEOUT, Library, client, originals, run_shell, shell_environment


def test_one_shot_backup_saves_everything_and_prints_the_summary(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    result = run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"))

    assert result.status == 0, result.err
    assert len(originals(tmp_path / "b")) == len(library.docs)
    assert f"{len(library.docs)} saved, 0 unchanged, 0 failed, 2 albums" in result.out


def test_a_second_run_says_everything_is_unchanged(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"))

    result = run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"))

    assert result.status == 0
    assert f"0 saved, {len(library.docs)} unchanged, 0 failed" in result.out


def test_each_failure_is_named_and_the_exit_status_is_1(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("media", http_status=404, times=2)

    result = run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"), "--workers", "1")

    assert result.status == 1
    failures = [line for line in result.err.splitlines() if line.startswith("failed: document ")]
    assert len(failures) == 2
    assert all("HTTP 404" in line for line in failures)
    assert "2 documents could not be saved" in result.err
    assert f"{len(library.docs) - 2} saved, 0 unchanged, 2 failed" in result.out


def test_a_dry_run_lists_what_it_would_fetch(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    result = run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"), "--dry-run")

    assert result.status == 0
    assert f"would fetch {library.docs[0].doc_id} (new): Sunset at sea" in result.out
    assert not (tmp_path / "b").exists()


def test_options_select_albums_and_a_date(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    album = str(library.holidays.album_id)

    result = run_shell(
        sandbox,
        library,
        tmp_path,
        "backup",
        str(tmp_path / "b"),
        "--albums",
        album,
        "--since",
        "2000-01-01",
    )

    assert result.status == 0, result.err
    assert len(originals(tmp_path / "b")) == 2
    assert "2 saved, 0 unchanged, 2 skipped" in result.out


def test_bad_options_are_one_clear_error(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    for words, message in [
        ((), "usage: backup DIR"),
        (("d", "--since", "yesterday"), "--since takes a date"),
        (("d", "--workers", "0"), "--workers takes a number from 1 to 64"),
        (("d", "--albums", "x"), "--albums takes album ids"),
        (("d", "--fast"), "Unknown option --fast"),
    ]:
        result = run_shell(sandbox, library, tmp_path, "backup", *words)
        assert result.status == 1
        assert result.err.splitlines() == [result.err.strip()]
        assert message in result.err


@pytest.mark.parametrize(
    ("value", "size"), [("4000", 4000), ("1.5K", 1500), ("500M", 500 * 10**6), ("8gb", 8 * 10**9)]
)
def test_max_file_size_takes_bytes_or_a_unit(value: str, size: int) -> None:
    assert parse_options(("d", "--max-file-size", value)).max_file_bytes == size


@pytest.mark.parametrize("value", ["lots", "0", "-5M", "9" * 400, "1.5Q"])
def test_max_file_size_refuses_what_is_no_size(value: str) -> None:
    with pytest.raises(CommandError, match="--max-file-size takes a size such as 500M or 8G"):
        parse_options(("d", "--max-file-size", value))


def test_the_file_size_cap_and_shared_modes_are_options(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    capped = run_shell(sandbox, library, tmp_path, "backup", "b", "--max-file-size", "1.5K")
    shared = run_shell(sandbox, library, tmp_path, "backup", "s", "--shared")

    assert capped.status == 1
    failures = [line for line in capped.err.splitlines() if line.startswith("failed: ")]
    assert len(failures) == len(library.docs)
    assert all("larger than the 1.5 KB a file may have" in line for line in failures)
    assert shared.status == 0, shared.err
    # The umask decides (022 as a rule), as for a file any program creates.
    (tmp_path / "ordinary").touch()
    ordinary = stat.S_IMODE((tmp_path / "ordinary").stat().st_mode)
    assert stat.S_IMODE((tmp_path / "s" / "manifest.json").stat().st_mode) == ordinary


def test_the_command_is_in_the_interactive_shell_and_its_help(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    from .conftest import shell_command

    done = subprocess.run(
        shell_command(sandbox, library),
        input=f"help backup\nbackup {tmp_path / 'b'}\n",
        capture_output=True,
        text=True,
        env=shell_environment(tmp_path),
        cwd=tmp_path,
        timeout=RUN_TIMEOUT,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "backup DIR [--albums ID,ID…]" in done.stdout
    assert f"{len(library.docs)} saved" in done.stdout


def test_documents_deleted_on_ipernity_are_named(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"))
    with client(sandbox, library.app, library.token) as api:
        api.doc.delete(doc_id=library.docs[2].doc_id)

    kept = run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"))
    moved = run_shell(sandbox, library, tmp_path, "backup", str(tmp_path / "b"), "--move-deleted")

    assert kept.status == 0
    assert f"deleted on Ipernity: document {library.docs[2].doc_id} (kept)" in kept.out
    assert f"deleted on Ipernity: document {library.docs[2].doc_id} (moved to deleted/)" in (
        moved.out
    )
