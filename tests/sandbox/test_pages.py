"""The pretend site's pages the API's links lead to, as a browser gets them over HTTP.

A document's page, an album's and a member's home: each shows what the member
signed in on the sandbox may see, and a document nobody may see is a plain 404.
"""

from __future__ import annotations

import re

import pytest
import requests

from ipernity.sandbox import Sandbox

NOT_FOUND = "There is no such page on the sandbox."


def member_browser(sandbox: Sandbox, member) -> requests.Session:
    """A browser in which ``member`` is signed in on the sandbox."""
    session = requests.Session()
    session.cookies.update(sandbox.signin_cookies(member))
    return session


def images(page: str) -> list[str]:
    """The ``src`` of every picture on a page."""
    return re.findall(r"<img src='([^']*)'", page)


def test_a_documents_link_leads_to_its_page_with_picture_title_owner_and_a_way_back(
    sandbox: Sandbox, call, web_app, alice, http
) -> None:
    doc = sandbox.add_doc(alice, "Harbour at dawn", description="Boats, early.")
    link = call(web_app).ok("doc.get", doc_id=doc.doc_id)["doc"]["link"]

    page = http.get(link, timeout=10)

    assert page.status_code == 200
    assert "<h1>Harbour at dawn</h1>" in page.text
    assert "Boats, early." in page.text
    home = f"/home/{alice.username}"
    assert f"By <a href='{home}'>Alice</a>" in page.text
    assert f"<a href='{home}'>‹ Alice</a>" in page.text
    [picture] = images(page.text)
    assert (
        http.get(sandbox.base_url.rstrip("/") + picture, timeout=10).content[:3] == b"\xff\xd8\xff"
    )


def test_a_members_profile_link_leads_to_their_home(
    sandbox: Sandbox, call, web_app, alice, http
) -> None:
    doc = sandbox.add_doc(alice, "Market in spring")
    sandbox.add_album(alice, "Markets", docs=[doc])
    link = call(web_app).ok("user.get", user_id=alice.user_id)["user"]["link"]

    page = http.get(link, timeout=10).text

    assert "<h1><img" in page
    assert "Alice</h1>" in page
    assert ">Markets</a> <span class='muted'>(1)</span>" in page
    assert len(images(page)) == 2  # the member's icon and the one photo


def test_an_albums_link_leads_to_its_photos_each_linking_to_its_page_in_the_album(
    sandbox: Sandbox, call, web_app, alice, http
) -> None:
    docs = [sandbox.add_doc(alice, f"Bridge {n}") for n in range(3)]
    album = sandbox.add_album(alice, "Bridges", docs=docs, description="Over rivers.")
    link = call(web_app).ok("album.get", album_id=album.album_id)["album"]["link"]

    page = http.get(link, timeout=10).text

    assert "<h1>Bridges</h1>" in page
    assert "3 photos" in page
    in_album = re.findall(r"href='(/doc/\d+/\d+/in/album/\d+)'", page)
    assert in_album == [
        f"/doc/{alice.user_id}/{doc.doc_id}/in/album/{album.album_id}" for doc in docs
    ]
    photo = http.get(sandbox.base_url.rstrip("/") + in_album[0], timeout=10).text
    assert f"<a href='/doc/{alice.user_id}/album/{album.album_id}'>‹ Bridges</a>" in photo


def test_an_album_shows_its_photos_a_page_at_a_time(sandbox: Sandbox, alice, http) -> None:
    docs = [sandbox.add_doc(alice, f"Street {n}") for n in range(30)]
    album = sandbox.add_album(alice, "Streets", docs=docs)
    url = f"{sandbox.base_url}doc/{alice.user_id}/album/{album.album_id}"

    first, second = http.get(url, timeout=10).text, http.get(url + "?page=2", timeout=10).text

    assert len(images(first)) == 24
    assert len(images(second)) == 6
    assert "Page 2 of 2" in second
    assert http.get(url + "?page=3", timeout=10).status_code == 404


def test_a_private_document_is_shown_to_its_owner(sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, "Diary", is_public=False)
    with member_browser(sandbox, alice) as browser:
        page = browser.get(f"{sandbox.base_url}doc/{alice.user_id}/{doc.doc_id}", timeout=10)
    assert page.status_code == 200
    assert "<h1>Diary</h1>" in page.text


@pytest.mark.parametrize("visitor", ["anonymous", "stranger"])
def test_a_private_document_is_a_404_that_says_nothing_of_it(
    sandbox: Sandbox, alice, bob, visitor: str
) -> None:
    doc = sandbox.add_doc(alice, "Secret diary", is_public=False)
    browser = member_browser(sandbox, bob) if visitor == "stranger" else requests.Session()
    with browser:
        page = browser.get(f"{sandbox.base_url}doc/{alice.user_id}/{doc.doc_id}", timeout=10)
        missing = browser.get(f"{sandbox.base_url}doc/{alice.user_id}/999999999", timeout=10)
    assert page.status_code == 404
    assert "Secret diary" not in page.text
    assert page.text == missing.text


def test_a_document_shared_with_friends_is_shown_to_a_friend(sandbox: Sandbox, alice, bob) -> None:
    doc = sandbox.add_doc(alice, "For friends", is_public=False, is_friend=True)
    sandbox.add_relation(alice, bob, friend=True)
    with member_browser(sandbox, bob) as browser:
        page = browser.get(f"{sandbox.base_url}doc/{alice.user_id}/{doc.doc_id}", timeout=10)
    assert "<h1>For friends</h1>" in page.text


def test_an_album_and_a_home_leave_out_what_the_visitor_may_not_see(
    sandbox: Sandbox, alice, http
) -> None:
    public = sandbox.add_doc(alice, "Open garden")
    private = sandbox.add_doc(alice, "Closed garden", is_public=False)
    album = sandbox.add_album(alice, "Gardens", docs=[public, private])

    album_page = http.get(f"{sandbox.base_url}doc/{alice.user_id}/album/{album.album_id}").text
    home = http.get(f"{sandbox.base_url}home/{alice.username}").text

    for page in (album_page, home):
        assert "Open garden" in page
        assert "Closed garden" not in page
    assert "1 photo<" in album_page
    assert ">Gardens</a> <span class='muted'>(1)</span>" in home


@pytest.mark.parametrize(
    "path",
    [
        "doc/{owner}/{doc}/in/album/999999999",
        "doc/{other}/{doc}",
        "doc/{owner}/album/999999999",
        "doc/{owner}/99999999999999999999999",
        "home/nobody-has-this-alias",
    ],
)
def test_a_page_of_nothing_is_a_404(sandbox: Sandbox, alice, bob, http, path: str) -> None:
    doc = sandbox.add_doc(alice, "Somewhere")
    url = sandbox.base_url + path.format(owner=alice.user_id, other=bob.user_id, doc=doc.doc_id)
    page = http.get(url, timeout=10)
    assert page.status_code == 404
    assert NOT_FOUND in page.text


def test_a_document_reached_from_an_album_it_is_not_in_is_a_404(
    sandbox: Sandbox, alice, http
) -> None:
    doc = sandbox.add_doc(alice, "Loose photo")
    album = sandbox.add_album(alice, "Elsewhere", docs=[sandbox.add_doc(alice, "Other")])
    url = f"{sandbox.base_url}doc/{alice.user_id}/{doc.doc_id}/in/album/{album.album_id}"
    assert http.get(url, timeout=10).status_code == 404


def test_the_front_page_is_titled_once_and_links_the_members_homes(
    sandbox: Sandbox, alice, http
) -> None:
    page = http.get(sandbox.base_url, timeout=10).text
    assert "<title>Ipernity sandbox</title>" in page
    assert f"home/{alice.username}'>{alice.username}</a>" in page


def test_a_page_names_the_member_signed_in_and_offers_to_sign_out(sandbox: Sandbox, alice) -> None:
    with member_browser(sandbox, alice) as browser:
        page = browser.get(f"{sandbox.base_url}home/{alice.username}", timeout=10).text
    assert f"Signed in as <strong>{alice.username}</strong>" in page
    assert "<button class='secondary'>Sign out</button>" in page


def test_signing_out_forgets_the_member_and_goes_back(sandbox: Sandbox, alice, sign_in) -> None:
    home = f"/home/{alice.username}"
    with requests.Session() as browser:
        sign_in(browser, sandbox, alice.username)
        page = browser.get(sandbox.base_url.rstrip("/") + home, timeout=10).text
        action = re.search(r"<form method='post' action='([^']*signout[^']*)'>", page)
        token = re.search(r"name='form_token' value='([^']*)'", page)
        assert action
        assert token
        answer = browser.post(
            sandbox.base_url.rstrip("/") + action.group(1).replace("&amp;", "&"),
            data={"form_token": token.group(1)},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302
        assert answer.headers["Location"] == home
        assert "ipernity_sandbox_member" not in browser.cookies
        again = browser.get(sandbox.base_url.rstrip("/") + home, timeout=10).text
    assert "Signed in as" not in again
