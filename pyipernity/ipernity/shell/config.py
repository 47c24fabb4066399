"""The configuration file: ``[ipernity]`` with ``api key``, ``api secret``, ``api token``
and, for an OAuth token, ``api token secret``; ``api url`` and ``auth url`` for a
server other than Ipernity's own.

:func:`read` takes the credentials and the servers from it; :func:`save` writes
them back, keeping the file's other sections and keys, with mode 0600 for a new
file and never a looser mode than an existing file had.
"""

from __future__ import annotations

import configparser
import os
import stat
import tempfile
from typing import NamedTuple

from .errors import CommandError

SECTION = "ipernity"
#: The option of the config file holding each credential.
OPTIONS = {
    "api_key": "api key",
    "api_secret": "api secret",
    "token": "api token",
    "token_secret": "api token secret",
}
#: The option of the config file holding each server's URL.
SERVER_OPTIONS = {"url": "api url", "auth_url": "auth url"}
#: The mode of a config file the shell creates: its secrets are for its owner only.
PRIVATE_MODE = 0o600


class Credentials(NamedTuple):
    """An application's key and secret and a member's token; each may be missing."""

    api_key: str | None = None
    api_secret: str | None = None
    token: str | None = None
    #: The secret of an OAuth token (``login --oauth``); ``None`` for a frob token.
    token_secret: str | None = None


class Servers(NamedTuple):
    """Where the API and the authorization page are; ``None`` means Ipernity's own."""

    url: str | None = None
    auth_url: str | None = None


class Saved(NamedTuple):
    """What a config file holds for the shell."""

    credentials: Credentials
    servers: Servers


def default_path() -> str:
    """Return ``$HOME/.ipernity.ini``."""
    return os.path.join(os.path.expanduser("~"), ".ipernity.ini")


def read(path: str) -> Saved:
    """Return the credentials and servers the file at ``path`` holds; a missing file holds none.

    :raises CommandError: if the file exists but cannot be read or parsed.
    """
    parser = _load(path)
    if not parser.has_section(SECTION):
        return Saved(Credentials(), Servers())
    section = parser[SECTION]
    credentials = Credentials(**_options(section, OPTIONS))
    return Saved(credentials, Servers(**_options(section, SERVER_OPTIONS)))


def save(path: str, credentials: Credentials, servers: Servers | None = None) -> str:
    """Write ``credentials`` and ``servers`` into the file at ``path``; return the path written.

    Values that are ``None`` are removed from the file (no server: Ipernity's
    own). Everything else in the file stays (comments excepted: :mod:`configparser`
    drops them). The file is replaced atomically; a symbolic link is followed,
    not replaced.

    :raises CommandError: if the file cannot be read or written.
    """
    target = os.path.realpath(path)
    parser = _load(target)
    if not parser.has_section(SECTION):
        parser.add_section(SECTION)
    section = parser[SECTION]
    _set_options(section, OPTIONS, credentials)
    _set_options(section, SERVER_OPTIONS, servers or Servers())
    try:
        _replace(target, parser, _mode_for(target))
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror or exc}") from None
    return target


def _load(path: str) -> configparser.ConfigParser:
    # No interpolation: a secret may well contain "%".
    parser = configparser.ConfigParser(interpolation=None)
    # Keep the case of other programs' keys when the file is written back.
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        with open(path, encoding="utf-8") as config_file:
            parser.read_file(config_file)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc).splitlines()[0]
        raise CommandError(f"Cannot read the config file {path}: {reason}") from None
    return parser


def _options(section: configparser.SectionProxy, options: dict[str, str]) -> dict[str, str | None]:
    return {field: _option(section, option) for field, option in options.items()}


def _set_options(
    section: configparser.SectionProxy, options: dict[str, str], values: Credentials | Servers
) -> None:
    for field, option in options.items():
        for existing in [name for name in section if name.lower() == option]:
            del section[existing]
        value = getattr(values, field)
        if value:
            section[option] = value


def _option(section: configparser.SectionProxy, option: str) -> str | None:
    # configparser's usual matching is case-insensitive; keep it so for our options.
    for name, value in section.items():
        if name.lower() == option and value.strip():
            return value.strip()
    return None


def _mode_for(path: str) -> int:
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return PRIVATE_MODE
    return current & PRIVATE_MODE


def _replace(path: str, parser: configparser.ConfigParser, mode: int) -> None:
    # mkstemp creates the file 0600, so the secrets are never readable by others,
    # not even for a moment; os.replace then swaps it in whole.
    fd, temporary = tempfile.mkstemp(prefix=".ipernity-", suffix=".ini", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as config_file:
            parser.write(config_file)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
