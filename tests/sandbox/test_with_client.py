"""The sandbox and the client library (``ipernity.IpernityAPI``) against each other."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import requests
from PIL import Image

from ipernity import IpernityAPI, NotFound, TokenError
from ipernity.sandbox import Sandbox


def client(sandbox: Sandbox, app, token=None, auth: str = "desktop") -> IpernityAPI:
    return IpernityAPI(
        app.api_key,
        app.api_secret,
        token,
        auth=auth,
        url=sandbox.api_url,
        auth_url_base=sandbox.authorize_url,
    )


def approve_in_browser(sandbox: Sandbox, member, link: str) -> requests.Response:
    with requests.Session() as browser:
        browser.cookies.update(sandbox.signin_cookies(member))
        page = browser.get(link)
        fields = dict(
            re.findall(r"<input type='hidden' name='([^']+)' value='([^']*)'>", page.text)
        )
        return browser.post(link, data=fields, allow_redirects=False)


def test_a_desktop_program_signs_in_with_the_client(sandbox: Sandbox, desktop_app, alice) -> None:
    api = client(sandbox, desktop_app)
    frob = api.auth.getFrob()["auth"]["frob"]
    confirmation = approve_in_browser(sandbox, alice, api.auth.auth_url({"doc": "write"}, frob))
    assert "class='ok'" in confirmation.text
    api.auth.getToken(frob)
    assert api.user.get()["user"]["username"] == alice.username
    assert api.has_permissions({"doc": "write"})


def test_a_web_site_signs_in_with_the_client(sandbox: Sandbox, web_app, alice) -> None:
    api = client(sandbox, web_app, auth="web")
    redirect = approve_in_browser(sandbox, alice, api.auth.auth_url({"doc": "read"}))
    frob = redirect.headers["Location"].split("frob=", 1)[1]
    token = api.auth.getToken(frob)["auth"]
    assert token["user"]["user_id"] == str(alice.user_id)


def test_the_client_walks_every_page(sandbox: Sandbox, desktop_app, alice) -> None:
    with sandbox.store.transaction():
        for n in range(230):
            sandbox.add_doc(alice, title=f"Walk {n}")
    api = client(sandbox, desktop_app, sandbox.grant(alice, desktop_app, {"doc": "read"}))
    titles = [doc["title"] for doc in api.walk_docs()]
    assert sorted(titles) == sorted(f"Walk {n}" for n in range(230))


def test_the_client_walks_albums_page_after_page(sandbox: Sandbox, desktop_app, alice) -> None:
    doc = sandbox.add_doc(alice, title="In albums")
    for n in range(3):
        sandbox.add_album(alice, f"Album {n}", docs=[doc])
    api = client(sandbox, desktop_app, sandbox.grant(alice, desktop_app, {"doc": "read"}))
    assert [album["title"] for album in api.walk_albums(per_page=2)] == [
        "Album 0",
        "Album 1",
        "Album 2",
    ]


def test_the_client_uploads_and_waits_for_the_ticket(
    sandbox: Sandbox, desktop_app, alice, tmp_path: Path
) -> None:
    picture = tmp_path / "sunset.jpg"
    Image.new("RGB", (300, 200), "orange").save(picture, "JPEG")
    api = client(sandbox, desktop_app, sandbox.grant(alice, desktop_app, {"doc": "write"}))
    sandbox.settings.upload_delay = 0.3
    try:
        doc_id = api.upload_file(str(picture), title="Sunset")
    finally:
        sandbox.settings.upload_delay = 0.0
    doc = api.doc.get(doc_id=doc_id)["doc"]
    assert (doc["title"], doc["original"]["w"]) == ("Sunset", "300")
    thumb = requests.get(doc["thumbs"]["thumb"][1]["url"], timeout=10)
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert image.size == (100, 67)


def test_the_clients_errors_match_the_sandboxs_codes(sandbox: Sandbox, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "read"})
    api = client(sandbox, desktop_app, token)
    with pytest.raises(NotFound):
        api.doc.get(doc_id=1)
    sandbox.revoke(token)
    with pytest.raises(TokenError):
        api.account.getQuota()
