"""The baseline: PyIpernity 0.3.1 from PyPI, in a throwaway virtualenv of its own.

PyIpernity's package is also named ``ipernity``, so it never enters the
benchmark's process: it is installed into ``benchmarks/.baseline/`` (kept and
reused by later runs) and run there by ``workload.py`` in a subprocess.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The baseline's virtualenv; delete it to install afresh.
BASELINE_DIR = HERE / ".baseline"
BASELINE_REQUIREMENT = "PyIpernity==0.3.1"
BASELINE_VERSION = "0.3.1"


def python() -> Path:
    """The baseline virtualenv's interpreter."""
    return BASELINE_DIR / "bin" / "python"


def installed_version() -> str | None:
    """The PyIpernity version the baseline virtualenv holds, if any."""
    if not python().exists():
        return None
    probe = subprocess.run(
        [str(python()), str(HERE / "workload.py"), "identify"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return None
    found = json.loads(probe.stdout)
    # The package must come from the baseline's own site-packages, not from this project.
    if not found["file"].startswith(str(BASELINE_DIR)):
        return None
    version: str = found["version"]
    return version


def ensure_baseline() -> Path:
    """Install PyIpernity 0.3.1 into the baseline virtualenv unless it is there.

    :return: the interpreter to run the baseline with.
    """
    if installed_version() == BASELINE_VERSION:
        return python()
    shutil.rmtree(BASELINE_DIR, ignore_errors=True)
    print(f"Installing the baseline {BASELINE_REQUIREMENT} into {BASELINE_DIR} …", flush=True)
    # The system's Python: the project's virtualenv must not leak into the baseline's.
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(BASELINE_DIR)], check=True)
    pip = [str(python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, BASELINE_REQUIREMENT], check=True)
    if installed_version() != BASELINE_VERSION:
        raise RuntimeError(f"{BASELINE_REQUIREMENT} did not install into {BASELINE_DIR}")
    return python()
