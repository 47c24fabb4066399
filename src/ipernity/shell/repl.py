"""The loop: a prompt for a person at a terminal, or one command per line from a pipe.

Whatever a line holds, the loop goes on: a failing command prints one line on
standard error and the next line is read. Only ``exit``, ``quit`` and the end
of input end it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ipernity import __version__
from ipernity.exceptions import IpernityError

from .commands import EndOfSession, run_line
from .completion import LineEditor
from .session import Session

PROMPT = "ipernity> "


def execute(session: Session, line: str, where: str = "") -> bool:
    """Run one command line; tell whether it worked.

    A failure is reported on one line of standard error, prefixed with
    ``where``; no traceback and no secret is ever shown.

    :raises EndOfSession: for ``exit`` and ``quit``.
    """
    try:
        run_line(session, line)
        return True
    except (EndOfSession, BrokenPipeError):
        raise
    except IpernityError as exc:
        message = str(exc)
    except KeyboardInterrupt:
        message = "Interrupted"
    except Exception as exc:  # a bug must neither end the session nor show a traceback
        message = f"Unexpected error ({type(exc).__name__}): {exc}"
    session.console.error(where + session.redact(message))
    return False


def run_script(session: Session, lines: Iterable[str]) -> int:
    """Run ``lines`` one after the other, without prompts.

    :return: the exit status: 0 if every command worked, else 1.
    """
    failures = 0
    try:
        for number, line in enumerate(lines, start=1):
            if not execute(session, line.rstrip("\r\n"), where=f"line {number}: "):
                failures += 1
    except EndOfSession:
        pass
    return 1 if failures else 0


def run_interactive(session: Session, history_path: str) -> int:
    """Read commands at a prompt, with completion and history, until exit or Ctrl-D."""
    editor = LineEditor(history_path)
    status = session.console
    status.note(f"Ipernity shell {__version__}: type help for the commands, exit to leave.")
    if session.token is None:
        status.note("No token: methods that need one fail until you login.")
    try:
        while True:
            try:
                line = input(PROMPT)
            except EOFError:
                status.text()
                return 0
            except KeyboardInterrupt:
                # As in other shells, Ctrl-C at the prompt drops the line typed so far.
                status.text()
                continue
            editor.forget_if_secret(line)
            try:
                execute(session, line)
            except EndOfSession:
                return 0
    finally:
        editor.save()
