"""The originals' own test suites, downloaded from the package index and run on our code.

The sdists of PyIpernity 0.3.1 and Flask-Ipernity 0.1.0 ship the suites their authors
ran against the live service. They are downloaded once into a cache (never committed),
unpacked into each test's temporary folder, and pointed at our sandbox by their own
configuration file: nothing else of theirs is changed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

#: Where downloaded sdists are kept between runs (``IPERNITY_TEST_CACHE`` moves it).
CACHE = Path(
    os.environ.get("IPERNITY_TEST_CACHE", Path.home() / ".cache" / "flask-ipernity-tests")
)


def download_sdist(name: str, version: str) -> Path:
    """The sdist of ``name==version`` from the package index, downloaded once."""
    folder = CACHE / "sdists"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = normalise(f"{name}-{version}.tar.gz")
    for attempt in range(2):
        for found in folder.glob("*.tar.gz"):
            if normalise(found.name) == wanted:
                return found
        if attempt == 0:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--no-binary", ":all:", "--dest", str(folder), f"{name}=={version}"],
                check=True,
                capture_output=True,
                timeout=300,
            )  # fmt: skip
    raise FileNotFoundError(f"pip downloaded no {wanted} into {folder}")


def normalise(filename: str) -> str:
    """An sdist's file name with its distribution name normalised (``Flask-X`` = ``flask_x``)."""
    name, _, rest = filename.rpartition("-")
    return f"{re.sub(r'[-_.]+', '_', name).lower()}-{rest}"


def unpack(sdist: Path, into: Path) -> Path:
    """Unpack ``sdist`` into ``into`` and return its top folder."""
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
        top = archive.getnames()[0].split("/")[0]
    return into / top


@pytest.fixture
def original_sdist(tmp_path: Path) -> Callable[[str, str], Path]:
    """Unpack an original's sdist into this test's folder: ``original_sdist(name, version)``."""

    def fetch(name: str, version: str) -> Path:
        return unpack(download_sdist(name, version), tmp_path)

    return fetch
