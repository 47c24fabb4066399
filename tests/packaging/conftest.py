"""Real distributions in real virtual environments.

Both distributions are built once per run (sdists and wheels, with the
isolated build that ``pip`` and the package index use); each test then installs
them with ``pip`` into a fresh venv, next to whatever it installs from the
package index, and runs Python there as a user would. What several tests only
read (the built distributions, an upgraded venv) is made once per run and
shared by pytest-xdist's workers (:func:`made_once`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.run_once import made_once

ROOT = Path(__file__).resolve().parents[2]

#: Distributions and the folder each is built from.
SOURCES = {"PyIpernity": ROOT / "pyipernity", "Flask-Ipernity": ROOT}

#: pip's quiet, offline-friendly defaults for every install in these tests.
PIP_FLAGS = ("--quiet", "--disable-pip-version-check", "--no-input")


@dataclass(frozen=True)
class Built:
    """The sdists and wheels of this checkout, in one folder."""

    folder: Path

    def wheel(self, distribution: str) -> Path:
        """The wheel of ``distribution`` ("PyIpernity" or "Flask-Ipernity")."""
        prefix = distribution.lower().replace("-", "_") + "-"
        return next(self.folder.glob(f"{prefix}*.whl"))


def build_distributions(folder: Path) -> None:
    """Build both distributions' sdists and wheels into ``folder``."""
    for source in SOURCES.values():
        subprocess.run(
            [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(folder),
             str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )  # fmt: skip


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Both distributions, built as the package index would get them."""
    return Built(made_once(tmp_path_factory, "dist", build_distributions))


class Venv:
    """A virtual environment: a fresh one with nothing but pip in it, or an existing one.

    :param path: where to create it (or where it is).
    :param create: create it; ``False`` opens a venv made earlier at ``path``.
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        if create:
            subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=120)
        self.python = path / "bin" / "python"

    def copy(self, path: Path) -> Venv:
        """Return a copy of this venv at ``path``, for a test that changes what is installed."""
        shutil.copytree(self.path, path, symlinks=True)
        return Venv(path, create=False)

    def pip(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``pip`` in the venv; fail the test with pip's output if it fails."""
        return self.run("-m", "pip", *args, *PIP_FLAGS)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the venv's Python with ``args``, from a folder outside the checkout."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        completed = subprocess.run(
            [str(self.python), *args],
            capture_output=True,
            text=True,
            cwd=self.path,
            env=env,
            timeout=300,
            check=False,
        )
        if check and completed.returncode != 0:
            pytest.fail(f"{args} failed:\n{completed.stdout}\n{completed.stderr}")
        return completed

    def script(self, code: str) -> str:
        """Run ``code`` in the venv and return what it printed."""
        return self.run("-c", code).stdout

    def installed(self) -> dict[str, str]:
        """Every installed distribution (its name in lower case) and its version."""
        listing = self.run("-m", "pip", "list", "--format", "json", "--disable-pip-version-check")
        return {e["name"].lower(): e["version"] for e in json.loads(listing.stdout)}


@pytest.fixture(scope="session")
def library_alone(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Venv:
    """A fresh venv with this project's PyIpernity wheel and what it requires, nothing else.

    Made once per run: tests only read it.
    """

    def install(folder: Path) -> None:
        Venv(folder / "venv").pip("install", str(built.wheel("PyIpernity")))

    return Venv(made_once(tmp_path_factory, "library", install) / "venv", create=False)


@pytest.fixture
def venv(tmp_path: Path) -> Venv:
    """A fresh venv for one test."""
    return Venv(tmp_path / "venv")


def upgrade_from_the_originals(venv: Venv, built: Built) -> Venv:
    """Install the originals from the package index, then this project's wheels over them."""
    venv.pip("install", "PyIpernity==0.3.1", "Flask-Ipernity==0.1.0")
    assert venv.installed()["pyipernity"] == "0.3.1"
    venv.pip(
        "install", "--upgrade", str(built.wheel("PyIpernity")), str(built.wheel("Flask-Ipernity"))
    )
    return venv
