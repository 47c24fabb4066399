"""The servers a benchmark run needs: waitress in a thread, redis-server, a site process."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from waitress import wasyncore
from waitress.server import create_server

HERE = Path(__file__).resolve().parent
# A full queue is what a load test is for; waitress would warn about it at every request.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
#: Seconds a server may take to start.
STARTUP_TIMEOUT = 15.0


class ThreadedWaitress:
    """Serve a WSGI application with waitress from a background thread.

    :param app: the WSGI application.
    :param threads: waitress's worker threads.
    """

    def __init__(self, app: Any, threads: int = 8) -> None:
        self._server = create_server(
            app, host="127.0.0.1", port=0, threads=threads, connection_limit=1000
        )
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="waitress", daemon=True)

    @property
    def url(self) -> str:
        """The server's root URL."""
        return f"http://127.0.0.1:{self._server.effective_port}/"

    def _loop(self) -> None:
        # One poll at a time, so that stop() is noticed within the poll's timeout.
        socket_map = self._server._map
        while not self._stopping.is_set():
            wasyncore.loop(timeout=0.05, map=socket_map, use_poll=True, count=1)
        for dispatcher in list(socket_map.values()):
            dispatcher.close()
        self._server.task_dispatcher.shutdown()

    def __enter__(self) -> ThreadedWaitress:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)


def free_port() -> int:
    """A TCP port of 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A private ``redis-server`` on a free port, nothing written to disk."""

    def __init__(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            raise FileNotFoundError("redis-server is not installed (make system-deps)")
        port = free_port()
        self.url = f"redis://127.0.0.1:{port}/0"
        options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self._process = subprocess.Popen(
            [executable, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def __enter__(self) -> RedisServer:
        import redis

        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stop_process(self._process)


class SiteProcess:
    """``demo_site.py`` (or ``script``) under waitress in a process; :attr:`url` once started.

    :param settings: the site's settings (see ``demo_site.py``), as environment.
    :param python: the interpreter to run it with; this one by default.
    :param script: the site's script, which prints its URL once it listens.
    """

    def __init__(
        self,
        settings: dict[str, str],
        python: str = sys.executable,
        script: Path = HERE / "demo_site.py",
    ) -> None:
        self._process = subprocess.Popen(
            [python, str(script)],
            env={"PATH": "/usr/bin:/bin", **settings},
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = ""

    @property
    def pid(self) -> int:
        """The site's process id."""
        return self._process.pid

    def __enter__(self) -> SiteProcess:
        assert self._process.stdout is not None
        # The site prints its URL once it listens.
        line = self._process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.__exit__(None, None, None)
            raise RuntimeError("the demo site did not start")
        self.url = line
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stop_process(self._process)


def stop_process(process: subprocess.Popen[Any]) -> None:
    """Ask ``process`` to end, and kill it if it has not within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
