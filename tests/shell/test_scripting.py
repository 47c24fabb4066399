"""Commands from a pipe and from the command line: output only, and an honest exit status."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import Shell


def test_piped_commands_print_only_their_answers(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=hi\n")
    assert result.status == 0
    assert json.loads(result.out)["echo"] == "hi"
    assert result.err == ""
    assert "ipernity>" not in result.out


def test_piped_commands_run_one_per_line_in_order(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=one\ntest.echo echo=two\n")
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(result.out)
    second, _ = decoder.raw_decode(result.out[end:].lstrip())
    assert (first["echo"], second["echo"]) == ("one", "two")


def test_blank_lines_and_comments_are_skipped(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="\n   \n# a comment\ntest.echo echo=hi\n")
    assert result.status == 0
    assert json.loads(result.out)["echo"] == "hi"


def test_a_failed_line_makes_the_exit_status_1_and_the_rest_still_runs(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="nosuchcommand\ntest.echo echo=after\n")
    assert result.status == 1
    assert json.loads(result.out)["echo"] == "after"
    assert result.err_lines == ["line 1: Unknown command 'nosuchcommand'; type help for the list"]


def test_exit_ends_the_script(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=a\nexit\ntest.echo echo=b\n")
    assert result.status == 0
    assert json.loads(result.out)["echo"] == "a"


def test_quit_ends_the_script(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="quit\ntest.echo echo=b\n")
    assert (result.status, result.out) == (0, "")


def test_empty_input_ends_at_once_with_success(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="")
    assert (result.status, result.out, result.err) == (0, "", "")


def test_a_command_on_the_command_line_runs_alone_and_exits(shell: Shell) -> None:
    result = shell.run(*shell.connected(), "test.echo", "echo=hi", input="test.echo echo=no\n")
    assert result.status == 0
    assert json.loads(result.out)["echo"] == "hi"


def test_a_command_line_argument_keeps_its_spaces(shell: Shell) -> None:
    result = shell.run(*shell.connected(), "test.echo", "echo=hello there")
    assert json.loads(result.out)["echo"] == "hello there"


def test_a_failing_command_line_command_exits_with_1(shell: Shell) -> None:
    result = shell.run(*shell.connected(), "user.get", "user_id=999999999")
    assert result.status == 1
    assert result.out == ""
    assert result.err_lines == ["Error 1 from user.get: User not found"]


def test_offline_commands_need_no_credentials(shell: Shell) -> None:
    result = shell.run("methods", "test.")
    assert result.status == 0
    assert [line.split()[0] for line in result.out.splitlines()] == ["test.echo", "test.hello"]


def test_a_call_without_credentials_says_how_to_give_them(shell: Shell) -> None:
    result = shell.run("test.echo", "echo=hi")
    assert result.status == 1
    assert len(result.err_lines) == 1
    assert result.err.startswith("No API key and secret: give -k and -s")


def test_the_shell_does_not_import_flask(shell: Shell) -> None:
    # Modules named flask or flask_*, not the editable install's import hook for our package.
    check = (
        "import sys, ipernity.shell; "
        "print(sorted(m for m in sys.modules if m.split('.')[0].lower().startswith('flask')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=shell.env, check=True
    )
    assert completed.stdout == "[]\n"


def test_importing_the_library_leaves_the_shell_out(shell: Shell) -> None:
    check = "import sys, ipernity; print('ipernity.shell' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=shell.env, check=True
    )
    assert completed.stdout == "False\n"
