"""Where tokens and pending logins live between requests, and the pages shown."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import SiteFactory, session_of

from flask_ipernity import SessionStorage, TokenStorage
from flask_ipernity.login_state import MAX_PENDING

TOKEN = {
    "token": "t-1",
    "permissions": {"doc": "read"},
    "user": {"user_id": "1", "username": "alice", "realname": "Alice"},
}


def test_token_storage_is_an_interface() -> None:
    with pytest.raises(TypeError):
        TokenStorage()  # type: ignore[abstract]


def test_session_storage_keeps_the_token_in_the_session(app: Flask) -> None:
    storage = SessionStorage()
    with app.test_request_context():
        assert storage.get() is None
        storage.set(TOKEN)
        assert storage.get() == TOKEN
        storage.delete()
        assert storage.get() is None


def test_session_storage_delete_without_a_token_is_harmless(app: Flask) -> None:
    with app.test_request_context():
        SessionStorage().delete()


def test_only_the_newest_pending_logins_are_kept(client: FlaskClient) -> None:
    for n in range(MAX_PENDING + 3):
        client.get(f"/login?next=/tab{n}")
    assert len(session_of(client)["ipernity_pending"]) == MAX_PENDING


def test_expired_pending_logins_are_dropped_by_the_next_login(
    make_site: SiteFactory,
) -> None:
    client = make_site(IPERNITY_LOGIN_TIMEOUT=0.05).test_client()
    client.get("/login?next=/first")
    time.sleep(0.06)
    client.get("/login?next=/second")
    assert len(session_of(client)["ipernity_pending"]) == 1


def test_the_sites_own_error_template_wins(make_site: SiteFactory, tmp_path: Path) -> None:
    (tmp_path / "ipernity").mkdir()
    (tmp_path / "ipernity" / "error.html").write_text("our page: {{ error }} ({{ status }})")
    site = make_site()
    site.template_folder = str(tmp_path)
    answer = site.test_client().get("/callback")
    assert answer.text == "our page: missing_frob (400)"
