"""What a visitor sees when Ipernity refuses or fails during one of the site's views."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sites import Login, SiteFactory, session_of

from flask_ipernity import Ipernity, api, logged_out
from ipernity import NotFound
from ipernity.sandbox import App, Sandbox, User


def add_delete_view(site: Flask) -> None:
    """A view deleting a document: a method that needs the doc=delete permission."""

    @site.route("/delete/<int:doc_id>")
    def delete(doc_id: int) -> str:
        api.doc.delete(doc_id=doc_id)
        return "deleted"


def test_a_revoked_token_is_dropped_and_the_member_sent_to_log_in(
    app: Flask, client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    login(client, alice)
    sandbox.revoke(session_of(client)["ipernity_token"]["token"])
    members: list[Any] = []

    def receiver(sender: Flask, member: Any, **extra: Any) -> None:
        members.append(member)

    with logged_out.connected_to(receiver, sender=app):
        answer = client.get("/me/from-api")
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["next"] == ["/me/from-api"]
    assert "ipernity_token" not in session_of(client)
    assert [m.user_id for m in members] == [str(alice.user_id)]


def test_a_revoked_token_gives_json_clients_a_401(
    client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    login(client, alice)
    sandbox.revoke(session_of(client)["ipernity_token"]["token"])
    answer = client.get("/me/from-api", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert answer.get_json()["error"] == "login_required"


def test_after_a_revoked_token_the_member_can_log_in_again(
    client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    login(client, alice)
    sandbox.revoke(session_of(client)["ipernity_token"]["token"])
    client.get("/me/from-api")
    login(client, alice)
    assert client.get("/me/from-api").get_json() == {"username": alice.username}


def test_ipernity_unreachable_during_a_view_is_a_friendly_502(
    make_site: SiteFactory, login: Login, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    client = make_site(IPERNITY_RETRIES=0).test_client()
    login(client, alice)
    sandbox.fail_next("user.get", drop=True)
    answer = client.get("/me/from-api")
    assert answer.status_code == 502
    assert "Traceback" not in answer.text
    assert web_app.api_secret not in answer.text
    assert "ipernity_token" in session_of(client)


def test_ipernity_answering_garbage_during_a_view_is_a_502(
    make_site: SiteFactory, login: Login, sandbox: Sandbox, alice: User
) -> None:
    client = make_site(IPERNITY_RETRIES=0).test_client()
    login(client, alice)
    sandbox.fail_next("user.get", truncated=True)
    assert client.get("/me/from-api").status_code == 502


def test_ipernity_too_slow_during_a_view_is_a_504_after_the_read_timeout(
    make_site: SiteFactory, login: Login, sandbox: Sandbox, alice: User
) -> None:
    client = make_site(IPERNITY_TIMEOUT=(2.0, 0.3), IPERNITY_RETRIES=0).test_client()
    login(client, alice)
    sandbox.latency = 1.0
    started = time.monotonic()
    answer = client.get("/me/from-api", headers={"Accept": "application/json"})
    assert answer.status_code == 504
    assert answer.get_json()["error"] == "ipernity_timeout"
    assert time.monotonic() - started < 0.9


def test_ipernity_rate_limiting_the_site_is_a_503(
    make_site: SiteFactory, login: Login, sandbox: Sandbox, alice: User
) -> None:
    client = make_site(IPERNITY_RETRIES=0).test_client()
    login(client, alice)
    sandbox.fail_next("user.get", code=112)
    answer = client.get("/me/from-api")
    assert answer.status_code == 503
    assert "Traceback" not in answer.text


def test_an_item_ipernity_does_not_know_is_a_404(app: Flask, client: FlaskClient) -> None:
    @app.route("/doc/<int:doc_id>")
    def doc(doc_id: int) -> str:
        return str(api.doc.get(doc_id=doc_id)["doc"]["title"])

    answer = client.get("/doc/987654321")
    assert answer.status_code == 404
    assert "Traceback" not in answer.text


def test_any_other_refusal_of_ipernity_is_a_502(
    client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    login(client, alice)
    sandbox.fail_next("user.get", code=999)
    answer = client.get("/me/from-api", headers={"Accept": "application/json"})
    assert answer.status_code == 502
    assert answer.get_json()["error"] == "ipernity_refused"


def test_a_permission_ipernity_demands_sends_the_member_to_grant_it(
    app: Flask, client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    add_delete_view(app)
    login(client, alice)
    doc = sandbox.add_doc(alice, title="old")
    answer = client.get(f"/delete/{doc.doc_id}")
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["perm_doc"] == ["delete"]
    assert query["next"] == [f"/delete/{doc.doc_id}"]


def test_a_refusal_more_permission_cannot_cure_is_a_403(
    client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    login(client, alice)
    sandbox.fail_next("user.get", code=110)
    answer = client.get("/me/from-api")
    assert answer.status_code == 403
    assert "Traceback" not in answer.text


def test_a_handler_the_site_registered_first_stays_in_charge(
    sandbox: Sandbox, web_app: App
) -> None:
    site = Flask(__name__)
    site.register_error_handler(NotFound, lambda error: ("our own 404", 404))
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY=web_app.api_key,
        IPERNITY_API_SECRET=web_app.api_secret,
        IPERNITY_API_URL=sandbox.api_url,
    )
    Ipernity(site)
    site.add_url_rule("/doc", "doc", lambda: api.doc.get(doc_id=987654321))
    assert site.test_client().get("/doc").text == "our own 404"
