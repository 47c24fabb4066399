"""The upgrade's "before": Flask-Ipernity 0.1.0 and PyIpernity 0.3.1 from PyPI, in a venv.

Both sides of the upgrade benchmark must run the same Flask, Werkzeug,
Flask-Login, waitress and requests: the venv in ``benchmarks/.legacy/`` pins
them to the versions this project's venv has, so that the only difference is
Flask-Ipernity and PyIpernity. It is kept and reused while those versions
match; delete it to install afresh.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The legacy virtualenv.
LEGACY_DIR = HERE / ".legacy"
#: What the upgrade starts from.
LEGACY_PACKAGES = {"Flask-Ipernity": "0.1.0", "PyIpernity": "0.3.1"}
#: What both sides share, at this project's versions.
SHARED_PACKAGES = ("Flask", "Werkzeug", "Flask-Login", "waitress", "requests")

_PROBE = (
    "import json, importlib.metadata as m, flask_ipernity; "
    "print(json.dumps({'file': flask_ipernity.__file__, 'versions': "
    "{n: m.version(n) for n in %r}}))"
)


def python() -> Path:
    """The legacy virtualenv's interpreter."""
    return LEGACY_DIR / "bin" / "python"


def wanted_versions() -> dict[str, str]:
    """Every package of the legacy venv with the version it must have."""
    return {**LEGACY_PACKAGES, **{name: version(name) for name in SHARED_PACKAGES}}


def installed_versions() -> dict[str, str] | None:
    """The versions the legacy venv holds, if it is there and its own."""
    if not python().exists():
        return None
    names = sorted(wanted_versions())
    probe = subprocess.run(
        [str(python()), "-I", "-c", _PROBE % (names,)],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return None
    found = json.loads(probe.stdout)
    # flask_ipernity must be the venv's own 0.1, never this project's.
    if not found["file"].startswith(str(LEGACY_DIR)):
        return None
    versions: dict[str, str] = found["versions"]
    return versions


def ensure_legacy() -> Path:
    """Install the legacy venv unless it holds exactly :func:`wanted_versions`.

    :return: the interpreter to run the legacy site with.
    """
    wanted = wanted_versions()
    if installed_versions() == wanted:
        return python()
    shutil.rmtree(LEGACY_DIR, ignore_errors=True)
    pins = [f"{name}=={number}" for name, number in sorted(wanted.items())]
    print(f"Installing {', '.join(pins)} into {LEGACY_DIR} …", flush=True)
    # The system's Python: this project's venv must not leak into the legacy one.
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(LEGACY_DIR)], check=True)
    pip = [str(python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *pins], check=True)
    if installed_versions() != wanted:
        raise RuntimeError(f"{', '.join(pins)} did not install into {LEGACY_DIR}")
    return python()
