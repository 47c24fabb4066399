"""Real servers for the scale tests: redis-server, site instances, browsers.

- ``redis_server`` / ``redis_url``: a private ``redis-server`` on a free port of
  127.0.0.1 with persistence off, for the whole session; each test starts from
  an empty database. Tests marked ``redis`` are skipped (with the reason) only
  when no ``redis-server`` is installed.
- ``start_instance``: starts ``instance_app.py`` under waitress in a process of
  its own, registered as a web application on the session's sandbox.
- :class:`Browser`: one visitor's cookie jar, logging in through the real flow.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import requests

from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User

HERE = Path(__file__).resolve().parent
#: Seconds any HTTP request of a test may take.
HTTP_TIMEOUT = 15.0

#: Seconds the server may take to answer its first PING.
STARTUP_TIMEOUT = 10.0


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_redis(url: str, process: subprocess.Popen[bytes]) -> None:
    """Return once the server at ``url`` answers PING; fail if it dies or is slow."""
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"redis-server exited with code {process.returncode}")
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not answer within {STARTUP_TIMEOUT:g} s")
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A private ``redis-server``; yields its ``redis://127.0.0.1:<port>/0`` URL."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed (make system-deps installs it)")
    port = free_port()
    # No snapshots, no append-only file: nothing is written to disk.
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [executable, *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for_redis(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The private server's URL, its database emptied before the test."""
    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the emptied database, to look at what the code under test stored."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


class Instance:
    """One running process of ``instance_app.py``; :attr:`url` is where it listens."""

    def __init__(self, settings: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(HERE / "instance_app.py")],
            env={"PATH": "/usr/bin:/bin", **settings},
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            pytest.fail("the site instance did not start")

    def stop(self) -> None:
        """Terminate the process and wait for it."""
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


@pytest.fixture
def site_app(sandbox: Sandbox) -> App:
    """A web application on the sandbox for the instances of one test."""
    return sandbox.add_app("Scale site", auth="web", callback="http://127.0.0.1:9/callback")


@pytest.fixture
def start_instance(sandbox: Sandbox, site_app: App) -> Iterator[Callable[..., Instance]]:
    """A function starting an instance of the site; ``extra`` settings are ``SITE_*``.

    Every instance of a test shares the application and the secret key, as the
    instances of one site behind a load balancer do. All are stopped afterwards.
    """
    started: list[Instance] = []
    secret_key = f"scale-test-{time.monotonic_ns()}"

    def start(**extra: str) -> Instance:
        settings = {
            "SITE_SECRET_KEY": secret_key,
            "SITE_API_KEY": site_app.api_key,
            "SITE_API_SECRET": site_app.api_secret,
            "SITE_API_URL": sandbox.api_url,
            "SITE_AUTH_URL": sandbox.authorize_url,
            **extra,
        }
        instance = Instance(settings)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.stop()


class Browser:
    """One visitor's browser: a cookie jar that every instance of the site sees.

    Cookies do not depend on the port, so one jar talking to instances on
    several ports of 127.0.0.1 is a visitor behind a load balancer.
    """

    def __init__(self, sandbox: Sandbox, member: User) -> None:
        self.sandbox = sandbox
        self.member = member
        self.http = requests.Session()

    def log_in(self, instance: Instance) -> None:
        """Log in through ``instance``'s ``/login``, the sandbox, and its ``/callback``."""
        start = self.get(instance, "/login")
        assert start.status_code == 302, start.text
        callback = approve(self.sandbox, self.member, start.headers["Location"])
        query = callback.split("?", 1)[1]
        # Back from the consent page, a browser names the sandbox's origin.
        referer = self.sandbox.base_url
        done = self.get(instance, f"/callback?{query}", headers={"Referer": referer})
        assert done.status_code == 302, done.text
        assert not done.headers["Location"].endswith("/login/confirm"), "the login was held"

    def log_out(self, instance: Instance) -> None:
        """Log out through ``instance``'s form (which carries a CSRF token)."""
        form = self.get(instance, "/logout")
        found = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert found is not None, form.text
        done = self.http.post(
            f"{instance.url}/logout",
            data={"csrf_token": found.group(1), "next": "/"},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        assert done.status_code == 302, done.text

    def get(
        self, instance: Instance, path: str, headers: dict[str, str] | None = None
    ) -> requests.Response:
        """GET ``path`` on ``instance`` without following redirects."""
        return self.http.get(
            f"{instance.url}{path}", headers=headers, allow_redirects=False, timeout=HTTP_TIMEOUT
        )

    def cookie(self, name: str = "session") -> str | None:
        """The value of the cookie ``name``, if the browser holds it."""
        return self.http.cookies.get(name)

    def close(self) -> None:
        """Close the browser's connections."""
        self.http.close()


def upstream_calls(sandbox: Sandbox, method: str) -> int:
    """How many calls of ``method`` the sandbox has received so far."""
    return sum(1 for call in list(sandbox.calls) if call.method == method)


def answer_json(response: requests.Response) -> Any:
    """The JSON of a 200 answer."""
    assert response.status_code == 200, response.text
    return response.json()
