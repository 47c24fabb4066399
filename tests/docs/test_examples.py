"""Every Python example of the README and the documentation runs, and does what it says."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

from .conftest import RunPage
from .snippets import DOCS, README, pages, python_snippets
from .world import Member, World

PAGES_WITH_PYTHON = [page for page in pages() if python_snippets(page)]


@pytest.mark.parametrize("page", PAGES_WITH_PYTHON, ids=lambda page: page.name)
def test_every_python_example_of_the_page_runs(page: Path, run_page: RunPage) -> None:
    run_page(page)


def test_the_desktop_flow_example_leaves_the_client_with_alices_token(
    run_page: RunPage, world: World
) -> None:
    namespace = run_page(DOCS / "library.rst")
    iper = namespace["iper"]
    assert iper.token
    assert iper.user_info["username"] == world.alice.username
    assert iper.permissions["doc"] == "write"


def test_the_web_flow_example_stores_the_visitors_token_in_the_session(
    run_page: RunPage, alice_at_browser: Member, world: World
) -> None:
    app = run_page(DOCS / "library.rst")["app"]
    client = app.test_client()
    login = client.get("/login")
    assert login.status_code == 302
    frob = alice_at_browser.frob_for(login.headers["Location"])
    assert client.get("/callback?" + urlencode({"frob": frob})).status_code == 302
    with client.session_transaction() as session:
        assert session["token"]["user"]["username"] == world.alice.username
        assert session["token"]["permissions"]["doc"] == "write"


def test_the_upload_example_adds_a_document_titled_sunset(run_page: RunPage, world: World) -> None:
    namespace = run_page(DOCS / "library.rst")
    doc = namespace["api"].doc.get(doc_id=namespace["doc_id"])["doc"]
    assert doc["title"] == "Sunset"
    assert doc["owner"]["user_id"] == str(world.alice.user_id)


def test_the_readme_sandbox_example_counts_the_document_it_added(
    run_page: RunPage, capsys: pytest.CaptureFixture[str]
) -> None:
    run_page(README)
    assert "1\n" in capsys.readouterr().out
