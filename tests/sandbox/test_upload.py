"""``upload.*``: multipart uploads over HTTP, tickets, thumbnails, replacements."""

from __future__ import annotations

import gc
import hashlib
import io
import time
import uuid
import warnings
from collections.abc import Iterator

import pytest
import requests
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import Client, encode_multipart

from ipernity.sandbox import Sandbox
from ipernity.sandbox.server import SandboxApp
from ipernity.signing import encode_params, signature


def jpeg(width: int = 640, height: int = 480, colour: str = "orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def png(width: int = 64, height: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def uploader(call, sandbox: Sandbox, desktop_app, alice):
    """Alice's calls with ``doc: write``."""
    return call(desktop_app, sandbox.grant(alice, desktop_app, {"doc": "write"}))


def upload(caller, data: bytes, filename: str = "photo.jpg", **params) -> dict:
    """POST upload.file with the file part unsigned; return the answer."""
    return caller.answer("upload.file", files={"file": (filename, data)}, **params)


def ticket_doc(caller, ticket: str) -> str:
    tickets = caller.ok("upload.checkTickets", tickets=ticket)["tickets"]
    assert tickets["ticket"][0]["done"] == "1", tickets
    return tickets["ticket"][0]["doc_id"]


def test_upload_file_answers_a_ticket_that_gives_the_document(uploader) -> None:
    answer = upload(uploader, jpeg(), title="Beach", keywords='sea,"blue sky"', is_public=0)
    assert answer["api"]["status"] == "ok"
    assert isinstance(answer["ticket"], str)
    doc_id = ticket_doc(uploader, answer["ticket"])
    doc = uploader.ok("doc.get", doc_id=doc_id, extra="tags")["doc"]
    assert doc["title"] == "Beach"
    assert doc["visibility"]["share"] == "0"
    assert [t["title"] for t in doc["tags"]["tag"]] == ["sea", "blue sky"]
    assert doc["original"]["w"] == "640"


def test_an_uploads_md5_is_the_md5_of_its_bytes(uploader) -> None:
    data = jpeg(colour="purple")
    doc_id = ticket_doc(uploader, upload(uploader, data)["ticket"])
    md5 = uploader.ok("doc.get", doc_id=doc_id, extra="md5")["doc"]["md5"]
    assert md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert uploader.ok("doc.checkMD5", md5=md5)["docs"]["doc"][0]["doc_id"] == doc_id


def test_the_original_is_served_byte_for_byte(uploader, http) -> None:
    data = png()
    doc_id = ticket_doc(uploader, upload(uploader, data, filename="pic.png")["ticket"])
    original = uploader.ok("doc.get", doc_id=doc_id)["doc"]["original"]
    assert original["ext"] == "png"
    assert http.get(original["url"]).content == data


@pytest.mark.parametrize(
    ("label", "size"),
    [("75x", (75, 75)), ("100", (100, 75)), ("240", (240, 180)), ("500", (500, 375))],
)
def test_thumbnails_are_really_resized(uploader, http, label: str, size: tuple[int, int]) -> None:
    doc_id = ticket_doc(uploader, upload(uploader, jpeg(800, 600))["ticket"])
    thumbs = uploader.ok("doc.get", doc_id=doc_id)["doc"]["thumbs"]["thumb"]
    thumb = next(t for t in thumbs if t["label"] == label)
    assert (int(thumb["w"]), int(thumb["h"])) == size
    response = http.get(thumb["url"])
    assert response.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == size


def test_a_thumbnail_url_with_a_wrong_secret_is_404(uploader, http) -> None:
    doc_id = ticket_doc(uploader, upload(uploader, jpeg())["ticket"])
    url = uploader.ok("doc.get", doc_id=doc_id)["doc"]["thumbs"]["thumb"][0]["url"]
    doc, secret, _ = url.rsplit("/", 1)[1].split(".", 2)
    assert http.get(url.replace(f"{doc}.{secret}.", f"{doc}.00000000.")).status_code == 404


def test_a_file_that_is_no_picture_is_stored_as_other(uploader, http) -> None:
    doc_id = ticket_doc(
        uploader, upload(uploader, b"%PDF-1.4 hello", filename="notes.pdf")["ticket"]
    )
    doc = uploader.ok("doc.get", doc_id=doc_id)["doc"]
    assert doc["media"] == "other"
    assert doc["original"]["ext"] == "pdf"
    assert doc["title"] == "notes"
    with Image.open(io.BytesIO(http.get(doc["thumbs"]["thumb"][0]["url"]).content)) as icon:
        assert icon.size == (75, 75)


def test_a_missing_file_is_1(uploader) -> None:
    assert uploader.error("upload.file", title="nothing") == 1


def test_an_empty_file_is_1(uploader) -> None:
    assert upload(uploader, b"")["api"]["code"] == "1"


def test_upload_needs_a_post(uploader) -> None:
    assert uploader.error("upload.file", http="GET") == 120


def test_upload_needs_the_write_permission(call, sandbox: Sandbox, desktop_app, alice) -> None:
    reader = call(desktop_app, sandbox.grant(alice, desktop_app, {"doc": "read"}))
    assert upload(reader, jpeg())["api"]["code"] == "110"


def test_the_file_part_is_not_signed(sandbox: Sandbox, desktop_app, alice, http) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})["token"]
    params = {"api_key": desktop_app.api_key, "auth_token": token, "title": "signed"}
    params["api_sig"] = signature(params, desktop_app.api_secret, "upload.file")
    answer = http.post(
        sandbox.api_url + "upload.file/json", data=params, files={"file": ("a.jpg", jpeg())}
    )
    assert answer.json()["api"]["status"] == "ok"


@pytest.fixture
def small_sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own that accepts files of at most 2000 bytes."""
    sb = Sandbox(max_upload_bytes=2000)
    with sb.serve(port=0):
        yield sb
    sb.close()


def _signed(sb: Sandbox, app, token: str, method: str, **params: str) -> dict[str, str]:
    sent = encode_params({"api_key": app.api_key, "auth_token": token, **params})
    sent["api_sig"] = signature(sent, app.api_secret, method)
    return sent


def test_a_file_past_the_limit_is_2(small_sandbox: Sandbox) -> None:
    app = small_sandbox.add_app("Up", auth="desktop")
    token = small_sandbox.grant(small_sandbox.add_user("u"), app, {"doc": "write"})["token"]
    answer = requests.post(
        small_sandbox.api_url + "upload.file/json",
        data=_signed(small_sandbox, app, token, "upload.file"),
        files={"file": ("big.jpg", b"x" * 2001)},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.json()["api"]["code"] == "2"


def test_a_body_far_past_the_limit_is_2_without_being_read(small_sandbox: Sandbox) -> None:
    app = small_sandbox.add_app("Up", auth="desktop")
    token = small_sandbox.grant(small_sandbox.add_user("u"), app, {"doc": "write"})["token"]
    answer = requests.post(
        small_sandbox.api_url + "upload.file/json",
        data=_signed(small_sandbox, app, token, "upload.file"),
        files={"file": ("huge.jpg", b"x" * 3_000_000)},
        timeout=10,
    )
    assert answer.json()["api"]["code"] == "2"


def _multipart(fields: dict[str, str], data: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    head = f"--{boundary}\r\nContent-Disposition: form-data; name="
    parts = [f'{head}"{name}"\r\n\r\n{value}\r\n'.encode() for name, value in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def test_a_chunked_upload_works(sandbox: Sandbox, desktop_app, alice, call) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})["token"]
    content_type, body = _multipart(
        _signed(sandbox, desktop_app, token, "upload.file", title="Chunky"), jpeg()
    )

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    answer = requests.post(
        sandbox.api_url + "upload.file/json",
        data=chunks(),
        headers={"Content-Type": content_type},
        timeout=10,
    ).json()
    doc_id = ticket_doc(call(desktop_app, token), answer["ticket"])
    assert call(desktop_app, token).ok("doc.get", doc_id=doc_id)["doc"]["title"] == "Chunky"


def test_a_chunked_body_past_the_limit_is_2(small_sandbox: Sandbox) -> None:
    app = small_sandbox.add_app("Up", auth="desktop")
    token = small_sandbox.grant(small_sandbox.add_user("u"), app, {"doc": "write"})["token"]
    content_type, body = _multipart(
        _signed(small_sandbox, app, token, "upload.file"), b"y" * 1_100_000
    )
    answer = requests.post(
        small_sandbox.api_url + "upload.file/json",
        data=iter([body[i : i + 65536] for i in range(0, len(body), 65536)]),
        headers={"Content-Type": content_type},
        timeout=10,
    )
    assert answer.json()["api"]["code"] == "2"


def test_tickets_complete_after_the_delay(sandbox: Sandbox, uploader) -> None:
    sandbox.settings.upload_delay = 0.6
    try:
        ticket = upload(uploader, jpeg())["ticket"]
    finally:
        sandbox.settings.upload_delay = 0.0
    pending = uploader.ok("upload.checkTickets", tickets=ticket)["tickets"]
    assert pending["ticket"][0]["done"] == "0"
    assert pending["ticket"][0]["eta"] == "1"
    assert "doc_id" not in pending["ticket"][0]
    assert (pending["done"], pending["eta"]) == ("0", "1")
    time.sleep(0.7)
    assert ticket_doc(uploader, ticket)


def test_unknown_tickets_are_invalid(uploader) -> None:
    ticket = upload(uploader, jpeg())["ticket"]
    tickets = uploader.ok("upload.checkTickets", tickets=f"{ticket},123,abc")["tickets"]
    assert [t["invalid"] for t in tickets["ticket"]] == ["0", "1", "1"]
    assert (tickets["total"], tickets["done"], tickets["invalid"]) == ("3", "1", "2")


def test_someone_elses_ticket_is_invalid(
    uploader, call, sandbox: Sandbox, desktop_app, bob
) -> None:
    ticket = upload(uploader, jpeg())["ticket"]
    other = call(desktop_app, sandbox.grant(bob, desktop_app, {"doc": "write"}))
    assert (
        other.ok("upload.checkTickets", tickets=ticket)["tickets"]["ticket"][0]["invalid"] == "1"
    )


def test_upload_replace_changes_the_file_and_its_urls(uploader, http) -> None:
    doc_id = ticket_doc(uploader, upload(uploader, jpeg(colour="red"))["ticket"])
    before = uploader.ok("doc.get", doc_id=doc_id, extra="md5")["doc"]
    new = jpeg(320, 240, colour="blue")
    ticket = uploader.answer("upload.replace", files={"file": ("b.jpg", new)}, doc_id=doc_id)[
        "ticket"
    ]
    assert ticket_doc(uploader, ticket) == doc_id
    after = uploader.ok("doc.get", doc_id=doc_id, extra="md5")["doc"]
    assert after["md5"] == hashlib.md5(new, usedforsecurity=False).hexdigest()
    assert after["original"]["w"] == "320"
    assert after["dates"]["replaced_at"] != "0"
    assert http.get(before["thumbs"]["thumb"][0]["url"]).status_code == 404
    assert http.get(after["original"]["url"]).content == new


def test_replacing_a_missing_document_is_4(uploader) -> None:
    answer = uploader.answer("upload.replace", files={"file": ("b.jpg", jpeg())}, doc_id=1)
    assert answer["api"]["code"] == "4"


def test_replacing_someone_elses_document_is_4(uploader, sandbox: Sandbox, bob) -> None:
    doc = sandbox.add_doc(bob, title="Bob's")
    answer = uploader.answer(
        "upload.replace", files={"file": ("b.jpg", jpeg())}, doc_id=doc.doc_id
    )
    assert answer["api"]["code"] == "4"


def test_replacing_a_photo_with_a_video_is_5(uploader) -> None:
    doc_id = ticket_doc(uploader, upload(uploader, jpeg())["ticket"])
    answer = uploader.answer(
        "upload.replace", files={"file": ("v.mp4", b"\x00\x00ftypmp4")}, doc_id=doc_id
    )
    assert answer["api"]["code"] == "5"


def test_upload_into_an_album(uploader, sandbox: Sandbox, alice) -> None:
    album = sandbox.add_album(alice, "Inbox")
    doc_id = ticket_doc(uploader, upload(uploader, jpeg(), album_id=album.album_id)["ticket"])
    docs = uploader.ok("album.docs.getList", album_id=album.album_id)["album"]["docs"]["doc"]
    assert [d["doc_id"] for d in docs] == [doc_id]


def test_free_accounts_have_a_monthly_limit(sandbox: Sandbox, desktop_app, call, alice) -> None:
    quota = call(desktop_app, sandbox.grant(alice, desktop_app, {"doc": "write"})).ok(
        "account.getQuota"
    )
    assert quota["quota"]["upload"]["max"]["mb"] == "200"
    assert quota["quota"]["upload"]["unlimited"] == "0"


def test_an_uploads_spooled_file_is_closed_with_its_request(
    sandbox: Sandbox, desktop_app, alice
) -> None:
    # Served in this thread (Werkzeug's test client), so that a file left for
    # the garbage collector warns here. Past 500 kB Werkzeug spools the part to disk.
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    params = encode_params({"api_key": desktop_app.api_key, "auth_token": str(token["token"])})
    params["api_sig"] = signature(params, desktop_app.api_secret, "upload.file")
    # The body made beforehand, in memory: the test client would spool a form to a file of its own.
    boundary, body = encode_multipart(
        {**params, "file": FileStorage(io.BytesIO(b"\xff" * 600_000), "big.jpg")}
    )
    client = Client(SandboxApp(sandbox))
    gc.collect()  # what earlier tests left is not this one's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        answer = client.post(
            "/api/upload.file/json",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        assert answer.status_code == 200
        assert "ticket" in answer.get_json()
        del answer
        gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
