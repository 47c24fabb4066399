"""The store of the response cache, built from ``IPERNITY_CACHE``.

The extension builds it once, when the application starts, and hands it to
every client it makes (``IpernityAPI(cache=…, cache_ttl=…)``), so that all
visitors' clients, and with Redis all instances of the site, share it. The
store keeps JSON text only: nothing read from it is ever unpickled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cachelib import BaseCache, SimpleCache

from ipernity.cache import RedisStore, ResponseCache

if TYPE_CHECKING:
    from ipernity.cache import CacheBackend

#: Answers an in-process ``"simple"`` cache holds before it starts evicting.
SIMPLE_CACHE_SIZE = 5000

_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def make_cache_backend(setting: Any, ttl: int = 60) -> CacheBackend | None:
    """Return the cache store ``IPERNITY_CACHE`` names, or ``None`` for no cache.

    :param setting: ``None`` or ``False`` (no cache); ``"simple"`` (a
        :class:`cachelib.SimpleCache` in this process); a
        ``redis://host:port/db`` URL (also ``rediss://``, ``unix://``; an
        :class:`ipernity.cache.RedisStore` shared by every process using it); or
        any object with ``get`` and ``set`` that keeps text, returned as it is.
    :param ttl: ``IPERNITY_CACHE_TTL``, the seconds an answer is kept; the
        default lifetime of the stores built here.
    :raises ValueError: for a string that names no known store, a cachelib
        cache that unpickles what it reads (``RedisCache``,
        ``FileSystemCache``, …), or a ``ttl`` that is not positive.
    """
    if ttl <= 0:
        raise ValueError("IPERNITY_CACHE_TTL must be a positive number of seconds")
    if setting is None or setting is False:
        return None
    if isinstance(setting, str):
        return _from_string(setting, ttl)
    if isinstance(setting, BaseCache) or (hasattr(setting, "get") and hasattr(setting, "set")):
        backend: CacheBackend = setting
        ResponseCache(backend, ttl)  # refuses stores that unpickle, now rather than per call
        return backend
    raise ValueError(
        "IPERNITY_CACHE must be 'simple', a redis:// URL or a cachelib cache, "
        f"not a {type(setting).__name__}"
    )


def _from_string(setting: str, ttl: int) -> CacheBackend:
    if setting == "simple":
        return SimpleCache(threshold=SIMPLE_CACHE_SIZE, default_timeout=ttl)
    if setting.startswith(_REDIS_SCHEMES):
        from .storage.redis import redis_client

        return RedisStore(redis_client(setting), default_timeout=ttl)
    # The text is not repeated: a mistyped URL may hold a password.
    raise ValueError("IPERNITY_CACHE must be 'simple' or a redis:// URL")
