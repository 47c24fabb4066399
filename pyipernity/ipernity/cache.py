"""An optional cache of read-only answers, shared by clients and processes.

Any object with cachelib's ``get``/``set`` methods that keeps text works as
the store: an in-process ``SimpleCache``, or :class:`RedisStore` to share it
between processes. Keys cover the service URL and API key (the *site*), the
identity of the token (a hash, never the token itself), the method and its
parameters, so that members never see each other's answers.

Each site has a *generation* in the store. A write through any client of the
site starts a new one, so that nobody's earlier reads are found again — not
the writer's, not another member's, not anonymous visitors': a document made
private through the site is private at once. Changes made elsewhere (on
ipernity.com itself) are seen once the answers expire, after ``ttl`` seconds.
Errors are never cached.

Entries are JSON text this module writes itself. An entry that is not a JSON
object (someone else wrote it) is logged and counts as a miss. Nothing read
from a store may ever be unpickled, and a store's ``get`` may unpickle before
this module sees the entry, so only stores it can vouch for are accepted (see
:func:`check_store`): its own :class:`RedisStore`, any :class:`TextStore`, and
cachelib's in-process ``SimpleCache`` and ``NullCache``, which nobody else
writes to. cachelib's shared stores (``RedisCache``, ``FileSystemCache``…),
which unpickle what they read, and stores of unknown make are refused.

The cache is optional, and so is its store: a store that fails (Redis down) is
logged and counts as a miss, and the call goes to Ipernity.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import secrets
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol

log = logging.getLogger("ipernity")

#: The start of every key holding an answer (other keys hold generations).
ANSWER_KEY_PREFIX = "ipernity:call:"

#: Seconds an answer is kept by default: how long a change made on
#: ipernity.com itself (a document made private there) may stay unseen.
DEFAULT_TTL = 60

# cachelib's caches that are safe: the in-process ones, which nobody else writes.
# Flask-Caching's backends subclass cachelib's and keep their names.
_SAFE_CACHELIB_CLASSES = frozenset({"BaseCache", "SimpleCache", "NullCache"})
_CACHELIB_PACKAGES = frozenset({"cachelib", "flask_caching"})
_INSTEAD = "use ipernity.cache.RedisStore (text only) or an in-process SimpleCache"


class CacheBackend(Protocol):
    """What the cache needs of a store: cachelib's ``BaseCache`` has it.

    A ``timeout`` of 0 means "never expires", as in cachelib.
    """

    def get(self, key: str) -> Any:
        """Return the value stored under ``key``, or ``None``."""

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any:
        """Store ``value`` under ``key`` for ``timeout`` seconds."""


class CacheIdentity(NamedTuple):
    """Who is asking, as the cache names it: hashes, never a token."""

    #: The service URL and API key: every client of one site shares it.
    site: str
    #: The site and the token: one member (or anonymous visitors).
    caller: str


class TextStore(ABC):
    """A store that keeps the text it is given as it is, and unpickles nothing.

    Subclass it for a store of your own (memcached, a database…): subclassing
    is your word that ``get`` returns the very text ``set`` stored, or
    ``None``, and never unpickles or evaluates anything. :func:`check_store`
    accepts every subclass.
    """

    @abstractmethod
    def get(self, key: str) -> str | None:
        """Return the text stored under ``key``, or ``None``."""

    @abstractmethod
    def set(self, key: str, value: str, timeout: int | None = None) -> bool:
        """Store the text ``value`` under ``key`` for ``timeout`` seconds (0: forever)."""


class RedisStore(TextStore):
    """A response-cache store on Redis that keeps text only: nothing is pickled.

    :param client: a ``redis.Redis`` client (any object with Redis's ``get``
        and ``set(key, value, ex=…)``).
    :param default_timeout: seconds a value lives when ``set`` names none.
    """

    def __init__(self, client: Any, default_timeout: int = DEFAULT_TTL) -> None:
        self.client = client
        self.default_timeout = default_timeout

    def get(self, key: str) -> str | None:
        """Return the text stored under ``key``, or ``None``."""
        raw = self.client.get(key)
        if raw is None:
            return None
        # Undecodable bytes become U+FFFD: not JSON, so a logged miss.
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)

    def set(self, key: str, value: str, timeout: int | None = None) -> bool:
        """Store the text ``value`` under ``key`` for ``timeout`` seconds (0: forever)."""
        if not isinstance(value, str):
            raise TypeError("RedisStore keeps text only")
        seconds = self.default_timeout if timeout is None else timeout
        return bool(self.client.set(key, value.encode("utf-8"), ex=seconds or None))

    def __repr__(self) -> str:
        return f"<RedisStore default_timeout={self.default_timeout}>"


class ResponseCache:
    """Caches answers per site and token identity in ``backend`` for ``ttl`` seconds.

    :raises ValueError: for a store :func:`check_store` cannot vouch for.
    """

    def __init__(self, backend: CacheBackend, ttl: int = DEFAULT_TTL) -> None:
        check_store(backend)
        self.backend = backend
        self.ttl = ttl

    def identity(self, url: str, api_key: str, token: str | None) -> CacheIdentity:
        """A stable, non-reversible name for the site and who is asking."""
        return CacheIdentity(
            _site_digest(url, api_key), _digest(f"{url}\n{api_key}\n{token or ''}")
        )

    def key(self, identity: CacheIdentity, method: str, params: Mapping[str, str]) -> str | None:
        """Return the key of ``method(params)`` for ``identity`` in the site's generation.

        Take it before calling the service and store the answer under it: an
        answer fetched while a write starts a new generation is then filed
        under the old one, where nobody finds it.

        :return: the key, or ``None`` when the store cannot be reached.
        """
        call = _CALL_ENCODER.encode([method, sorted(params.items())])
        try:
            generation = self._generation(identity.site)
        except Exception as exc:  # any store's failure: they share no exception class
            _report(exc)
            return None
        return f"{ANSWER_KEY_PREFIX}{identity.site}:{generation}:{identity.caller}:{_digest(call)}"

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the answer cached under ``key``, if any."""
        try:
            text = self.backend.get(key)
        except Exception as exc:  # any store's failure: they share no exception class
            _report(exc)
            return None
        return None if text is None else _parse(text)

    def put(self, key: str, answer: Mapping[str, Any]) -> None:
        """Store a successful answer under ``key`` (as JSON text, so callers cannot alter it)."""
        try:
            self.backend.set(key, json.dumps(answer), self.ttl)
        except Exception as exc:  # any store's failure: they share no exception class
            _report(exc)

    def invalidate(self, identity: CacheIdentity) -> None:
        """Forget every answer cached for ``identity``'s site, whoever asked for it."""
        try:
            self._new_generation(identity.site)
        except Exception as exc:  # any store's failure: they share no exception class
            _report(exc)

    def _generation(self, site: str) -> str:
        generation = self.backend.get(_generation_key(site))
        if isinstance(generation, str) and generation:
            return generation
        # Never a fixed first value: a generation the store lost (evicted) must
        # not bring back the answers filed under an earlier one.
        return self._new_generation(site)

    def _new_generation(self, site: str) -> str:
        generation = secrets.token_hex(8)
        self.backend.set(_generation_key(site), generation, 0)
        return generation


def _parse(text: object) -> dict[str, Any] | None:
    answer: object = text
    if isinstance(text, str):
        try:
            answer = json.loads(text)
        except ValueError as exc:
            answer = exc
        if isinstance(answer, dict):
            return answer
    # Only the class: the entry may hold anything, secrets included.
    log.warning(
        "Response cache entry is not an answer this library wrote (%s); ignored",
        type(answer).__name__,
    )
    return None


def _generation_key(site: str) -> str:
    return f"ipernity:gen:{site}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# Named at every cached call, for the few sites (URL and API key) a process talks to.
@functools.lru_cache(maxsize=64)
def _site_digest(url: str, api_key: str) -> str:
    return _digest(f"{url}\n{api_key}")


# json.dumps() with a keyword makes a new encoder at each call; keys are made at each read.
_CALL_ENCODER = json.JSONEncoder(ensure_ascii=False)


def check_store(backend: object) -> None:
    """Accept ``backend`` as a response cache's store only if nothing it reads is unpickled.

    Accepted: a :class:`TextStore` (:class:`RedisStore` among them), and
    cachelib's (or Flask-Caching's) in-process ``SimpleCache`` and
    ``NullCache``, subclasses included.

    :raises ValueError: for cachelib's (or Flask-Caching's) shared stores,
        which unpickle what they read, so that whoever can write to them could
        run code here; and for any other object, whose ``get`` may do the same
        unseen. The message says what to use instead.
    """
    kind = type(backend)
    if kind in _ACCEPTED_KINDS:
        return
    if isinstance(backend, TextStore):
        _ACCEPTED_KINDS.add(kind)
        return
    kinds = [
        cls.__name__
        for cls in type(backend).__mro__
        if cls.__module__.split(".")[0] in _CACHELIB_PACKAGES
    ]
    unsafe = [kind for kind in kinds if kind not in _SAFE_CACHELIB_CLASSES]
    if unsafe:
        raise ValueError(
            f"{unsafe[0]} unpickles what it reads, so whoever can write to it could run "
            f"code here: {_INSTEAD}"
        )
    if not kinds:
        raise ValueError(
            f"a {type(backend).__name__} may unpickle what it reads, and nothing says it "
            f"does not: {_INSTEAD}, or subclass ipernity.cache.TextStore for a store of yours"
        )
    _ACCEPTED_KINDS.add(kind)


# The classes check_store() accepted: a web extension makes a client, and so
# checks its store, at every request. Only acceptances are kept (a class stays
# acceptable), so a refused class is examined, and refused, each time.
_ACCEPTED_KINDS: set[type] = set()


def _report(exc: Exception) -> None:
    # Only the class: a connection error's text may quote the store's URL and password.
    log.warning("Response cache unreachable (%s); calling Ipernity instead", type(exc).__name__)
