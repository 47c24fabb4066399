"""RedisStorage keeps tokens on a real redis-server; the cookie holds only an id."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from flask import Flask, jsonify
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient

from flask_ipernity.storage.base import TokenStorage
from flask_ipernity.storage.redis import RedisStorage

pytestmark = pytest.mark.redis

TOKEN = {
    "token": "secret-token-of-alice",
    "permissions": {"doc": "read", "blog": "none"},
    "user": {"user_id": "1", "username": "alice", "realname": "Alice"},
}


def storage_app(storage: TokenStorage) -> Flask:
    """A bare app whose routes call the storage as the extension does."""
    app = Flask(__name__)
    app.secret_key = "test secret"

    @app.post("/login/<name>")
    def login(name: str) -> Any:
        storage.set({**TOKEN, "token": f"token-of-{name}"})
        return "ok"

    @app.get("/token")
    def token() -> Any:
        return jsonify(storage.get())

    @app.get("/twice")
    def twice() -> Any:
        return jsonify([storage.get(), storage.get()])

    @app.post("/logout")
    def logout() -> Any:
        storage.delete()
        return "ok"

    return app


def session_of(site: Flask, client: FlaskClient) -> dict[str, Any]:
    """The decoded session cookie the browser holds."""
    cookie = client.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = SecureCookieSessionInterface().get_signing_serializer(site)
    assert serializer is not None
    data: dict[str, Any] = serializer.loads(cookie.value)
    return data


@pytest.fixture
def storage(redis_url: str) -> RedisStorage:
    return RedisStorage(redis_url, ttl=600)


@pytest.fixture
def site(storage: RedisStorage) -> Flask:
    return storage_app(storage)


def test_is_a_token_storage(storage: RedisStorage) -> None:
    assert isinstance(storage, TokenStorage)


def test_a_stored_token_comes_back_on_the_next_request(site: Flask) -> None:
    client = site.test_client()
    client.post("/login/alice")
    assert client.get("/token").json == {**TOKEN, "token": "token-of-alice"}


def test_the_cookie_carries_only_an_opaque_id(
    site: Flask, storage: RedisStorage, redis_client: redis.Redis
) -> None:
    client = site.test_client()
    client.post("/login/alice")
    cookie = client.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    assert "token-of-alice" not in cookie.value
    data = session_of(site, client)
    assert list(data) == [storage.session_key]
    assert len(data[storage.session_key]) >= 40


def test_the_record_key_is_a_hash_of_the_id_not_the_id(
    site: Flask, storage: RedisStorage, redis_client: redis.Redis
) -> None:
    client = site.test_client()
    client.post("/login/alice")
    visitor_id = session_of(site, client)[storage.session_key]
    keys = redis_client.keys("*")
    assert len(keys) == 1
    assert keys[0].startswith(storage.prefix)
    assert visitor_id not in keys[0]


def test_records_expire(site: Flask, storage: RedisStorage, redis_client: redis.Redis) -> None:
    client = site.test_client()
    client.post("/login/alice")
    (key,) = redis_client.keys("*")
    assert 0 < redis_client.ttl(key) <= storage.ttl


def test_a_record_unused_for_its_ttl_is_gone(redis_url: str) -> None:
    site = storage_app(RedisStorage(redis_url, ttl=1))
    client = site.test_client()
    client.post("/login/alice")
    time.sleep(1.5)
    assert client.get("/token").json is None


def test_each_request_renews_the_lifetime(
    site: Flask, storage: RedisStorage, redis_client: redis.Redis
) -> None:
    client = site.test_client()
    client.post("/login/alice")
    (key,) = redis_client.keys("*")
    redis_client.expire(key, 5)
    client.get("/token")
    assert redis_client.ttl(key) > 5


def test_every_login_draws_a_new_id_and_drops_the_old_record(
    site: Flask, storage: RedisStorage, redis_client: redis.Redis
) -> None:
    client = site.test_client()
    client.post("/login/alice")
    first = session_of(site, client)[storage.session_key]
    client.post("/login/alice")
    second = session_of(site, client)[storage.session_key]
    assert first != second
    assert len(redis_client.keys("*")) == 1


def test_an_id_planted_before_login_never_reaches_the_token(
    site: Flask, storage: RedisStorage
) -> None:
    attacker = site.test_client()
    attacker.post("/login/mallory")
    planted = attacker.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert planted is not None
    victim = site.test_client()
    victim.set_cookie(site.config["SESSION_COOKIE_NAME"], planted.value)
    victim.post("/login/alice")
    assert attacker.get("/token").json is None
    assert victim.get("/token").json["token"] == "token-of-alice"


def test_logout_deletes_the_record(
    site: Flask, storage: RedisStorage, redis_client: redis.Redis
) -> None:
    client = site.test_client()
    client.post("/login/alice")
    old_cookie = client.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert old_cookie is not None
    client.post("/logout")
    assert redis_client.keys("*") == []
    assert client.get("/token").json is None
    replay = site.test_client()
    replay.set_cookie(site.config["SESSION_COOKIE_NAME"], old_cookie.value)
    assert replay.get("/token").json is None


def test_logout_without_a_login_does_nothing(site: Flask) -> None:
    client = site.test_client()
    assert client.post("/logout").status_code == 200
    assert client.get("/token").json is None


def test_visitors_see_only_their_own_tokens(site: Flask) -> None:
    alice, bob = site.test_client(), site.test_client()
    alice.post("/login/alice")
    bob.post("/login/bob")
    assert alice.get("/token").json["token"] == "token-of-alice"
    assert bob.get("/token").json["token"] == "token-of-bob"


def test_redis_is_read_once_per_request(site: Flask, storage: RedisStorage) -> None:
    client = site.test_client()
    client.post("/login/alice")
    round_trips: list[int] = []
    real_pipeline = storage.client.pipeline

    def counting_pipeline(*args: Any, **options: Any) -> Any:
        round_trips.append(1)
        return real_pipeline(*args, **options)

    storage.client.pipeline = counting_pipeline  # type: ignore[method-assign]
    first, second = client.get("/twice").json
    assert first == second
    assert first["token"] == "token-of-alice"
    assert len(round_trips) == 1


def test_another_instance_with_the_same_secret_sees_the_visitor(redis_url: str) -> None:
    instance_a = storage_app(RedisStorage(redis_url))
    instance_b = storage_app(RedisStorage(redis_url))
    client_a = instance_a.test_client()
    client_a.post("/login/alice")
    cookie = client_a.get_cookie(instance_a.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    client_b = instance_b.test_client()
    client_b.set_cookie(instance_b.config["SESSION_COOKIE_NAME"], cookie.value)
    assert client_b.get("/token").json["token"] == "token-of-alice"
    client_b.post("/logout")
    assert client_a.get("/token").json is None


def test_accepts_a_ready_client(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    assert RedisStorage(client).client is client


def test_refuses_a_ttl_that_is_not_positive(redis_url: str) -> None:
    with pytest.raises(ValueError, match="ttl"):
        RedisStorage(redis_url, ttl=0)


def ending_site(storage: RedisStorage) -> Flask:
    """The storage app, with a second member and a route that ends sessions everywhere."""
    site = storage_app(storage)

    @site.post("/login-bob")
    def login_bob() -> Any:
        storage.set({**TOKEN, "token": "token-of-bob", "user": {"user_id": "2"}})
        return "ok"

    @site.post("/end-everywhere")
    def end_everywhere() -> Any:
        token = storage.get()
        assert token is not None
        storage.end_sessions(token["user"]["user_id"])
        return "ok"

    return site


def test_ending_a_members_sessions_logs_out_every_browser(storage: RedisStorage) -> None:
    site = ending_site(storage)
    laptop, phone, bob = site.test_client(), site.test_client(), site.test_client()
    laptop.post("/login/alice")
    phone.post("/login/alice")
    bob.post("/login-bob")
    laptop.post("/end-everywhere")
    assert phone.get("/token").json is None
    assert laptop.get("/token").json is None
    assert bob.get("/token").json["token"] == "token-of-bob"
    phone.post("/login/alice")
    assert phone.get("/token").json["token"] == "token-of-alice"


def test_a_copied_cookie_is_dead_after_the_member_ends_sessions(storage: RedisStorage) -> None:
    site = ending_site(storage)
    member = site.test_client()
    member.post("/login/alice")
    copy = site.test_client()
    cookie = member.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    copy.set_cookie(site.config["SESSION_COOKIE_NAME"], cookie.value)
    assert copy.get("/token").json["token"] == "token-of-alice"
    member.post("/end-everywhere")
    assert copy.get("/token").json is None
