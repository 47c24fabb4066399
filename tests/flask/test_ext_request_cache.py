"""0.1's request cache counters: found where 0.1 sites read them, without rewriting the cookie.

0.1 counted ``api_calls`` and ``returns_from_cache`` in the session and sites
read them with ``ipernity.session_get()``. Kept in the session cookie, every
answer from the cache changed the cookie, which the site then signed and sent
again; here an answer from the cache leaves the cookie as it was.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, jsonify, request
from flask.testing import FlaskClient

from flask_ipernity import Ipernity, ipernity, ipernity_auth_required
from flask_ipernity.compat.request_cache import VisitorCounts
from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User

COUNTERS = ("api_calls", "returns_from_cache")


@contextmanager
def quietly() -> Iterator[None]:
    """The site is 0.1's: its names warn, which is not what these tests look at."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


@pytest.fixture
def site(sandbox: Sandbox, web_app: App) -> Flask:
    """A 0.1 site with the request cache: ``/explore`` calls the API, ``/counts`` reads."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="a secret for the tests",
        IPERNITY_APP_KEY=web_app.api_key,
        IPERNITY_APP_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_CACHE_REQUESTS=True,
    )
    with quietly():
        Ipernity(app)

    @app.route("/explore")
    def explore() -> Any:
        with quietly():
            return jsonify(ipernity.api.test.echo(echo="explore"))

    @app.route("/counts")
    def counts() -> Any:
        with quietly():
            return jsonify([ipernity.session_get(name, 0) for name in COUNTERS])

    @app.post("/counts")
    def change_counts() -> Any:
        with quietly():
            if request.args.get("pop"):
                return jsonify(ipernity.session_pop("api_calls"))
            ipernity.session_set("returns_from_cache", 0)
        return jsonify("set")

    @app.route("/logout")
    def logout() -> str:
        with quietly():
            ipernity.logout()
        return "out"

    return app


def test_calls_and_answers_from_the_cache_are_counted_per_visitor(site: Flask) -> None:
    visitor, other = site.test_client(), site.test_client()
    for _ in range(3):
        visitor.get("/explore")
    assert visitor.get("/counts").json == [1, 2]
    assert other.get("/counts").json == [0, 0]


def test_an_answer_from_the_cache_leaves_the_session_cookie_as_it_was(site: Flask) -> None:
    visitor = site.test_client()
    visitor.get("/explore")
    again = visitor.get("/explore")
    assert again.status_code == 200
    assert "Set-Cookie" not in again.headers


@pytest.fixture
def members_site(sandbox: Sandbox, web_app: App) -> Flask:
    """An upgraded 0.1 site as most are: Flask-Login, the request cache, ``/me`` protected."""
    from flask_login import LoginManager, current_user

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="a secret for the tests",
        IPERNITY_APP_KEY=web_app.api_key,
        IPERNITY_APP_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
        IPERNITY_AUTH_URL=sandbox.authorize_url,
        IPERNITY_LOGIN=True,
        IPERNITY_CACHE_REQUESTS=True,
    )
    LoginManager(app)
    with quietly():
        Ipernity(app)

        @app.route("/me")
        @ipernity_auth_required()
        def me() -> Any:
            with quietly():
                member = ipernity.api.user.get()["user"]["username"]
            return jsonify(member=member, user=current_user.username)

    return app


def test_a_members_page_from_the_cache_leaves_the_session_cookie_as_it_was(
    members_site: Flask, sandbox: Sandbox, alice: User
) -> None:
    visitor = members_site.test_client()
    to_ipernity = visitor.get("/ipernity/login?next=/me")
    authorization_page = to_ipernity.headers["Location"]
    callback = approve(sandbox, alice, authorization_page)
    # Coming back from Ipernity's page, as a browser says: the login completes at once.
    page = urlsplit(authorization_page)
    referer = {"Referer": f"{page.scheme}://{page.netloc}/"}
    visitor.get("/ipernity/cb?" + urlsplit(callback).query, headers=referer)
    visitor.get("/me")
    again = visitor.get("/me")
    assert again.json == {"member": alice.username, "user": alice.username}
    assert "Set-Cookie" not in again.headers


def test_a_site_may_reset_and_pop_a_counter(site: Flask) -> None:
    visitor = site.test_client()
    visitor.get("/explore")
    visitor.get("/explore")
    visitor.post("/counts")
    assert visitor.get("/counts").json == [1, 0]
    assert visitor.post("/counts?pop=1").json == 1
    assert visitor.get("/counts").json == [0, 0]


def test_0_1s_logout_starts_the_counts_again(site: Flask) -> None:
    visitor: FlaskClient = site.test_client()
    visitor.get("/explore")
    visitor.get("/logout")
    assert visitor.get("/counts").json == [0, 0]


def test_the_process_forgets_the_visitors_unseen_longest_first() -> None:
    counts = VisitorCounts(capacity=2)
    for visitor in ("a", "b", "a", "c"):
        counts.add_one(visitor, "api_calls")
    assert [counts.get(v, "api_calls") for v in ("a", "b", "c")] == [2, None, 1]
