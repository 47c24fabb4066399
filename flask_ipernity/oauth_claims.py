"""The server's record of the request tokens this site obtained, each usable at one callback.

Without an ``oauth_verifier`` (Ipernity sends none), nothing in a callback
proves which browser approved the request token it carries: someone who
started a login, kept its authorization link and got a member to open it can
bring that token to the callback in his own browser. So the first callback
that brings a request token *spends* it for every browser, whatever happens
next: the victim's browser, sent to the callback by her approval, burns the
attacker's token before he can use it; and a copy of a session cookie taken
before a callback cannot complete that login again.

``/login`` records each request token it obtains (:meth:`RequestTokenClaims.issue`);
the callback claims it (:meth:`RequestTokenClaims.claim`). A record lives as
long as a login may take (``IPERNITY_LOGIN_TIMEOUT``). Two stores:

- :class:`RedisRequestTokenClaims`, when tokens are kept on Redis: every
  instance of the site sees every record.
- :class:`LocalRequestTokenClaims` otherwise: in this process only, at most
  :data:`MAX_LOCAL_RECORDS` records. A callback served by another process
  than the one that obtained the token cannot burn it there.
"""

from __future__ import annotations

import enum
import hashlib
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .storage import StorageUnavailable

if TYPE_CHECKING:
    import redis

#: Records kept by a :class:`LocalRequestTokenClaims` (logins under way in one process).
MAX_LOCAL_RECORDS = 10_000

_ISSUED = b"issued"
_SPENT = b"spent"


class Claim(enum.Enum):
    """What the callback learns when it claims a request token."""

    #: This site obtained the token and no callback brought it before: it is now spent.
    FIRST = "first"
    #: A callback (in any browser) already brought it.
    SPENT = "spent"
    #: No record: obtained by another process (local store), long ago, or never.
    UNKNOWN = "unknown"


class TooManyLogins(RuntimeError):
    """The process keeps as many logins under way as it may; new ones wait."""


class RequestTokenClaims(ABC):
    """Where the site records its request tokens and which callback spent them.

    :param ttl: seconds a record is kept (the login timeout).
    """

    #: Whether every instance of the site shares the records: then a token
    #: without a record was not obtained by this site (or too long ago).
    shared: bool = False

    def __init__(self, ttl: float) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        self.ttl = ttl

    @abstractmethod
    def issue(self, request_token: str) -> None:
        """Record a request token ``/login`` just obtained.

        :raises TooManyLogins: when the store is full (local store only).
        """

    @abstractmethod
    def claim(self, request_token: str) -> Claim:
        """Spend ``request_token`` for every browser; tell whether it was fresh.

        Records nothing for a token it has no record of, so that callbacks
        with made-up tokens cost no memory.
        """


class LocalRequestTokenClaims(RequestTokenClaims):
    """The records in this process's memory, bounded, safe across threads."""

    def __init__(self, ttl: float, max_records: int = MAX_LOCAL_RECORDS) -> None:
        super().__init__(ttl)
        self.max_records = max_records
        # Oldest first: expired records are dropped from the front.
        self._records: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, request_token: str) -> None:
        """Record a request token; refuse when the store is full of live records.

        A full store never drops a live record to make room: a dropped record
        would let its token be used again.
        """
        with self._lock:
            self._forget_expired()
            if len(self._records) >= self.max_records:
                raise TooManyLogins("too many logins under way in this process")
            self._records[_key(request_token)] = (_ISSUED, time.monotonic() + self.ttl)

    def claim(self, request_token: str) -> Claim:
        """Spend the token; see :meth:`RequestTokenClaims.claim`."""
        key = _key(request_token)
        with self._lock:
            self._forget_expired()
            record = self._records.get(key)
            if record is None:
                return Claim.UNKNOWN
            state, expires = record
            if state == _SPENT:
                return Claim.SPENT
            self._records[key] = (_SPENT, expires)
            return Claim.FIRST

    def __len__(self) -> int:
        with self._lock:
            self._forget_expired()
            return len(self._records)

    def _forget_expired(self) -> None:
        now = time.monotonic()
        while self._records:
            key, (_, expires) = next(iter(self._records.items()))
            if expires > now:
                return
            del self._records[key]


class RedisRequestTokenClaims(RequestTokenClaims):
    """The records on Redis, shared by every instance of the site.

    :param client: the Redis client of the site's token storage.
    :param prefix: the prefix of the records' keys.
    """

    shared = True

    def __init__(self, client: redis.Redis, ttl: float, prefix: str = "ipernity:oauth:") -> None:
        super().__init__(ttl)
        self.client = client
        self.prefix = prefix

    def issue(self, request_token: str) -> None:
        """Record a request token for ``ttl`` seconds.

        :raises StorageUnavailable: when Redis cannot be reached.
        """
        with _reaching_redis():
            self.client.set(self._name(request_token), _ISSUED, px=max(1, int(self.ttl * 1000)))

    def claim(self, request_token: str) -> Claim:
        """Spend the token in one atomic command; see :meth:`RequestTokenClaims.claim`.

        :raises StorageUnavailable: when Redis cannot be reached (the callback
            then fails: no token is used unchecked).
        """
        with _reaching_redis():
            # XX: only an existing record changes; GET: its state before; KEEPTTL: same expiry.
            before = self.client.set(
                self._name(request_token), _SPENT, xx=True, get=True, keepttl=True
            )
        if before is None:
            return Claim.UNKNOWN
        state = before.encode() if isinstance(before, str) else before
        return Claim.FIRST if state == _ISSUED else Claim.SPENT

    def _name(self, request_token: str) -> str:
        return self.prefix + _key(request_token)


@contextmanager
def _reaching_redis() -> Iterator[None]:
    import redis

    try:
        yield
    except redis.RedisError as error:
        # Only the class: a connection error's text may quote the URL and its password.
        raise StorageUnavailable(
            f"the login records are unreachable ({type(error).__name__})"
        ) from None


def _key(request_token: str) -> str:
    # A hash: the records (and a Redis dump) never hold a usable request token.
    return hashlib.sha256(request_token.encode("utf-8")).hexdigest()
