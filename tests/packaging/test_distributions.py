"""What the package index gets: two distributions, each owning its own package."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser

import flask_ipernity
import ipernity

from .conftest import Built


def wheel_names(built: Built, distribution: str) -> list[str]:
    with zipfile.ZipFile(built.wheel(distribution)) as wheel:
        return wheel.namelist()


def wheel_metadata(built: Built, distribution: str) -> dict[str, list[str]]:
    with zipfile.ZipFile(built.wheel(distribution)) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(wheel.read(name).decode())
    return {key: message.get_all(key) or [] for key in set(message.keys())}


def test_both_sdists_and_wheels_pass_the_package_index_checks(built: Built) -> None:
    files = sorted(str(path) for path in built.folder.iterdir())
    assert len(files) == 4, files
    completed = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_each_wheel_holds_its_own_package_only(built: Built) -> None:
    library = wheel_names(built, "PyIpernity")
    extension = wheel_names(built, "Flask-Ipernity")
    assert {name.split("/")[0] for name in library if "dist-info" not in name} == {"ipernity"}
    assert {name.split("/")[0] for name in extension if "dist-info" not in name} == {
        "flask_ipernity"
    }


def test_the_wheels_carry_their_data_files(built: Built) -> None:
    library = wheel_names(built, "PyIpernity")
    extension = wheel_names(built, "Flask-Ipernity")
    assert "ipernity/data/methods.json" in library
    assert "ipernity/py.typed" in library
    assert "flask_ipernity/py.typed" in extension
    assert "flask_ipernity/templates/ipernity/error.html" in extension


def test_the_versions_are_the_packages_own(built: Built) -> None:
    assert wheel_metadata(built, "PyIpernity")["Version"] == [ipernity.__version__]
    assert wheel_metadata(built, "Flask-Ipernity")["Version"] == [flask_ipernity.__version__]
    assert ipernity.__version_tuple__ == flask_ipernity.__version_tuple__ == (1, 1, 0)


def test_the_library_needs_only_requests(built: Built) -> None:
    required = wheel_metadata(built, "PyIpernity")["Requires-Dist"]
    assert [r for r in required if "extra ==" not in r] == ["requests>=2.31"]


def test_the_extension_requires_flask_and_the_same_library_release(built: Built) -> None:
    required = [
        r for r in wheel_metadata(built, "Flask-Ipernity")["Requires-Dist"] if "extra ==" not in r
    ]
    names = {r.split("[")[0].split(">")[0].split("=")[0] for r in required}
    assert {"Flask", "itsdangerous", "blinker", "PyIpernity"} <= names
    assert f"PyIpernity[sandbox]=={ipernity.__version__}" in required


def test_the_sdists_build_the_same_packages(built: Built) -> None:
    for sdist, package in (("pyipernity", "ipernity"), ("flask_ipernity", "flask_ipernity")):
        path = next(built.folder.glob(f"{sdist}-*.tar.gz"))
        with tarfile.open(path) as archive:
            names = archive.getnames()
        assert any(name.endswith(f"/{package}/__init__.py") for name in names), names
        assert any(name.endswith("/pyproject.toml") for name in names)
