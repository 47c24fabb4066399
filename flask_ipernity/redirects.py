"""Where a visitor may be sent back to after logging in or out: this site only."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from flask import request

#: Longer ``next`` values are refused: they would bloat the session cookie.
MAX_NEXT_LENGTH = 256

# Decoding rounds looked through: "%252F%252F" is "//" after two.
_DECODE_ROUNDS = 3


def safe_next(value: str | None) -> str:
    """Return ``value`` if it is a path on this site, else ``"/"``.

    Refused: absolute URLs, scheme-relative ``//host``, backslashes (browsers
    read ``/\\host`` as ``//host``), ``javascript:`` and other schemes, control
    characters and whitespace, and the percent-encoded forms of all these.

    :param value: the ``next`` the visitor sent, or ``None``.
    :return: a path with an optional query string, starting with one ``/``.
    """
    if not value or len(value) > MAX_NEXT_LENGTH:
        return "/"
    candidate = value
    for _ in range(_DECODE_ROUNDS + 1):
        if not _is_local_path(candidate):
            return "/"
        candidate = unquote(candidate)
    return value


def current_path() -> str:
    """Return the current request's path with its query string, for ``next``."""
    # request.path is decoded; quoting it again keeps spaces and the like valid.
    path = quote(request.script_root + request.path)
    query = request.query_string.decode("latin-1")
    return f"{path}?{query}" if query else path


def _is_local_path(value: str) -> bool:
    if not value.startswith("/") or value.startswith("//"):
        return False
    if "\\" in value or any(ch.isspace() or not ch.isprintable() for ch in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
