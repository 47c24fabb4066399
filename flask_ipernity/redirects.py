"""Where a visitor may be sent back to after logging in or out: this site only."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

#: Longer ``next`` values are refused: they would bloat the session cookie.
MAX_NEXT_LENGTH = 256

# Decoding rounds looked through: "%252F%252F" is "//" after two.
_DECODE_ROUNDS = 3

# The package whose views are the extension's own routes.
_PACKAGE = __name__.partition(".")[0]


def safe_next(value: str | None) -> str:
    """Return ``value`` if it is a path on this site, else ``"/"``.

    Refused: absolute URLs, scheme-relative ``//host``, backslashes (browsers
    read ``/\\host`` as ``//host``), ``javascript:`` and other schemes, control
    characters and whitespace, and the percent-encoded forms of all these; and
    the extension's own routes (``/login``, ``/callback``, 0.1's
    ``/ipernity/cb``…), so that a login never ends by starting or completing
    another.

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
    return "/" if is_extension_route(value) else value


def is_extension_route(path: str) -> bool:
    """Tell whether ``path`` (a local path, maybe with a query) is one of the extension's routes.

    A route is the extension's when its view is defined in ``flask_ipernity``:
    the login, callback, confirmation, logout and media views, 0.1's routes too.
    The path is judged as a browser resolves it: ``/albums/../login`` (or
    ``/albums/%2e%2e/login``) is ``/login``.
    """
    view_path = _without_dot_segments(unquote(urlsplit(path).path))
    root = request.script_root
    if root:
        if not view_path.startswith(root + "/"):
            return False
        view_path = view_path[len(root) :]
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return False
    try:
        endpoint, _ = adapter.match(view_path, method="GET")
    except RequestRedirect as redirect:
        # A path the site would redirect (a missing slash, doubled slashes) to a route.
        return is_extension_route(urlsplit(redirect.new_url).path)
    except HTTPException:
        return False
    view = current_app.view_functions.get(str(endpoint))
    return getattr(view, "__module__", "").partition(".")[0] == _PACKAGE


def current_path() -> str:
    """Return the current request's path with its query string, for ``next``."""
    # request.path is decoded; quoting it again keeps spaces and the like valid.
    path = quote(request.script_root + request.path)
    query = request.query_string.decode("latin-1")
    return f"{path}?{query}" if query else path


def _without_dot_segments(path: str) -> str:
    """``path`` with its ``.`` and ``..`` segments applied, as browsers do when they follow it.

    A browser keeps the slash that ends ``/a/b/..`` (``/a/``); without it
    (``/a``), a route with that slash still matches, through the site's redirect.
    """
    kept: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    return "/" + "/".join(kept)


def _is_local_path(value: str) -> bool:
    if not value.startswith("/") or value.startswith("//"):
        return False
    if "\\" in value or any(ch.isspace() or not ch.isprintable() for ch in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
