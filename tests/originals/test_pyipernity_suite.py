"""PyIpernity 0.3.1's own test suite, run on our library against our sandbox.

Its authors ran it against the live service with a test account (README.tests):
two applications (desktop and web, the web one calling back to 127.0.0.1), the
account's sign-in cookies, and an account that belongs to a group. Here the
sandbox plays the service and holds that account; the suite's own configuration
file points it there, and its copy of the old library is taken out of the
unpacked folder so that ``import ipernity`` finds ours. Nothing else of theirs
is changed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

import ipernity
from ipernity import IpernityAPI
from ipernity.sandbox import Sandbox

pytestmark = pytest.mark.originals

#: What the suite's authors left to run: every test they did not skip passes.
EXPECTED = Counter({"passed": 26, "skipped": 3})

_OUTCOME = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)\b")


@pytest.fixture
def service() -> Iterator[Sandbox]:
    """A sandbox of its own, serving on 127.0.0.1: the suite deletes the account's content."""
    sandbox = Sandbox()
    with sandbox.serve(port=0):
        yield sandbox
    sandbox.close()


@pytest.fixture
def suite(original_sdist: Callable[[str, str], Path], service: Sandbox) -> Path:
    """PyIpernity 0.3.1's unpacked sdist, configured for ``service``."""
    folder = original_sdist("PyIpernity", "0.3.1")
    # Their pytest settings put the folder first on sys.path: the old library
    # would shadow the one under test.
    shutil.rmtree(folder / "ipernity")
    desktop = service.add_app("PyIpernity tests (desktop)", auth="desktop")
    web = service.add_app("PyIpernity tests (web)", auth="web", callback="http://127.0.0.1:9/cb")
    tester = service.add_user("pyipernity_tester", realname="Test Account")
    service.add_group("A group of the test account", members=[tester])
    config = {
        "auth": {
            "desktop": {"api_key": desktop.api_key, "api_secret": desktop.api_secret},
            "web": {"api_key": web.api_key, "api_secret": web.api_secret},
        },
        "user": {
            "user_id": str(tester.user_id),
            "username": tester.username,
            "cookies": {"127.0.0.1": {"/": service.signin_cookies(tester)}},
        },
        "api_args": {"url": service.api_url, "auth_url_base": service.authorize_url},
    }
    (folder / "tests" / ".test-config.yaml").write_text(yaml.safe_dump(config))
    return folder


def run_python(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run our interpreter in ``folder``, without this session's pytest settings."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST")}
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )


def outcomes(output: str) -> Counter[str]:
    """The counts of pytest's last summary line (``26 passed, 3 skipped in 2.1s``)."""
    summary = output.strip().splitlines()[-1]
    counts: Counter[str] = Counter()
    for number, kind in _OUTCOME.findall(summary):
        counts["error" if kind.startswith("error") else kind] += int(number)
    return counts


def test_the_suite_imports_our_library(suite: Path) -> None:
    probe = run_python(suite, "-c", "import ipernity; print(ipernity.__file__)")
    assert probe.stdout.strip() == ipernity.__file__


def test_every_test_its_authors_kept_passes_on_our_library(suite: Path) -> None:
    # In their authors' order: some of their tests use what earlier ones created.
    result = run_python(
        suite, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-q", "-rfEs"
    )
    assert outcomes(result.stdout) == EXPECTED, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_method_catalogue_is_the_one_pyipernity_0_3_1_shipped(
    original_sdist: Callable[[str, str], Path],
) -> None:
    folder = original_sdist("PyIpernity", "0.3.1")
    theirs = json.loads((folder / "ipernity" / "methods.json").read_text(encoding="utf-8"))
    ours = {name: dict(entry) for name, entry in IpernityAPI.__methods__.items()}
    for catalogue in (theirs, ours):
        for entry in catalogue.values():
            # The service sent an empty permission set as [] (and, for test.*, as "").
            entry["permissions"] = entry["permissions"] or None
    assert ours == theirs
