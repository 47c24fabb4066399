"""IPERNITY_CACHE shares read-only answers between a site's clients."""

from __future__ import annotations

import pytest
from cachelib import RedisCache, SimpleCache
from flask.testing import FlaskClient
from sites import Login, SiteFactory

from flask_ipernity import ConfigurationError, api, current_extension
from flask_ipernity.storage.redis import RedisStorage
from ipernity.sandbox import Sandbox, User


def user_get_calls(sandbox: Sandbox) -> int:
    return sum(1 for call in sandbox.calls if call.method == "user.get")


def test_without_a_cache_every_read_goes_upstream(
    make_site: SiteFactory, login: Login, sandbox: Sandbox, alice: User
) -> None:
    client = make_site().test_client()
    login(client, alice)
    before = user_get_calls(sandbox)
    client.get("/me/from-api")
    client.get("/me/from-api")
    assert user_get_calls(sandbox) == before + 2


def test_a_simple_cache_answers_repeated_reads(
    make_site: SiteFactory, login: Login, sandbox: Sandbox, alice: User
) -> None:
    client = make_site(IPERNITY_CACHE="simple").test_client()
    login(client, alice)
    first = client.get("/me/from-api").get_json()
    before = user_get_calls(sandbox)
    assert client.get("/me/from-api").get_json() == first
    assert user_get_calls(sandbox) == before


def test_visitors_do_not_share_cached_answers(
    make_site: SiteFactory, login: Login, alice: User, bob: User
) -> None:
    site = make_site(IPERNITY_CACHE=SimpleCache())
    as_alice: FlaskClient = site.test_client()
    as_bob: FlaskClient = site.test_client()
    login(as_alice, alice)
    login(as_bob, bob)
    assert as_alice.get("/me/from-api").get_json() == {"username": alice.username}
    assert as_bob.get("/me/from-api").get_json() == {"username": bob.username}


def test_the_cache_ttl_reaches_the_clients(make_site: SiteFactory) -> None:
    site = make_site(IPERNITY_CACHE="simple", IPERNITY_CACHE_TTL=42)
    with site.test_request_context():
        cache = current_extension().client()._cache
        assert cache is not None
        assert cache.ttl == 42


@pytest.mark.parametrize("setting", ["memcached://nowhere", 12])
def test_an_unknown_cache_is_an_error_at_startup(make_site: SiteFactory, setting: object) -> None:
    with pytest.raises(ConfigurationError, match="IPERNITY_CACHE must be"):
        make_site(IPERNITY_CACHE=setting)


def test_a_redis_url_selects_server_side_token_storage(make_site: SiteFactory) -> None:
    # Nothing is connected until a visitor's token is read or stored.
    site = make_site(IPERNITY_TOKEN_STORAGE="redis://127.0.0.1:1/0")
    with site.test_request_context():
        assert isinstance(current_extension()._state().storage, RedisStorage)


def test_an_unknown_storage_url_is_refused_without_repeating_it(make_site: SiteFactory) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make_site(IPERNITY_TOKEN_STORAGE="mysql://user:hunter2@db/x")
    assert "hunter2" not in str(caught.value)


def test_a_document_made_private_through_the_site_is_hidden_from_visitors_at_once(
    make_site: SiteFactory, login: Login, sandbox: Sandbox, alice: User
) -> None:
    site = make_site(IPERNITY_CACHE="simple", IPERNITY_PERMISSIONS={"doc": "write"})

    @site.route("/docs/<int:doc_id>")
    def doc(doc_id: int) -> str:
        return str(api.doc.get(doc_id=doc_id)["doc"]["title"])

    @site.post("/docs/<int:doc_id>/private")
    def make_private(doc_id: int) -> str:
        api.doc.setPerms(doc_id=doc_id, is_public=0, is_friend=0, is_family=0)
        return "private"

    photo = sandbox.add_doc(alice, "Seen by all", is_public=True)
    visitor, owner = site.test_client(), site.test_client()
    assert visitor.get(f"/docs/{photo.doc_id}").text == "Seen by all"
    login(owner, alice)
    owner.post(f"/docs/{photo.doc_id}/private")
    assert visitor.get(f"/docs/{photo.doc_id}").status_code == 404


def test_a_cache_that_unpickles_is_refused_at_startup(make_site: SiteFactory) -> None:
    with pytest.raises(ConfigurationError, match="unpickles"):
        make_site(IPERNITY_CACHE=RedisCache())
