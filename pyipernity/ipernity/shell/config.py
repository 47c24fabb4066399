"""The configuration file: ``[ipernity]`` with ``api key``, ``api secret``, ``api token``
and, for an OAuth token, ``api token secret``.

:func:`read` takes the credentials from it; :func:`save` writes them back,
keeping the file's other sections and keys, with mode 0600 for a new file and
never a looser mode than an existing file had.
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
#: The mode of a config file the shell creates: its secrets are for its owner only.
PRIVATE_MODE = 0o600


class Credentials(NamedTuple):
    """An application's key and secret and a member's token; each may be missing."""

    api_key: str | None = None
    api_secret: str | None = None
    token: str | None = None
    #: The secret of an OAuth token (``login --oauth``); ``None`` for a frob token.
    token_secret: str | None = None


def default_path() -> str:
    """Return ``$HOME/.ipernity.ini``."""
    return os.path.join(os.path.expanduser("~"), ".ipernity.ini")


def read(path: str) -> Credentials:
    """Return the credentials the file at ``path`` holds; a missing file holds none.

    :raises CommandError: if the file exists but cannot be read or parsed.
    """
    parser = _load(path)
    if not parser.has_section(SECTION):
        return Credentials()
    section = parser[SECTION]
    values = {field: _option(section, option) for field, option in OPTIONS.items()}
    return Credentials(**values)


def save(path: str, credentials: Credentials) -> str:
    """Write ``credentials`` into the file at ``path``; return the path written.

    Credentials that are ``None`` are removed from the file. Everything else in
    the file stays (comments excepted: :mod:`configparser` drops them). The file
    is replaced atomically; a symbolic link is followed, not replaced.

    :raises CommandError: if the file cannot be read or written.
    """
    target = os.path.realpath(path)
    parser = _load(target)
    if not parser.has_section(SECTION):
        parser.add_section(SECTION)
    section = parser[SECTION]
    for field, option in OPTIONS.items():
        for existing in [name for name in section if name.lower() == option]:
            del section[existing]
        value = getattr(credentials, field)
        if value:
            section[option] = value
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
