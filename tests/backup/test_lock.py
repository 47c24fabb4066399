"""One backup at a time in a directory: a second run, in another process, says
another one is running and touches nothing; the first carries on unharmed.

The lock goes with the process that held it, even killed: see
``test_safety.py::test_after_a_crash_the_next_run_keeps_the_whole_files_and_fetches_the_rest``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import BackupError, backup
from ipernity.backup.disk import BackupDirectory
from ipernity.sandbox import Sandbox

from .conftest import RUN_TIMEOUT, Library, originals, run_shell, shell_command, shell_environment
from .test_safety import assert_every_original_is_whole, wait_for_first_original


def test_a_second_run_on_the_same_directory_says_another_is_running_and_touches_nothing(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "backup"
    # Each file takes a second: the first run is still writing when the second starts.
    sandbox.settings.media_latency = 1.0
    first = subprocess.Popen(
        shell_command(sandbox, library, "backup", str(target), "--workers", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=shell_environment(tmp_path),
        cwd=tmp_path,
    )
    wait_for_first_original(target)

    second = run_shell(sandbox, library, tmp_path, "backup", str(target))
    sandbox.settings.media_latency = 0.0
    out, err = first.communicate(timeout=RUN_TIMEOUT)

    assert second.status == 1
    assert second.err.splitlines() == [
        f"Another backup is running in {target} (it holds .lock); wait for it to end"
    ]
    assert second.out == ""
    assert first.returncode == 0, err
    assert f"{len(library.docs)} saved, 0 unchanged, 0 failed" in out
    assert len(originals(target)) == len(library.docs)
    assert_every_original_is_whole(sandbox, library, target)


def test_a_run_finding_the_lock_held_says_so_and_leaves_the_directory_as_it_was(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "backup"
    leftover = target / ".incoming" / "being written.part"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a picture")
    # Another open file description: flock refuses it as it refuses another process.
    with BackupDirectory(target).open() as running:
        running.lock()
        held = f"Another backup is running in {target} (it holds .lock); wait for it to end"

        with pytest.raises(BackupError, match=f"^{re.escape(held)}$"):
            backup(api, target)

        assert leftover.read_bytes() == b"half a picture"
        assert sorted(path.name for path in target.iterdir()) == [".incoming", ".lock"]


def test_a_lock_file_another_user_owns_is_one_clear_error(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("acting as another user needs root")
    nobody = 65534
    target = tmp_path / "backup"
    # A shared backup run under umask 0 leaves a lock file everyone may open.
    with BackupDirectory(target, shared=True).open() as earlier:
        earlier.lock()
    target.chmod(0o777)
    (target / ".lock").chmod(0o666)
    with BackupDirectory(target).open() as directory:
        # A private run sets the lock file's mode, which only its owner may do.
        os.seteuid(nobody)
        try:
            with pytest.raises(BackupError) as refused:
                directory.lock()
        finally:
            os.seteuid(0)

    assert str(refused.value) == f"Cannot lock {target / '.lock'}: Operation not permitted"
