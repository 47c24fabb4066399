"""make_cache_backend turns IPERNITY_CACHE into the response cache's store."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest
import redis
from cachelib import FileSystemCache, SimpleCache

from flask_ipernity.caching import make_cache_backend
from ipernity.cache import RedisStore, ResponseCache


def test_no_setting_means_no_cache() -> None:
    assert make_cache_backend(None) is None
    assert make_cache_backend(False) is None


def test_simple_is_an_in_process_cache_with_the_ttl() -> None:
    backend = make_cache_backend("simple", ttl=42)
    assert isinstance(backend, SimpleCache)
    assert backend.default_timeout == 42


def test_a_cache_object_is_used_as_it_is() -> None:
    cache = SimpleCache()
    assert make_cache_backend(cache) is cache


def test_a_cache_object_that_unpickles_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unpickles"):
        make_cache_backend(FileSystemCache(str(tmp_path)))


def test_an_unknown_name_is_refused_without_repeating_it() -> None:
    with pytest.raises(ValueError, match="IPERNITY_CACHE") as excinfo:
        make_cache_backend("redis:/:hunter2@localhost")
    assert "hunter2" not in str(excinfo.value)


def test_an_object_without_get_and_set_is_refused() -> None:
    with pytest.raises(ValueError, match="not a int"):
        make_cache_backend(3)


def test_a_ttl_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="IPERNITY_CACHE_TTL"):
        make_cache_backend("simple", ttl=0)


@pytest.mark.redis
def test_a_redis_url_is_a_text_store_on_that_server(redis_url: str) -> None:
    backend = make_cache_backend(redis_url, ttl=60)
    assert isinstance(backend, RedisStore)
    backend.set("probe", "välue")
    server = redis.Redis.from_url(redis_url)
    assert server.ttl("probe") == 60
    assert server.get("probe") == "välue".encode()
    assert backend.get("probe") == "välue"


@pytest.mark.redis
def test_answers_cached_through_one_store_are_found_through_another(redis_url: str) -> None:
    store_a, store_b = make_cache_backend(redis_url), make_cache_backend(redis_url)
    assert store_a is not None
    assert store_b is not None
    first, second = ResponseCache(store_a, ttl=60), ResponseCache(store_b, ttl=60)
    who = first.identity("http://127.0.0.1/api/", "key", "token")
    key = first.key(who, "doc.get", {"doc_id": "1"})
    assert key is not None
    first.put(key, {"api": {"status": "ok"}, "doc": {"id": "1"}})
    assert second.key(who, "doc.get", {"doc_id": "1"}) == key
    assert second.get(key) == {"api": {"status": "ok"}, "doc": {"id": "1"}}
    second.invalidate(who)
    assert first.key(who, "doc.get", {"doc_id": "1"}) != key


class Payload:
    """A pickle that creates a file when it is loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


@pytest.mark.redis
@pytest.mark.parametrize("prefix", [b"", b"!"], ids=["pickle", "cachelib-pickle"])
def test_a_pickle_written_into_redis_is_a_logged_miss_never_run(
    redis_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, prefix: bytes
) -> None:
    marker = tmp_path / "pickle-ran"
    store = make_cache_backend(redis_url, ttl=60)
    assert store is not None
    cache = ResponseCache(store, ttl=60)
    key = cache.key(cache.identity("http://127.0.0.1/api/", "key", "token"), "doc.get", {})
    assert key is not None
    redis.Redis.from_url(redis_url).set(key, prefix + pickle.dumps(Payload(marker)))
    with caplog.at_level(logging.WARNING, logger="ipernity"):
        assert cache.get(key) is None
    assert not marker.exists()
    assert "not an answer this library wrote" in caplog.text
