"""Every page of the example site, visited with Flask's test client against the sandbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lightbox_gallery import Gallery

LogIn = Callable[..., Any]


def media_paths(html: str) -> list[str]:
    """The media-proxy URLs of the pictures on a page."""
    return re.findall(r'src="(/media/[^"]+)"', html)


@pytest.fixture
def alice_client(client: FlaskClient, ipernity_login: LogIn, gallery: Gallery) -> FlaskClient:
    """A test client logged in as alice with the site's usual permission, doc read."""
    ipernity_login(client, gallery.alice, sandbox=gallery.sandbox)
    return client


# -- anonymous visitors -----------------------------------------------------------------


def test_the_home_page_offers_to_log_in_with_ipernity(client: FlaskClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Log in with Ipernity" in page.text
    assert 'href="/login?next=/albums"' in page.text


def test_with_a_key_configured_the_home_page_does_not_mention_the_sandbox(
    client: FlaskClient,
) -> None:
    assert "sandbox" not in client.get("/").text.lower()


@pytest.mark.parametrize("path", ["/profile", "/albums", "/albums/1", "/photos/1", "/albums/new"])
def test_member_pages_send_anonymous_visitors_to_log_in_and_back(
    client: FlaskClient, path: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == [path]


def test_an_unknown_page_gets_the_sites_not_found_page(client: FlaskClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Nothing here" in page.text
    assert "Lightbox" in page.text


# -- logging in and out -----------------------------------------------------------------


def test_logging_in_lands_on_the_albums_page(
    client: FlaskClient, ipernity_login: LogIn, gallery: Gallery
) -> None:
    answer = ipernity_login(client, gallery.alice, sandbox=gallery.sandbox, next_url="/albums")
    assert answer.headers["Location"] == "/albums"
    assert "Your albums" in client.get("/albums").text


def test_the_home_page_greets_a_logged_in_member_by_name(alice_client: FlaskClient) -> None:
    page = alice_client.get("/")
    assert "Welcome back, Alice Lightbox" in page.text
    assert "Log out" in page.text


def test_the_logout_link_asks_for_confirmation_in_the_sites_layout(
    alice_client: FlaskClient,
) -> None:
    page = alice_client.get("/logout")
    assert page.status_code == 200
    assert "You are logged in as Alice Lightbox" in page.text
    assert "Lightbox" in page.text
    assert 'name="csrf_token"' in page.text


def log_out(client: FlaskClient) -> None:
    """Log out as a member does: the confirmation form, then its button."""
    form = client.get("/logout").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    answer = client.post("/logout", data={"csrf_token": csrf[1], "next": "/"})
    assert answer.status_code == 302


def test_logging_out_forgets_the_member_and_says_so(alice_client: FlaskClient) -> None:
    log_out(alice_client)
    home = alice_client.get("/").text
    assert "Log in with Ipernity" in home
    assert "You are logged out of Lightbox." in home
    assert "You are logged out of Lightbox." not in alice_client.get("/").text


def test_after_a_logout_a_member_page_offers_to_log_in_again(alice_client: FlaskClient) -> None:
    log_out(alice_client)
    page = alice_client.get("/albums?sort=new")
    # Not a redirect through Ipernity, which would let the member straight back in.
    assert page.status_code == 401
    assert "You are logged out" in page.text
    assert 'href="/login?next=/albums?sort%3Dnew"' in page.text


def test_logging_in_again_ends_the_offer(
    alice_client: FlaskClient, ipernity_login: LogIn, gallery: Gallery
) -> None:
    log_out(alice_client)
    ipernity_login(alice_client, gallery.alice, sandbox=gallery.sandbox)
    with alice_client.session_transaction() as session:
        token = session["ipernity_token"]
    assert alice_client.get("/albums").status_code == 200
    # Her token dies on Ipernity's side: the site drops it, and the next member
    # page goes back to logging in by itself.
    gallery.sandbox.revoke(token)
    assert alice_client.get("/albums").status_code == 302
    assert alice_client.get("/albums").status_code == 302


# -- the member's pages -------------------------------------------------------------------


def test_the_site_has_an_icon(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data.startswith(b"\x00\x00\x01\x00")  # the ICO header


def test_the_profile_tells_what_creating_an_album_will_ask_until_it_is_granted(
    client: FlaskClient, ipernity_login: LogIn, gallery: Gallery
) -> None:
    note = "Creating an album asks you for <code>doc: write</code>"
    # A member of her own: what she grants stays with her, not with alice's tests.
    carol = gallery.sandbox.add_user(f"carol-{gallery.alice.username}", realname="Carol")
    ipernity_login(client, carol, sandbox=gallery.sandbox)
    assert note in client.get("/profile").text
    ipernity_login(client, carol, {"doc": "write"}, sandbox=gallery.sandbox)
    assert note not in client.get("/profile").text


def test_counts_read_in_proper_english(alice_client: FlaskClient, gallery: Gallery) -> None:
    single = gallery.sandbox.add_album(gallery.alice, "Just one", docs=[gallery.sunset])
    albums = alice_client.get("/albums").text
    assert re.search(r"Just one</span>\s*<span class=\"muted\">1 photo</span>", albums)
    assert re.search(r"Trips</span>\s*<span class=\"muted\">30 photos</span>", albums)
    assert re.search(r"Still empty</span>\s*<span class=\"muted\">0 photos</span>", albums)
    assert "1 photo<" in alice_client.get(f"/albums/{single.album_id}").text


def test_the_profile_shows_the_member_and_what_they_granted(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get("/profile")
    assert page.status_code == 200
    assert "Alice Lightbox" in page.text
    assert f"@{gallery.alice.username}" in page.text
    assert re.search(r"<strong>30</strong> documents", page.text)
    assert "<code>doc</code>: read" in page.text


def test_the_albums_page_lists_every_album_with_its_cover(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get("/albums")
    assert page.status_code == 200
    assert "Trips" in page.text
    assert "Still empty" in page.text
    assert f'href="/albums/{gallery.trips.album_id}"' in page.text
    assert f"/media/{gallery.sunset.doc_id}/240" in media_paths(page.text)


def test_an_album_shows_its_first_page_of_thumbnails(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get(f"/albums/{gallery.trips.album_id}")
    assert page.status_code == 200
    assert "30 photos" in page.text
    assert len(media_paths(page.text)) == 24
    assert "Page 1 of 2" in page.text


def test_the_second_page_of_an_album_shows_the_remaining_thumbnails(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get(f"/albums/{gallery.trips.album_id}?page=2")
    assert len(media_paths(page.text)) == 6
    assert "Page 2 of 2" in page.text


def test_a_page_past_the_end_of_an_album_is_not_found(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    assert alice_client.get(f"/albums/{gallery.trips.album_id}?page=3").status_code == 404


def test_an_empty_album_says_so(alice_client: FlaskClient, gallery: Gallery) -> None:
    page = alice_client.get(f"/albums/{gallery.empty.album_id}")
    assert page.status_code == 200
    assert "This album is empty." in page.text


def test_the_thumbnails_are_pictures_served_through_the_media_proxy(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get(f"/albums/{gallery.trips.album_id}")
    thumbnail = alice_client.get(media_paths(page.text)[0])
    assert thumbnail.status_code == 200
    assert thumbnail.mimetype == "image/jpeg"
    assert thumbnail.data.startswith(b"\xff\xd8")


def test_the_photo_page_shows_the_picture_large_with_its_details(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get(f"/photos/{gallery.sunset.doc_id}?album={gallery.trips.album_id}")
    assert page.status_code == 200
    assert "Sunset over the bay" in page.text
    assert "Taken from the pier." in page.text
    assert "sunset" in page.text
    assert f"/media/{gallery.sunset.doc_id}/" in page.text
    assert f'href="/albums/{gallery.trips.album_id}">Trips</a>' in page.text


def test_a_photo_the_member_may_not_see_gets_the_not_found_page(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    page = alice_client.get(f"/photos/{gallery.bobs_private.doc_id}")
    assert page.status_code == 404
    assert "Nothing here" in page.text


def test_an_unknown_album_gets_the_not_found_page(alice_client: FlaskClient) -> None:
    page = alice_client.get("/albums/987654321")
    assert page.status_code == 404
    assert "Nothing here" in page.text


def test_the_factory_sets_up_flask_ipernity_and_the_gallery(app: Flask) -> None:
    assert app.extensions["ipernity"] is not None
    assert {"ipernity", "gallery"} <= set(app.blueprints)
    assert app.config["IPERNITY_PERMISSIONS"] == {"doc": "read"}
