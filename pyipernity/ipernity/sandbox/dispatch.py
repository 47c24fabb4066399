"""Checking an API request and answering it with the service's envelope.

The checks run in the order the live service applies them: format (102),
method (103), API key (100, 101), HTTP verb (120), signature (104, 105), token
(106, 107), permissions (110); then the method's handler runs, inside one
transaction, and its own errors (1, 2, …) come back the same way. Every answer
is an envelope, also for a bug in a handler (999), so that no input can make
the sandbox answer a traceback. :mod:`.envelopes` writes it as JSON or XML.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import FileStorage

from ipernity import catalogue, permissions
from ipernity.signing import is_valid_signature

from . import grants
from .envelopes import FORMATS
from .methods import find_handler
from .methods.registry import Context, MethodError, SentEvenIfEmpty
from .records import App, User
from .settings import Settings
from .store import Row, Store

if TYPE_CHECKING:
    from .oauth import Signed

log = logging.getLogger("ipernity.sandbox")

#: The messages of the errors every method shares.
SHARED_ERRORS = {
    100: "API Key is missing",
    101: "Invalid API Key",
    102: "Invalid format (use json or xml)",
    103: "Method not found",
    104: "Signature is missing",
    105: "Invalid signature",
    106: "Token is missing (user not logged in)",
    107: "Invalid token (expired, revoked or unknown)",
    110: "Insufficient permissions for this method",
    120: "This method must be called with HTTP POST",
}
#: The code answered when a handler fails unexpectedly.
INTERNAL_ERROR = 999


@dataclass(frozen=True)
class APIRequest:
    """One call as the server received it."""

    method: str
    #: ``json`` or ``xml`` (anything else is answered 102).
    format: str
    http_method: str
    params: Mapping[str, str]
    files: Mapping[str, FileStorage]
    #: The sandbox's web root (:attr:`Sandbox.url`), which links in answers name.
    base_url: str
    #: Who signed the call, when it is signed with OAuth instead of ``api_sig``.
    oauth: Signed | None = None


@dataclass(frozen=True)
class Outcome:
    """The envelope to send, and what :attr:`Sandbox.calls` records of it.

    The envelope holds the answer's members, then ``api`` (the status).
    """

    envelope: dict[str, Any]
    user_id: int | None = None
    error: int | None = None


def error_envelope(code: int, message: str | None = None) -> dict[str, Any]:
    """The envelope of a failed call."""
    text = message or SHARED_ERRORS.get(code, "Error")
    return {"api": {"status": "error", "code": str(code), "message": text}}


def failure(code: int, message: str | None = None, user_id: int | None = None) -> Outcome:
    """An :class:`Outcome` answering error ``code``."""
    return Outcome(error_envelope(code, message), user_id=user_id, error=code)


def dispatch(store: Store, settings: Settings, request: APIRequest) -> Outcome:
    """Check ``request`` and answer it; never raises."""
    if request.format not in FORMATS:
        return failure(102)
    method = catalogue.get(request.method)
    handle = find_handler(request.method)
    if method is None or handle is None:
        return failure(103)
    params = request.params
    signer = _signer(store, method, request)
    if isinstance(signer, int):
        return failure(signer)
    app, token = signer
    # The OAuth check looked the access token's grant up already.
    grant = request.oauth.grant if request.oauth is not None else None
    caller = _caller(store, app, token, grant)
    if isinstance(caller, int):
        return failure(caller)
    member, granted = caller
    user_id = member.user_id if member else None
    if method.token and member is None:
        return failure(106)
    if method.token and not permissions.satisfies(granted, method.permissions):
        return failure(110, user_id=user_id)
    context = Context(
        store=store,
        method=method,
        params=params,
        files=request.files,
        app=app,
        member=member,
        granted=granted,
        base_url=request.base_url,
        settings=settings,
    )
    try:
        with store.transaction():
            answer = handle(context) or {}
    except MethodError as error:
        return failure(error.code, error.message, user_id)
    except Exception:
        log.exception("sandbox handler of %s failed", method.name)
        return failure(INTERNAL_ERROR, "Internal sandbox error", user_id)
    envelope = {**to_json(answer), "api": {"status": "ok", "at": str(int(time.time()))}}
    return Outcome(envelope, user_id=user_id)


def _signer(
    store: Store, method: catalogue.Method, request: APIRequest
) -> int | tuple[App, str | None]:
    """The calling application and token, or the error code (100, 101, 120, 104, 105)."""
    if request.oauth is not None:
        # The OAuth signature was checked already; the token comes with it.
        if method.post and request.http_method != "POST":
            return 120
        return request.oauth.app, request.oauth.token
    params = request.params
    api_key = params.get("api_key", "")
    if not api_key:
        return 100
    app = grants.app_by_key(store, api_key)
    if app is None:
        return 101
    if method.post and request.http_method != "POST":
        return 120
    if method.sign:
        if not params.get("api_sig"):
            return 104
        if not _signed(params, app.api_secret, method.name):
            return 105
    return app, params.get("auth_token") or None


def _signed(params: Mapping[str, str], secret: str, method: str) -> bool:
    """Whether ``api_sig`` signs ``params``, as the service checks it.

    A desktop client may send an upload's ``file`` as a text field (the
    file's path) and sign it: the service accepts that signature as well as
    the one without ``file``. A file part is never among ``params``.
    """
    if is_valid_signature(params, secret, method):
        return True
    return "file" in params and is_valid_signature(
        params, secret, method, unsigned=frozenset({"api_sig"})
    )


def _caller(
    store: Store, app: App, token: str | None, grant: Row | None = None
) -> int | tuple[User | None, dict[str, str]]:
    """The member and permissions of the call's token, or the error code 107.

    :param grant: the token's grant, when the caller looked it up already.
    """
    if token is None:
        return None, {}
    if grant is None:
        grant = grants.token_grant(store, token)
    # A token only works with the application it was granted to.
    if grant is None or grant["app_id"] != app.app_id:
        return 107
    row = store.one("SELECT * FROM users WHERE user_id = ?", (grant["user_id"],))
    if row is None:
        return 107
    return grants.user_from_row(row), grants.grant_permissions(grant)


def to_json(value: Any) -> Any:
    """Render an answer as the service does: every scalar a string, ``None``
    members and empty collections left out (but a :class:`SentEvenIfEmpty`)."""
    if isinstance(value, dict):
        return {
            str(key): to_json(item)
            for key, item in value.items()
            if item is not None and (item != [] or isinstance(item, SentEvenIfEmpty))
        }
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value
    return str(value)
