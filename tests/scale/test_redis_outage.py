"""When Redis is down, a site keeping tokens or its cache there degrades, it does not crash."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from flask import Flask, session

from flask_ipernity import Ipernity, current_extension, login_required
from flask_ipernity.storage import StorageUnavailable
from flask_ipernity.storage.redis import REDIS_TIMEOUT, RedisStorage, redis_client
from ipernity.sandbox import App, Sandbox

TOKEN = {
    "token": "token-of-alice",
    "permissions": {"doc": "read"},
    "user": {"user_id": "1", "username": "alice", "realname": "Alice"},
}


def keyed_site(sandbox: Sandbox, web_app: App, **config: Any) -> Flask:
    """A site with a public page (``/``) and a protected one (``/private``)."""
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_AUTH_URL=sandbox.authorize_url,
        IPERNITY_SANDBOX=False,
        **config,
    )
    Ipernity(site)

    @site.get("/")
    def home() -> str:
        return "home"

    @site.get("/private")
    @login_required
    def private() -> str:
        return "private"

    return site


@pytest.fixture
def dead_redis_url() -> str:
    """A redis:// URL on a port where nothing listens (with a password to keep quiet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://:hunter2@127.0.0.1:{port}/0"


@pytest.fixture
def site(sandbox: Sandbox, web_app: App, dead_redis_url: str) -> Flask:
    return keyed_site(sandbox, web_app, IPERNITY_TOKEN_STORAGE=dead_redis_url)


def test_visitors_count_as_logged_out_while_redis_is_down(
    site: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with site.test_request_context():
        # A visitor who logged in before Redis went away.
        session["ipernity_sid"] = "an-id-from-an-earlier-login"
        assert current_extension().token is None
        assert not current_extension().is_logged_in
    assert "Token storage unreachable" in caplog.text
    assert "hunter2" not in caplog.text


def test_pages_without_login_still_work(site: Flask) -> None:
    assert site.test_client().get("/").status_code == 200


def test_protected_pages_send_visitors_to_log_in(site: Flask) -> None:
    answer = site.test_client().get("/private")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_storing_a_token_is_a_clear_503(site: Flask) -> None:
    @site.get("/store")
    def store() -> str:
        current_extension().log_in(TOKEN)
        return "stored"

    answer = site.test_client().get("/store")
    assert answer.status_code == 503
    assert "Logging in is unavailable right now" in answer.text
    assert "hunter2" not in answer.text
    assert "Traceback" not in answer.text


def test_the_error_never_quotes_the_url(dead_redis_url: str, site: Flask) -> None:
    storage = RedisStorage(dead_redis_url)
    with site.test_request_context(), pytest.raises(StorageUnavailable) as caught:
        storage.set(TOKEN)
    assert "hunter2" not in str(caught.value)
    assert "ConnectionError" in str(caught.value)


def test_every_redis_command_has_a_timeout_by_default() -> None:
    kwargs = redis_client("redis://127.0.0.1:6379/0").connection_pool.connection_kwargs
    assert kwargs["socket_timeout"] == REDIS_TIMEOUT
    assert kwargs["socket_connect_timeout"] == REDIS_TIMEOUT


def test_a_hung_redis_does_not_hang_the_site(sandbox: Sandbox, web_app: App) -> None:
    # A server that accepts connections and never answers.
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        port = listener.getsockname()[1]
        site = keyed_site(
            sandbox,
            web_app,
            IPERNITY_TOKEN_STORAGE=f"redis://127.0.0.1:{port}/0?socket_timeout=0.3",
        )
        started = time.monotonic()
        with site.test_request_context():
            session["ipernity_sid"] = "an-id-from-an-earlier-login"
            assert current_extension().token is None
        assert time.monotonic() - started < 3
    finally:
        listener.close()


def test_reads_go_to_ipernity_while_the_redis_cache_is_down(
    sandbox: Sandbox, web_app: App, dead_redis_url: str
) -> None:
    site = keyed_site(sandbox, web_app, IPERNITY_CACHE=dead_redis_url)
    with site.test_request_context():
        assert current_extension().api.test.echo(echo="hi")["echo"] == "hi"


def test_a_failing_cache_is_logged_without_its_url(
    sandbox: Sandbox, web_app: App, dead_redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    site = keyed_site(sandbox, web_app, IPERNITY_CACHE=dead_redis_url)
    with site.test_request_context():
        current_extension().api.test.echo(echo="hi")
    assert "Response cache unreachable (ConnectionError)" in caplog.text
    assert "hunter2" not in caplog.text
