"""Work several tests need and none changes, done once per test run.

Under pytest-xdist each worker has its own session, so a session-scoped fixture
would redo expensive work (building the distributions, building the docs) in
every worker. :func:`made_once` does it once for the whole run instead.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Return the folder ``name``, which ``make`` fills once per test run.

    pytest-xdist's workers share the run's temporary root: the first to get
    there makes the folder while holding a lock, the others wait and reuse it.
    A folder left half made (its maker failed) is made again.
    """
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder
