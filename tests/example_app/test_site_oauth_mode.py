"""The example site's OAuth mode, as ``IPERNITY_AUTH_METHOD=oauth make run`` starts it.

``make run`` is ``python -m example_app``: on the embedded sandbox (no key) the
OAuth mode works, and a configuration the site cannot work with is one clear
line at start-up, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from example_app import create_app
from example_app.settings import ENVIRONMENT_FLAGS, ENVIRONMENT_KEYS, settings_from_environment
from flask_ipernity import current_extension
from flask_ipernity.embedded import embedded_sandbox
from flask_ipernity.testing import SandboxLogin

ROOT = Path(__file__).resolve().parents[2]
#: Seconds the site's process may take to start.
STARTUP_TIMEOUT = 20.0


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting of the machine running the tests leaks into them."""
    for name in (*ENVIRONMENT_KEYS, *ENVIRONMENT_FLAGS):
        monkeypatch.delenv(name, raising=False)


def site_environment(**settings: str) -> dict[str, str]:
    """A clean environment for the site's process, with ``settings``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ENVIRONMENT_KEYS and name not in ENVIRONMENT_FLAGS
    }
    return {**env, "SECRET_KEY": "oauth mode", **settings}


def test_on_the_embedded_sandbox_the_oauth_mode_logs_a_member_in(
    monkeypatch: pytest.MonkeyPatch, ipernity_login: SandboxLogin
) -> None:
    monkeypatch.setenv("IPERNITY_AUTH_METHOD", "oauth")
    site = create_app({"SECRET_KEY": "oauth mode", "TESTING": True})
    with site.test_request_context():
        assert current_extension().auth_method == "oauth"
    client = site.test_client()
    answer = ipernity_login(client, embedded_sandbox().members[0], next_url="/albums")
    assert answer.headers["Location"] == "/albums"
    assert client.get("/albums").status_code == 200


def test_the_verifier_settings_are_read_as_yes_or_no() -> None:
    environ = {"IPERNITY_OAUTH_WITHOUT_VERIFIER": "yes", "IPERNITY_OAUTH_VERIFIER": "0"}
    assert settings_from_environment(environ) == {
        "IPERNITY_OAUTH_WITHOUT_VERIFIER": True,
        "IPERNITY_OAUTH_VERIFIER": False,
    }


def run_site(env: dict[str, str], *python: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *python],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
        check=False,
    )


def test_oauth_on_a_real_key_without_a_verifier_is_one_line_at_start_up() -> None:
    env = site_environment(
        IPERNITY_AUTH_METHOD="oauth", IPERNITY_API_KEY="key", IPERNITY_API_SECRET="secret"
    )
    result = run_site(env, "-m", "example_app", "--port", "0")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("Lightbox cannot start: ")
    assert "IPERNITY_OAUTH_WITHOUT_VERIFIER" in line


def test_a_missing_oauth_extra_is_one_line_at_start_up() -> None:
    # As if requests-oauthlib were not installed: its import fails.
    program = (
        "import sys; sys.modules['requests_oauthlib'] = None; "
        "from example_app.__main__ import main; sys.exit(main(['--port', '0']))"
    )
    result = run_site(site_environment(IPERNITY_AUTH_METHOD="oauth"), "-c", program)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith('pip install "Flask-Ipernity[oauth]"')


@pytest.fixture
def running_site() -> Iterator[str]:
    """``IPERNITY_AUTH_METHOD=oauth python -m example_app --port 0``; yields its URL."""
    env = site_environment(IPERNITY_AUTH_METHOD="oauth", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "example_app", "--port", "0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield _announced_url(process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _announced_url(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        found = re.search(r"Running on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return found.group(1)
    pytest.fail("the site did not start")


def test_make_runs_oauth_mode_serves_the_login_button(running_site: str) -> None:
    page = requests.get(f"{running_site}/login?next=/albums", timeout=10)
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.text
