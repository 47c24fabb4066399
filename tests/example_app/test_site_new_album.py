"""The page that needs ``doc`` write permission: creating an album, with a first photo."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from lightbox_gallery import Gallery, jpeg

from ipernity.pytest_plugin import approve
from ipernity.sandbox import User

LogIn = Callable[..., Any]

_serial = itertools.count(1)


@pytest.fixture
def carol(gallery: Gallery) -> User:
    """A member with no album yet."""
    return gallery.sandbox.add_user(f"carol-lightbox{next(_serial)}", realname="Carol")


@pytest.fixture
def reader(
    client: FlaskClient, ipernity_login: LogIn, gallery: Gallery, carol: User
) -> FlaskClient:
    """A client logged in as carol, who granted the site only ``doc`` read."""
    ipernity_login(client, carol, sandbox=gallery.sandbox)
    return client


@pytest.fixture
def writer(
    client: FlaskClient, ipernity_login: LogIn, gallery: Gallery, carol: User
) -> FlaskClient:
    """A client logged in as carol, who granted the site ``doc`` write."""
    ipernity_login(client, carol, {"doc": "write"}, sandbox=gallery.sandbox)
    return client


def new_album_form(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    """``fields`` and the CSRF token the new-album form carries, as the browser sends them."""
    page = client.get("/albums/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    return {"csrf_token": token[1], **fields}


def album_titles(client: FlaskClient) -> list[str]:
    """The titles the albums page lists."""
    return re.findall(r'<span class="caption">([^<]*)</span>', client.get("/albums").text)


def test_a_member_with_only_read_permission_is_sent_to_log_in_asking_for_write(
    reader: FlaskClient,
) -> None:
    answer = reader.get("/albums/new")
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["next"] == ["/albums/new"]
    assert query["perm_doc"] == ["write"]


def test_the_upgrade_goes_through_the_consent_page_and_back_to_the_form(
    reader: FlaskClient, gallery: Gallery, carol: User
) -> None:
    login = reader.get("/albums/new").headers["Location"]
    authorize = reader.get(login).headers["Location"]
    assert parse_qs(urlsplit(authorize).query)["perm_doc"] == ["write"]
    callback = urlsplit(approve(gallery.sandbox, carol, authorize))
    back = reader.get(callback.path, query_string=callback.query)
    assert back.headers["Location"] == "/albums/new"
    assert "Create the album" in reader.get("/albums/new").text
    assert "<code>doc</code>: write" in reader.get("/profile").text


def test_creating_an_album_leads_to_it(writer: FlaskClient) -> None:
    answer = writer.post(
        "/albums/new", data=new_album_form(writer, title="Spring walks", description="Blossoms")
    )
    assert answer.status_code == 302
    album = writer.get(answer.headers["Location"])
    assert "Spring walks" in album.text
    assert "Blossoms" in album.text
    assert "Album “Spring walks” created." in album.text
    assert "This album is empty." in album.text


def test_a_created_album_appears_among_the_members_albums(writer: FlaskClient) -> None:
    writer.post("/albums/new", data=new_album_form(writer, title="Autumn"))
    assert album_titles(writer) == ["Autumn"]


def test_an_album_created_with_a_photo_holds_that_photo(writer: FlaskClient) -> None:
    photo = (io.BytesIO(jpeg("teal")), "lake.jpg", "image/jpeg")
    answer = writer.post(
        "/albums/new",
        data=new_album_form(writer, title="Lakes", photo=photo),
        content_type="multipart/form-data",
    )
    album = writer.get(answer.headers["Location"])
    assert "1 photo<" in album.text
    thumbnail = re.search(r'src="(/media/[^"]+)"', album.text)
    assert thumbnail is not None
    assert writer.get(thumbnail[1]).mimetype == "image/jpeg"


def test_an_album_without_a_title_is_refused_with_a_message(writer: FlaskClient) -> None:
    answer = writer.post("/albums/new", data=new_album_form(writer, title="   "))
    assert answer.status_code == 400
    assert "Give the album a title." in answer.text
    assert album_titles(writer) == []


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(writer: FlaskClient) -> None:
    notes = (io.BytesIO(b"just text"), "notes.txt", "text/plain")
    answer = writer.post(
        "/albums/new",
        data=new_album_form(writer, title="Notes", photo=notes),
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert "Choose a picture" in answer.text
    assert album_titles(writer) == []


def test_a_photo_ipernity_refuses_still_leaves_the_album_and_says_why(
    writer: FlaskClient, gallery: Gallery
) -> None:
    gallery.sandbox.fail_next("upload.file", code=3)
    photo = (io.BytesIO(jpeg("plum")), "plum.jpg", "image/jpeg")
    answer = writer.post(
        "/albums/new",
        data=new_album_form(writer, title="Plums", photo=photo),
        content_type="multipart/form-data",
    )
    album = writer.get(answer.headers["Location"])
    assert "Album “Plums” created, but Ipernity refused the photo" in album.text
    assert "This album is empty." in album.text


def test_a_photo_still_processing_after_the_wait_is_announced_as_coming(
    writer: FlaskClient, gallery: Gallery, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("example_app.views.UPLOAD_WAIT", 0.0)
    monkeypatch.setattr(gallery.sandbox.settings, "upload_delay", 5.0)
    photo = (io.BytesIO(jpeg("olive")), "olive.jpg", "image/jpeg")
    answer = writer.post(
        "/albums/new",
        data=new_album_form(writer, title="Olives", photo=photo),
        content_type="multipart/form-data",
    )
    album = writer.get(answer.headers["Location"])
    assert "Ipernity is still processing your photo, it will appear shortly." in album.text


@pytest.mark.parametrize("token", [None, "", "forged"])
def test_a_new_album_posted_without_the_sessions_token_is_refused(
    writer: FlaskClient, token: str | None
) -> None:
    # Another site's auto-submitting form: it cannot read the member's token.
    data = {"title": "Planted"} if token is None else {"title": "Planted", "csrf_token": token}
    answer = writer.post("/albums/new", data=data)
    assert answer.status_code == 400
    assert "This form has expired" in answer.text
    assert album_titles(writer) == []
