"""``login``: desktop authentication that finishes by itself once the member approves."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from ipernity.sandbox import Sandbox, User

from .conftest import Shell, Terminal

Approve = Callable[[User, str], None]


def test_login_finishes_by_polling_once_the_member_approves(
    shell: Shell, alice: User, approve_as: Approve
) -> None:
    process = shell.start(*shell.connected(), input="login doc=write\nwhoami\n")
    [url] = shell.opened_urls()
    approve_as(alice, url)
    result = shell.finish(process)
    assert result.status == 0
    assert result.out.splitlines() == [
        f"Logged in as {alice.username} (Alice), user_id {alice.user_id}",
        f"{alice.username} (Alice), user_id {alice.user_id}",
        "permissions: doc=write",
    ]
    assert result.err_lines == [
        "The authorization page is open in your browser: approve there.",
        "Waiting for approval (Ctrl-C to give up)…",
    ]


def test_login_asks_for_exactly_the_permissions_given(shell: Shell) -> None:
    shell.run(*shell.connected(), "login", "--timeout", "0.1", "doc=write", "perm_network=read")
    [url] = shell.opened_urls()
    query = parse_qs(urlsplit(url).query)
    asked = {name: values for name, values in query.items() if name.startswith("perm_")}
    assert asked == {"perm_doc": ["write"], "perm_network": ["read"]}
    assert "frob" in query
    assert url.startswith(shell.sandbox.authorize_url + "?")


def test_without_a_browser_login_prints_the_link(
    shell: Shell, alice: User, approve_as: Approve
) -> None:
    no_browser = shell.home / "no-browser"
    no_browser.write_text("#!/bin/sh\nexit 1\n")
    no_browser.chmod(0o755)
    process = shell.start(
        *shell.connected(), input="login doc=read\n", env={"BROWSER": str(no_browser)}
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "Open this link in a browser and approve:\n"
    url = process.stdout.readline().strip()
    assert url.startswith(shell.sandbox.authorize_url + "?")
    approve_as(alice, url)
    result = shell.finish(process)
    assert result.status == 0
    assert result.out == f"Logged in as {alice.username} (Alice), user_id {alice.user_id}\n"


def test_login_gives_up_after_its_timeout_and_the_shell_goes_on(shell: Shell) -> None:
    result = shell.run(
        *shell.connected(), input="login --timeout 0.5 doc=read\ntest.echo echo=after\n"
    )
    assert result.status == 1
    assert result.err_lines[-1] == (
        "line 1: Not approved within 0.5 s (Error 2 from auth.getToken: "
        "Frob not validated yet by the member); run login again"
    )
    assert json.loads(result.out)["echo"] == "after"


def test_login_needs_an_api_key(shell: Shell) -> None:
    result = shell.run("login", "doc=read")
    assert result.status == 1
    assert result.err.startswith("No API key and secret")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("login", "Ask for at least one permission, e.g. login doc=read"),
        ("login doc=none", "Ask for at least one permission, e.g. login doc=read"),
        ("login doc=admin", "Unknown permission level 'admin' for doc"),
        ("login photos=read", "Unknown permission target 'photos'"),
        ("login doc", "'doc' is not a parameter: write name=value"),
        ("login --timeout", "--timeout needs a number of seconds"),
        ("login --timeout soon doc=read", "--timeout needs a positive number of seconds"),
        ("login --timeout -1 doc=read", "--timeout needs a positive number of seconds"),
    ],
)
def test_login_refuses_what_it_cannot_ask_for(shell: Shell, line: str, message: str) -> None:
    result = shell.run(*shell.connected(), input=line + "\n")
    assert result.status == 1
    [error] = result.err_lines
    assert error.startswith(f"line 1: {message}")
    assert not shell.browser_log.exists()


def test_at_the_terminal_enter_checks_at_once(
    shell: Shell, terminal: Callable[..., Terminal], alice: User, approve_as: Approve
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("login doc=read\n")
    term.expect(r"press Enter once you have approved, Ctrl-C to give up")
    [url] = shell.opened_urls()
    # Enter before approving: the check happens at once (the service still refuses),
    # whatever the polling's timing; after approving, the next check logs in.
    term.send("\n")
    term.expect("Checking…")
    approve_as(alice, url)
    term.send("\n")
    term.expect(f"Logged in as {alice.username}")
    term.expect("ipernity> ")
    term.send("exit\n")
    assert term.wait() == 0


def test_ctrl_c_cancels_the_login_not_the_shell(
    shell: Shell, terminal: Callable[..., Terminal]
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("login doc=read\n")
    term.expect("Ctrl-C to give up")
    term.interrupt()
    term.expect("Login cancelled")
    term.expect("ipernity> ")
    term.send("whoami\n")
    term.expect("Not logged in")
    term.send("exit\n")
    assert term.wait() == 1  # the login failed


def test_a_poll_lost_on_the_network_is_asked_again(
    shell: Shell, sandbox: Sandbox, alice: User, approve_as: Approve
) -> None:
    sandbox.fail_next("auth.getToken", drop=True)
    process = shell.start(*shell.connected(), input="login doc=read\n")
    [url] = shell.opened_urls()
    approve_as(alice, url)
    result = shell.finish(process)
    assert result.status == 0, result.err
    assert result.out == f"Logged in as {alice.username} (Alice), user_id {alice.user_id}\n"
    polls = [
        call.fault
        for call in sandbox.calls
        if call.method == "auth.getToken" and call.params.get("api_key") == shell.app.api_key
    ]
    assert polls[0] == "drop"
    assert len(polls) >= 2


def test_a_poll_that_hangs_ends_with_not_approved_at_the_timeout(
    shell: Shell, sandbox: Sandbox
) -> None:
    # The first poll is answered at once (not approved yet); the second hangs 14 s.
    sandbox.delay_next("auth.getToken", 0.01)
    sandbox.delay_next("auth.getToken", 14)
    started = time.monotonic()
    result = shell.run(*shell.connected(), "login", "--timeout", "2", "doc=read")
    assert time.monotonic() - started < 10  # the shell's start included, on a busy machine
    assert result.status == 1
    assert result.err_lines[-1] == (
        "Not approved within 2 s (Error 2 from auth.getToken: "
        "Frob not validated yet by the member); run login again"
    )
