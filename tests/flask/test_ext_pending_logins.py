"""PendingLogins on their own: which record a callback gets, and which it never gets."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask, session
from itsdangerous import URLSafeSerializer

from flask_ipernity.login_state import (
    SESSION_KEY,
    LoginTimedOut,
    NoPendingLogin,
    PendingLogins,
)

SECRET = "a secret for these tests"


@pytest.fixture
def request_context() -> Iterator[None]:
    site = Flask(__name__)
    site.secret_key = SECRET
    with site.test_request_context():
        yield


def forged(payload: dict[str, object], key: str, salt: str | None) -> str:
    return URLSafeSerializer(key, salt=salt).dumps(payload)


LEGACY = {"s": "state", "n": "/legacy", "p": {"doc": "read"}}


@pytest.mark.usefixtures("request_context")
def test_a_login_is_live_the_moment_it_is_recorded() -> None:
    # Its start time is kept to the millisecond: rounded up, it would lie in the
    # future and the login be dropped by the next one started in that millisecond.
    logins = PendingLogins(timeout=600)
    for _ in range(50):
        logins.start("/first", {})
        logins.start("/second", {})
        assert [logins.take().next_url, logins.take().next_url] == ["/second", "/first"]


@pytest.mark.usefixtures("request_context")
def test_logins_are_completed_newest_first() -> None:
    logins = PendingLogins(timeout=600)
    for _ in range(5):  # the signed records sort at random: five rounds leave no luck
        started = [logins.start(f"/tab/{n}", {}) for n in range(3)]
        assert [logins.take().next_url for _ in started] == ["/tab/2", "/tab/1", "/tab/0"]
        with pytest.raises(NoPendingLogin):
            logins.take()


@pytest.mark.usefixtures("request_context")
def test_the_permissions_asked_come_back_with_the_login() -> None:
    logins = PendingLogins(timeout=600)
    logins.start("/write", {"doc": "write", "network": "read"})
    assert logins.take().permissions == {"doc": "write", "network": "read"}


@pytest.mark.usefixtures("request_context")
def test_an_unreadable_record_does_not_hide_the_ones_after_it() -> None:
    logins = PendingLogins(timeout=600)
    logins.start("/good", {})
    session[SESSION_KEY] = ["not a signed record", *session[SESSION_KEY]]
    assert logins.take().next_url == "/good"


@pytest.mark.parametrize(
    ("key", "salt"),
    [
        (SECRET, None),  # itsdangerous' default salt: signed for another purpose
        (SECRET, "itsdangerous"),
        ("", "flask-ipernity.pending-login"),  # an empty key anyone can sign with
        ("another site's key", "flask-ipernity.pending-login"),
    ],
)
@pytest.mark.usefixtures("request_context")
def test_a_record_signed_otherwise_is_not_a_pending_login(key: str, salt: str | None) -> None:
    session[SESSION_KEY] = [forged({**LEGACY, "t": 9e9, "q": 1}, key, salt)]
    with pytest.raises(NoPendingLogin):
        PendingLogins(timeout=1e12).take()


@pytest.mark.usefixtures("request_context")
def test_a_record_from_before_sequences_is_still_taken() -> None:
    legacy = forged({**LEGACY, "t": time.time() - 1}, SECRET, "flask-ipernity.pending-login")
    session[SESSION_KEY] = [legacy]
    assert PendingLogins(timeout=600).take().next_url == "/legacy"


@pytest.mark.usefixtures("request_context")
def test_binding_when_every_login_expired_empties_the_session() -> None:
    PendingLogins(timeout=600).start("/old", {})
    expired = PendingLogins(timeout=-1)  # every login is past it
    expired.bind("12345")
    assert SESSION_KEY not in session
    with pytest.raises(NoPendingLogin):
        expired.take()


@pytest.mark.usefixtures("request_context")
def test_an_expired_login_is_a_timeout_not_a_forgery() -> None:
    PendingLogins(timeout=600).start("/old", {})
    with pytest.raises(LoginTimedOut):
        PendingLogins(timeout=-1).take()
