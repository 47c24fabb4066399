"""Secrets sealed for the session cookie: encrypted and authenticated, never readable.

An OAuth token's secret signs calls for a member; Flask's session cookie is
signed, not encrypted, so whoever holds the cookie (the member, or anyone who
copies it) could read what it carries. The secrets it must carry (the request
token's secret while a login is pending, the access token's secret with the
session storage) travel sealed with Fernet (AES-128-CBC and HMAC-SHA256, from
the maintained `cryptography <https://cryptography.io/>`_ package), under a
key derived from the application's ``SECRET_KEY`` by HKDF, one key per purpose.
Keys in ``SECRET_KEY_FALLBACKS`` still open what they sealed, so rotating the
secret key does not end logins at once.

A member's cookie comes back the same request after request: each process
keeps the secrets it opened lately (:data:`OPENED_KEPT` of them, in memory
only), so that it decrypts each sealed value once rather than at every request.
"""

from __future__ import annotations

import base64
import functools
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

#: Each purpose's key is derived apart: a value sealed for one never opens as another.
PENDING_REQUEST_TOKEN = "flask-ipernity oauth request token secret"  # noqa: S105 -- a label
STORED_ACCESS_TOKEN = "flask-ipernity oauth access token secret"  # noqa: S105 -- a label

#: Opened secrets each process keeps, the most recently used.
OPENED_KEPT = 1024

# (the keys that opened it, the sealed value) -> the secret; most recently used last.
_opened: OrderedDict[tuple[MultiFernet, str], str] = OrderedDict()
_opened_lock = threading.Lock()


class Unreadable(ValueError):
    """A sealed value that no key of the application opens: forged, damaged or too old."""


def seal(secret: str, purpose: str) -> str:
    """Return ``secret`` encrypted and authenticated with the application's key.

    :param secret: the text to hide, e.g. a token secret.
    :param purpose: one of this module's purposes (:data:`PENDING_REQUEST_TOKEN`…).
    :return: URL-safe text, different at each call.
    """
    sealed: bytes = _fernet(purpose).encrypt(secret.encode("utf-8"))
    return sealed.decode("ascii")


def unseal(sealed: str, purpose: str) -> str:
    """Return the secret :func:`seal` hid in ``sealed``.

    :raises Unreadable: when ``sealed`` was not sealed for ``purpose`` with
        the application's current or fallback secret key.
    """
    fernet = _fernet(purpose)
    with _opened_lock:
        secret = _opened.get((fernet, sealed))
        if secret is not None:
            _opened.move_to_end((fernet, sealed))
            return secret
    secret = _decrypt(fernet, sealed)
    with _opened_lock:
        _opened[(fernet, sealed)] = secret
        if len(_opened) > OPENED_KEPT:
            _opened.popitem(last=False)
    return secret


def _decrypt(fernet: MultiFernet, sealed: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as error:
        raise Unreadable("the sealed value cannot be opened with this application's keys") from (
            error
        )


def _fernet(purpose: str) -> MultiFernet:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    keys = [app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or [])]
    return _fernet_for(tuple(_as_bytes(key) for key in keys if key), purpose)


@functools.lru_cache(maxsize=32)
def _fernet_for(secret_keys: tuple[bytes, ...], purpose: str) -> MultiFernet:
    # Derived once per set of keys: HKDF and Fernet's set-up are not per request.
    from cryptography.fernet import Fernet, MultiFernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    fernets = []
    for secret_key in secret_keys:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()
        ).derive(secret_key)
        fernets.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(fernets)


def _as_bytes(key: str | bytes) -> bytes:
    return key if isinstance(key, bytes) else key.encode("utf-8")
