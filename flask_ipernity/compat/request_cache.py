"""Flask-Ipernity 0.1's request cache (``IPERNITY_CACHE_REQUESTS``) on the current one.

0.1 kept answers in each visitor's session for ``IPERNITY_CACHE_MAX_AGE``
seconds, read when each answer was stored, and counted in the session the
calls that went to Ipernity (``api_calls``) and those answered from the cache
(``returns_from_cache``). Here the answers go to the response cache of
:mod:`ipernity.cache` (per token, never shared between members), through this
store, which keeps 0.1's two counters and its live maximum age.
"""

from __future__ import annotations

from typing import Any, cast

from flask import current_app, has_app_context, has_request_context, session

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


def _count(name: str) -> None:
    # Parallel walkers call from threads without the visitor's request: not counted.
    if not has_request_context():
        return
    key = session_key(name)
    session[key] = int(session.get(key, 0)) + 1
