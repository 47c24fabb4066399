"""The command line of ``python -m ipernity``: its options, and where credentials come from."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ipernity.api import DEFAULT_AUTH_URL, DEFAULT_URL

from . import config
from .config import Credentials, Servers
from .errors import CommandError

#: The environment variable holding each credential, the last place looked in.
ENVIRONMENT = {
    "api_key": "IPERNITY_API_KEY",
    "api_secret": "IPERNITY_API_SECRET",
    "token": "IPERNITY_API_TOKEN",
    "token_secret": "IPERNITY_API_TOKEN_SECRET",
}

DESCRIPTION = """\
An interactive shell for the Ipernity API. At the prompt, type
  method.name param=value param2="value with spaces"
to call a method and see its JSON answer, "login doc=write" to get a token,
"help" for the other commands. Commands may also be piped in, one per line,
or given after the options to run just that one.
"""

EPILOG = """\
Each of the key, the secret and the token is taken from the first place that
has it: the command line options, then the config file's [ipernity] section
(keys "api key", "api secret", "api token"), then the environment variables
IPERNITY_API_KEY, IPERNITY_API_SECRET, IPERNITY_API_TOKEN. The token is optional.
The URLs come from the options, then the config file ("api url", "auth url",
which save writes), else they are Ipernity's.

With --sandbox, a command given after the options that needs a token runs with
a demo member's (alice unless --as names another), granted by the sandbox.

examples:
  python -m ipernity                              start the interactive shell
  python -m ipernity test.echo echo=hi            run one command and exit
  python -m ipernity < commands.txt               run the commands in a file
  python -m ipernity --sandbox                    try it all on an offline sandbox
  python -m ipernity --sandbox --as bob backup DIR  back up a demo member

The exit status is 0 when every command worked, 1 when one failed, 2 for a
usage error.
"""


class Options(NamedTuple):
    """The parsed command line."""

    credentials: Credentials
    config: str
    #: The URLs given on the command line (``None``: not given).
    servers: Servers
    sandbox: bool
    #: The file keeping the sandbox's state (``--sandbox-db``), if any.
    sandbox_db: str | None
    #: The sandbox member a one-shot command acts as (``--as``), if chosen.
    member: str | None
    no_color: bool
    command: tuple[str, ...]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m ipernity``."""
    parser = argparse.ArgumentParser(
        prog="python -m ipernity",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-k", "--api-key", metavar="KEY", help="the application's API key")
    parser.add_argument(
        "-s", "--api-secret", metavar="SECRET", help="the application's API secret"
    )
    parser.add_argument(
        "-t", "--api-token", metavar="TOKEN", help="a member's token (else use the login command)"
    )
    parser.add_argument(
        "--api-token-secret",
        metavar="SECRET",
        help="the secret of an OAuth token given with -t (login --oauth gets both)",
    )
    parser.add_argument(
        "-c",
        "--config",
        metavar="FILE",
        help="the config file to read credentials from and to save them to "
        "(default: $HOME/.ipernity.ini)",
    )
    parser.add_argument(
        "--url",
        metavar="URL",
        help=f"the API's base URL (default: the config file's, else {DEFAULT_URL})",
    )
    parser.add_argument(
        "--auth-url",
        metavar="URL",
        help=f"the authorization page's URL (default: the config file's, else {DEFAULT_AUTH_URL})",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start an offline sandbox with a demo application and members, and use it; "
        "no key and no network needed",
    )
    parser.add_argument(
        "--sandbox-db",
        metavar="FILE",
        help="like --sandbox, keeping the sandbox's state in FILE (SQLite) from one run "
        "to the next; a new file starts with the demo content",
    )
    parser.add_argument(
        "--as",
        dest="member",
        metavar="USERNAME",
        help="with --sandbox, the member a command given after the options acts as "
        "(default: the first demo member, alice)",
    )
    parser.add_argument(
        "--no-color",
        action="store_true",
        help="never colour the output (colours are used only on a terminal, "
        "and never when NO_COLOR is set)",
    )
    parser.add_argument(
        "command",
        nargs=argparse.REMAINDER,
        help="a command to run instead of starting the shell, e.g. test.echo echo=hi",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> Options:
    """Parse ``argv`` (``sys.argv[1:]`` by default) into :class:`Options`.

    Credentials are not complete yet: the config file has to be read; see
    :func:`resolve_credentials`. Exits with status 2 on a usage error.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    given = Credentials(args.api_key, args.api_secret, args.api_token, args.api_token_secret)
    sandbox = args.sandbox or args.sandbox_db is not None
    if sandbox:
        clashing = [
            option
            for option, value in (
                ("-k", args.api_key),
                ("-s", args.api_secret),
                ("-t", args.api_token),
                ("--api-token-secret", args.api_token_secret),
                ("--url", args.url),
                ("--auth-url", args.auth_url),
            )
            if value is not None
        ]
        if clashing:
            parser.error(f"--sandbox brings its own application and server: drop {clashing[0]}")
    if args.member is not None and not sandbox:
        parser.error("--as names a member of the sandbox: use it with --sandbox")
    if args.member is not None and not args.command:
        parser.error("--as is for a command given after the options; at the prompt, use login")
    return Options(
        credentials=given,
        config=args.config or config.default_path(),
        servers=Servers(args.url, args.auth_url),
        sandbox=sandbox,
        sandbox_db=args.sandbox_db,
        member=args.member,
        no_color=args.no_color,
        command=tuple(args.command),
    )


def resolve_servers(given: Servers, from_file: Servers) -> tuple[str, str]:
    """Return the API's URL and the authorization page's.

    Each is the option's, else the config file's, else Ipernity's own.
    """
    url = given.url or from_file.url or DEFAULT_URL
    auth_url = given.auth_url or from_file.auth_url or DEFAULT_AUTH_URL
    return url, auth_url


def resolve_credentials(
    given: Credentials, from_file: Credentials, environ: Mapping[str, str]
) -> Credentials:
    """Take each credential from the first place that has it: options, file, environment.

    :raises CommandError: for a credential that is not text (bytes that are not
        UTF-8 in an option or a variable); the value itself is never shown.
    """
    from_environ = Credentials(
        **{field: environ.get(variable) or None for field, variable in ENVIRONMENT.items()}
    )
    sources = (given, from_file, from_environ)
    values = {
        field: next((getattr(source, field) for source in sources if getattr(source, field)), None)
        for field in ("api_key", "api_secret")
    }
    # An OAuth token's secret belongs to that token: both come from one place.
    with_token = next((source for source in sources if source.token), Credentials())
    values["token"], values["token_secret"] = with_token.token, with_token.token_secret
    for field, value in values.items():
        if value is not None and not _is_text(value):
            raise CommandError(f"The {field.replace('_', ' ')} is not valid UTF-8 text")
    return Credentials(**values)


def _is_text(value: str) -> bool:
    # Undecodable bytes from the command line or the environment arrive as surrogates.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
