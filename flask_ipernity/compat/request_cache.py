"""Flask-Ipernity 0.1's request cache (``IPERNITY_CACHE_REQUESTS``) on the current one.

0.1 kept answers in each visitor's session for ``IPERNITY_CACHE_MAX_AGE``
seconds, read when each answer was stored, and counted in the session the
calls that went to Ipernity (``api_calls``) and those answered from the cache
(``returns_from_cache``). Here the answers go to the response cache of
:mod:`ipernity.cache` (per token, never shared between members), through this
store, which keeps 0.1's two counters and its live maximum age.

The counters are kept per visitor in the process, where ``session_get()``,
``session_set()`` and ``session_pop()`` find them, not in the session cookie:
there, every answer from the cache changed the cookie, which the site then
signed and sent again — half of a cached request's work. The session holds
only the visitor's counter id, written once.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Any, cast

from flask import current_app, has_app_context, has_request_context, session
from flask.sessions import SessionMixin

from ipernity.cache import ANSWER_KEY_PREFIX, CacheBackend, TextStore, check_store

from .methods import session_key


class LegacyRequestCache(TextStore):
    """A cache store counting, in the visitor's session, what 0.1 counted.

    :param store: the store that keeps the answers.
    :param max_age: seconds an answer is kept when no application says otherwise.
    :raises ValueError: for a ``store`` that may unpickle what it reads
        (:func:`ipernity.cache.check_store`).
    """

    def __init__(self, store: CacheBackend, max_age: int) -> None:
        check_store(store)
        self.store = store
        self.max_age = max_age

    @classmethod
    def simple(cls, max_age: int) -> LegacyRequestCache:
        """Return one over an in-process store (0.1's cache did not leave the process)."""
        from ..caching import make_cache_backend

        # "simple" always names a store.
        return cls(cast("CacheBackend", make_cache_backend("simple", max_age)), max_age)

    def get(self, key: str) -> Any:
        """Return the value under ``key``; an answer found counts in ``returns_from_cache``."""
        value = self.store.get(key)
        if value is not None and key.startswith(ANSWER_KEY_PREFIX):
            _count("returns_from_cache")
        return value

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any:
        """Keep ``value``; an answer for ``IPERNITY_CACHE_MAX_AGE`` seconds as configured now.

        An answer stored is one that came from Ipernity: it counts in ``api_calls``.
        """
        if key.startswith(ANSWER_KEY_PREFIX):
            _count("api_calls")
            timeout = self._max_age()
        return self.store.set(key, value, timeout)

    def _max_age(self) -> int:
        # 0.1 read the setting at each call: sites may change it after setup.
        if has_app_context():
            return int(current_app.config.get("IPERNITY_CACHE_MAX_AGE", self.max_age))
        return self.max_age


#: Visitors whose counts one process keeps; beyond, the longest unseen are forgotten.
MAX_COUNTED_VISITORS = 10_000

# The session key of the visitor's counter id, under 0.1's prefix: 0.1's logout,
# which removes every such key, starts the counts again, as 0.1's did.
_COUNTER_ID = "counters"


class VisitorCounts:
    """Each visitor's counts, by counter id, the most recently seen kept.

    :param capacity: how many visitors are kept.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._counts: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def add_one(self, visitor: str, name: str) -> None:
        """Count one more ``name`` for ``visitor``."""
        with self._lock:
            counts = self._visitor(visitor)
            counts[name] = int(counts.get(name) or 0) + 1

    def get(self, visitor: str, name: str) -> Any:
        """Return ``visitor``'s ``name`` count, or ``None`` if nothing was counted."""
        with self._lock:
            return self._counts.get(visitor, {}).get(name)

    def set(self, visitor: str, name: str, value: Any) -> None:
        """Make ``value`` ``visitor``'s ``name`` count (a site may reset it)."""
        with self._lock:
            self._visitor(visitor)[name] = value

    def pop(self, visitor: str, name: str) -> Any:
        """Forget ``visitor``'s ``name`` count and return it (``None`` if there was none)."""
        with self._lock:
            return self._counts.get(visitor, {}).pop(name, None)

    def _visitor(self, visitor: str) -> dict[str, Any]:
        counts = self._counts.get(visitor)
        if counts is not None:
            self._counts.move_to_end(visitor)
            return counts
        counts = self._counts[visitor] = {}
        while len(self._counts) > self.capacity:
            self._counts.popitem(last=False)
        return counts


#: The counts of every visitor of the process's sites (counter ids are random).
counts = VisitorCounts(MAX_COUNTED_VISITORS)


def read_counter(name: str, default: Any = None) -> Any:
    """Return the visitor's ``name`` count (``api_calls`` or ``returns_from_cache``)."""
    visitor = _known_counter_id()
    value = counts.get(visitor, name) if visitor is not None else None
    return default if value is None else value


def write_counter(name: str, value: Any) -> None:
    """Set the visitor's ``name`` count to ``value``."""
    counts.set(_counter_id(), name, value)


def pop_counter(name: str, default: Any = None) -> Any:
    """Forget the visitor's ``name`` count and return it."""
    visitor = _known_counter_id()
    value = counts.pop(visitor, name) if visitor is not None else None
    return default if value is None else value


def _count(name: str) -> None:
    # Parallel walkers call from threads without the visitor's request: not counted.
    if not has_request_context():
        return
    counts.add_one(_counter_id(), name)


def _known_counter_id() -> str | None:
    visitor = _session().get(session_key(_COUNTER_ID))
    return visitor if isinstance(visitor, str) else None


def _counter_id() -> str:
    # Written to the session once, the first time the visitor is counted.
    visitor = _known_counter_id()
    if visitor is None:
        visitor = secrets.token_urlsafe(16)
        _session()[session_key(_COUNTER_ID)] = visitor
    return visitor


def _session() -> SessionMixin:
    # Counted at every answer: the session itself, not a read through its proxy each time.
    return session._get_current_object()  # type: ignore[attr-defined,no-any-return]
