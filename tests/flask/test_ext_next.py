"""Where a visitor goes after logging in: a path on this site, and nowhere else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sites import SiteFactory, frob_for

from flask_ipernity.redirects import safe_next
from ipernity.sandbox import Sandbox, User


@pytest.fixture
def in_request(app: Flask) -> Iterator[None]:
    """A request to the site: ``next`` is judged against its routes."""
    with app.test_request_context("/"):
        yield


HOSTILE = [
    "https://evil.example/",
    "http:evil.example",
    "//evil.example/path",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " /x",
    "/\t/evil.example",
    "/x\r\nSet-Cookie: a=b",
    "/x\x00",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%2Fevil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "%68ttps://evil.example",
    "/%0d%0aSet-Cookie:a=b",
    "evil.example",
    "/" + "a" * 600,
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.usefixtures("in_request")
def test_a_hostile_next_falls_back_to_the_home_page(value: str) -> None:
    assert safe_next(value) == "/"


@pytest.mark.parametrize(
    "value", ["/", "/albums", "/albums?page=2&sort=new", "/a/b#top", "/%C3%A9t%C3%A9"]
)
@pytest.mark.usefixtures("in_request")
def test_a_path_on_this_site_is_kept(value: str) -> None:
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "/login",
        "/login?next=/me&perm_doc=delete",
        "/callback?frob=1-attackers",
        "/%63allback?frob=1-attackers",
        "/login/confirm",
        "/logout",
        "/media/1/240",
        # What a browser makes of these when it follows them: /login, /callback...
        "/albums/../login",
        "/albums/%2e%2e/callback?frob=1-attackers",
        "/albums/.%2E/callback?frob=1-attackers",
        "/./logout",
        "/a/b/../../media/1/240",
        "/../../callback?frob=1-attackers",
    ],
)
@pytest.mark.usefixtures("in_request")
def test_a_next_at_the_extensions_own_routes_falls_back_to_the_home_page(value: str) -> None:
    assert safe_next(value) == "/"


def test_a_next_at_the_0_1_callback_falls_back_to_the_home_page(make_site: SiteFactory) -> None:
    with pytest.warns(DeprecationWarning, match="IPERNITY_CALLBACK_URL_PREFIX"):
        site = make_site(IPERNITY_CALLBACK_URL_PREFIX="/ipernity", IPERNITY_URL_PREFIX="/auth")
    with site.test_request_context("/"):
        assert safe_next("/ipernity/cb?frob=1-attackers") == "/"
        assert safe_next("/auth/callback?frob=1-attackers") == "/"
        assert (
            safe_next("/callback?frob=1-not-a-route-here") == "/callback?frob=1-not-a-route-here"
        )


def test_a_next_at_the_0_1_logout_falls_back_to_the_home_page(make_site: SiteFactory) -> None:
    with pytest.warns(DeprecationWarning, match="IPERNITY_LOGIN"):
        site = make_site(IPERNITY_LOGIN=True)
    with site.test_request_context("/"):
        assert safe_next("/ipernity/logout") == "/"


@pytest.mark.parametrize("value", ["/login//confirm", "/media//1/240", "/albums/..//login"])
@pytest.mark.usefixtures("in_request")
def test_a_next_the_site_redirects_to_the_extensions_routes_falls_back_to_the_home_page(
    value: str,
) -> None:
    assert safe_next(value) == "/"


def test_a_next_at_the_callback_falls_back_to_the_home_page_on_a_posted_login_form(
    app: Flask,
) -> None:
    with app.test_request_context("/login", method="POST"):
        assert safe_next("/callback?frob=1-attackers") == "/"


def test_a_next_at_a_route_without_a_view_is_kept(app: Flask) -> None:
    # A rule whose view the site registers later (@app.endpoint) or never.
    app.add_url_rule("/soon", endpoint="soon")
    with app.test_request_context("/"):
        assert safe_next("/soon") == "/soon"


def test_under_a_script_root_a_next_at_the_extensions_routes_falls_back_to_the_home_page(
    app: Flask,
) -> None:
    with app.test_request_context("/", base_url="http://localhost/site"):
        assert safe_next("/site/login") == "/"
        assert safe_next("/site/callback?frob=1-attackers") == "/"


def test_under_a_script_root_a_path_outside_it_is_no_route_of_the_extension(app: Flask) -> None:
    # Another application of the same host may serve /login: it is not this site's.
    with app.test_request_context("/", base_url="http://localhost/site"):
        assert safe_next("/login?next=/site/me") == "/login?next=/site/me"


@pytest.mark.parametrize(
    "next_url", ["/callback%3Ffrob%3D1-attackers", "/albums/../callback%3Ffrob%3D1-attackers"]
)
def test_a_login_whose_next_is_the_callback_comes_back_home(
    client: FlaskClient, sandbox: Sandbox, alice: User, next_url: str
) -> None:
    frob = frob_for(client, sandbox, alice, f"?next={next_url}")
    assert client.get(f"/callback?frob={frob}").headers["Location"] == "/"


@pytest.mark.parametrize("value", [None, ""])
@pytest.mark.usefixtures("in_request")
def test_no_next_means_the_home_page(value: str | None) -> None:
    assert safe_next(value) == "/"


@pytest.mark.parametrize("value", ["//evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_the_callback_never_redirects_off_site(
    client: FlaskClient, sandbox: Sandbox, alice: User, value: str
) -> None:
    frob = frob_for(client, sandbox, alice, "?" + f"next={value}".replace("\\", "%5C"))
    assert client.get(f"/callback?frob={frob}").headers["Location"] == "/"


def test_the_logout_never_redirects_off_site(client: FlaskClient) -> None:
    page = client.get("/logout")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/logout", data={"csrf_token": token, "next": "//evil.example"})
    assert answer.headers["Location"] == "/"
