"""One backup at a time in a directory: a second run, in another process, says
another one is running and touches nothing; the first carries on unharmed.

The lock goes with the process that held it, even killed: see
``test_safety.py::test_after_a_crash_the_next_run_keeps_the_whole_files_and_fetches_the_rest``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

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
