"""``--sandbox``: everything works with no key and no network, login included.

A command given on the command line that needs a token runs as a demo member;
``--sandbox-db`` keeps the sandbox in a file, which a test fills with a small world.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from ipernity.shell.embedded import permissions_needed
from ipernity.shell.parser import split_line

from .conftest import Shell, Terminal, approve, signin_form, small_world

#: What a one-shot command that needs a token says when it runs as the first demo member.
AS_ALICE = "Running as alice (doc=read) on the sandbox; --as <username> for another: bob."


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
    greeting = " ".join(term.expect("ipernity> ").split())
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


# -- one-shot commands --------------------------------------------------------------


def test_a_one_shot_command_that_needs_a_token_runs_as_the_first_demo_member(
    shell: Shell,
) -> None:
    result = shell.run("--sandbox", "whoami")
    assert result.status == 0, result.err
    assert re.fullmatch(r"alice \(Alice Martin\), user_id \d+", result.out.splitlines()[0])
    assert result.out.splitlines()[1] == "permissions: doc=read"
    assert result.err_lines == [AS_ALICE]


def test_as_picks_another_demo_member(shell: Shell) -> None:
    result = shell.run("--sandbox", "--as", "bob", "whoami")
    assert result.status == 0, result.err
    assert result.out.startswith("bob (Bob Durand), user_id ")
    assert result.err_lines == ["Running as bob (doc=read) on the sandbox."]


def test_a_method_whose_user_id_is_left_out_lists_the_demo_members_own(shell: Shell) -> None:
    result = shell.run("--sandbox", "doc.getList", "per_page=1")
    assert result.status == 0, result.err
    assert json.loads(result.out)["docs"]["total"] == "180"  # alice's photos in the demo
    assert result.err_lines == [AS_ALICE]


def test_a_one_shot_command_that_needs_no_token_runs_without_one(shell: Shell) -> None:
    result = shell.run("--sandbox", "test.echo", "echo=plain")
    assert result.status == 0
    assert json.loads(result.out)["echo"] == "plain"
    assert result.err == ""


def test_an_unknown_member_is_one_line_naming_the_demo_members(shell: Shell) -> None:
    result = shell.run("--sandbox", "--as", "carol", "whoami")
    assert result.status == 2
    assert result.out == ""
    assert result.err_lines == [
        "No sandbox member is called 'carol': --as takes one of alice, bob"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "bob", "whoami"], "--as names a member of the sandbox: use it with --sandbox"),
        (
            ["--sandbox", "--as", "bob"],
            "--as is for a command given after the options; at the prompt, use login",
        ),
    ],
    ids=["without-sandbox", "at-the-prompt"],
)
def test_as_outside_a_sandbox_one_shot_is_a_usage_error(
    shell: Shell, args: list[str], message: str
) -> None:
    result = shell.run(*args)
    assert result.status == 2
    assert result.err_lines[-1] == f"python -m ipernity: error: {message}"


@pytest.mark.parametrize(
    ("line", "needed"),
    [
        ("backup DIR", {"doc": "read"}),
        ("whoami", {"doc": "read"}),
        ("doc.set doc_id=1 title=x", {"doc": "write"}),
        ("walk doc.getList", {"doc": "read"}),
        ("user.get", {"doc": "read"}),
        ("user.get user_id=1", None),
        ("test.echo echo=hi", None),
        ("help doc.get", None),
        ("login doc=write", None),
    ],
)
def test_the_token_a_one_shot_command_gets(line: str, needed: dict[str, str] | None) -> None:
    command = split_line(line)
    assert command is not None
    assert permissions_needed(command) == needed


# -- a sandbox kept in a file -------------------------------------------------------


def test_a_one_shot_backup_saves_the_demo_members_documents(shell: Shell, tmp_path: Path) -> None:
    small_world(tmp_path / "world.db")
    target = tmp_path / "backup"
    result = shell.run(
        "--sandbox", "--sandbox-db", str(tmp_path / "world.db"), "backup", str(target)
    )
    assert result.status == 0, result.err
    assert result.err_lines == [AS_ALICE]
    assert "3 saved, 0 unchanged, 0 failed" in result.out
    assert len([p for p in (target / "documents").rglob("*") if p.suffix == ".jpg"]) == 3


def test_the_sandbox_file_keeps_changes_for_the_next_run(shell: Shell, tmp_path: Path) -> None:
    world = tmp_path / "world.db"
    [doc, *_] = small_world(world)
    changed = shell.run(
        "--sandbox-db", str(world), "doc.set", f"doc_id={doc.doc_id}", "title=Kept"
    )
    assert changed.status == 0, changed.err
    assert changed.err_lines == [AS_ALICE.replace("doc=read", "doc=write")]
    again = shell.run("--sandbox-db", str(world), "doc.get", f"doc_id={doc.doc_id}")
    assert json.loads(again.out)["doc"]["title"] == "Kept"


def test_a_new_sandbox_file_gets_the_demo_readable_by_its_owner_only(
    shell: Shell, tmp_path: Path
) -> None:
    world = tmp_path / "new.db"
    result = shell.run("--sandbox-db", str(world), "whoami")
    assert result.status == 0, result.err
    assert result.out.startswith("alice (Alice Martin)")
    assert stat.S_IMODE(world.stat().st_mode) == 0o600


def test_a_file_that_is_not_a_sandbox_is_one_line(shell: Shell, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n" * 100)
    result = shell.run("--sandbox-db", str(other), "whoami")
    assert result.status == 2
    assert result.err_lines == [f"Cannot open the sandbox file {other}: file is not a database"]
