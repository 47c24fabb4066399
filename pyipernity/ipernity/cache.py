"""An optional cache of read-only answers, shared by clients and processes.

Any object with cachelib's ``get``/``set`` methods works as the store (an
in-process ``SimpleCache``, a ``RedisCache``, …). Keys cover the service URL,
the API key, the identity of the token (a hash, never the token itself), the
method and its parameters. Each token has a *generation* in the store; a write
through a client starts a new one, so that member's earlier reads are no longer
found and they see their own changes at once. Errors are never cached.

The cache is optional, and so is its store: a store that fails (Redis down) is
logged and counts as a miss, and the call goes to Ipernity.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Mapping
from typing import Any, Protocol

log = logging.getLogger("ipernity")


class CacheBackend(Protocol):
    """What the cache needs of a store: cachelib's ``BaseCache`` has it."""

    def get(self, key: str) -> Any:
        """Return the value stored under ``key``, or ``None``."""

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any:
        """Store ``value`` under ``key`` for ``timeout`` seconds."""


class ResponseCache:
    """Caches answers per token identity in ``backend`` for ``ttl`` seconds."""

    def __init__(self, backend: CacheBackend, ttl: int = 300) -> None:
        self.backend = backend
        self.ttl = ttl

    def identity(self, url: str, api_key: str, token: str | None) -> str:
        """A stable, non-reversible name for who is asking."""
        return hashlib.sha256(f"{url}\n{api_key}\n{token or ''}".encode()).hexdigest()[:32]

    def get(self, identity: str, method: str, params: Mapping[str, str]) -> dict[str, Any] | None:
        """Return the cached answer of ``method(params)`` for ``identity``, if any."""
        try:
            text = self.backend.get(self._key(identity, method, params))
        except Exception as exc:  # any store's failure: they share no exception class
            _report(exc)
            return None
        if not isinstance(text, str):
            return None
        answer: dict[str, Any] = json.loads(text)
        return answer

    def put(
        self, identity: str, method: str, params: Mapping[str, str], answer: Mapping[str, Any]
    ) -> None:
        """Store a successful answer (stored as JSON text, so callers cannot alter it)."""
        try:
            self.backend.set(self._key(identity, method, params), json.dumps(answer), self.ttl)
        except Exception as exc:  # any store's failure: they share no exception class
            _report(exc)

    def invalidate(self, identity: str) -> None:
        """Forget every cached answer of ``identity`` by starting a new generation."""
        try:
            self.backend.set(self._generation_key(identity), secrets.token_hex(8), self.ttl)
        except Exception as exc:  # any store's failure: they share no exception class
            _report(exc)

    def _generation_key(self, identity: str) -> str:
        return f"ipernity:gen:{identity}"

    def _key(self, identity: str, method: str, params: Mapping[str, str]) -> str:
        generation = self.backend.get(self._generation_key(identity)) or "0"
        call = json.dumps([method, sorted(params.items())], ensure_ascii=False)
        digest = hashlib.sha256(call.encode("utf-8")).hexdigest()[:32]
        return f"ipernity:call:{identity}:{generation}:{digest}"


def _report(exc: Exception) -> None:
    # Only the class: a connection error's text may quote the store's URL and password.
    log.warning("Response cache unreachable (%s); calling Ipernity instead", type(exc).__name__)
