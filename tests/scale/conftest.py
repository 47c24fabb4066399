"""A real ``redis-server`` for the shared-state tests, started and stopped here.

The server runs on a free port of 127.0.0.1 with persistence off, for the whole
test session; each test starts from an empty database. Tests marked ``redis``
are skipped (with the reason) only when no ``redis-server`` is installed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

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
