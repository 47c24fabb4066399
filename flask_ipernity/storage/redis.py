"""Tokens on a Redis server, so that every instance of a site sees every visitor.

The visitor's cookie carries only an opaque random id (in Flask's session);
the token mapping itself stays on the server, under a hash of that id. Each
login draws a new id, so an id planted before the login (session fixation)
never reaches the token; logging out deletes the record, and a record no
visitor uses for :attr:`RedisStorage.ttl` seconds expires on its own.

Each member has a *generation* on the server, recorded with each of their
logins: :meth:`RedisStorage.end_sessions` starts a new one, and every login
recorded before (another browser, a stolen cookie) counts no more.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from typing import Any

import redis
from flask import request, session

from .base import StorageUnavailable, TokenMapping, TokenStorage

log = logging.getLogger("flask_ipernity")

#: Seconds a record lives after its visitor's last request (30 days).
DEFAULT_TTL = 30 * 24 * 3600


class RedisStorage(TokenStorage):
    """Keeps each visitor's token mapping in Redis; the session holds only an id.

    :param client: a ``redis://host:port/db`` URL (also ``rediss://``,
        ``unix://``), or a :class:`redis.Redis` client to share.
    :param ttl: seconds a record lives after the visitor's last request.
    :param prefix: the prefix of the records' Redis keys.
    :param session_key: the session key the visitor's id is kept under.

    One instance serves every visitor and thread; it reads Redis at most once
    per request.
    """

    def __init__(
        self,
        client: str | redis.Redis,
        *,
        ttl: int = DEFAULT_TTL,
        prefix: str = "ipernity:token:",
        session_key: str = "ipernity_sid",
    ) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        self.client: redis.Redis = redis_client(client) if isinstance(client, str) else client
        self.ttl = ttl
        self.prefix = prefix
        self.session_key = session_key
        # Each request remembers what it read, under a name of this instance's own.
        self._memo = f"flask_ipernity.redis_token.{id(self):x}"

    def get(self) -> TokenMapping | None:
        """Return the visitor's token mapping, or ``None``; renews its lifetime.

        While Redis cannot be reached the visitor counts as logged out (a
        warning is logged), so that pages which need no login still work.
        """
        environ = request.environ
        if self._memo in environ:
            memo: TokenMapping | None = environ[self._memo]
            return memo
        try:
            token = self._load()
        except redis.RedisError as exc:
            log.warning("Token storage unreachable, visitor treated as logged out: %s", _kind(exc))
            token = None
        environ[self._memo] = token
        return token

    def set(self, token: TokenMapping) -> None:
        """Store ``token`` for the visitor under a new id, dropping any earlier record.

        :raises StorageUnavailable: when Redis cannot be reached.
        """
        member = _member_tag(token)
        # The id names the member too, so that reading a login costs no extra lookup.
        visitor_id = f"{secrets.token_urlsafe(32)}.{member}"
        try:
            self._drop_record()
            generation = self._generation(member)
            record = {**token, _GENERATION: generation}
            self.client.set(self._key(visitor_id), json.dumps(record), ex=self.ttl)
        except redis.RedisError as exc:
            raise StorageUnavailable(f"the token storage is unreachable ({_kind(exc)})") from None
        session[self.session_key] = visitor_id
        request.environ[self._memo] = dict(token)

    def end_sessions(self, user_id: str) -> None:
        """End every login of member ``user_id``, in every browser and instance.

        :raises StorageUnavailable: when Redis cannot be reached.
        """
        try:
            self.client.incr(self._generation_key(_member_tag({"user": {"user_id": user_id}})))
        except redis.RedisError as exc:
            raise StorageUnavailable(f"the token storage is unreachable ({_kind(exc)})") from None

    def delete(self) -> None:
        """Delete the visitor's record and forget their id.

        :raises StorageUnavailable: when Redis cannot be reached (the id is
            forgotten all the same, so this browser is logged out).
        """
        try:
            self._drop_record()
        except redis.RedisError as exc:
            raise StorageUnavailable(f"the token storage is unreachable ({_kind(exc)})") from None
        finally:
            session.pop(self.session_key, None)
            request.environ[self._memo] = None

    def _load(self) -> TokenMapping | None:
        visitor_id = session.get(self.session_key)
        if not isinstance(visitor_id, str):
            return None
        member = visitor_id.rpartition(".")[2]
        # One round trip: the record and its member's generation together.
        with self.client.pipeline(transaction=False) as pipe:
            pipe.getex(self._key(visitor_id), ex=self.ttl)
            pipe.get(self._generation_key(member))
            raw, generation = pipe.execute()
        if raw is None:
            return None
        token: TokenMapping = json.loads(raw)
        recorded = token.pop(_GENERATION, None)
        if recorded is not None and recorded != _text(generation):
            # The member ended their sessions everywhere after this login.
            self.client.delete(self._key(visitor_id))
            return None
        return token

    def _generation(self, member: str) -> str:
        return _text(self.client.get(self._generation_key(member)))

    def _generation_key(self, member: str) -> str:
        return f"{self.prefix}generation:{member}"

    def _drop_record(self) -> None:
        visitor_id = session.get(self.session_key)
        if isinstance(visitor_id, str):
            self.client.delete(self._key(visitor_id))

    def _key(self, visitor_id: str) -> str:
        # Keys hold a hash of the id: reading Redis does not let anyone act as a visitor.
        return self.prefix + hashlib.sha256(visitor_id.encode()).hexdigest()

    def __repr__(self) -> str:
        return f"<RedisStorage ttl={self.ttl}>"


#: Seconds to connect to Redis and to wait for its answer: a hung server must
#: not hang the site's requests.
REDIS_TIMEOUT = 5.0


def redis_client(url: str) -> redis.Redis:
    """A Redis client for ``url`` whose every command has a timeout.

    Timeouts given in the URL's query (``?socket_timeout=…``) win.
    """
    return redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


# The member's generation when the login was recorded, kept in the record.
_GENERATION = "_generation"


def _text(generation: Any) -> str:
    # A member who never ended their sessions is in generation "0".
    return generation.decode() if isinstance(generation, bytes) else str(generation or "0")


def _member_tag(token: TokenMapping) -> str:
    # A hash: the session names the member without saying who it is.
    user_id = str((token.get("user") or {}).get("user_id") or "")
    return hashlib.sha256(f"member:{user_id}".encode()).hexdigest()[:24]


def _kind(exc: redis.RedisError) -> str:
    # Only the class: a connection error's text may quote the URL and its password.
    return type(exc).__name__
