"""The response cache: a write clears the whole site's answers; entries are JSON only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cachelib import FileSystemCache, RedisCache, SimpleCache

from ipernity import IpernityAPI, NotFound
from ipernity.cache import ResponseCache
from ipernity.sandbox import App, Sandbox, User


def client(sandbox: Sandbox, app: App, store: Any, token: Any = None) -> IpernityAPI:
    return IpernityAPI(
        app.api_key, app.api_secret, token, url=sandbox.api_url, cache=store, retries=0
    )


def test_a_members_write_clears_what_anonymous_visitors_cached(
    sandbox: Sandbox, desktop_app: App, alice: User
) -> None:
    store = SimpleCache()
    owner = client(
        sandbox, desktop_app, store, sandbox.grant(alice, desktop_app, {"doc": "write"})
    )
    anonymous = client(sandbox, desktop_app, store)
    doc = sandbox.add_doc(alice, "Public for now", is_public=True)
    assert anonymous.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "Public for now"
    owner.doc.setPerms(doc_id=doc.doc_id, is_public=0, is_friend=0, is_family=0)
    with pytest.raises(NotFound):
        anonymous.doc.get(doc_id=doc.doc_id)


class WriteDuringFetch(SimpleCache):
    """A store where another client's write lands while a read is fetching its answer.

    The read missed a call key and went to the service; the write happens
    before the store is touched again.
    """

    def __init__(self) -> None:
        super().__init__()
        self.write: Callable[[], object] | None = None
        self._fetching = False

    def get(self, key: str) -> Any:
        self._land_the_write()
        value = super().get(key)
        if value is None and key.startswith("ipernity:call:") and self.write is not None:
            self._fetching = True
        return value

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        self._land_the_write()
        return bool(super().set(key, value, timeout))

    def _land_the_write(self) -> None:
        if self._fetching and self.write is not None:
            write, self.write, self._fetching = self.write, None, False
            write()


def test_an_answer_fetched_during_a_write_is_not_served_after_it(
    sandbox: Sandbox, desktop_app: App, alice: User
) -> None:
    store = WriteDuringFetch()
    owner = client(
        sandbox, desktop_app, store, sandbox.grant(alice, desktop_app, {"doc": "write"})
    )
    anonymous = client(sandbox, desktop_app, store)
    doc = sandbox.add_doc(alice, "Public while fetched", is_public=True)
    store.write = lambda: owner.doc.setPerms(
        doc_id=doc.doc_id, is_public=0, is_friend=0, is_family=0
    )
    assert anonymous.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "Public while fetched"
    assert store.write is None
    with pytest.raises(NotFound):
        anonymous.doc.get(doc_id=doc.doc_id)


def test_a_write_clears_other_members_cached_answers(
    sandbox: Sandbox, desktop_app: App, alice: User, bob: User
) -> None:
    store = SimpleCache()
    owner = client(
        sandbox, desktop_app, store, sandbox.grant(alice, desktop_app, {"doc": "write"})
    )
    friend = client(sandbox, desktop_app, store, sandbox.grant(bob, desktop_app, {"doc": "read"}))
    doc = sandbox.add_doc(alice, "Old title")
    assert friend.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "Old title"
    owner.doc.set(doc_id=doc.doc_id, title="New title")
    assert friend.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "New title"


def test_another_sites_write_leaves_this_sites_answers(
    sandbox: Sandbox, desktop_app: App, alice: User
) -> None:
    store = SimpleCache()
    other_app = sandbox.add_app("Another site", auth="desktop")
    writer = client(sandbox, other_app, store, sandbox.grant(alice, other_app, {"doc": "write"}))
    reader = client(sandbox, desktop_app, store)
    doc = sandbox.add_doc(alice, "Kept")
    reader.doc.get(doc_id=doc.doc_id)
    writer.doc.set(doc_id=doc.doc_id, title="Changed elsewhere")
    # Changes made outside this site are seen once the answer expires (the TTL).
    assert reader.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "Kept"


def test_a_lost_generation_does_not_bring_back_older_answers() -> None:
    store = SimpleCache()
    cache = ResponseCache(store, ttl=60)
    who = cache.identity("http://127.0.0.1/api/", "key", None)
    first = cache.key(who, "doc.get", {"doc_id": "1"})
    assert first is not None
    cache.put(first, {"doc": {"title": "before the write"}})
    cache.invalidate(who)
    # A store under memory pressure evicts the generation.
    store.clear()
    store.set(first, '{"doc": {"title": "before the write"}}')
    key = cache.key(who, "doc.get", {"doc_id": "1"})
    assert key is not None
    assert cache.get(key) is None


@pytest.mark.parametrize(
    "entry",
    ["not json", "[1, 2]", '"text"', b'{"doc": {}}', {"doc": {}}, 42],
    ids=["not-json", "json-list", "json-string", "bytes", "object", "number"],
)
def test_an_entry_that_is_not_our_json_is_a_logged_miss(
    entry: object, caplog: pytest.LogCaptureFixture
) -> None:
    store = SimpleCache()
    cache = ResponseCache(store, ttl=60)
    key = cache.key(cache.identity("http://127.0.0.1/api/", "key", "secret-token"), "a.b", {})
    assert key is not None
    store.set(key, entry)
    with caplog.at_level(logging.WARNING, logger="ipernity"):
        assert cache.get(key) is None
    assert "not an answer this library wrote" in caplog.text
    assert "secret-token" not in caplog.text


@pytest.mark.parametrize("store_class", [RedisCache, FileSystemCache])
def test_stores_that_unpickle_what_they_read_are_refused(
    store_class: type, tmp_path: Path
) -> None:
    store = FileSystemCache(str(tmp_path)) if store_class is FileSystemCache else RedisCache()
    with pytest.raises(ValueError, match="unpickles"):
        ResponseCache(store)
