"""An OAuth login kept in RedisStorage: the token and its secret on the server."""

from __future__ import annotations

import json
from typing import Any

import pytest
import redis
from flask import Flask, jsonify
from flask.sessions import SecureCookieSessionInterface

from flask_ipernity import Ipernity, api, login_required
from flask_ipernity.testing import SandboxLogin
from ipernity.sandbox import App, Sandbox, User

pytestmark = pytest.mark.redis


def test_redis_storage_keeps_the_oauth_token_and_its_secret(
    sandbox: Sandbox,
    web_app: App,
    alice: User,
    redis_url: str,
    redis_client: redis.Redis,
    ipernity_login: SandboxLogin,
) -> None:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="redis oauth",
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_AUTH_URL=sandbox.authorize_url,
        IPERNITY_SANDBOX=False,
        IPERNITY_AUTH_METHOD="oauth",
        IPERNITY_OAUTH_WITHOUT_VERIFIER=True,
        IPERNITY_CALLBACK_URL="http://localhost/callback",
        IPERNITY_TOKEN_STORAGE=redis_url,
    )
    Ipernity(site)

    @site.route("/me")
    @login_required
    def me() -> Any:
        return jsonify(username=api.user.get()["user"]["username"])

    client = site.test_client()
    ipernity_login(client, alice, sandbox=sandbox)
    records = [
        json.loads(redis_client.get(key) or "{}")
        for key in redis_client.scan_iter("ipernity:token:*")
        if redis_client.type(key) == "string" and "generation" not in key
    ]
    [record] = [found for found in records if "token" in found]
    assert record["oauth_token_secret"]
    cookie = client.get_cookie(site.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = SecureCookieSessionInterface().get_signing_serializer(site)
    assert serializer is not None
    # The cookie holds an opaque id only: neither the token nor its secret.
    session = json.dumps(serializer.loads(cookie.value))
    assert record["token"] not in session
    assert record["oauth_token_secret"] not in session
    assert client.get("/me").get_json() == {"username": alice.username}
