"""RedisStore against a real redis-server: text in, text out, lifetimes as asked."""

from __future__ import annotations

import pytest
import redis

from ipernity.cache import RedisStore

pytestmark = pytest.mark.redis


@pytest.mark.parametrize("decode_responses", [False, True])
def test_text_comes_back_as_it_was_stored(redis_url: str, decode_responses: bool) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=decode_responses)
    store = RedisStore(client)
    store.set("k", "Zürich 東京")
    assert store.get("k") == "Zürich 東京"
    assert store.get("missing") is None
    client.close()


def test_a_value_lives_for_the_timeout_asked(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    store = RedisStore(client, default_timeout=600)
    store.set("asked", "x", 5)
    store.set("default", "x")
    store.set("forever", "x", 0)
    assert 0 < client.ttl("asked") <= 5
    assert 5 < client.ttl("default") <= 600
    assert client.ttl("forever") == -1  # no expiry
    client.close()


def test_anything_but_text_is_refused(redis_url: str) -> None:
    store = RedisStore(redis.Redis.from_url(redis_url))
    with pytest.raises(TypeError) as caught:
        store.set("k", b"pickled")  # type: ignore[arg-type]
    assert str(caught.value) == "RedisStore keeps text only"
