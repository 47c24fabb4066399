"""``--sandbox``: everything works with no key and no network, login included."""

from __future__ import annotations

import json
from collections.abc import Callable

import requests

from .conftest import Shell, Terminal, approve, signin_form


def test_sandbox_mode_answers_calls_without_credentials(shell: Shell) -> None:
    result = shell.run("--sandbox", "test.echo", "echo=offline")
    assert result.status == 0
    assert json.loads(result.out)["echo"] == "offline"


def test_sandbox_mode_ignores_credentials_from_the_config_and_environment(shell: Shell) -> None:
    (shell.home / ".ipernity.ini").write_text("[ipernity]\napi key = wrong\napi secret = bad\n")
    result = shell.run("--sandbox", "auth.getFrob", env={"IPERNITY_API_KEY": "wrong"})
    assert result.status == 0
    assert json.loads(result.out)["auth"]["frob"]


def test_sandbox_mode_tells_how_to_log_in_as_its_members(
    shell: Shell, terminal: Callable[..., Terminal]
) -> None:
    term = terminal("--sandbox")
    greeting = term.expect("ipernity> ")
    assert "Sandbox running at http://127.0.0.1:" in greeting
    assert "sign in as one of the demo members (alice, bob)" in greeting
    term.send("exit\n")
    assert term.wait() == 0


def test_sandbox_mode_points_at_login_for_the_member_a_method_means(shell: Shell) -> None:
    result = shell.run("--sandbox", input="user.get\ntest.echo echo=after\n")
    assert result.status == 1
    assert result.err_lines[-1] == (
        "line 1: user.get needs user_id=… or a token (then it means you): "
        "give user_id, or log in first, e.g. login doc=read"
    )
    assert "Required parameter missing" not in result.err
    assert json.loads(result.out)["echo"] == "after"


def test_sandbox_mode_asks_consent_in_the_shells_own_name(shell: Shell) -> None:
    process = shell.start("--sandbox", input="login --timeout 20 doc=read\n")
    [url] = shell.opened_urls(timeout=20)
    with requests.Session() as http:
        signin = http.get(url, timeout=10)
        consent = http.post(signin.url, data=signin_form(signin.text, "alice"), timeout=10)
    assert "<h1>Ipernity shell would like to access your account</h1>" in consent.text
    process.kill()


def test_sandbox_mode_end_to_end(shell: Shell) -> None:
    process = shell.start(
        "--sandbox", input="login doc=read\nwhoami\nwalk doc.getList\nsave\ntest.echo echo=end\n"
    )
    [url] = shell.opened_urls(timeout=20)
    approve(url, username="alice")
    result = shell.finish(process)
    lines = result.out.splitlines()
    assert lines[0].startswith("Logged in as alice (Alice Martin), user_id ")
    assert lines[2] == "permissions: doc=read"
    docs = [json.loads(line) for line in lines[3:183]]
    assert len({doc["doc_id"] for doc in docs}) == 180  # alice's photos in the demo
    assert "180 items" in result.err_lines
    assert result.err_lines[-1] == (
        "line 4: Nothing to save: the sandbox's keys and tokens end with this shell"
    )
    assert json.loads("\n".join(lines[183:]))["echo"] == "end"
    assert not (shell.home / ".ipernity.ini").exists()
