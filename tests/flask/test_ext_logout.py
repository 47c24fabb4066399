"""Logging out: a GET shows a one-button form, its POST (with its token) logs out."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, session_of

from flask_ipernity import current_extension, logged_out
from ipernity.sandbox import User


def csrf_token_of(page: str) -> str:
    """The token in the logout form."""
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_get_shows_a_one_button_form_and_keeps_the_login(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    page = client.get("/logout")
    assert page.status_code == 200
    assert page.text.count("<button") == 1
    assert 'method="post"' in page.text
    assert "Alice" in page.text
    assert client.get("/me").status_code == 200


def test_post_with_the_forms_token_logs_out(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    token = csrf_token_of(client.get("/logout").text)
    answer = client.post("/logout", data={"csrf_token": token})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    assert "ipernity_token" not in session_of(client)
    assert client.get("/me").status_code == 302


def test_post_goes_to_the_forms_next(client: FlaskClient, login: Login, alice: User) -> None:
    login(client, alice)
    token = csrf_token_of(client.get("/logout?next=/goodbye").text)
    answer = client.post("/logout", data={"csrf_token": token, "next": "/goodbye"})
    assert answer.headers["Location"] == "/goodbye"


def test_post_without_the_token_is_refused(client: FlaskClient, login: Login, alice: User) -> None:
    login(client, alice)
    client.get("/logout")
    answer = client.post("/logout")
    assert answer.status_code == 400
    assert client.get("/me").status_code == 200


@pytest.mark.parametrize("token", [None, ""], ids=["no-field", "empty-field"])
def test_a_forged_post_to_a_session_that_has_no_token_yet_is_refused(
    client: FlaskClient, login: Login, alice: User, token: str | None
) -> None:
    # Logged in, but no form was ever shown: the session holds no CSRF token, and
    # an empty one posted must not equal it.
    login(client, alice)
    assert "ipernity_csrf" not in session_of(client)
    data = {} if token is None else {"csrf_token": token}
    assert client.post("/logout", data=data).status_code == 400
    assert client.get("/me").status_code == 200


def test_post_with_a_wrong_token_is_refused(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    client.get("/logout")
    assert client.post("/logout", data={"csrf_token": "guessed"}).status_code == 400
    assert client.get("/me").status_code == 200


def test_post_with_a_non_ascii_token_is_refused(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    client.get("/logout")
    assert client.post("/logout", data={"csrf_token": "\u00e9t\u00e9"}).status_code == 400


def test_a_token_from_another_session_is_refused(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    attacker_token = csrf_token_of(app.test_client().get("/logout").text)
    assert client.post("/logout", data={"csrf_token": attacker_token}).status_code == 400


def test_logging_out_sends_the_logged_out_signal(
    app: Flask, client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    token = csrf_token_of(client.get("/logout").text)
    members: list[Any] = []

    def receiver(sender: Flask, member: Any, **extra: Any) -> None:
        members.append(member)

    with logged_out.connected_to(receiver, sender=app):
        client.post("/logout", data={"csrf_token": token})
    assert [m.user_id for m in members] == [str(alice.user_id)]


def test_logout_without_a_login_says_so(app: Flask) -> None:
    with app.test_request_context():
        assert current_extension().logout() is False
