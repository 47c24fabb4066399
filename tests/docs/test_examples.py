"""Every Python example of the README and the documentation runs, and does what it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .conftest import RunPage
from .snippets import DOCS, README, pages, python_snippets
from .world import Member, World

PAGES_WITH_PYTHON = [page for page in pages() if python_snippets(page)]

# The migration example uses 0.1's names on purpose; only its own test looks at the warnings.
pytestmark = pytest.mark.filterwarnings("ignore:.*Flask-Ipernity 0.1:DeprecationWarning")


def from_consent_page(authorize_url: str) -> dict[str, str]:
    """The ``Referer`` a browser sends coming back from the consent page at ``authorize_url``."""
    parts = urlsplit(authorize_url)
    return {"Referer": f"{parts.scheme}://{parts.netloc}/"}


def log_in(app: Flask, member: Member) -> FlaskClient:
    """A test client of ``app`` logged in through its ``/login`` and ``/callback``."""
    client = app.test_client()
    login = client.get("/login")
    assert login.status_code == 302, login.text
    frob = member.frob_for(login.headers["Location"])
    answer = client.get(
        "/callback?" + urlencode({"frob": frob}),
        headers=from_consent_page(login.headers["Location"]),
    )
    assert answer.status_code == 302, answer.text
    assert not answer.headers["Location"].endswith("/login/confirm"), "the login was held"
    return client


# -- every page -------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES_WITH_PYTHON, ids=lambda page: page.name)
def test_every_python_example_of_the_page_runs(page: Path, run_page: RunPage) -> None:
    run_page(page, test_modules=True)


# -- what the examples say they do --------------------------------------------------------


def test_the_desktop_flow_example_leaves_the_client_with_alices_token(
    run_page: RunPage, world: World
) -> None:
    iper = run_page(DOCS / "library.rst")["iper"]
    assert iper.token
    assert iper.user_info["username"] == world.alice.username
    assert iper.has_permissions({"doc": "write"})


def test_the_web_flow_example_stores_the_visitors_token_in_the_session(
    run_page: RunPage, alice_at_browser: Member, world: World
) -> None:
    app = run_page(DOCS / "library.rst")["app"]
    client = log_in(app, alice_at_browser)
    with client.session_transaction() as session:
        assert session["token"]["user"]["username"] == world.alice.username
        assert session["token"]["permissions"]["doc"] == "write"


def test_the_upload_example_adds_a_document_titled_sunset(run_page: RunPage, world: World) -> None:
    namespace = run_page(DOCS / "library.rst")
    doc = namespace["api"].doc.get(doc_id=namespace["doc_id"])["doc"]
    assert doc["title"] == "Sunset"
    assert doc["owner"]["user_id"] == str(world.alice.user_id)


@pytest.mark.usefixtures("keys_in_environment")
def test_the_quickstart_site_greets_the_member(
    run_page: RunPage, alice_at_browser: Member
) -> None:
    app = run_page(DOCS / "quickstart.rst")["app"]
    page = log_in(app, alice_at_browser).get("/")
    assert page.text.startswith("Hello Alice, you have ")


def test_the_quickstart_site_runs_on_the_embedded_sandbox_with_nothing_set(
    run_page: RunPage, ipernity_login: Any
) -> None:
    from flask_ipernity.embedded import embedded_sandbox

    app = run_page(DOCS / "quickstart.rst")["app"]
    member = embedded_sandbox().sandbox.add_user("quickstart-reader", realname="Quinn")
    client = app.test_client()
    ipernity_login(client, member)
    assert client.get("/").text == "Hello Quinn, you have 0 documents."


@pytest.mark.usefixtures("keys_in_environment")
def test_the_flask_page_site_lists_the_members_albums(
    run_page: RunPage, alice_at_browser: Member
) -> None:
    app = run_page(DOCS / "flask.rst")["create_app"]()
    answer = log_in(app, alice_at_browser).get("/albums")
    assert answer.json == {"albums": ["Trips", "Streets"]}


@pytest.mark.usefixtures("keys_in_environment")
def test_the_flask_page_me_view_describes_the_member(
    run_page: RunPage, alice_at_browser: Member, world: World
) -> None:
    app = run_page(DOCS / "flask.rst")["app"]
    me = log_in(app, alice_at_browser).get("/me").json
    assert me["member"] == world.alice.username
    assert me["can_write"] is False


@pytest.mark.usefixtures("keys_in_environment")
def test_the_flask_page_signal_receivers_hear_the_login(
    run_page: RunPage, alice_at_browser: Member, world: World
) -> None:
    namespace = run_page(DOCS / "flask.rst")
    log_in(namespace["app"], alice_at_browser)
    assert namespace["events"] == [f"{world.alice.username} logged in; doc: read"]


@pytest.mark.usefixtures("keys_in_environment")
def test_the_flask_login_example_knows_the_member_as_current_user(
    run_page: RunPage, alice_at_browser: Member, world: World
) -> None:
    app = run_page(DOCS / "flask.rst")["login_app"]
    answer = log_in(app, alice_at_browser).get("/whoami")
    assert answer.json == {"id": f"ipernity:{world.alice.user_id}"}


@pytest.mark.usefixtures("keys_in_environment")
def test_the_flask_login_example_maps_a_member_to_the_sites_account(
    run_page: RunPage, alice_at_browser: Member, world: World
) -> None:
    namespace = run_page(DOCS / "flask.rst")
    namespace["account_of_member"][str(world.alice.user_id)] = "7"
    answer = log_in(namespace["login_app"], alice_at_browser).get("/whoami")
    assert answer.json == {"id": "7"}


@pytest.mark.usefixtures("keys_in_environment")
def test_the_server_side_storage_example_keeps_tokens_out_of_the_cookie(
    run_page: RunPage, alice_at_browser: Member, world: World
) -> None:
    namespace = run_page(DOCS / "flask.rst")
    client = log_in(namespace["server_side_app"], alice_at_browser)
    [stored] = namespace["tokens"].values()
    assert stored["user"]["username"] == world.alice.username
    with client.session_transaction() as session:
        assert "token" not in str(dict(session)).replace("token_key", "")


def test_the_migration_pages_0_1_site_logs_in_at_its_0_1_callback(
    run_page: RunPage, alice_at_browser: Member
) -> None:
    with pytest.warns(DeprecationWarning, match="IPERNITY_APP_KEY -> IPERNITY_API_KEY"):
        site = run_page(DOCS / "migration.rst")["old_site"]
    client = site.test_client()
    to_ipernity = client.get("/albums")
    frob = alice_at_browser.frob_for(to_ipernity.headers["Location"])
    back = from_consent_page(to_ipernity.headers["Location"])
    assert client.get("/ipernity/cb?" + urlencode({"frob": frob}), headers=back).status_code == 302
    with pytest.warns(DeprecationWarning, match="ipernity.api"):
        answer = client.get("/albums")
    assert answer.json == {"count": 2}


def test_the_migration_pages_new_site_logs_in_at_its_new_callback(
    run_page: RunPage, alice_at_browser: Member
) -> None:
    site = run_page(DOCS / "migration.rst")["new_site"]
    client = site.test_client()
    to_login = client.get("/albums")
    to_ipernity = client.get(to_login.headers["Location"])
    frob = alice_at_browser.frob_for(to_ipernity.headers["Location"])
    back = from_consent_page(to_ipernity.headers["Location"])
    callback = "/ipernity/callback?" + urlencode({"frob": frob})
    assert client.get(callback, headers=back).status_code == 302
    assert client.get("/albums").json == {"count": 2}
    assert client.get("/ipernity/cb?" + urlencode({"frob": frob})).status_code == 404


def test_the_readme_site_lists_a_demo_members_albums_on_the_embedded_sandbox(
    run_page: RunPage, ipernity_login: Any
) -> None:
    from flask_ipernity.embedded import embedded_sandbox

    app = run_page(README)["app"]
    sandbox = embedded_sandbox().sandbox
    member = sandbox.add_user("readme-reader")
    sandbox.add_album(member, "From the README", docs=[sandbox.add_doc(member, "A photo")])
    client = app.test_client()
    ipernity_login(client, member)
    assert client.get("/").json == {"albums": ["From the README"]}


def test_the_readme_sandbox_example_counts_the_document_it_added(
    run_page: RunPage, capsys: pytest.CaptureFixture[str]
) -> None:
    run_page(README)
    assert capsys.readouterr().out.endswith("\n1\n")


def test_the_readme_example_prints_the_not_found_error(
    run_page: RunPage, capsys: pytest.CaptureFixture[str]
) -> None:
    run_page(README)
    assert "Error 1 from doc.get: " in capsys.readouterr().out


@pytest.mark.usefixtures("keys_in_environment")
def test_login_redirects_point_at_the_real_service(run_page: RunPage, world: World) -> None:
    app = run_page(DOCS / "quickstart.rst")["app"]
    location = app.test_client().get("/login").headers["Location"]
    assert urlsplit(location).netloc == "www.ipernity.com"
