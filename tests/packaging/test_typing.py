"""A user's type checker knows the API's methods: mypy --strict against the installed wheel.

The PyIpernity wheel is installed into a fresh venv, as a user installs it (not
the checkout's own files), and mypy checks small user files against that venv's
site-packages: ordinary calls pass, and each bad call is flagged at its own line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.run_once import made_once

from .conftest import Venv

pytestmark = pytest.mark.timeout(600)

GOOD = """\
from typing import Any

from ipernity import IpernityAPI

api = IpernityAPI("key", "secret", "token")
found: dict[str, Any] = api.doc.search(text="sunset", per_page=5)
doc = api.doc.get(doc_id=1)
same = api.call("doc.get", doc_id=1)
me = api.user.get()
ids = [1, 2, 3]
added = api.album.docs.add(album_id="42", doc_id=ids)
public = api.doc.setPerms(doc_id="7", is_public=True, is_friend=0)
located = api.doc.setGeo(doc_id=7, lat=43.6667, lng=6)
unlisted = api.post.get(post_id=3)
print(found["docs"], doc["doc"]["title"], same, me, added, public, located, unlisted)
"""

#: Bad calls, each on its own line of bad.py, and what mypy must say about it.
BAD = {
    'api.doc.serach(text="sunset")': '"DocNamespace" has no attribute "serach"',
    'api.doc.search(txet="sunset")': 'Unexpected keyword argument "txet" for "search"',
    "api.doc.get()": 'Missing named argument "doc_id" for "get"',
    "api.dco.get(doc_id=1)": '"IpernityAPI" has no attribute "dco"',
    'api.doc.search(per_page="five")': 'Argument "per_page" to "search" of "DocNamespace" has '
    'incompatible type "str"',
    "api.doc.setPerms(doc_id=1, is_public=2)": 'Argument "is_public" to "setPerms"',
}
BAD_HEADER = 'from ipernity import IpernityAPI\n\napi = IpernityAPI("key", "secret")\n'


class Flagged(NamedTuple):
    """One error mypy reported."""

    file: str
    line: int
    message: str


@pytest.fixture(scope="session")
def flagged(library_alone: Venv, tmp_path_factory: pytest.TempPathFactory) -> list[Flagged]:
    """What ``mypy --strict`` says of good.py and bad.py, against the library alone.

    mypy runs once per test run, the xdist workers sharing its output.
    """

    def check(folder: Path) -> None:
        (folder / "good.py").write_text(GOOD)
        (folder / "bad.py").write_text(BAD_HEADER + "".join(f"{call}\n" for call in BAD))
        completed = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict",
             "--python-executable", str(library_alone.python),
             "--cache-dir", str(folder / ".mypy_cache"), "--no-error-summary",
             "good.py", "bad.py"],
            capture_output=True,
            text=True,
            cwd=folder,  # outside the checkout: none of its configuration applies
            timeout=300,
            check=False,
        )  # fmt: skip
        assert completed.returncode in (0, 1), completed.stdout + completed.stderr
        (folder / "mypy.out").write_text(completed.stdout)

    output = (made_once(tmp_path_factory, "mypy_user_code", check) / "mypy.out").read_text()
    errors = re.findall(r"^(\w+\.py):(\d+): error: (.*)$", output, re.MULTILINE)
    return [Flagged(file, int(line), message) for file, line, message in errors]


def line_of(call: str) -> int:
    """The line of bad.py holding ``call``."""
    return BAD_HEADER.count("\n") + list(BAD).index(call) + 1


def test_the_wheel_ships_the_stub_of_the_method_tree(library_alone: Venv) -> None:
    found = library_alone.script(
        "import importlib.resources as r\n"
        "files = r.files('ipernity')\n"
        "print(files.joinpath('_methods.pyi').is_file(), files.joinpath('py.typed').is_file())"
    )
    assert found.split() == ["True", "True"]


def test_ordinary_calls_pass_mypy_strict(flagged: list[Flagged]) -> None:
    assert [error for error in flagged if error.file == "good.py"] == []


@pytest.mark.parametrize("call", list(BAD))
def test_each_bad_call_is_flagged_at_its_own_line(flagged: list[Flagged], call: str) -> None:
    at_line = [
        error.message for error in flagged if (error.file, error.line) == ("bad.py", line_of(call))
    ]
    assert any(BAD[call] in message for message in at_line), at_line


def test_nothing_but_the_bad_calls_is_flagged(flagged: list[Flagged]) -> None:
    assert {error.line for error in flagged if error.file == "bad.py"} == {
        line_of(call) for call in BAD
    }
