"""The shell at a terminal: prompt, colours, tab completion and history."""

from __future__ import annotations

import re
import stat
import time
from collections.abc import Callable

import pytest

from ipernity import __version__
from ipernity.sandbox import Sandbox, User
from ipernity.shell.commands import CALL_SUMMARY, CALL_USAGE, COMMANDS

from .conftest import Shell, Terminal

StartTerminal = Callable[..., Terminal]
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def test_the_terminal_gets_a_greeting_and_a_prompt(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    greeting = term.expect("ipernity> ")
    assert "type help for the commands, exit to leave" in greeting
    assert "No token: methods that need one fail until you login." in greeting
    term.send("exit\n")
    assert term.wait() == 0


def test_clear_clears_the_screen_and_the_scrollback(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("clear\n")
    term.expect(re.escape("\x1b[H\x1b[2J\x1b[3J") + "ipernity> ")
    term.send("exit\n")
    assert term.wait() == 0


def test_answers_are_coloured_on_a_terminal(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("test.echo echo=hi\n")
    answer = term.expect("ipernity> ")
    assert '\x1b[1;34m"echo"\x1b[0m: \x1b[32m"hi"\x1b[0m' in answer
    assert COLOUR.sub("", answer).count('"echo": "hi"') == 1


def test_errors_are_red_on_a_terminal(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("nosuchcommand\n")
    assert "\x1b[31mUnknown command 'nosuchcommand'" in term.expect("ipernity> ")


@pytest.mark.parametrize(
    ("args", "env"), [(["--no-color"], {}), ([], {"NO_COLOR": "1"})], ids=["option", "env"]
)
def test_no_color_keeps_the_terminal_plain(
    shell: Shell, terminal: StartTerminal, args: list[str], env: dict[str, str]
) -> None:
    term = terminal(*shell.connected(), *args, env=env)
    term.expect("ipernity> ")
    term.send("test.echo echo=hi\n")
    term.send("nosuchcommand\n")
    term.expect("Unknown command.*\n")
    assert '"echo": "hi"' in term.output
    assert not COLOUR.search(term.output)


def test_piped_output_is_plain(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=hi\nnosuchcommand\n")
    assert not COLOUR.search(result.out + result.err)


# -- completion -------------------------------------------------------------------


def test_tab_completes_method_and_parameter_names(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("test.ec\t")
    term.expect("test.echo ")
    term.send("ec\t")
    term.expect("echo=")
    term.send("completed\n")
    term.expect('"echo".*"completed"')


def test_tab_completes_commands(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("meth\t")
    term.expect("methods ")
    term.send("test.\n")
    term.expect("test.hello")


def test_tab_twice_lists_the_choices(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("test.\t\t")
    term.expect(r"test\.echo\s+test\.hello")


def test_tab_completes_login_targets_and_levels(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("login do\t")
    term.expect("doc=")
    term.send("wr\t")
    term.expect("write ")


# -- history ----------------------------------------------------------------------


def test_history_is_kept_between_sessions_for_the_owner_only(
    shell: Shell, terminal: StartTerminal
) -> None:
    first = terminal(*shell.connected())
    first.expect("ipernity> ")
    first.send("test.echo echo=remembered\n")
    first.expect("ipernity> ")
    first.send("exit\n")
    assert first.wait() == 0
    history = shell.home / ".ipernity_history"
    assert "test.echo echo=remembered" in history.read_text()
    assert stat.S_IMODE(history.stat().st_mode) == 0o600

    second = terminal(*shell.connected())
    second.expect("ipernity> ")
    second.send("\x1b[A\x1b[A")  # the Up arrow, twice: "exit" was the last line
    second.expect("test.echo echo=remembered")
    second.send("\n")
    second.expect('"remembered"')


def test_lines_with_credentials_stay_out_of_the_history(
    shell: Shell, terminal: StartTerminal
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("auth.checkToken auth_token=not-for-history\n")
    term.expect("ipernity> ")
    term.send("test.echo echo=kept\n")
    term.expect("ipernity> ")
    term.send("exit\n")
    assert term.wait() == 1  # the made-up token was refused
    text = (shell.home / ".ipernity_history").read_text()
    assert "test.echo echo=kept" in text
    assert "not-for-history" not in text


def test_walk_shows_progress_on_the_terminal_and_a_final_count(
    shell: Shell, terminal: StartTerminal, sandbox: Sandbox, alice: User
) -> None:
    for n in range(5):
        sandbox.add_doc(alice, f"picture {n}")
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    started = time.monotonic()
    term.send(f"walk doc.getList user_id={alice.user_id} per_page=2\n")
    shown = term.expect("ipernity> ")
    assert time.monotonic() - started < 10
    assert shown.count('"doc_id"') == 5
    assert "doc.getList" in shown  # the progress bar's label
    assert re.search(r"[\r\n]5 items\n", COLOUR.sub("", shown))


def test_without_tqdm_walk_shows_a_plain_counter(
    shell: Shell, terminal: StartTerminal, sandbox: Sandbox, alice: User
) -> None:
    # A "tqdm" that cannot be imported, first on the path: as if the extra were missing.
    hidden = shell.home / "no-tqdm" / "tqdm"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('tqdm is not installed')\n")
    for n in range(3):
        sandbox.add_doc(alice, f"picture {n}")
    term = terminal(*shell.connected(), env={"PYTHONPATH": str(hidden.parent)})
    term.expect("ipernity> ")
    term.send(f"walk doc.getList user_id={alice.user_id} per_page=1\n")
    shown = COLOUR.sub("", term.expect("ipernity> "))
    assert shown.count('"doc_id"') == 3
    assert "doc.getList: 3 items" in shown
    assert "items/s" not in shown
    assert "\r\x1b[K3 items\n" in shown  # the counter erased, then the count


def test_at_the_terminal_too_the_exit_status_tells_whether_all_worked(
    shell: Shell, terminal: StartTerminal
) -> None:
    term = terminal(*shell.connected())
    term.expect("ipernity> ")
    term.send("nosuchcommand\n")
    term.expect("ipernity> ")
    term.send("test.echo echo=fine\n")
    term.expect("ipernity> ")
    term.send("exit\n")
    assert term.wait() == 1


# -- fitting the terminal's width -------------------------------------------------

#: Every escape sequence a terminal is sent: colours, and readline's modes.
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WIDTHS = [60, 80, 120]


def screen_lines(shown: str) -> list[str]:
    """The lines ``shown`` holds, as a person reads them: no escapes, no carriage returns."""
    return ESCAPE.sub("", shown).replace("\r", "").split("\n")


def words(text: str) -> str:
    """``text`` with every run of spaces and line breaks made one space."""
    return " ".join(text.split())


@pytest.mark.parametrize("columns", WIDTHS)
def test_help_fits_the_terminal_and_breaks_no_word(
    shell: Shell, terminal: StartTerminal, columns: int
) -> None:
    term = terminal(*shell.connected(), columns=columns)
    term.expect("ipernity> ")
    term.send("help\n")
    lines = screen_lines(term.expect("ipernity> "))[1:-1]  # the line typed, the next prompt
    entries = [(CALL_USAGE, CALL_SUMMARY)] + [(c.usage, c.summary) for c in COMMANDS.values()]
    written = [f"{usage} {summary}" for usage, summary in entries]
    tab = "Tab completes commands, method names and parameter names."
    assert max(len(line) for line in lines) <= columns
    assert words("\n".join(lines)) == words(" ".join([*written, tab]))


@pytest.mark.parametrize("columns", WIDTHS)
def test_help_sets_usages_and_summaries_side_by_side_where_they_fit(
    shell: Shell, terminal: StartTerminal, columns: int
) -> None:
    term = terminal(*shell.connected(), columns=columns)
    term.expect("ipernity> ")
    term.send("help\n")
    lines = screen_lines(term.expect("ipernity> "))
    side_by_side = re.compile(r"^  exit +leave the shell \(so does Ctrl-D\)$")
    assert any(side_by_side.match(line) for line in lines)
    # The longest usage takes a line of its own, its summary indented below it.
    [backup_at] = [n for n, line in enumerate(lines) if line.startswith("  backup DIR")]
    summary = next(line for line in lines[backup_at + 1 :] if not line.startswith("    ["))
    assert summary.startswith("      save the member's originals")


@pytest.mark.parametrize("columns", WIDTHS)
def test_the_sandbox_greeting_fits_the_terminal_and_breaks_no_word(
    shell: Shell, terminal: StartTerminal, columns: int
) -> None:
    term = terminal("--sandbox", columns=columns)
    lines = screen_lines(term.expect("ipernity> "))[:-1]
    shown = words("\n".join(lines))
    assert max(len(line) for line in lines) <= columns
    assert re.search(r"Sandbox running at http://127\.0\.0\.1:\d+/ with demo content\.", shown)
    assert (
        "To log in, type e.g. login doc=write, open the page it gives, sign in as one of "
        "the demo members (alice, bob) and approve." in shown
    )
    assert f"Ipernity shell {__version__}: type help for the commands, exit to leave." in shown
    term.send("exit\n")
    assert term.wait() == 0


def test_help_on_a_command_fits_a_narrow_terminal(shell: Shell, terminal: StartTerminal) -> None:
    term = terminal(*shell.connected(), columns=60)
    term.expect("ipernity> ")
    term.send("help login\n")
    lines = screen_lines(term.expect("ipernity> "))[1:-1]
    assert max(len(line) for line in lines) <= 60
    assert words("\n".join(lines)) == words(
        f"{COMMANDS['login'].usage} {COMMANDS['login'].summary}"
    )
