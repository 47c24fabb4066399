"""The store of the response cache, built from ``IPERNITY_CACHE``.

The extension builds it once, when the application starts, and hands it to
every client it makes (``IpernityAPI(cache=…, cache_ttl=…)``), so that all
visitors' clients, and with Redis all instances of the site, share it. The
store keeps JSON text only, which the library writes and checks itself:
nothing read from it is ever unpickled, and a store that might unpickle what
it reads is refused (:func:`ipernity.cache.check_store`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cachelib import SimpleCache

from ipernity.cache import RedisStore, check_store

if TYPE_CHECKING:
    from flask import Flask

    from ipernity.cache import CacheBackend

#: Answers an in-process ``"simple"`` cache holds before it starts evicting.
SIMPLE_CACHE_SIZE = 5000

_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def make_cache_backend(
    setting: Any, ttl: int = 60, app: Flask | None = None
) -> CacheBackend | None:
    """Return the cache store ``IPERNITY_CACHE`` names, or ``None`` for no cache.

    :param setting: ``None`` or ``False`` (no cache); ``"simple"`` (a
        :class:`cachelib.SimpleCache` in this process); a
        ``redis://host:port/db`` URL (also ``rediss://``, ``unix://``; an
        :class:`ipernity.cache.RedisStore` shared by every process using it); a
        Flask-Caching ``Cache`` set up on ``app``, whose backend is used
        directly, with JSON text of the library's own; or a store the library
        vouches for (:func:`ipernity.cache.check_store`), returned as it is.
    :param ttl: ``IPERNITY_CACHE_TTL``, the seconds an answer is kept; the
        default lifetime of the stores built here.
    :param app: the application, where a Flask-Caching ``Cache`` keeps its backend.
    :raises ValueError: for a string that names no known store, a store that
        unpickles what it reads (cachelib's ``RedisCache``, ``FileSystemCache``…,
        also behind Flask-Caching) or that nothing says does not, or a ``ttl``
        that is not positive.
    """
    if ttl <= 0:
        raise ValueError("IPERNITY_CACHE_TTL must be a positive number of seconds")
    if setting is None or setting is False:
        return None
    if isinstance(setting, str):
        return _from_string(setting, ttl)
    if not (hasattr(setting, "get") and hasattr(setting, "set")):
        raise ValueError(
            "IPERNITY_CACHE must be 'simple', a redis:// URL or a cache store, "
            f"not a {type(setting).__name__}"
        )
    backend: CacheBackend = _flask_caching_backend(setting, app) or setting
    # Refused now, at startup, rather than at every call.
    try:
        check_store(backend)
    except ValueError as exc:
        raise ValueError(f"IPERNITY_CACHE: {exc}; 'simple' and a redis:// URL are safe") from None
    return backend


def _from_string(setting: str, ttl: int) -> CacheBackend:
    if setting == "simple":
        return SimpleCache(threshold=SIMPLE_CACHE_SIZE, default_timeout=ttl)
    if setting.startswith(_REDIS_SCHEMES):
        from .storage.redis import redis_client

        return RedisStore(redis_client(setting), default_timeout=ttl)
    # The text is not repeated: a mistyped URL may hold a password.
    raise ValueError("IPERNITY_CACHE must be 'simple' or a redis:// URL")


def _flask_caching_backend(setting: object, app: Flask | None) -> CacheBackend | None:
    """The backend behind a Flask-Caching ``Cache``, or ``None`` for any other object.

    The ``Cache`` object's own ``get`` goes through its backend's, which
    unpickles for every shared backend: only the backend can be checked.
    """
    if type(setting).__module__.split(".")[0] != "flask_caching" or type(setting).__name__ != (
        "Cache"
    ):
        return None
    backends = app.extensions.get("cache", {}) if app is not None else {}
    if setting not in backends:
        raise ValueError(
            "IPERNITY_CACHE is a Flask-Caching Cache not set up on this application: "
            "call its init_app(app) before Flask-Ipernity's"
        )
    backend: CacheBackend = backends[setting]
    return backend
