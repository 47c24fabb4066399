"""Nothing a user types ends the shell: each mistake gets one line, then the shell goes on."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from ipernity.sandbox import Sandbox, User

from .conftest import RUN_TIMEOUT, Shell, Terminal

#: Lines a user may get wrong, and the start of the one line of error each gets.
MALFORMED = [
    ("test.echo echo", "'echo' is not a parameter: write name=value"),
    ("test.echo =value", "'=value' has no parameter name: write name=value"),
    ("test.echo echo=a echo=b", "Parameter 'echo' is given twice"),
    ('test.echo echo="unbalanced', "Cannot read the line: no closing quotation"),
    ("test.echo echo='unbalanced", "Cannot read the line: no closing quotation"),
    ("test.echo echo=trailing\\", "Cannot read the line: no escaped character"),
    ('"', "Cannot read the line: no closing quotation"),
    ("=", "Unknown command '='"),
    ("...", "Unknown method '...': it is not in the catalogue"),
    ("nosuchcommand", "Unknown command 'nosuchcommand'; type help for the list"),
    ("nosuchcommand with=params", "Unknown command 'nosuchcommand'"),
    ("doc.nosuchmethod doc_id=1", "Unknown method 'doc.nosuchmethod'"),
    ("ünïcødé.méthod x=y", "Unknown method 'ünïcødé.méthod'"),
    ("help too many", "usage: help [command | method.name]"),
    ("help nosuch.method", "Unknown method 'nosuch.method'"),
    ("methods too many", "usage: methods [prefix]"),
    ("methods zzz", "No method name starts with 'zzz'"),
    ("whoami --everything", "usage: whoami [--token]"),
    ("logout now", "logout takes no arguments"),
    ("save please", "save takes no arguments"),
    ("exit now", "exit (or quit) takes no arguments"),
    ("walk", "usage: walk method.name [param=value …]"),
    ("walk nosuch.method", "Unknown method 'nosuch.method'"),
    ("walk test.echo echo=x", "test.echo is not paged: call it without walk"),
    ("walk doc.getList page=first", "page must be a number, not 'first'"),
    ("walk doc.getList per_page=-1", "per_page must be a number, not '-1'"),
    ("walk doc.search page=²", "page must be a number, not '²'"),
    ("walk doc.search per_page=①", "per_page must be a number, not '①'"),
    ("walk doc.search page=٣", "page must be a number, not '٣'"),
    ("walk doc.search page=" + "9" * 30, "page must be a number, not '999999999"),
    ("walk doc.getList user_id", "'user_id' is not a parameter: write name=value"),
    ("login doc=root", "Unknown permission level 'root' for doc"),
    ("x" * 5000, "Unknown command 'xxxxxxxx"),
    ("test.echo " + "word " * 2000, "'word' is not a parameter: write name=value"),
]


def test_each_malformed_line_gets_one_line_and_the_shell_goes_on(shell: Shell) -> None:
    script = "".join(f"{line}\n" for line, _ in MALFORMED) + "test.echo echo=after\n"
    result = shell.run(*shell.connected(), input=script)
    assert result.status == 1
    assert len(result.err_lines) == len(MALFORMED)
    for number, ((line, message), error) in enumerate(
        zip(MALFORMED, result.err_lines, strict=True), 1
    ):
        assert error.startswith(f"line {number}: {message}"), f"{line[:40]!r} gave {error!r}"
    assert "Traceback" not in result.err
    assert json.loads(result.out)["echo"] == "after"


NOT_UTF8 = "Cannot read the line: it holds bytes that are not UTF-8"


def test_a_piped_line_that_is_not_utf8_gets_one_line_and_the_shell_goes_on(
    shell: Shell,
) -> None:
    # Strict decoding, as under locales such as en_US.UTF-8 (C.UTF-8 is lenient).
    completed = subprocess.run(
        [sys.executable, "-m", "ipernity", *shell.connected()],
        input=b"test.echo echo=\xff\xfe\ntest.echo echo=after\n",
        capture_output=True,
        env={**shell.env, "PYTHONIOENCODING": "utf-8:strict"},
        cwd=shell.home,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert completed.stderr.decode().splitlines() == [f"line 1: {NOT_UTF8}"]
    assert json.loads(completed.stdout)["echo"] == "after"


def test_a_command_line_argument_that_is_not_utf8_gets_one_line(shell: Shell) -> None:
    # The byte 0xff, as the operating system hands it over in argv.
    result = shell.run(*shell.connected(), "test.echo", os.fsdecode(b"echo=\xff"))
    assert (result.status, result.err_lines) == (1, [NOT_UTF8])


def test_an_api_error_gets_one_line_and_the_shell_goes_on(shell: Shell) -> None:
    result = shell.run(
        *shell.connected(), input="user.get user_id=999999999\ntest.echo echo=after\n"
    )
    assert result.err_lines == ["line 1: Error 1 from user.get: User not found"]
    assert json.loads(result.out)["echo"] == "after"


@pytest.fixture
def closed_port_url() -> str:
    """A base URL on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/"


def test_a_network_that_is_down_gets_one_line_and_the_shell_goes_on(
    shell: Shell, closed_port_url: str
) -> None:
    app = shell.app
    started = time.monotonic()
    result = shell.run(
        "-k", app.api_key, "-s", app.api_secret, "--url", closed_port_url,
        input="test.echo echo=hi\nmethods test.\n",
    )  # fmt: skip
    assert time.monotonic() - started < 15
    assert result.status == 1
    port = closed_port_url.split(":")[2].split("/")[0]
    assert result.err_lines == [
        f"line 1: test.echo: cannot reach 127.0.0.1:{port} (connection refused)"
    ]
    assert result.out.startswith("test.echo")


def test_an_error_page_instead_of_json_gets_one_line(shell: Shell, sandbox: Sandbox) -> None:
    sandbox.fail_next("test.echo", html=True, times=5)
    result = shell.run(*shell.connected(), input="test.echo echo=hi\n")
    [error] = result.err_lines
    assert error.startswith("line 1: Error 502 from test.echo: HTTP 502")


def test_ctrl_c_during_a_call_interrupts_the_call_not_the_shell(
    shell: Shell, sandbox: Sandbox, terminal: Callable[..., Terminal]
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    sandbox.latency = 3.0
    term.send("test.echo echo=slow\n")
    time.sleep(0.5)
    started = time.monotonic()
    term.interrupt()
    term.expect("Interrupted")
    term.expect("ipernity> ")
    assert time.monotonic() - started < 2
    sandbox.latency = 0.0
    term.send("test.echo echo=after\n")
    term.expect('"echo".*"after"')
    term.send("exit\n")
    assert term.wait() == 1  # the walk did not finish


def test_ctrl_c_stops_a_walk_not_the_shell(
    shell: Shell, sandbox: Sandbox, alice: User, terminal: Callable[..., Terminal]
) -> None:
    for n in range(30):
        sandbox.add_doc(alice, f"picture {n}")
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    sandbox.latency = 0.5
    term.send(f"walk doc.getList user_id={alice.user_id} per_page=1\n")
    term.expect('"doc_id"')
    term.interrupt()
    stopped = term.expect(r"Walk stopped after (\d+) items")
    count = int(re.findall(r"after (\d+) items", stopped)[-1])
    assert 1 <= count < 30
    term.expect("ipernity> ")
    sandbox.latency = 0.0
    term.send("test.echo echo=after\n")
    term.expect('"after"')
    term.send("exit\n")
    assert term.wait() == 1  # a call was interrupted


def test_ctrl_c_at_the_prompt_drops_the_line(
    shell: Shell, terminal: Callable[..., Terminal]
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("test.echo echo=never")
    term.expect("echo=never")
    time.sleep(0.2)  # readline is back to waiting for keys, as when a person presses Ctrl-C
    term.interrupt()
    term.expect("ipernity> ")
    term.send("test.echo echo=typed\n")
    term.expect('"typed"')
    assert "never" not in term.output.split("ipernity> ")[-2].split("\n", 1)[-1]
    term.send("exit\n")
    assert term.wait() == 0


def test_end_of_input_at_the_prompt_ends_the_shell(
    shell: Shell, terminal: Callable[..., Terminal]
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("\x04")
    assert term.wait() == 0


def test_no_secret_reaches_the_output(
    shell: Shell,
    sandbox: Sandbox,
    alice: User,
    closed_port_url: str,
    approve_as: Callable[..., None],
) -> None:
    token = str(sandbox.grant(alice, shell.app, {"doc": "read"})["token"])
    lines = [
        "test.echo echo=hi",
        "user.get user_id=999999999",
        "whoami",
        "auth.checkToken auth_token=nonsense",
        f"auth.getToken frob={token}",
        "doc.get doc_id=abc",
        "walk doc.getList",
        "help auth.getToken",
        "login --timeout 0.3 doc=read",
        "save",
        "logout",
        "whoami --token",
    ]
    runs = [
        shell.run(*shell.connected(token), input="\n".join(lines) + "\n"),
        shell.run(*shell.connected(token), "--url", closed_port_url, input="test.echo echo=x\n"),
        shell.run(*shell.server_args(), "-t", token, "test.hello"),
    ]
    sandbox.fail_next("test.echo", html=True, times=5)
    runs.append(shell.run(*shell.connected(token), "test.echo", "echo=x"))
    for result in runs:
        for secret in (shell.app.api_secret, token):
            assert secret not in result.out
            assert secret not in result.err
        assert "Traceback" not in result.err
