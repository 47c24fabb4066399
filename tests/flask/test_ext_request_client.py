"""The request's client on flask.g always carries the current visitor's token."""

from __future__ import annotations

import copy

from flask import Flask
from sites import Login, SiteFactory

from flask_ipernity import SessionStorage, TokenStorage, api, current_extension
from flask_ipernity.storage import TokenMapping
from ipernity.sandbox import User


def test_visitors_sharing_one_pushed_context_get_their_own_clients(
    app: Flask, login: Login, alice: User, bob: User
) -> None:
    # pytest-flask's client fixture keeps one application context for a whole test.
    with app.app_context():
        as_alice, as_bob = app.test_client(), app.test_client()
        login(as_alice, alice)
        login(as_bob, bob)
        assert as_alice.get("/me/from-api").get_json() == {"username": alice.username}
        assert as_bob.get("/me/from-api").get_json() == {"username": bob.username}
        assert as_alice.get("/me/from-api").get_json() == {"username": alice.username}


def test_a_token_changed_during_the_request_gets_a_new_client(app: Flask) -> None:
    with app.test_request_context():
        assert api.token is None
        SessionStorage().set(
            {"token": "1-new", "permissions": {"doc": "read"}, "user": {"user_id": "1"}}
        )
        assert api.token == "1-new"
        SessionStorage().delete()
        assert api.token is None


def test_the_client_is_kept_while_the_token_stays(app: Flask) -> None:
    with app.test_request_context():
        extension = current_extension()
        assert extension.api is extension.api


class FreshCopies(TokenStorage):
    """A token storage that reads a new mapping each time, as one on a server does."""

    def __init__(self, token: TokenMapping | None) -> None:
        self.token = token

    def get(self) -> TokenMapping | None:
        return copy.deepcopy(self.token)

    def set(self, token: TokenMapping) -> None:
        self.token = token

    def delete(self) -> None:
        self.token = None


def test_the_client_is_kept_while_the_storage_reads_an_equal_token(
    make_site: SiteFactory,
) -> None:
    token = {"token": "1-kept", "permissions": {"doc": "read"}, "user": {"user_id": "1"}}
    site = make_site(IPERNITY_TOKEN_STORAGE=FreshCopies(token))
    with site.test_request_context():
        extension = current_extension()
        assert extension.api is extension.api


def test_a_token_the_storage_reads_differently_gets_a_new_client(
    make_site: SiteFactory,
) -> None:
    storage = FreshCopies({"token": "1-old", "permissions": {"doc": "read"}, "user": {}})
    site = make_site(IPERNITY_TOKEN_STORAGE=storage)
    with site.test_request_context():
        assert api.token == "1-old"
        storage.set({"token": "1-new", "permissions": {"doc": "read"}, "user": {}})
        assert api.token == "1-new"
