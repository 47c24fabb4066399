"""The request's client on flask.g always carries the current visitor's token."""

from __future__ import annotations

from flask import Flask
from sites import Login

from flask_ipernity import SessionStorage, api, current_extension
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
