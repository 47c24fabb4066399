"""Where the live service and the catalogue's samples differ, the sandbox answers the union.

Each test is one point of PROTOCOL.md's "shapes seen from the live service by
public clients": what clients that work against the live service read.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ipernity.sandbox import Sandbox
from ipernity.signing import encode_params, signature


@pytest.fixture
def writer(call, sandbox: Sandbox, desktop_app, alice):
    """Alice's calls with ``doc: write``."""
    return call(desktop_app, sandbox.grant(alice, desktop_app, {"doc": "write"}))


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "navy").save(out, "JPEG")
    return out.getvalue()


def test_a_signed_post_without_format_answers_json(
    sandbox: Sandbox, http, desktop_app, alice
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})["token"]
    params = {"api_key": desktop_app.api_key, "auth_token": token, "title": "No format"}
    params["api_sig"] = signature(params, desktop_app.api_secret, "album.create")
    answer = http.post(sandbox.api_url + "album.create", data=params, timeout=30).json()
    assert answer["album"]["title"] == "No format"


def test_lg_is_accepted_and_signed_like_any_parameter(call, desktop_app, alice) -> None:
    caller = call(desktop_app)
    assert caller.ok("user.get", user_id=alice.user_id, lg="fr")["user"]["username"]
    sent = encode_params({"api_key": desktop_app.api_key, "user_id": alice.user_id, "lg": "fr"})
    sent["api_sig"] = signature(sent, desktop_app.api_secret, "user.get")
    assert caller.error("user.get", sign=False, **{**sent, "lg": "de"}) == 105


def test_check_token_tells_permissions_language_and_pro_status(
    sandbox: Sandbox, call, desktop_app
) -> None:
    pro = sandbox.add_user("pro_checker", "Pro", is_pro=True)
    token = sandbox.grant(pro, desktop_app, {"doc": "read"})
    auth = call(desktop_app, token).ok("auth.checkToken", auth_token=token["token"])["auth"]
    assert auth["permissions"]["doc"] == "read"
    assert auth["user"] == {
        "user_id": str(pro.user_id),
        "username": "pro_checker",
        "realname": "Pro",
        "lg": "en",
        "is_pro": "1",
    }


def test_album_getlist_has_pages_and_each_albums_owner(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="In every album")
    for title in ("One", "Two", "Three"):
        sandbox.add_album(alice, title, docs=[doc])
    albums = writer.ok("album.getList", per_page=2)["albums"]
    assert (albums["total"], albums["per_page"], albums["pages"]) == ("3", "2", "2")
    owners = [album["owner"] for album in albums["album"]]
    assert owners == [{"user_id": str(alice.user_id), "username": alice.username,
                       "realname": "Alice"}] * 2  # fmt: skip


def test_check_md5_of_an_unknown_file_answers_an_empty_list(writer) -> None:
    docs = writer.ok("doc.checkMD5", md5="0" * 32)["docs"]
    assert docs["doc"] == []
    assert docs["found"] == "0"


def test_group_docs_add_and_remove_answer_the_live_shapes(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Shared")
    group = sandbox.add_group("Sharers", members=[alice])
    added = writer.ok("group.docs.add", group_id=group.group_id, doc_id=doc.doc_id)["group"]
    assert added["group_id"] == str(group.group_id)
    assert added["doc"][0]["doc_id"] == str(doc.doc_id)
    removed = writer.ok("group.docs.remove", group_id=group.group_id, doc_id=doc.doc_id)
    assert removed["group"]["docs"] == [{"doc_id": str(doc.doc_id)}]


def test_doc_search_filters_and_shows_creation_dates(writer, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Before", taken="2019-12-31 23:59:59")
    inside = sandbox.add_doc(alice, title="Inside", taken="2020-06-15 12:30:00")
    sandbox.add_doc(alice, title="After", taken="2021-01-01 00:00:00")
    docs = writer.ok(
        "doc.search",
        user_id=alice.user_id,
        media="photo,video",
        created_min="2020-01-01 00:00:00",
        created_max="2020-12-31 23:59:59",
        extra="dates",
        thumbsize="100",
    )["docs"]["doc"]
    assert [doc["doc_id"] for doc in docs] == [str(inside.doc_id)]
    assert docs[0]["dates"]["created"] == "2020-06-15 12:30:00"
    assert docs[0]["thumb"]["label"] == "100"
    assert docs[0]["thumb"]["url"].startswith(sandbox.base_url)


def test_set_geo_with_minus_999_removes_the_location(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Placed", lat=48.85, lng=2.35)
    assert "geo" in writer.ok("doc.get", doc_id=doc.doc_id, extra="geo")["doc"]
    writer.ok("doc.setGeo", doc_id=doc.doc_id, lat="-999", lng="-999")
    assert "geo" not in writer.ok("doc.get", doc_id=doc.doc_id, extra="geo")["doc"]


def test_upload_file_honours_every_field_of_its_catalogue_entry(
    writer, sandbox: Sandbox, alice
) -> None:
    album = sandbox.add_album(alice, "Target")
    answer = writer.ok(
        "upload.file",
        files={"file": ("all.jpg", jpeg())},
        title="Every field",
        description="All of them",
        created_at="2021-03-04 05:06:07",
        license=3,
        is_public=0,
        is_family=1,
        is_friend=1,
        safety=2,
        keywords="one,two",
        album_id=album.album_id,
        perm_comment=1,
        perm_tag=2,
        perm_tagme=3,
        lat="45.5",
        lng="-73.5",
        **{"async": 0},
    )
    doc = writer.ok("doc.get", doc_id=answer["doc_id"], extra="tags,geo")["doc"]
    assert (doc["title"], doc["description"]) == ("Every field", "All of them")
    assert doc["dates"]["created"] == "2021-03-04 05:06:07"
    assert (doc["license"], doc["safety"]) == ("3", "2")
    assert doc["visibility"] == {"ispublic": "0", "isfamily": "1", "isfriend": "1", "share": "3"}
    assert sorted(tag["keyword"] for tag in doc["tags"]["tag"]) == ["one", "two"]
    assert doc["permissions"] == {"comment": "1", "tag": "2", "tagme": "3"}
    assert (float(doc["geo"]["lat"]), float(doc["geo"]["lng"])) == (45.5, -73.5)
    in_album = writer.ok("album.docs.getList", album_id=album.album_id)["album"]["docs"]["doc"]
    assert [d["doc_id"] for d in in_album] == [answer["doc_id"]]


def test_upload_file_with_async_0_answers_the_doc_id(writer) -> None:
    answer = writer.ok("upload.file", files={"file": ("now.jpg", jpeg())}, **{"async": 0})
    assert set(answer) == {"api", "doc_id"}
    assert writer.ok("doc.get", doc_id=answer["doc_id"])["doc"]["doc_id"] == answer["doc_id"]


def test_doc_get_containers_lists_no_album_and_no_group_as_empty_lists(
    writer, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Alone")
    containers = writer.ok("doc.getContainers", doc_id=doc.doc_id)
    assert (containers["albums"]["album"], containers["groups"]["group"]) == ([], [])
