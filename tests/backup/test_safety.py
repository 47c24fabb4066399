"""Only whole, verified files under final names: after Ctrl-C, a crash, a full
disk; and an unusable directory is one clear error."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import BackupError, BackupEvent, DocumentDone, backup, run
from ipernity.backup.disk import BackupDirectory
from ipernity.sandbox import Sandbox

from .conftest import (
    RUN_TIMEOUT,
    Library,
    file_md5,
    manifest,
    originals,
    run_shell,
    sandbox_md5,
    saved,
    shell_command,
    shell_environment,
)


def assert_every_original_is_whole(sandbox: Sandbox, library: Library, directory: Path) -> None:
    """Each original under a final name has the service's md5, and nothing is half-written."""
    by_id = {str(doc.doc_id): doc for doc in library.docs}
    for path in originals(directory):
        doc = by_id[path.name.split(" ")[0]]
        assert file_md5(path) == sandbox_md5(sandbox, doc), path
    incoming = directory / ".incoming"
    assert not incoming.exists() or not list(incoming.iterdir())
    if (directory / "manifest.json").exists():
        json.loads((directory / "manifest.json").read_text("utf-8"))


def wait_for_first_original(directory: Path) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT
    while not (directory / "documents").exists() or not originals(directory):
        assert time.monotonic() < deadline, "no original was saved"
        time.sleep(0.02)


def start_slow_backup(sandbox: Sandbox, library: Library, home: Path) -> subprocess.Popen[str]:
    # Each file takes seconds to come: when the first is saved, the next is on its way.
    sandbox.settings.media_latency = 3.0
    return subprocess.Popen(
        shell_command(sandbox, library, "backup", str(home / "backup"), "--workers", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=shell_environment(home),
        cwd=home,
        # The ordinary Ctrl-C, even when the suite runs in the background (SIGINT ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_ctrl_c_leaves_only_whole_files_and_the_next_run_carries_on(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    process = start_slow_backup(sandbox, library, tmp_path)
    wait_for_first_original(tmp_path / "backup")
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=RUN_TIMEOUT)

    assert process.returncode == 1
    assert "Backup stopped after" in err
    assert "Traceback" not in err
    directory = tmp_path / "backup"
    assert_every_original_is_whole(sandbox, library, directory)
    assert len(originals(directory)) < len(library.docs)
    sandbox.settings.media_latency = 0.0
    kept = set(manifest(directory)["documents"])
    summary = backup(api, directory)
    assert summary.ok
    assert kept.isdisjoint(summary.saved)
    assert len(originals(directory)) == len(library.docs)
    assert_every_original_is_whole(sandbox, library, directory)


def test_after_a_crash_the_next_run_keeps_the_whole_files_and_fetches_the_rest(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    process = start_slow_backup(sandbox, library, tmp_path)
    wait_for_first_original(tmp_path / "backup")
    process.kill()
    process.communicate(timeout=RUN_TIMEOUT)
    directory = tmp_path / "backup"
    present = {path.name.split(" ")[0]: path.stat().st_size for path in originals(directory)}
    sandbox.settings.media_latency = 0.0

    summary = backup(api, directory)

    assert summary.ok
    assert len(originals(directory)) == len(library.docs)
    total = sum(path.stat().st_size for path in originals(directory))
    assert summary.downloaded == total - sum(present.values())
    assert_every_original_is_whole(sandbox, library, directory)


def test_leftovers_of_a_stopped_run_are_cleared(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    leftover = tmp_path / ".incoming" / "0123.part"
    leftover.parent.mkdir()
    leftover.write_bytes(b"half a picture")

    backup(api, tmp_path)

    assert not leftover.exists()


def test_a_file_placed_before_the_manifest_knew_is_checked_not_fetched_again(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    (tmp_path / "manifest.json").unlink()
    sunset = originals(tmp_path)[0]
    damaged = bytearray(sunset.read_bytes())
    damaged[-3] ^= 0xFF
    sunset.write_bytes(bytes(damaged))

    summary = backup(api, tmp_path)

    assert summary.downloaded == sunset.stat().st_size  # only the damaged one came again
    assert_every_original_is_whole(sandbox, library, tmp_path)


def test_an_empty_metadata_file_is_written_again(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    state = manifest(tmp_path)["documents"][str(library.docs[1].doc_id)]
    (tmp_path / state["metadata"]).write_bytes(b"")

    summary = backup(api, tmp_path)

    assert summary.saved == [str(library.docs[1].doc_id)]
    assert summary.planned[0].reason == "missing"
    assert json.loads((tmp_path / state["metadata"]).read_text())["title"] == "Harbour"


def test_a_lost_original_is_planned_with_its_whole_size(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    original, _ = saved(tmp_path, library.docs[1])
    size = original.stat().st_size
    original.unlink()

    summary = backup(api, tmp_path, dry_run=True)

    assert [(p.reason, p.size) for p in summary.planned] == [("missing", size)]


@pytest.mark.parametrize("left", [b"", b'{\n  "title": "Holi'], ids=["empty", "cut short"])
def test_an_album_file_a_power_cut_damaged_is_written_again(
    api: IpernityAPI, library: Library, tmp_path: Path, left: bytes
) -> None:
    backup(api, tmp_path)
    album = tmp_path / "albums" / f"{library.holidays.album_id} Holidays.json"
    whole = album.read_bytes()
    album.write_bytes(left)

    summary = backup(api, tmp_path)

    assert summary.ok
    assert album.read_bytes() == whole


def manifest_sizes_seen_as_documents_are_done(api: IpernityAPI, directory: Path) -> list[int]:
    """Back up one document at a time; return how many documents the manifest
    on disk held as each one was done."""
    seen: list[int] = []

    def look(event: BackupEvent) -> None:
        if isinstance(event, DocumentDone):
            exists = (directory / "manifest.json").exists()
            seen.append(len(manifest(directory)["documents"]) if exists else 0)

    backup(api, directory, workers=1, progress=look)
    return seen


def test_the_manifest_is_saved_during_a_run_at_its_interval(
    api: IpernityAPI, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "MANIFEST_INTERVAL", 0.0)

    seen = manifest_sizes_seen_as_documents_are_done(api, tmp_path)

    assert seen == list(range(len(library.docs)))


def test_the_manifest_is_not_saved_again_before_its_interval(
    api: IpernityAPI, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "MANIFEST_INTERVAL", 3600.0)

    seen = manifest_sizes_seen_as_documents_are_done(api, tmp_path)

    assert seen == [0] * len(library.docs)


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "disk"
    point.mkdir()
    yield point
    done = subprocess.run(["umount", str(point)], check=False, capture_output=True)
    if done.returncode != 0 and os.path.ismount(point):
        # Still in use (a file a failing backup left open): detach it all the same,
        # so that no test leaves a mount behind.
        subprocess.run(["umount", "--lazy", str(point)], check=False, capture_output=True)


def mount_tmpfs(point: Path, options: str) -> None:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


def test_a_full_disk_is_one_clear_error_and_nothing_is_half_written(
    sandbox: Sandbox, api: IpernityAPI, library: Library, mount_point: Path
) -> None:
    # Room for the first document or so, not for all four.
    mount_tmpfs(mount_point, "size=24k")

    with pytest.raises(BackupError, match="No space left on device"):
        backup(api, mount_point, workers=1)

    assert_every_original_is_whole(sandbox, library, mount_point)


class Interrupted(Exception):
    """What a progress callback raises to stop a run."""


def test_a_stopped_runs_manifest_says_the_run_is_not_complete(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    def stop_after_the_first(event: BackupEvent) -> None:
        if isinstance(event, DocumentDone):
            raise Interrupted

    with pytest.raises(Interrupted):
        backup(api, tmp_path, workers=1, progress=stop_after_the_first)

    data = manifest(tmp_path)
    assert data["last_run"]["complete"] is False
    assert len(data["documents"]) == 1


def test_a_run_stopped_on_a_full_disk_raises_what_stopped_it_not_the_manifests_error(
    api: IpernityAPI, library: Library, mount_point: Path
) -> None:
    mount_tmpfs(mount_point, "size=1m")

    def fill_the_disk_and_stop(event: BackupEvent) -> None:
        if isinstance(event, DocumentDone):
            # Another program takes the room left: the manifest cannot be saved now.
            with suppress(OSError), (mount_point / "filler").open("wb") as filler:
                filler.write(bytes(2 * 1024 * 1024))
            raise Interrupted

    with pytest.raises(Interrupted):
        backup(api, mount_point, workers=1, progress=fill_the_disk_and_stop)


def test_the_shell_says_a_disk_is_full_in_one_line(
    sandbox: Sandbox, library: Library, mount_point: Path, tmp_path: Path
) -> None:
    mount_tmpfs(mount_point, "size=24k")

    result = run_shell(sandbox, library, tmp_path, "backup", str(mount_point), "--workers", "1")

    assert result.status == 1
    # Progress lines may come first if the run lasts over a second.
    errors = [line for line in result.err.splitlines() if not line.startswith("backup: ")]
    assert len(errors) == 1
    assert "No space left on device" in errors[0]


def test_a_read_only_directory_is_one_clear_error(
    api: IpernityAPI, library: Library, mount_point: Path
) -> None:
    mount_tmpfs(mount_point, "size=1m,ro")

    with pytest.raises(BackupError, match="Read-only file system"):
        backup(api, mount_point)


def test_a_folder_that_cannot_be_made_is_one_clear_error_naming_it(mount_point: Path) -> None:
    mount_tmpfs(mount_point, "size=1m,ro")
    incoming = re.escape(str(mount_point / ".incoming"))

    with (
        BackupDirectory(mount_point).open() as directory,
        pytest.raises(BackupError, match=f"^Cannot write {incoming}: Read-only file system$"),
    ):
        directory.prepare()


def test_a_large_file_written_on_a_full_disk_is_one_clear_error_naming_it(
    mount_point: Path,
) -> None:
    mount_tmpfs(mount_point, "size=64k")
    # More than a write buffer holds: the disk fills while writing, before the flush.
    album = {"title": "Holidays", "docs": [str(doc_id) for doc_id in range(100_000)]}

    with BackupDirectory(mount_point).open() as directory:
        directory.prepare()
        incoming = re.escape(str(mount_point / ".incoming"))
        with pytest.raises(
            BackupError,
            match=f"^Cannot write {incoming}/[0-9a-f]{{32}}\\.part: No space left on device$",
        ):
            directory.write_json("albums/1.json", album)

    assert not (mount_point / "albums" / "1.json").exists()
    assert list((mount_point / ".incoming").iterdir()) == []


def test_a_directory_that_is_a_file_is_one_clear_error(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "not-a-dir"
    target.write_text("x")

    with pytest.raises(
        BackupError, match=f"^Cannot write {re.escape(str(target))}: Not a directory$"
    ):
        backup(api, target)

    assert target.read_text() == "x"


def test_another_members_backup_is_not_mixed_in(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    backup(api, tmp_path)
    data = manifest(tmp_path)
    data["account"]["user_id"] = "1"
    (tmp_path / "manifest.json").write_text(json.dumps(data))

    with pytest.raises(BackupError, match="another member"):
        backup(api, tmp_path)


def limit_file_size() -> None:
    """In the child: no file may grow past 1 KiB, and going past is an error, not a kill."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_json_files_cut_short_by_a_write_error_are_never_left_in_place(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "backup"
    backup(api, target)
    before = manifest(target)
    # Its metadata (more than 1 KiB) is written again in the same file.
    api.doc.set(doc_id=library.docs[0].doc_id, description="A longer story " * 20)

    done = subprocess.run(
        shell_command(sandbox, library, "backup", str(target), "--workers", "1"),
        capture_output=True,
        text=True,
        env={**shell_environment(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=tmp_path,
        timeout=RUN_TIMEOUT,
        preexec_fn=limit_file_size,
        check=False,
    )

    assert done.returncode == 1
    assert "File too large" in done.stderr
    assert "Traceback" not in done.stderr
    assert manifest(target)["documents"] == before["documents"]
    for path in target.rglob("*.json"):
        json.loads(path.read_text("utf-8"))
    assert_every_original_is_whole(sandbox, library, target)
