"""``python -m ipernity``: an interactive shell for exploring the Ipernity API.

At the prompt, ``method.name param=value`` calls a method and prints its JSON
answer; ``login``, ``whoami``, ``walk``, ``help`` and the other commands are
described by ``help``. Commands can also be piped in, one per line, or given on
the command line to run just one. See :mod:`ipernity.shell.cli` for the options.
"""

from __future__ import annotations

import io
import os
import shlex
import sys
from collections.abc import Sequence

from . import cli, config
from .commands import EndOfSession
from .completion import default_history_path
from .embedded import EmbeddedSandbox
from .errors import CommandError
from .output import Console, color_allowed
from .repl import execute, run_interactive, run_script
from .session import Session

__all__ = ["main"]

#: The exit status after Ctrl-C outside any command, as shells report SIGINT.
INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the shell with the command line ``argv`` (``sys.argv[1:]`` by default).

    :return: the exit status: 0 when every command worked, 1 when one failed,
        2 for a usage error.
    """
    options = cli.parse_args(argv)
    if isinstance(sys.stdin, io.TextIOWrapper):
        # A byte that is not UTF-8 must reach the parser, which refuses the line
        # in one message; strict decoding (the usual locales) would end the shell.
        sys.stdin.reconfigure(errors="surrogateescape")
    console = Console(sys.stdout, sys.stderr, color=color_allowed(options.no_color, os.environ))
    try:
        return _run(options, console)
    except KeyboardInterrupt:
        console.error("Interrupted")
        return INTERRUPTED
    except BrokenPipeError:
        # Whoever read the output went away (… | head): there is no one left to tell.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run(options: cli.Options, console: Console) -> int:
    sandbox: EmbeddedSandbox | None = None
    line = shlex.join(options.command) if options.command else None
    try:
        try:
            if options.sandbox:
                sandbox = EmbeddedSandbox(options.sandbox_db)
                credentials = sandbox.credentials
                if line is not None:
                    credentials = sandbox.credentials_for(console, line, options.member)
                url, auth_url = sandbox.api_url, sandbox.authorize_url
            else:
                saved = config.read(options.config)
                credentials = cli.resolve_credentials(
                    options.credentials, saved.credentials, os.environ
                )
                url, auth_url = cli.resolve_servers(options.servers, saved.servers)
        except CommandError as exc:
            console.error(str(exc))
            return 2
        session = Session(
            console,
            credentials,
            url=url,
            auth_url=auth_url,
            config_path=options.config,
            sandbox=sandbox is not None,
        )
        try:
            return _run_session(session, sandbox, line)
        finally:
            session.close()
    finally:
        if sandbox is not None:
            sandbox.stop()


def _run_session(session: Session, sandbox: EmbeddedSandbox | None, line: str | None) -> int:
    if line is not None:
        return _run_one(session, line)
    if sys.stdin.isatty():
        if sandbox is not None:
            sandbox.introduce(session.console)
        return run_interactive(session, default_history_path())
    return run_script(session, sys.stdin)


def _run_one(session: Session, line: str) -> int:
    try:
        return 0 if execute(session, line) else 1
    except EndOfSession:
        return 0
