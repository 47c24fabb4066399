"""make_cache_backend turns IPERNITY_CACHE into the response cache's store."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from cachelib import FileSystemCache, RedisCache, SimpleCache

from flask_ipernity.caching import make_cache_backend
from ipernity.cache import ResponseCache


def test_no_setting_means_no_cache() -> None:
    assert make_cache_backend(None) is None
    assert make_cache_backend(False) is None


def test_simple_is_an_in_process_cache_with_the_ttl() -> None:
    backend = make_cache_backend("simple", ttl=42)
    assert isinstance(backend, SimpleCache)
    assert backend.default_timeout == 42


def test_a_cache_object_is_used_as_it_is(tmp_path: Path) -> None:
    cache = FileSystemCache(str(tmp_path))
    assert make_cache_backend(cache) is cache


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
def test_a_redis_url_is_a_redis_cache_on_that_server(redis_url: str) -> None:
    backend = make_cache_backend(redis_url, ttl=60)
    assert isinstance(backend, RedisCache)
    backend.set("probe", "value")
    assert redis.Redis.from_url(redis_url).ttl("probe") == 60
    assert backend.get("probe") == "value"


@pytest.mark.redis
def test_answers_cached_through_one_store_are_found_through_another(redis_url: str) -> None:
    store_a, store_b = make_cache_backend(redis_url), make_cache_backend(redis_url)
    assert store_a is not None
    assert store_b is not None
    first, second = ResponseCache(store_a, ttl=60), ResponseCache(store_b, ttl=60)
    who = first.identity("http://127.0.0.1/api/", "key", "token")
    first.put(who, "doc.get", {"doc_id": "1"}, {"api": {"status": "ok"}, "doc": {"id": "1"}})
    assert second.get(who, "doc.get", {"doc_id": "1"}) == {
        "api": {"status": "ok"},
        "doc": {"id": "1"},
    }
    second.invalidate(who)
    assert first.get(who, "doc.get", {"doc_id": "1"}) is None
