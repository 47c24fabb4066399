"""The shell's commands, and calling API methods by name.

A line is a command (``help``, ``login``, ``walk`` …) or a method name followed
by ``param=value`` words. Each command is a function taking the session and the
words after its name; it prints what it has to say and raises
:class:`~ipernity.IpernityError` (usually :class:`CommandError`) when it fails.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Generator
from typing import NamedTuple

from ipernity import catalogue, method_docs, paging
from ipernity.catalogue import Method
from ipernity.exceptions import APIRequestError, IpernityError, UnknownMethod
from ipernity.validation import Reason, check_arguments

from . import backup, config
from .errors import CommandError
from .login import USAGE as LOGIN_USAGE
from .login import describe_user, login
from .output import terminal_width, wrap
from .parser import parse_params, split_line
from .progress import WalkProgress
from .session import Session

Handler = Callable[[Session, tuple[str, ...]], None]


class Command(NamedTuple):
    """A shell command: how it is written, what it does, and its function."""

    usage: str
    summary: str
    run: Handler


class EndOfSession(Exception):
    """Raised by ``exit`` and ``quit`` to end the shell."""


CALL_USAGE = "method.name [param=value …]"
CALL_SUMMARY = 'call an API method and print its JSON answer (quote values: title="a b")'


def run_line(session: Session, line: str) -> None:
    """Run one command line; blank lines and ``# comments`` do nothing.

    :raises IpernityError: when the command fails (its message is one line).
    :raises EndOfSession: for ``exit`` and ``quit``.
    """
    parsed = split_line(line)
    if parsed is None:
        return
    command = COMMANDS.get(parsed.name)
    if command is not None:
        command.run(session, parsed.words)
    elif "." in parsed.name:
        call_method(session, parsed.name, parsed.words)
    else:
        raise CommandError(
            f"Unknown command {parsed.name!r}{_suggestion(parsed.name)}; type help for the list"
        )


def call_method(session: Session, name: str, words: tuple[str, ...]) -> None:
    """Call the API method ``name`` with ``param=value`` ``words``; print the answer.

    The arguments are checked against the catalogue first (see :func:`checked_params`).
    """
    method = _method(name)
    params = checked_params(session, method, words)
    try:
        answer = session.api.call(method.name, **params)
    except IpernityError as exc:
        hint = _login_hint(session, method, exc)
        if hint is None:
            raise
        raise CommandError(hint) from None
    session.console.json(answer)


def show_help(session: Session, words: tuple[str, ...]) -> None:
    """Describe the commands, or one command, or one API method."""
    if len(words) > 1:
        raise CommandError(f"usage: {COMMANDS['help'].usage}")
    if not words:
        _help_overview(session)
    elif words[0] in COMMANDS:
        _help_command(session, COMMANDS[words[0]])
    else:
        _help_method(session, _method(words[0]))


def list_methods(session: Session, words: tuple[str, ...]) -> None:
    """List the API methods whose name starts with the prefix given, if any."""
    if len(words) > 1:
        raise CommandError(f"usage: {COMMANDS['methods'].usage}")
    prefix = words[0] if words else ""
    names = catalogue.names(prefix)
    if not names:
        raise CommandError(f"No method name starts with {prefix!r}")
    width = max(len(name) for name in names)
    for name in names:
        title = catalogue.plain_text(catalogue.methods()[name].title)
        session.console.text(f"{name:<{width}}  {title}".rstrip())


def whoami(session: Session, words: tuple[str, ...]) -> None:
    """Show the member the token belongs to; ``--token`` prints the token itself."""
    if words not in ((), ("--token",)):
        raise CommandError(f"usage: {COMMANDS['whoami'].usage}")
    token = session.token
    if token is None:
        raise CommandError("Not logged in: use login to get a token")
    if words:
        session.console.text(token)
        return
    api = session.api
    granted = [
        f"{target}={level}" for target, level in (api.permissions or {}).items() if level != "none"
    ]
    session.console.text(describe_user(api.user_info))
    session.console.text(f"permissions: {', '.join(granted) or 'none'}")


def logout(session: Session, words: tuple[str, ...]) -> None:
    """Forget the token for the rest of the session."""
    _no_words("logout", words)
    if session.token is None:
        session.console.note("Not logged in.")
        return
    session.forget_token()
    session.console.note(
        f"Logged out; run save to remove the token from {session.config_path} too."
    )


def save(session: Session, words: tuple[str, ...]) -> None:
    """Write the key, the secret and the token to the config file."""
    _no_words("save", words)
    if session.sandbox:
        raise CommandError("Nothing to save: the sandbox's keys and tokens end with this shell")
    credentials = session.credentials
    if not credentials.api_key or not credentials.api_secret:
        raise CommandError("Nothing to save: there is no API key and secret")
    servers = session.servers
    path = config.save(session.config_path, credentials, servers)
    saved = "key, secret and token" if credentials.token else "key and secret (no token)"
    urls = [url for url in servers if url]
    later = f"; later runs go to {' and '.join(urls)} unless told otherwise" if urls else ""
    session.console.note(f"Saved the {saved} to {path}{later}")


def walk(session: Session, words: tuple[str, ...]) -> None:
    """Print every item of a paged method, one JSON line each, then their count."""
    if not words:
        raise CommandError(f"usage: {COMMANDS['walk'].usage}")
    method = _method(words[0])
    if not method.paged:
        raise CommandError(f"{method.name} is not paged: call it without walk")
    # The check refuses a page or per_page that is not a number of ASCII digits.
    params = checked_params(session, method, words[1:])
    # paging.walk rather than api.walk_data: a parameter named "workers" is the user's.
    items = paging.walk(session.api, method.name, None, paging.DEFAULT_WORKERS, params)
    with WalkProgress(session.console, method.name) as progress:
        try:
            for item in items:
                progress.item(session.console.json_line(item))
        except KeyboardInterrupt:
            raise CommandError(f"Walk stopped after {progress.count} items") from None
        except IpernityError as exc:
            hint = _login_hint(session, method, exc)
            raise CommandError(hint or f"{exc} (after {progress.count} items)") from None
        finally:
            # Closing the walk now cancels the pages it was fetching ahead.
            if isinstance(items, Generator):
                items.close()
    session.console.note(f"{progress.count} items")


def clear(session: Session, words: tuple[str, ...]) -> None:
    """Clear the screen."""
    _no_words("clear", words)
    session.console.clear()


def leave(session: Session, words: tuple[str, ...]) -> None:
    """End the shell."""
    _no_words("exit (or quit)", words)
    raise EndOfSession


#: The commands, by name.
COMMANDS: dict[str, Command] = {
    "help": Command(
        "help [command | method.name]",
        "list the commands, or describe a command or an API method",
        show_help,
    ),
    "methods": Command(
        "methods [prefix]",
        "list the API methods (those whose name starts with prefix)",
        list_methods,
    ),
    "login": Command(
        LOGIN_USAGE,
        "get a token: approve in the browser; targets doc, blog, post, network, profile; "
        "levels read, write, delete; a target left out gets no permission; --oauth uses "
        "OAuth 1.0, the browser coming back to the shell by itself",
        login,
    ),
    "whoami": Command(
        "whoami [--token]",
        "show the member logged in and the permissions; --token prints the token itself",
        whoami,
    ),
    "logout": Command("logout", "forget the token", logout),
    "save": Command(
        "save", "write the key, the secret and the token to the config file (mode 0600)", save
    ),
    "walk": Command(
        "walk method.name [param=value …]",
        "print every item of a paged method, one JSON line each, and their count "
        "(Ctrl-C stops the walk)",
        walk,
    ),
    "clear": Command("clear", "clear the screen", clear),
    "backup": Command(backup.USAGE, backup.SUMMARY, backup.run_backup),
    "exit": Command("exit", "leave the shell (so does Ctrl-D)", leave),
    "quit": Command("quit", "leave the shell", leave),
}


def _method(name: str) -> Method:
    method = catalogue.get(name)
    if method is None:
        raise CommandError(f"{UnknownMethod(name)}{_suggestion(name)}")
    return method


def checked_params(session: Session, method: Method, words: tuple[str, ...]) -> dict[str, str]:
    """The ``param=value`` ``words`` for ``method``, checked before anything is sent.

    A method that needs a token the shell lacks points at ``login``; a missing
    required parameter, or a value that cannot be of its kind (``per_page=abc``),
    fails the command with one line; a parameter the method does not list gets
    a warning naming the closest one, and is sent all the same.

    :raises CommandError: when the call must not be sent.
    """
    params = parse_params(words)
    _needs_login(session, method)
    verdict = check_arguments(method, params, has_token=session.token is not None)
    for problem in verdict.warnings:
        listing = "" if problem.closest else f"; help {method.name} lists its parameters"
        session.console.note(f"warning: {problem.message}{listing}")
    # Values first; a missing user_id points at login, as the service's error would.
    messages = [p.message for p in verdict.errors if p.reason is not Reason.NO_MEMBER]
    if any(p.reason is Reason.NO_MEMBER for p in verdict.errors):
        messages.append(_user_id_hint(method))
    if messages:
        raise CommandError("; ".join(messages))
    return params


def _needs_login(session: Session, method: Method) -> None:
    """Point at ``login`` before calling a method that needs the token the shell lacks."""
    if method.token and session.token is None:
        raise CommandError(
            f"{method.name} needs a token: log in first, e.g. login {_perms(method)}"
        )


def _login_hint(session: Session, method: Method, error: IpernityError) -> str | None:
    """Say what to do when the service missed a ``user_id`` the shell left to the token.

    Methods whose ``user_id`` is left out mean the token's member; without a token
    the service only answers "Required parameter missing: user_id".
    """
    missing = isinstance(error, APIRequestError) and error.code == 1
    if not missing or session.token is not None or not str(error).endswith(": user_id"):
        return None
    return _user_id_hint(method)


def _user_id_hint(method: Method) -> str:
    return (
        f"{method.name} needs user_id=… or a token (then it means you): "
        f"give user_id, or log in first, e.g. login {_perms(method)}"
    )


def _perms(method: Method) -> str:
    return " ".join(f"{t}={level}" for t, level in method.permissions.items()) or "doc=read"


def _suggestion(name: str) -> str:
    close = difflib.get_close_matches(name, [*COMMANDS, *catalogue.names()], n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _no_words(name: str, words: tuple[str, ...]) -> None:
    if words:
        raise CommandError(f"{name} takes no arguments")


#: Spaces before a usage in ``help``, and between a usage and its summary.
HELP_INDENT = 2
HELP_GAP = 2
#: The indent of a summary under its usage, when the two do not fit side by side.
SUMMARY_INDENT = 6
#: The largest part of the width the usages' column may take in ``help``.
USAGE_SHARE = 0.4


def _help_overview(session: Session) -> None:
    entries = [(CALL_USAGE, CALL_SUMMARY)] + [(c.usage, c.summary) for c in COMMANDS.values()]
    width = terminal_width()
    column = _usage_column(entries, width)
    for usage, summary in entries:
        for line in _help_entry(usage, summary, width, column):
            session.console.text(line)
    session.console.text()
    for line in wrap("Tab completes commands, method names and parameter names.", width):
        session.console.text(line)


def _help_command(session: Session, command: Command) -> None:
    width = terminal_width()
    indent = " " * HELP_INDENT
    lines = wrap(command.usage, width, "", indent) + wrap(command.summary, width, indent, indent)
    for line in lines:
        session.console.text(line)


def _usage_column(entries: list[tuple[str, str]], width: int) -> int:
    """The width of the usages' column: that of the longest usage that fits in it."""
    widest = int((width - HELP_INDENT - HELP_GAP) * USAGE_SHARE)
    return max((len(usage) for usage, _ in entries if len(usage) <= widest), default=0)


def _help_entry(usage: str, summary: str, width: int, column: int) -> list[str]:
    """One command in ``help``: usage and summary side by side, or the summary below.

    Every line fits in ``width`` columns, broken between words only.
    """
    indent = " " * HELP_INDENT
    if column and len(usage) <= column:
        beside = " " * (HELP_INDENT + column + HELP_GAP)
        head = f"{indent}{usage:<{column}}{' ' * HELP_GAP}"
        return wrap(summary, width, head, beside)
    # A usage too long for the column: on its own lines, its summary indented below.
    lines = wrap(usage, width, indent, indent * 2)
    below = " " * SUMMARY_INDENT
    return lines + wrap(summary, width, below, below)


def _help_method(session: Session, method: Method) -> None:
    """What ``help(api.<method>)`` says in Python, laid out for the terminal."""
    console = session.console
    width = terminal_width()
    for line in wrap(f"{method.name}: {catalogue.plain_text(method.title)}", width, "", "  "):
        console.text(line)
    for line in wrap(method_docs.needs(method), width, "  ", "  "):
        console.text(line)
    table = method_docs.parameter_table(method, width - 4)
    if table:
        console.text("  parameters (* required):")
        for line in table:
            console.text(f"    {line}")
    else:
        console.text("  parameters: the catalogue lists none; those given are sent as they are")
    for note in method_docs.notes(method):
        for line in wrap(f"note: {note}", width, "  ", "  "):
            console.text(line)
