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
    """Read commands at a prompt, with completion and history, until exit or Ctrl-D.

    :return: the exit status: 0 if every command worked, else 1.
    """
    editor = LineEditor(history_path)
    console = session.console
    console.paragraph(f"Ipernity shell {__version__}: type help for the commands, exit to leave.")
    if session.token is None:
        console.paragraph("No token: methods that need one fail until you login.")
    failures = 0
    try:
        while True:
            try:
                line = input(PROMPT)
                editor.forget_if_secret(line)
                if not execute(session, line):
                    failures += 1
            except EOFError:
                console.text()
                break
            except EndOfSession:
                break
            except KeyboardInterrupt:
                # Ctrl-C at the prompt drops the line typed so far, as in other shells.
                console.text()
    finally:
        editor.save()
    return 1 if failures else 0
