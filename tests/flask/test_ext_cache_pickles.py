"""IPERNITY_CACHE never lets a store unpickle what it reads, however the store is wrapped.

Whoever can write to a shared store (a cache directory, a Redis server) can
plant a pickle there; unpickling it runs their code in the site. The attacks
below plant one whose unpickling creates a folder, under the key the site
reads first: its cache generation, read by its first API call.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_caching import Cache

from flask_ipernity import ConfigurationError, Ipernity, api
from ipernity.cache import RedisStore, ResponseCache
from ipernity.sandbox import App, Sandbox, User


class Planted:
    """A pickle that, once unpickled, creates the folder ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def site_without_ipernity(sandbox: Sandbox, web_app: App) -> Flask:
    """A site whose ``/echo`` calls the API; Flask-Ipernity is for the test to set up."""
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_SANDBOX=False,
    )

    @site.route("/echo")
    def echo() -> str:
        return str(api.test.echo(echo="hello")["echo"])

    return site


def flask_caching_site(sandbox: Sandbox, web_app: App, cache_config: dict[str, Any]) -> Flask:
    """The site with a Flask-Caching ``Cache`` set up on it and named in IPERNITY_CACHE."""
    site = site_without_ipernity(sandbox, web_app)
    site.config["IPERNITY_CACHE"] = Cache(site, config=cache_config)
    return site


def set_up_and_call_the_api(site: Flask) -> None:
    """Set Flask-Ipernity up on ``site``, then call the API through it once."""
    Ipernity(site)
    site.test_client().get("/echo")


def generation_key(sandbox: Sandbox, web_app: App) -> str:
    """The key the site's first API call reads: the site's cache generation."""
    identity = ResponseCache(RedisStore(None)).identity(sandbox.api_url, web_app.api_key, None)
    return f"ipernity:gen:{identity.site}"


def test_a_pickle_planted_in_a_flask_caching_directory_never_runs(
    sandbox: Sandbox, web_app: App, tmp_path: Path
) -> None:
    marker = tmp_path / "the-pickle-ran"
    config = {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(tmp_path / "cache")}
    site = flask_caching_site(sandbox, web_app, config)
    with site.app_context():
        site.config["IPERNITY_CACHE"].set(generation_key(sandbox, web_app), Planted(marker))
    with pytest.raises(ConfigurationError, match="FileSystemCache unpickles what it reads"):
        set_up_and_call_the_api(site)
    assert not marker.exists()


def test_flask_caching_over_redis_is_refused_for_the_same_reason(
    sandbox: Sandbox, web_app: App
) -> None:
    # Refused before any connection: no Redis server is needed to see it.
    config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:1/0"}
    site = flask_caching_site(sandbox, web_app, config)
    with pytest.raises(ConfigurationError, match=r"RedisCache unpickles .* a redis:// URL"):
        Ipernity(site)


def test_flask_caching_in_process_keeps_the_librarys_json_text(
    sandbox: Sandbox, web_app: App, alice: User
) -> None:
    site = flask_caching_site(sandbox, web_app, {"CACHE_TYPE": "SimpleCache"})
    Ipernity(site)
    client = site.test_client()
    before = sum(1 for call in sandbox.calls if call.method == "test.echo")
    assert client.get("/echo").text == client.get("/echo").text == "hello"
    assert sum(1 for call in sandbox.calls if call.method == "test.echo") == before + 1
    with site.app_context():
        backend = site.config["IPERNITY_CACHE"].cache
        entries = [backend.get(key) for key in list(backend._cache)]
    assert entries
    assert all(isinstance(entry, str) for entry in entries)


def test_a_flask_caching_cache_set_up_on_another_application_is_refused(
    sandbox: Sandbox, web_app: App
) -> None:
    site = site_without_ipernity(sandbox, web_app)
    site.config["IPERNITY_CACHE"] = Cache(Flask("elsewhere"), config={"CACHE_TYPE": "SimpleCache"})
    with pytest.raises(ConfigurationError, match="not set up on this application"):
        Ipernity(site)


class PicklingStore:
    """A store of a make the library does not know, which unpickles what it reads."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def get(self, key: str) -> Any:
        entry = self.entries.get(key)
        return None if entry is None else pickle.loads(entry)  # noqa: S301 -- the attack

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        self.entries[key] = pickle.dumps(value)
        return True


def test_a_store_of_unknown_make_is_refused(
    sandbox: Sandbox, web_app: App, tmp_path: Path
) -> None:
    marker = tmp_path / "the-pickle-ran"
    store = PicklingStore()
    store.entries[generation_key(sandbox, web_app)] = pickle.dumps(Planted(marker))
    site = site_without_ipernity(sandbox, web_app)
    site.config["IPERNITY_CACHE"] = store
    with pytest.raises(ConfigurationError, match=r"subclass ipernity\.cache\.TextStore"):
        set_up_and_call_the_api(site)
    assert not marker.exists()
