"""Flask's signed-cookie sessions, without verifying the same cookie at every request.

A logged-in visitor sends the same session cookie with every request until
something in the session changes, and Flask checks its signature, decodes and
decompresses it each time: a third of what a logged-in request to a small page
costs. :class:`VerifiedCookieSessions` is Flask's own
:class:`~flask.sessions.SecureCookieSessionInterface` that remembers the
cookies it verified lately. Nothing a browser sees changes: the same cookies
are written, the same ones accepted and refused.

:meth:`Ipernity.init_app <flask_ipernity.Ipernity.init_app>` installs it when
the application uses Flask's default session interface and
``IPERNITY_REUSE_VERIFIED_SESSIONS`` is on (the default); a site with a session
interface of its own keeps it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature


class _Verified(NamedTuple):
    """A cookie found genuine: the keys that verified it, its contents, when it was signed."""

    keys: tuple[str | bytes, ...]
    #: The contents in the session serializer's own format (tagged JSON).
    text: str
    #: Seconds since the epoch, whole, as the signature's timestamp says.
    signed_at: int


class VerifiedCookieSessions(SecureCookieSessionInterface):
    """:class:`~flask.sessions.SecureCookieSessionInterface`, remembering verified cookies.

    For the :attr:`capacity` cookies it verified most recently, it keeps their
    contents and the moment they were signed. A cookie seen again is read from
    there, and is still refused as Flask refuses it: once older than
    ``PERMANENT_SESSION_LIFETIME``, or dated in the future, or when
    ``SECRET_KEY`` (or ``SECRET_KEY_FALLBACKS``) has changed since (it is then
    verified again with the keys of now). Any other cookie is verified as Flask
    does. Each request gets contents of its own, decoded afresh: what a view
    changes in its session reaches no other request.

    The contents of those recent sessions stay in the process's memory, which
    they pass through at every request anyway. Safe to share between threads.
    """

    #: How many verified cookies are kept; the least recently used goes first.
    capacity = 1024

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._verified: OrderedDict[str, _Verified] = OrderedDict()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return the request's session: a cookie verified lately is not verified again."""
        keys = _signing_keys(app)
        if not keys:
            return None  # as Flask: no SECRET_KEY, no session
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        with self._lock:
            known = self._verified.get(value)
            if known is not None:
                self._verified.move_to_end(value)
        # The same test as itsdangerous's on a signature's age, on the same whole seconds.
        if known is not None and known.keys == keys:
            age = int(time.time()) - known.signed_at
            if 0 <= age <= max_age:
                return self.session_class(self.serializer.loads(known.text))
        return self._verify(app, value, keys, max_age)

    def _verify(
        self, app: Flask, value: str, keys: tuple[str | bytes, ...], max_age: int
    ) -> SecureCookieSession:
        signer = self.get_signing_serializer(app)
        if signer is None:  # pragma: no cover - keys were checked by the caller
            return self.session_class()
        try:
            data, signed = signer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:  # tampered, signed with another key, or expired
            self._forget(value)
            return self.session_class()
        verified = _Verified(keys, self.serializer.dumps(data), int(signed.timestamp()))
        with self._lock:
            self._verified[value] = verified
            self._verified.move_to_end(value)
            while len(self._verified) > self.capacity:
                self._verified.popitem(last=False)
        return self.session_class(data)

    def _forget(self, value: str) -> None:
        with self._lock:
            self._verified.pop(value, None)


def _signing_keys(app: Flask) -> tuple[str | bytes, ...]:
    """The keys Flask signs and verifies the session with (none without ``SECRET_KEY``)."""
    if not app.secret_key:
        return ()
    fallbacks = app.config.get("SECRET_KEY_FALLBACKS") or ()
    return (app.secret_key, *fallbacks)


def install(app: Flask) -> bool:
    """Use :class:`VerifiedCookieSessions` for ``app`` if it has Flask's default interface.

    :return: whether it was installed; a session interface of the site's own
        (a subclass of Flask's included) is left in place.
    """
    if type(app.session_interface) is not SecureCookieSessionInterface:
        return False
    app.session_interface = VerifiedCookieSessions()
    return True
