"""Running the real shell, ``python -m ipernity``, as a user would.

- ``shell``: runs it as a subprocess with pipes, in a clean environment whose
  ``HOME`` is a temporary directory, connected to the session's sandbox.
- ``terminal``: starts it on a pseudo-terminal, for the prompt, colours,
  completion and Ctrl-C.
- ``small_world(path)``: writes a sandbox file for ``--sandbox-db`` with a few
  documents, where the demo's hundreds would only make a test slow.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from ipernity.sandbox import App, Doc, Sandbox, User

#: Seconds any one shell run may take before the test fails.
RUN_TIMEOUT = 30.0

# A stand-in browser: it writes the URL it is asked to open into a file.
BROWSER_SCRIPT = """#!/bin/sh
printf '%s\\n' "$1" >> "$(dirname "$0")/opened.txt"
"""


@dataclass
class Result:
    """What one run of the shell did."""

    status: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        """Standard error, line by line."""
        return self.err.splitlines()


class Shell:
    """Runs ``python -m ipernity`` in a clean environment.

    :param home: the temporary ``HOME``.
    :param sandbox: the sandbox the shell talks to by default.
    :param app: the application whose key and secret :meth:`connected` passes.
    """

    def __init__(self, home: Path, sandbox: Sandbox, app: App) -> None:
        self.home = home
        self.sandbox = sandbox
        self.app = app
        self.browser_log = home / "opened.txt"
        #: The shells :meth:`start` ran, ended by :meth:`stop_all` if a test did not.
        self.started: list[subprocess.Popen[str]] = []
        browser = home / "browser"
        browser.write_text(BROWSER_SCRIPT)
        browser.chmod(0o755)
        self.env = clean_environment(home)
        self.env["BROWSER"] = str(browser)

    def server_args(self) -> list[str]:
        """``--url`` and ``--auth-url`` of the sandbox."""
        return ["--url", self.sandbox.api_url, "--auth-url", self.sandbox.authorize_url]

    def connected(self, token: str | None = None) -> list[str]:
        """The options that point the shell at the sandbox with the app's credentials."""
        args = [*self.server_args(), "-k", self.app.api_key, "-s", self.app.api_secret]
        return [*args, "-t", token] if token else args

    def run(self, *args: str, input: str = "", env: Mapping[str, str] | None = None) -> Result:
        """Run the shell with ``args``, feeding it ``input`` through a pipe."""
        completed = subprocess.run(
            [sys.executable, "-m", "ipernity", *args],
            input=input,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            cwd=self.home,
            preexec_fn=default_ctrl_c,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    def start(
        self, *args: str, input: str, env: Mapping[str, str] | None = None
    ) -> subprocess.Popen[str]:
        """Start the shell with ``args``, piping it all of ``input``; see :meth:`finish`."""
        process = subprocess.Popen(
            [sys.executable, "-m", "ipernity", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**self.env, **(env or {})},
            cwd=self.home,
            preexec_fn=default_ctrl_c,
        )
        self.started.append(process)
        assert process.stdin is not None
        process.stdin.write(input)
        process.stdin.close()
        return process

    @staticmethod
    def finish(process: subprocess.Popen[str]) -> Result:
        """Wait for a shell from :meth:`start` to end; return what it did."""
        assert process.stdout is not None
        assert process.stderr is not None
        # The outputs are small: reading one after the other cannot fill a pipe.
        out, err = process.stdout.read(), process.stderr.read()
        return Result(process.wait(timeout=RUN_TIMEOUT), out, err)

    def stop_all(self) -> None:
        """Kill every shell from :meth:`start` that still runs: none outlives its test."""
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()

    def opened_urls(self, count: int = 1, timeout: float = 10.0) -> list[str]:
        """Wait until the stand-in browser was asked to open ``count`` URLs; return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.browser_log.exists():
                urls = self.browser_log.read_text().split()
                if len(urls) >= count:
                    return urls
            time.sleep(0.05)
        raise AssertionError("the shell opened no authorization page in the browser")


def default_ctrl_c() -> None:
    """Give a child process the ordinary Ctrl-C, whatever this process inherited.

    Run between fork and exec: a test suite started in the background (``make test &``)
    ignores SIGINT, every child would inherit that, and the Ctrl-C tests would
    press a key nobody listens to.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def clean_environment(home: Path) -> dict[str, str]:
    """This process's environment without anything that would steer the shell."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("IPERNITY_")
        and name
        not in ("NO_COLOR", "DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "TERM", "COLUMNS", "LINES")
    }
    env["HOME"] = str(home)
    return env


def small_world(path: Path) -> list[Doc]:
    """Write a sandbox into ``path``: alice with three small pictures (returned), and bob.

    The demo's originals are camera-sized pictures drawn on first sight: a backup
    of its 180 photos spends half a minute drawing them.
    """
    with Sandbox(path) as world:
        alice = world.add_user("alice", "Alice Martin")
        world.add_user("bob", "Bob Durand")
        return [world.add_doc(alice, f"picture {n}") for n in range(3)]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty home directory for the shell."""
    directory = tmp_path / "home"
    directory.mkdir()
    return directory


@pytest.fixture
def shell(home: Path, sandbox: Sandbox, desktop_app: App) -> Iterator[Shell]:
    """The shell, in a clean environment, ready to talk to the sandbox."""
    runner = Shell(home, sandbox, desktop_app)
    yield runner
    runner.stop_all()


class Terminal:
    """The shell on a pseudo-terminal: what a person types and sees.

    :param args: the shell's command line arguments.
    :param env: its environment.
    :param columns: the terminal's width.
    """

    def __init__(self, args: Sequence[str], env: Mapping[str, str], columns: int = 120) -> None:
        self.output = ""
        self._seen = 0
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the shell
            default_ctrl_c()
            argv = [sys.executable, "-m", "ipernity", *args]
            os.execve(sys.executable, argv, dict(env))  # noqa: S606 -- no shell involved
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        self.status: int | None = None

    def send(self, text: str) -> None:
        """Type ``text``."""
        os.write(self.fd, text.encode())

    def expect(self, pattern: str, timeout: float = 10.0) -> str:
        """Wait until the output after the last match matches ``pattern`` (a regex).

        :return: the output from the last match up to the end of this one.
        """
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.output, self._seen)
            if match:
                seen, self._seen = self._seen, match.end()
                return self.output[seen : match.end()]
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                raise AssertionError(
                    f"{pattern!r} did not appear; the terminal shows:\n{self.output[self._seen :]}"
                )

    def interrupt(self) -> None:
        """Press Ctrl-C: SIGINT to the shell."""
        os.kill(self.pid, signal.SIGINT)

    def wait(self, timeout: float = 10.0) -> int:
        """Wait for the shell to end, reading what it still prints; return its exit status."""
        deadline = time.monotonic() + timeout
        while self.status is None and time.monotonic() < deadline:
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        if self.status is None:
            raise AssertionError(f"the shell did not end; the terminal shows:\n{self.output}")
        return self.status

    def close(self) -> None:
        """End the shell if it still runs, and release the terminal."""
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.status = -signal.SIGKILL
        os.close(self.fd)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError as exc:  # EIO: the shell has ended and closed the terminal
            if exc.errno != errno.EIO:
                raise
            return False
        self.output += data.decode(errors="replace").replace("\r\n", "\n")
        return bool(data)


@pytest.fixture
def terminal(shell: Shell) -> Iterator[Callable[..., Terminal]]:
    """Start the shell on a pseudo-terminal: ``terminal(*args, env={...}, columns=120)``."""
    started: list[Terminal] = []

    def start(*args: str, env: Mapping[str, str] | None = None, columns: int = 120) -> Terminal:
        term = Terminal(args, {**shell.env, "TERM": "xterm", **(env or {})}, columns)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


class _ConsentForm(HTMLParser):
    """Collects the hidden inputs of the consent form ``fa``."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.in_form = attributes.get("name") == "fa"
        elif tag == "input" and self.in_form and attributes.get("type") == "hidden":
            self.fields[attributes.get("name") or ""] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False


def approve(url: str, cookies: Mapping[str, str] | None = None, username: str = "") -> None:
    """Approve the authorization link ``url`` as a member.

    The member is the one the sign-in ``cookies`` name, or else ``username``,
    typed into the sign-in page as a person would.
    """
    with requests.Session() as http:
        http.cookies.update(cookies or {})
        page = http.get(url, timeout=10)
        if "/signin" in page.url:
            page = http.post(page.url, data=signin_form(page.text, username), timeout=10)
        form = _ConsentForm()
        form.feed(page.text)
        assert form.fields, f"no consent form at the link:\n{page.text}"
        answer = http.post(url, data=form.fields, timeout=10)
    assert re.search(r"<div class=[\'\"]ok[\'\"]>", answer.text), answer.text


def signin_form(page: str, username: str) -> dict[str, str]:
    """What the sign-in page's form sends for ``username``, its anti-forgery token included."""
    token = re.search(r"name='form_token' value='([^']*)'", page)
    assert token, f"no sign-in form:\n{page}"
    return {"username": username, "form_token": token.group(1)}


@pytest.fixture
def approve_as(sandbox: Sandbox) -> Callable[[User, str], None]:
    """Approve an authorization link as a member of the session's sandbox."""

    def approve_link(member: User, url: str) -> None:
        approve(url, sandbox.signin_cookies(member))

    return approve_link
