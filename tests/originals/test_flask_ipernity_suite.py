"""Flask-Ipernity 0.1.0's own test suite, run on our extension against the sandbox.

The suite's authors ran it against the live service with a web application of
theirs whose callback is on 127.0.0.1, and the sign-in cookies of their
account. Here its ``tests/.test-config.yaml`` (the one file it reads its
setup from) names a sandbox application and member instead, plus the
sandbox's URLs; its tests run unchanged in a pytest of their own, in the
unpacked sdist, with this project's Python, so they import our
``flask_ipernity``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from ipernity.sandbox import App, Sandbox, User

#: The summary line of a pytest run, e.g. "7 passed, 1 warning in 3.21s".
SUMMARY = re.compile(r"^=+ (?P<counts>.*) in [\d.]+s(?: \([^)]*\))? =+$", re.MULTILINE)

#: Plugins of this project's test tools that an upgraded site would not have:
#: pytest-flask pushes a request context around tests that have an ``app`` fixture,
#: and pytest-randomly would shuffle tests that its authors ran in order.
#: (PyIpernity's own plugin, which the upgrade installs, stays on.)
FOREIGN_PLUGINS = ("flask", "randomly")


def test_flask_ipernity_0_1_suite_passes_on_our_extension(
    original_sdist: Callable[[str, str], Path], sandbox: Sandbox, web_app: App, alice: User
) -> None:
    # web_app's callback is on 127.0.0.1, as the suite's README asks of the live application.
    folder = original_sdist("Flask-Ipernity", "0.1.0")
    config = {
        "flask": {
            "SECRET_KEY": "the 0.1 suite's secret key",
            "IPERNITY_APP_KEY": web_app.api_key,
            "IPERNITY_APP_SECRET": web_app.api_secret,
            "IPERNITY_API_URL": sandbox.api_url,
            "IPERNITY_AUTH_URL": sandbox.authorize_url,
        },
        "ipernity": {
            "username": alice.username,
            "cookies": {"127.0.0.1": {"/": sandbox.signin_cookies(alice)}},
        },
    }
    (folder / "tests" / ".test-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    ours = _run(folder, "-c", "import flask_ipernity; print(flask_ipernity.__version__)")
    assert ours.stdout.strip() == "1.1.0", "the suite must import our flask_ipernity, not 0.1's"

    plugins = [arg for name in FOREIGN_PLUGINS for arg in ("-p", f"no:{name}")]
    # Their pyproject asks for pytest-cov's options; coverage is not what is tested here.
    result = _run(folder, "-m", "pytest", "-p", "no:cacheprovider", *plugins, "-o", "addopts=")
    counts = _summary(result.stdout)
    assert counts == {"passed": 7}, result.stdout[-4000:] + result.stderr[-2000:]


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _summary(output: str) -> dict[str, int]:
    """The counts of pytest's last summary line: ``{"passed": 7, "failed": 1}``."""
    found = SUMMARY.findall(output)
    assert found, output[-4000:]
    counts = {}
    for part in found[-1].split(", "):
        number, _, outcome = part.partition(" ")
        if outcome.endswith("warning") or outcome.endswith("warnings"):
            continue
        counts[outcome.rstrip("s") if outcome == "errors" else outcome] = int(number)
    return counts
