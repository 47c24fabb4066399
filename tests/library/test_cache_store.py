"""ResponseCache against a real cachelib store: keys, lifetimes, generations, outages."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import pytest
from cachelib import SimpleCache

from ipernity.cache import DEFAULT_TTL, ResponseCache, TextStore

URL = "https://api.example/api/"


class TimedCache(SimpleCache):
    """A SimpleCache that also notes the lifetime each value was stored with."""

    def __init__(self) -> None:
        super().__init__(default_timeout=10_000)
        self.timeouts: dict[str, int | None] = {}

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        self.timeouts[key.split(":")[1]] = timeout
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
    calls = [("doc.get", {"doc_id": "1"}), ("doc.get", {"doc_id": "2"}), ("doc.getMedias", {})]
    keys = [cache.key(who, method, params) for method, params in calls]
    assert None not in keys
    assert len(set(keys)) == len(calls)
    for n, key in enumerate(keys):
        assert key is not None
        cache.put(key, answer(n))
    assert [cache.get(key) for key in keys if key] == [answer(n) for n in range(len(calls))]


def test_the_order_of_parameters_does_not_matter() -> None:
    cache = ResponseCache(SimpleCache())
    who = cache.identity(URL, "key", "token")
    assert cache.key(who, "doc.search", {"a": "1", "b": "2"}) == cache.key(
        who, "doc.search", {"b": "2", "a": "1"}
    )


def test_each_caller_has_its_own_keys() -> None:
    cache = ResponseCache(SimpleCache())
    callers = [
        cache.identity(URL, "key", "token-a"),
        cache.identity(URL, "key", "token-b"),
        cache.identity(URL, "key", None),
        cache.identity(URL, "other-key", "token-a"),
        cache.identity("https://proxy.example/api/", "key", "token-a"),
    ]
    keys = {cache.key(who, "user.get", {}) for who in callers}
    assert len(keys) == len(callers)
    assert not any("token" in str(key) for key in keys)


def test_keys_follow_the_written_rule_so_that_every_release_shares_a_store() -> None:
    # A site upgraded one instance at a time shares its Redis store between releases:
    # each must name a call as the others do.
    def sha(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    store = SimpleCache()
    cache = ResponseCache(store)
    params = {"text": "café", "doc_id": "1"}
    key = cache.key(cache.identity(URL, "key", "token"), "doc.search", params)
    site = sha(f"{URL}\nkey")
    generation = store.get(f"ipernity:gen:{site}")
    call = json.dumps(["doc.search", sorted(params.items())], ensure_ascii=False)
    caller = sha(f"{URL}\nkey\ntoken")
    assert key == f"ipernity:call:{site}:{generation}:{caller}:{sha(call)}"


def test_answers_live_for_the_ttl_and_generations_until_replaced() -> None:
    store = TimedCache()
    cache = ResponseCache(store, ttl=42)
    key = cache.key(cache.identity(URL, "key", "token"), "doc.get", {"doc_id": "1"})
    assert key is not None
    cache.put(key, answer(1))
    assert store.timeouts == {"gen": 0, "call": 42}


def test_the_default_ttl_is_a_minute() -> None:
    assert DEFAULT_TTL == 60
    assert ResponseCache(SimpleCache()).ttl == DEFAULT_TTL


def test_every_invalidation_hides_the_answers_before_it() -> None:
    cache = ResponseCache(SimpleCache())
    who = cache.identity(URL, "key", "token")
    for n in range(3):
        key = cache.key(who, "doc.get", {"doc_id": "1"})
        assert key is not None
        cache.put(key, answer(n))
        assert cache.get(key) == answer(n)
        cache.invalidate(who)
        assert cache.key(who, "doc.get", {"doc_id": "1"}) != key


def test_a_store_that_is_down_is_a_miss_and_one_warning_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = ResponseCache(BrokenCache())
    who = cache.identity(URL, "key", "token")
    with caplog.at_level(logging.WARNING, logger="ipernity"):
        assert cache.key(who, "doc.get", {"doc_id": "1"}) is None
        assert cache.get("ipernity:call:x") is None
        cache.put("ipernity:call:x", answer(1))
        cache.invalidate(who)
    messages = [record.getMessage() for record in caplog.records]
    # Only the class: the error's text quotes the store's URL and password.
    expected = "Response cache unreachable (ConnectionError); calling Ipernity instead"
    assert messages == [expected] * 4


@pytest.mark.parametrize(
    ("entry", "kind"),
    [("not json", "JSONDecodeError"), ("[1, 2]", "list"), (b"{}", "bytes"), (42, "int")],
)
def test_an_entry_not_ours_is_named_by_its_kind_only(
    entry: object, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = SimpleCache()
    cache = ResponseCache(store)
    key = cache.key(cache.identity(URL, "key", "token"), "doc.get", {})
    assert key is not None
    store.set(key, entry)
    with caplog.at_level(logging.WARNING, logger="ipernity"):
        assert cache.get(key) is None
    assert [record.getMessage() for record in caplog.records] == [
        f"Response cache entry is not an answer this library wrote ({kind}); ignored"
    ]


def test_a_miss_is_silent(caplog: pytest.LogCaptureFixture) -> None:
    cache = ResponseCache(SimpleCache())
    key = cache.key(cache.identity(URL, "key", "token"), "doc.get", {})
    assert key is not None
    with caplog.at_level(logging.DEBUG, logger="ipernity"):
        assert cache.get(key) is None
    assert caplog.records == []


@pytest.mark.parametrize("stored", [7, b"7", ""])
def test_a_generation_that_is_not_text_is_replaced(stored: object) -> None:
    store = SimpleCache()
    cache = ResponseCache(store)
    who = cache.identity(URL, "key", "token")
    store.set(f"ipernity:gen:{who.site}", stored)
    key = cache.key(who, "doc.get", {})
    generation = store.get(f"ipernity:gen:{who.site}")
    assert isinstance(generation, str)
    assert len(generation) == 16
    assert f":{generation}:" in str(key)


def test_an_unpickling_store_is_refused_with_what_to_use_instead() -> None:
    from cachelib import RedisCache

    with pytest.raises(ValueError) as caught:
        ResponseCache(RedisCache())
    assert str(caught.value).endswith(
        "use ipernity.cache.RedisStore (text only) or an in-process SimpleCache"
    )


class DictStore:
    """A store of unknown make: its ``get`` could unpickle, and nothing says it does not."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        self.entries[key] = value
        return True


class TextDictStore(TextStore):
    """The same store, vouching that it keeps text as it is."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.entries.get(key)

    def set(self, key: str, value: str, timeout: int | None = None) -> bool:
        self.entries[key] = value
        return True


def test_a_store_of_unknown_make_is_refused_with_how_to_vouch_for_it() -> None:
    with pytest.raises(ValueError, match=r"subclass ipernity\.cache\.TextStore"):
        ResponseCache(DictStore())


def test_a_text_store_of_ones_own_keeps_the_answers_as_json_text() -> None:
    store = TextDictStore()
    cache = ResponseCache(store)
    key = cache.key(cache.identity(URL, "key", "token"), "doc.get", {})
    assert key is not None
    cache.put(key, answer(1))
    assert cache.get(key) == answer(1)
    assert json.loads(store.entries[key]) == answer(1)
