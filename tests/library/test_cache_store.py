"""ResponseCache against a real cachelib store: keys, lifetimes, generations, outages."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from cachelib import SimpleCache

from ipernity.cache import ResponseCache

URL = "https://api.example/api/"


class TimedCache(SimpleCache):
    """A SimpleCache that also notes the lifetime each value was stored with."""

    def __init__(self) -> None:
        super().__init__(default_timeout=10_000)
        self.timeouts: list[int | None] = []

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        self.timeouts.append(timeout)
        return bool(super().set(key, value, timeout))


class BrokenCache(SimpleCache):
    """A store that is down: every access fails as a lost connection would."""

    def get(self, key: str) -> Any:
        raise ConnectionError("redis://:hunter2@cache.example:6379 refused")

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        raise ConnectionError("redis://:hunter2@cache.example:6379 refused")


def answer(n: int) -> dict[str, Any]:
    return {"api": {"status": "ok"}, "doc": {"doc_id": str(n)}}


def test_each_call_has_its_own_entry() -> None:
    cache = ResponseCache(SimpleCache())
    who = cache.identity(URL, "key", "token")
    cache.put(who, "doc.get", {"doc_id": "1"}, answer(1))
    cache.put(who, "doc.get", {"doc_id": "2"}, answer(2))
    cache.put(who, "doc.getMedias", {"doc_id": "1"}, answer(3))
    assert cache.get(who, "doc.get", {"doc_id": "1"}) == answer(1)
    assert cache.get(who, "doc.get", {"doc_id": "2"}) == answer(2)
    assert cache.get(who, "doc.getMedias", {"doc_id": "1"}) == answer(3)
    assert cache.get(who, "doc.get", {"doc_id": "3"}) is None


def test_each_caller_has_its_own_entries() -> None:
    cache = ResponseCache(SimpleCache())
    callers = [
        cache.identity(URL, "key", "token-a"),
        cache.identity(URL, "key", "token-b"),
        cache.identity(URL, "key", None),
        cache.identity(URL, "other-key", "token-a"),
        cache.identity("https://proxy.example/api/", "key", "token-a"),
    ]
    assert len(set(callers)) == len(callers)
    cache.put(callers[0], "user.get", {}, answer(1))
    assert [cache.get(who, "user.get", {}) for who in callers[1:]] == [None] * 4


def test_answers_and_generations_are_kept_for_the_ttl() -> None:
    store = TimedCache()
    cache = ResponseCache(store, ttl=42)
    who = cache.identity(URL, "key", "token")
    cache.put(who, "doc.get", {"doc_id": "1"}, answer(1))
    cache.invalidate(who)
    assert store.timeouts == [42, 42]


def test_the_default_ttl_is_five_minutes() -> None:
    store = TimedCache()
    cache = ResponseCache(store)
    cache.put(cache.identity(URL, "key", None), "test.echo", {}, answer(1))
    assert store.timeouts == [300]


def test_every_invalidation_hides_the_answers_before_it() -> None:
    cache = ResponseCache(SimpleCache())
    who = cache.identity(URL, "key", "token")
    for n in range(3):
        cache.put(who, "doc.get", {"doc_id": "1"}, answer(n))
        assert cache.get(who, "doc.get", {"doc_id": "1"}) == answer(n)
        cache.invalidate(who)
        assert cache.get(who, "doc.get", {"doc_id": "1"}) is None


def test_a_store_that_is_down_is_a_miss_and_one_warning_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = ResponseCache(BrokenCache())
    who = cache.identity(URL, "key", "token")
    with caplog.at_level(logging.WARNING, logger="ipernity"):
        assert cache.get(who, "doc.get", {"doc_id": "1"}) is None
        cache.put(who, "doc.get", {"doc_id": "1"}, answer(1))
        cache.invalidate(who)
    messages = [record.getMessage() for record in caplog.records]
    # Only the class: the error's text quotes the store's URL and password.
    assert (
        messages == ["Response cache unreachable (ConnectionError); calling Ipernity instead"] * 3
    )
