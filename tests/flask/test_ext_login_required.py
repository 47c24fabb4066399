"""login_required: who reaches a view, and where the others are sent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import Login, SiteFactory, calls_from

from flask_ipernity import current_extension, login_required
from ipernity.pytest_plugin import approve
from ipernity.sandbox import App, Sandbox, User


def login_query(location: str) -> dict[str, list[str]]:
    """The query of a redirect to the login view."""
    parts = urlsplit(location)
    assert parts.path == "/login"
    return parse_qs(parts.query)


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client: FlaskClient) -> None:
    answer = client.get("/me")
    assert answer.status_code == 302
    assert login_query(answer.headers["Location"]) == {"next": ["/me"], "perm_doc": ["read"]}


def test_next_keeps_the_query_string(client: FlaskClient) -> None:
    answer = client.get("/me?tab=albums&page=2")
    assert login_query(answer.headers["Location"])["next"] == ["/me?tab=albums&page=2"]


def test_a_json_client_gets_a_401_naming_the_login_url(client: FlaskClient) -> None:
    answer = client.get("/me", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    body = answer.get_json()
    assert body["error"] == "login_required"
    assert login_query(body["login_url"])["next"] == ["/me"]


def test_a_browser_accepting_anything_is_redirected(client: FlaskClient) -> None:
    answer = client.get("/me", headers={"Accept": "text/html,application/json;q=0.9,*/*;q=0.8"})
    assert answer.status_code == 302


def test_a_logged_in_member_reaches_the_view(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    assert client.get("/me").status_code == 200


def test_checking_the_login_costs_no_api_call(
    client: FlaskClient, login: Login, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    login(client, alice, {"doc": "write"})
    calls = calls_from(sandbox, web_app)
    assert client.get("/me").status_code == 200
    assert client.get("/write").status_code == 200
    assert calls_from(sandbox, web_app) == calls


def test_a_member_without_enough_permission_is_sent_to_log_in_with_more(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    answer = client.get("/write")
    assert answer.status_code == 302
    assert login_query(answer.headers["Location"])["perm_doc"] == ["write"]


def test_permissions_can_be_given_as_a_mapping(
    client: FlaskClient, login: Login, alice: User
) -> None:
    login(client, alice)
    query = login_query(client.get("/contacts").headers["Location"])
    assert query["perm_network"] == ["read"]
    login(client, alice, {"network": "read"})
    assert client.get("/contacts").status_code == 200


def test_the_login_asked_merges_needed_configured_and_granted_permissions(
    make_site: SiteFactory, login: Login, alice: User
) -> None:
    site = make_site(IPERNITY_PERMISSIONS={"doc": "read", "profile": "read"})
    client = site.test_client()
    login(client, alice, {"blog": "write"})
    query = login_query(client.get("/write").headers["Location"])
    assert query["perm_doc"] == ["write"]
    assert query["perm_profile"] == ["read"]
    assert query["perm_blog"] == ["write"]


def test_logging_in_with_more_permission_opens_the_view(
    client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    login(client, alice)
    login_url = client.get("/write").headers["Location"]
    authorize_url = client.get(login_url).headers["Location"]
    callback = urlsplit(approve(sandbox, alice, authorize_url))
    answer = client.get(callback.path, query_string=callback.query)
    assert answer.headers["Location"] == "/write"
    assert client.get("/write").text == "you may write"


def test_options_requests_pass_without_a_login(client: FlaskClient) -> None:
    assert client.options("/write").status_code == 200


def test_async_views_run_through_ensure_sync(app: Flask, login: Login, alice: User) -> None:
    def run_coroutines(func: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
        return lambda *args, **kwargs: asyncio.run(func(*args, **kwargs))

    app.async_to_sync = run_coroutines  # type: ignore[method-assign]

    @app.route("/async")
    @login_required
    async def async_view() -> str:
        await asyncio.sleep(0)
        member = current_extension().user
        assert member is not None
        return f"hello {member.username}"

    client = app.test_client()
    assert client.get("/async").status_code == 302
    login(client, alice)
    assert client.get("/async").text == f"hello {alice.username}"


def test_the_decorator_keeps_the_views_name(app: Flask) -> None:
    assert app.view_functions["write"].__name__ == "write"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {"doc": "everything"}), (({"photo": "read"},), {}), ((), {"perm_doc": "root"})],
)
def test_unknown_permissions_are_refused_when_decorating(
    args: tuple[Any, ...], kwargs: dict[str, str]
) -> None:
    with pytest.raises(ValueError, match="permission"):
        login_required(*args, **kwargs)
