"""Where the live service and the catalogue's samples differ, the sandbox answers the union.

Each test is one point of PROTOCOL.md's "shapes seen from the live service by
public clients": what clients that work against the live service read.
"""

from __future__ import annotations

import hashlib
import io
import time

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


def test_doc_get_perms_also_answers_in_the_names_doc_get_uses(
    writer, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Guarded")
    writer.ok("doc.setPerms", doc_id=doc.doc_id, perm_comment=1, perm_tag=2, perm_tagme=3)
    perms = writer.ok("doc.getPerms", doc_id=doc.doc_id)
    assert perms["permissions"] == {
        "permcomment": "1",
        "permtag": "2",
        "permtagme": "3",
        "comment": "1",
        "tag": "2",
        "tagme": "3",
    }
    assert perms["can"] == writer.ok("doc.get", doc_id=doc.doc_id)["doc"]["can"]
    assert perms["usage"] == {"can" + name: value for name, value in perms["can"].items()}


def test_album_docs_setlist_lists_each_document_under_docs_too(
    writer, sandbox: Sandbox, alice
) -> None:
    first, second = sandbox.add_doc(alice, title="1"), sandbox.add_doc(alice, title="2")
    album = sandbox.add_album(alice, "Reset", docs=[first])
    answer = writer.ok(
        "album.docs.setList",
        album_id=album.album_id,
        doc_ids=f"{first.doc_id},{second.doc_id}",
        cover_id=second.doc_id,
    )["album"]
    assert [(d["doc_id"], d["added"]) for d in answer["docs"]] == [
        (str(first.doc_id), "0"),
        (str(second.doc_id), "1"),
    ]
    assert answer["doc"] == answer["docs"]


def test_network_autocomplete_answers_under_network(
    call, sandbox: Sandbox, desktop_app, alice, bob
) -> None:
    sandbox.add_relation(alice, bob)
    caller = call(desktop_app, sandbox.grant(alice, desktop_app, {"network": "read"}))
    answer = caller.ok("network.autocomplete", query=bob.username[:3])
    assert [user["user_id"] for user in answer["network"]["user"]] == [str(bob.user_id)]
    assert answer["network"]["count"] == "1"
    assert answer["users"] == answer["network"]


def test_user_get_tells_since_when_the_member_is_one(call, sandbox: Sandbox, desktop_app) -> None:
    before = int(time.time())
    newcomer = sandbox.add_user("newcomer_since", "New")
    dates = call(desktop_app).ok("user.get", user_id=newcomer.user_id)["user"]["dates"]
    assert before <= int(dates["member_since"]) <= int(time.time())
    # Written as documents' dates are: seconds since 1970, as a string of digits.
    doc = sandbox.add_doc(newcomer, title="First")
    posted = call(desktop_app).ok("doc.get", doc_id=doc.doc_id)["doc"]["dates"]["posted_at"]
    assert isinstance(posted, str)
    assert posted.isdigit()
    assert isinstance(dates["member_since"], str)
    assert dates["member_since"].isdigit()


def test_a_member_may_fave_their_own_document(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Mine and loved")
    assert writer.ok("doc.get", doc_id=doc.doc_id)["doc"]["can"]["fave"] == "1"
    writer.ok("faves.docs.add", doc_id=doc.doc_id)
    faves = writer.ok("faves.docs.getList", owner_id=alice.user_id)["docs"]["doc"]
    assert [fave["doc_id"] for fave in faves] == [str(doc.doc_id)]


def test_a_member_may_fave_their_own_album(writer, sandbox: Sandbox, alice) -> None:
    album = sandbox.add_album(alice, "Mine too", docs=[sandbox.add_doc(alice, title="In it")])
    assert writer.ok("album.get", album_id=album.album_id)["album"]["can"]["fave"] == "1"
    writer.ok("faves.albums.add", album_id=album.album_id)
    faves = writer.ok("faves.albums.getList", owner_id=alice.user_id)["albums"]["album"]
    assert [fave["album_id"] for fave in faves] == [str(album.album_id)]


def signed_as_written(params: dict[str, str], secret: str, method: str) -> str:
    """PROTOCOL.md's rule, computed here: every parameter given, sorted by name,
    name then value, then the method and the secret, through MD5."""
    text = "".join(name + params[name] for name in sorted(params)) + method + secret
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@pytest.mark.parametrize("file_signed", [True, False], ids=["file-signed", "file-not-signed"])
def test_an_upload_sending_its_file_as_a_text_field_too_is_accepted(
    sandbox: Sandbox, http, desktop_app, alice, file_signed: bool
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})["token"]
    fields = {"api_key": desktop_app.api_key, "auth_token": token, "title": "Path sent"}
    path = {"file": "C:\\Photos\\sent.jpg"}
    signed = {**fields, **path} if file_signed else fields
    fields["api_sig"] = signed_as_written(signed, desktop_app.api_secret, "upload.file")
    answer = http.post(
        sandbox.api_url + "upload.file",
        data={**fields, **path},
        files={"file": ("sent.jpg", jpeg())},
        timeout=30,
    ).json()
    assert answer["api"]["status"] == "ok", answer
    assert answer["ticket"]


def test_an_upload_with_a_file_text_field_and_a_wrong_signature_is_105(
    sandbox: Sandbox, http, desktop_app, alice
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})["token"]
    fields = {"api_key": desktop_app.api_key, "auth_token": token, "file": "sent.jpg"}
    fields["api_sig"] = signed_as_written(fields, "not-the-secret", "upload.file")
    answer = http.post(
        sandbox.api_url + "upload.file",
        data=fields,
        files={"file": ("sent.jpg", jpeg())},
        timeout=30,
    ).json()
    assert answer["api"]["code"] == "105"
