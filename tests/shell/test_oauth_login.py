"""``login --oauth``: OAuth 1.0, the browser coming back to a one-shot local server."""

from __future__ import annotations

import configparser
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from ipernity.deadline import Deadline
from ipernity.sandbox import Sandbox, User
from ipernity.shell import oauth_login

from .conftest import Shell, Terminal, approve

Approve = Callable[[User, str], None]


def test_oauth_login_completes_when_the_browser_comes_back(
    shell: Shell, alice: User, approve_as: Approve
) -> None:
    process = shell.start(*shell.connected(), input="login --oauth doc=write\nwhoami\n")
    [url] = shell.opened_urls()
    assert url.startswith(shell.sandbox.oauth_url + "authorize?")
    # Approving redirects the browser to the shell's page, which says it is done.
    approve_as(alice, url)
    result = shell.finish(process)
    assert result.status == 0, result.err
    assert result.out.splitlines() == [
        f"Logged in as {alice.username} (Alice), user_id {alice.user_id}",
        f"{alice.username} (Alice), user_id {alice.user_id}",
        "permissions: doc=write",
    ]


def test_the_callback_is_a_local_one_shot_page(shell: Shell) -> None:
    shell.run(*shell.connected(), "login", "--oauth", "--timeout", "0.5", "doc=read")
    [url] = shell.opened_urls()
    callback = parse_qs(urlsplit(url).query)["oauth_callback"][0]
    parts = urlsplit(callback)
    assert parts.hostname == "127.0.0.1"
    # Once the login is over, nothing listens there any more.
    with socket.socket() as probe:
        assert probe.connect_ex((parts.hostname, parts.port or 80)) != 0


def test_a_wrong_token_at_the_callback_does_not_log_in(shell: Shell, alice: User) -> None:
    process = shell.start(*shell.connected(), input="login --oauth --timeout 5 doc=read\n")
    [url] = shell.opened_urls()
    callback = parse_qs(urlsplit(url).query)["oauth_callback"][0]
    forged = requests.get(callback, params={"oauth_token": "not-the-one"}, timeout=10)
    assert forged.status_code == 404
    result = shell.finish(process)
    assert result.status == 1
    assert result.err_lines[-1] == "line 1: Not approved within 5 s; run login --oauth again"


def test_save_writes_the_token_and_its_secret(
    shell: Shell, alice: User, approve_as: Approve
) -> None:
    process = shell.start(*shell.connected(), input="login --oauth doc=read\nsave\n")
    [url] = shell.opened_urls()
    approve_as(alice, url)
    assert shell.finish(process).status == 0
    saved = configparser.ConfigParser(interpolation=None)
    saved.read(shell.home / ".ipernity.ini")
    section = saved["ipernity"]
    assert section["api token"]
    assert section["api token secret"]
    # A new shell signs with what was saved.
    again = shell.run(*shell.server_args(), input="whoami\nuser.get\n")
    assert again.status == 0, again.err
    assert again.out.startswith(f"{alice.username} (Alice)")
    assert json.loads(again.out.split("\n", 2)[2])["user"]["user_id"] == str(alice.user_id)


def test_the_sandbox_mode_logs_in_with_oauth(shell: Shell) -> None:
    process = shell.start("--sandbox", input="login --oauth doc=read\nwhoami\n")
    [url] = shell.opened_urls()
    approve(url, username="oauth-newcomer")
    result = shell.finish(process)
    assert result.status == 0, result.err
    assert result.out.splitlines()[0].startswith("Logged in as oauth-newcomer")


def test_ctrl_c_cancels_the_oauth_login_not_the_shell(
    shell: Shell, terminal: Callable[..., Terminal]
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("login --oauth doc=read\n")
    term.expect("Ctrl-C to give up")
    term.interrupt()
    term.expect("Login cancelled")
    term.expect("ipernity> ")
    term.send("whoami\n")
    term.expect("Not logged in")
    term.send("exit\n")
    assert term.wait() == 1


def test_a_slow_client_at_the_callback_cannot_stretch_the_login_past_its_timeout(
    shell: Shell,
) -> None:
    process = shell.start(*shell.connected(), input="login --oauth --timeout 2 doc=read\n")
    [url] = shell.opened_urls()
    callback = urlsplit(parse_qs(urlsplit(url).query)["oauth_callback"][0])
    started = time.monotonic()
    with socket.create_connection((callback.hostname, callback.port or 80)) as slow:
        # A byte every half second: each read gets one in time, the request never ends.
        for byte in b"GET /callback?oauth_token=" + b"x" * 60:
            if process.poll() is not None:
                break
            try:
                slow.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.5)
        result = shell.finish(process)
    assert time.monotonic() - started < 2 + 4
    assert result.status == 1
    assert result.err_lines[-1] == "line 1: Not approved within 2 s; run login --oauth again"
    assert "Traceback" not in result.err


def test_a_client_trickling_a_request_does_not_hold_the_browsers_callback(
    shell: Shell, alice: User, approve_as: Approve
) -> None:
    process = shell.start(*shell.connected(), input="login --oauth --timeout 20 doc=read\n")
    [url] = shell.opened_urls()
    callback = urlsplit(parse_qs(urlsplit(url).query)["oauth_callback"][0])
    stop = threading.Event()

    def trickle(connection: socket.socket) -> None:
        # A byte every tenth of a second: the request line never ends, no read times out.
        for byte in itertools.cycle(b"GET /callback?oauth_token=x"):
            if stop.wait(0.1):
                return
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                return

    with socket.create_connection((callback.hostname, callback.port or 80)) as slow:
        trickler = threading.Thread(target=trickle, args=(slow,))
        trickler.start()
        try:
            started = time.monotonic()
            approve_as(alice, url)  # the browser comes back to the callback meanwhile
            result = shell.finish(process)
            took = time.monotonic() - started
        finally:
            stop.set()
            trickler.join()
    assert result.status == 0, result.err
    assert result.out.startswith(f"Logged in as {alice.username} (Alice)")
    assert took < 8  # a connection is cut after 10 s: without threads, the callback waits so long


def test_a_connection_to_the_callback_page_is_cut_at_its_time_even_while_bytes_trickle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In-process, with the connection's time made short: each byte comes well
    # within a read's timeout, so only the connection's own deadline ends it.
    monkeypatch.setattr(oauth_login, "CONNECTION_TIME", 0.5)
    server = oauth_login._CallbackServer()
    server.deadline = Deadline(60)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    serving.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as slow:
            slow.settimeout(0.1)
            started = time.monotonic()
            cut = False
            for byte in itertools.cycle(b"GET /callback?oauth_token=x"):
                if time.monotonic() - started > 5:
                    break
                try:
                    slow.sendall(bytes([byte]))
                    cut = slow.recv(1) == b""
                except TimeoutError:
                    continue
                except OSError:
                    cut = True
                if cut:
                    break
            took = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
        serving.join(timeout=10)
    assert cut, "the trickling connection was still open after 5 s"
    assert took < 3


def test_oauth_login_passes_on_the_verifier_of_an_oauth_1_0a_service(home: Path) -> None:
    with Sandbox(oauth_verifier=True) as sandbox, sandbox.serve(port=0):
        shell = Shell(home, sandbox, sandbox.add_app("Verified tool", auth="desktop"))
        erin = sandbox.add_user("erin", realname="Erin")
        try:
            process = shell.start(*shell.connected(), input="login --oauth doc=read\nwhoami\n")
            [url] = shell.opened_urls()
            # The callback carries the verifier, without which the access step is refused.
            approve(url, sandbox.signin_cookies(erin))
            result = shell.finish(process)
        finally:
            shell.stop_all()
    assert result.status == 0, result.err
    assert result.out.splitlines()[0].startswith("Logged in as erin")
