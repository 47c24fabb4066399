"""RedisStorage's edges on a real redis-server: logout, ending sessions, outages."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from flask import Flask, session

from flask_ipernity.storage.base import StorageUnavailable
from flask_ipernity.storage.redis import RedisStorage
from flask_ipernity.storage.session import SessionStorage

pytestmark = pytest.mark.redis

TOKEN: dict[str, Any] = {"token": "9-secret-token", "user": {"user_id": "42"}, "permissions": {}}


@pytest.fixture
def site() -> Flask:
    app = Flask(__name__)
    app.secret_key = "tests"
    return app


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def login(site: Flask, storage: RedisStorage) -> dict[str, Any]:
    """Store TOKEN in one request; return the session it leaves."""
    with site.test_request_context():
        storage.set(TOKEN)
        assert storage.get() == TOKEN  # the same request sees it at once
        return dict(session)


def read(site: Flask, storage: RedisStorage, cookie: dict[str, Any]) -> Any:
    with site.test_request_context():
        session.update(cookie)
        return storage.get()


def test_records_are_kept_under_the_documented_prefix(site: Flask, client: redis.Redis) -> None:
    login(site, RedisStorage(client))
    keys = client.keys("*")
    assert keys
    assert all(key.startswith(b"ipernity:token:") for key in keys)


def test_logging_out_forgets_the_id_and_the_record(site: Flask, client: redis.Redis) -> None:
    storage = RedisStorage(client)
    cookie = login(site, storage)
    with site.test_request_context():
        session.update(cookie)
        storage.delete()
        assert storage.session_key not in session
        assert storage.get() is None
    assert client.keys("ipernity:token:[0-9a-f]*") == []


@pytest.mark.parametrize("decode_responses", [False, True])
def test_ending_sessions_drops_earlier_logins_and_keeps_later_ones(
    site: Flask, redis_url: str, decode_responses: bool
) -> None:
    connection = redis.Redis.from_url(redis_url, decode_responses=decode_responses)
    storage = RedisStorage(connection)
    for _ in range(3):  # every time, not only the first
        before = login(site, storage)
        storage.end_sessions("42")
        after = login(site, storage)
        records = len(connection.keys("ipernity:token:[0-9a-f]*"))
        assert read(site, storage, before) is None
        # The ended login's record is gone from the server, not only refused.
        assert len(connection.keys("ipernity:token:[0-9a-f]*")) == records - 1
        assert read(site, storage, after) == TOKEN
    connection.close()


def test_a_record_from_before_generations_still_logs_in(site: Flask, client: redis.Redis) -> None:
    storage = RedisStorage(client)
    cookie = login(site, storage)
    (key,) = client.keys("ipernity:token:[0-9a-f]*")
    client.set(key, json.dumps(TOKEN))  # no generation recorded
    assert read(site, storage, cookie) == TOKEN


def test_two_storages_do_not_share_a_requests_memo(site: Flask, client: redis.Redis) -> None:
    first = RedisStorage(client, prefix="first:")
    second = RedisStorage(client, prefix="second:", session_key="other_sid")
    with site.test_request_context():
        first.set(TOKEN)
        assert second.get() is None


@pytest.fixture
def unreachable() -> RedisStorage:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return RedisStorage(f"redis://:hunter2@127.0.0.1:{port}/0")


def test_an_unreachable_server_logs_the_visitor_out_with_one_warning(
    site: Flask, unreachable: RedisStorage, caplog: pytest.LogCaptureFixture
) -> None:
    with site.test_request_context(), caplog.at_level(logging.WARNING, "flask_ipernity"):
        session[unreachable.session_key] = "someone.abc"
        assert unreachable.get() is None
    assert [record.getMessage() for record in caplog.records] == [
        "Token storage unreachable, visitor treated as logged out: ConnectionError"
    ]


def test_an_unreachable_server_is_named_without_its_password(
    site: Flask, unreachable: RedisStorage
) -> None:
    with site.test_request_context():
        session[unreachable.session_key] = "someone.abc"
        for action in (unreachable.delete, lambda: unreachable.end_sessions("42")):
            with pytest.raises(StorageUnavailable) as caught:
                action()
            assert str(caught.value) == "the token storage is unreachable (ConnectionError)"


def test_cookie_storage_says_how_to_end_sessions_everywhere() -> None:
    with pytest.raises(NotImplementedError) as caught:
        SessionStorage().end_sessions("42")
    assert str(caught.value) == (
        "SessionStorage cannot end sessions everywhere: keep tokens on the "
        "server (IPERNITY_TOKEN_STORAGE = 'redis://…')"
    )


def test_a_lifetime_that_is_not_positive_is_refused(client: redis.Redis) -> None:
    with pytest.raises(ValueError) as caught:
        RedisStorage(client, ttl=0)
    assert str(caught.value) == "ttl must be a positive number of seconds"
