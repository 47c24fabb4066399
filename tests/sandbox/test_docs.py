"""``doc.*``: reading, listing, searching, editing and deleting documents."""

from __future__ import annotations

import hashlib

import pytest

from ipernity.sandbox import Sandbox


@pytest.fixture
def as_alice(call, sandbox: Sandbox, desktop_app, alice):
    """Alice's calls, with every ``doc`` permission."""
    return call(desktop_app, sandbox.grant(alice, desktop_app, {"doc": "delete"}))


@pytest.fixture
def as_bob(call, sandbox: Sandbox, desktop_app, bob):
    """Bob's calls, reading and writing documents."""
    return call(desktop_app, sandbox.grant(bob, desktop_app, {"doc": "write"}))


@pytest.fixture
def anonymous(call, desktop_app):
    """Calls without a token."""
    return call(desktop_app)


def test_doc_get_describes_the_document(anonymous, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Sunset", description="Red sky")
    answer = anonymous.ok("doc.get", doc_id=doc.doc_id)["doc"]
    assert answer["doc_id"] == str(doc.doc_id)
    assert answer["title"] == "Sunset"
    assert answer["description"] == "Red sky"
    assert answer["media"] == "photo"
    assert answer["owner"]["user_id"] == str(alice.user_id)
    assert answer["visibility"]["share"] == "5"
    assert [t["label"] for t in answer["thumbs"]["thumb"]][:3] == ["75x", "100", "240"]
    assert answer["original"]["url"].startswith(sandbox.base_url)


def test_doc_get_of_a_missing_document_is_1(anonymous) -> None:
    assert anonymous.error("doc.get", doc_id=999_999_999) == 1


@pytest.mark.parametrize(
    "value", ["abc", "", "-5", "1e9", "9" * 40, "1 OR 1=1", "1;DROP TABLE docs"]
)
def test_doc_get_with_a_malformed_id_is_1(anonymous, value: str) -> None:
    assert anonymous.error("doc.get", doc_id=value) == 1


def test_doc_get_with_extra_md5_adds_the_files_md5(
    anonymous, sandbox: Sandbox, alice, http
) -> None:
    doc = sandbox.add_doc(alice, title="Hash me")
    answer = anonymous.ok("doc.get", doc_id=doc.doc_id, extra="md5")["doc"]
    data = http.get(answer["original"]["url"]).content
    assert answer["md5"] == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert answer["original"]["bytes"] == str(len(data))


def test_doc_get_with_extras_adds_tags_geo_and_notes(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Alps", tags=["mountain", "snow"], lat=45.5, lng=6.25)
    as_alice.ok("doc.notes.add", doc_id=doc.doc_id, content="peak", x=10, y=10, w=20, h=20)
    answer = as_alice.ok("doc.get", doc_id=doc.doc_id, extra="tags,geo,notes")["doc"]
    assert [t["title"] for t in answer["tags"]["tag"]] == ["mountain", "snow"]
    assert answer["geo"]["lat"] == "45.5"
    assert answer["notes"]["note"][0]["content"] == "peak"


def test_a_private_document_is_not_found_by_others(as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Secret", is_public=False)
    assert as_bob.error("doc.get", doc_id=doc.doc_id) == 1


def test_the_owner_sees_their_private_document(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Secret", is_public=False)
    assert as_alice.ok("doc.get", doc_id=doc.doc_id)["doc"]["visibility"]["share"] == "0"


def test_a_friends_document_is_seen_by_the_owners_friends(
    as_bob, sandbox: Sandbox, alice, bob
) -> None:
    doc = sandbox.add_doc(alice, title="For friends", is_public=False, is_friend=True)
    assert as_bob.error("doc.get", doc_id=doc.doc_id) == 1
    sandbox.add_relation(alice, bob, friend=True)
    assert as_bob.ok("doc.get", doc_id=doc.doc_id)["doc"]["title"] == "For friends"


def test_a_family_document_is_not_seen_by_friends(as_bob, sandbox: Sandbox, alice, bob) -> None:
    doc = sandbox.add_doc(alice, title="For family", is_public=False, is_family=True)
    sandbox.add_relation(alice, bob, friend=True)
    assert as_bob.error("doc.get", doc_id=doc.doc_id) == 1


def test_a_token_without_doc_read_sees_like_an_anonymous_visitor(
    call, sandbox: Sandbox, desktop_app, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Mine", is_public=False)
    networker = call(desktop_app, sandbox.grant(alice, desktop_app, {"network": "read"}))
    assert networker.error("doc.get", doc_id=doc.doc_id) == 1


def test_doc_getlist_without_user_id_lists_the_callers_documents(
    as_alice, sandbox: Sandbox, alice
) -> None:
    first = sandbox.add_doc(alice, title="One", posted_at=1_600_000_000)
    second = sandbox.add_doc(alice, title="Two", is_public=False, posted_at=1_600_000_100)
    docs = as_alice.ok("doc.getList")["docs"]
    assert docs["total"] == "2"
    assert [d["doc_id"] for d in docs["doc"]] == [str(second.doc_id), str(first.doc_id)]
    assert docs["doc"][0]["thumb"]["label"] == "75x"


def test_doc_getlist_of_another_member_hides_their_private_documents(
    as_bob, sandbox: Sandbox, alice
) -> None:
    sandbox.add_doc(alice, title="Public")
    sandbox.add_doc(alice, title="Private", is_public=False)
    docs = as_bob.ok("doc.getList", user_id=alice.user_id)["docs"]
    assert [d["title"] for d in docs["doc"]] == ["Public"]


def test_doc_getlist_without_token_and_user_id_is_1(anonymous) -> None:
    assert anonymous.error("doc.getList") == 1


def test_doc_getlist_accepts_a_username(anonymous, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Named")
    assert anonymous.ok("doc.getList", user_id=alice.username)["docs"]["total"] == "1"


def test_doc_getlist_of_an_unknown_member_is_1(anonymous) -> None:
    assert anonymous.error("doc.getList", user_id="nobody-at-all") == 1


def test_an_empty_list_has_no_doc_member(as_alice) -> None:
    docs = as_alice.ok("doc.getList")["docs"]
    assert docs["total"] == "0"
    assert "doc" not in docs


def test_a_single_document_is_still_a_list(as_alice, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Alone")
    assert isinstance(as_alice.ok("doc.getList")["docs"]["doc"], list)


@pytest.mark.parametrize(
    ("per_page", "expected"),
    [(None, 20), ("5", 5), ("100", 100), ("500", 100), ("0", 20), ("x", 20)],
)
def test_doc_getlist_pages_with_the_catalogue_limits(
    as_alice, sandbox: Sandbox, alice, per_page, expected: int
) -> None:
    with sandbox.store.transaction():
        for n in range(105):
            sandbox.add_doc(alice, title=f"Doc {n}")
    docs = as_alice.ok("doc.getList", per_page=per_page)["docs"]
    assert docs["per_page"] == str(expected)
    assert len(docs["doc"]) == expected
    assert docs["pages"] == str(-(-105 // expected))


def test_the_last_page_holds_the_remainder(as_alice, sandbox: Sandbox, alice) -> None:
    for n in range(7):
        sandbox.add_doc(alice, title=f"Doc {n}")
    docs = as_alice.ok("doc.getList", per_page=3, page=3)["docs"]
    assert (docs["page"], docs["pages"], len(docs["doc"])) == ("3", "3", 1)


def test_a_page_past_the_end_is_empty(as_alice, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Only")
    assert "doc" not in as_alice.ok("doc.getList", page=9)["docs"]


def test_doc_getlist_filters_by_share_for_the_owner(as_alice, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Public")
    sandbox.add_doc(alice, title="Friends", is_public=False, is_friend=True)
    docs = as_alice.ok("doc.getList", share=2)["docs"]
    assert [d["title"] for d in docs["doc"]] == ["Friends"]


def test_doc_getlist_thumbsize_picks_the_thumbnail(as_alice, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Big")
    thumb = as_alice.ok("doc.getList", thumbsize="240")["docs"]["doc"][0]["thumb"]
    assert (thumb["label"], thumb["w"], thumb["h"]) == ("240", "240", "180")


def test_doc_search_finds_words_in_titles_and_tags(anonymous, sandbox: Sandbox, alice) -> None:
    word = alice.username + "word"
    sandbox.add_doc(alice, title=f"A {word} here")
    sandbox.add_doc(alice, title="Tagged", tags=[word])
    sandbox.add_doc(alice, title="Unrelated")
    docs = anonymous.ok("doc.search", text=word)["docs"]
    assert sorted(d["title"] for d in docs["doc"]) == [f"A {word} here", "Tagged"]
    assert docs["doc"][0]["owner"]["user_id"] == str(alice.user_id)


def test_doc_search_excludes_minus_words(anonymous, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="blue sky")
    sandbox.add_doc(alice, title="blue sky clouds")
    docs = anonymous.ok("doc.search", user_id=alice.user_id, text="+blue -clouds")["docs"]
    assert [d["title"] for d in docs["doc"]] == ["blue sky"]


def test_doc_search_by_tags(anonymous, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Cat", tags=["cat"])
    sandbox.add_doc(alice, title="Dog", tags=["dog"])
    docs = anonymous.ok("doc.search", user_id=alice.user_id, tags="CAT")["docs"]
    assert [d["title"] for d in docs["doc"]] == ["Cat"]


def test_doc_search_around_a_point(anonymous, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Near", lat=48.8584, lng=2.2945)
    sandbox.add_doc(alice, title="Far", lat=48.9584, lng=2.2945)
    found = anonymous.ok("doc.search", user_id=alice.user_id, lat=48.858, lng=2.294, dist=1000)
    assert [d["title"] for d in found["docs"]["doc"]] == ["Near"]


def test_doc_search_ignores_sql_metacharacters(anonymous, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="100% sure")
    for text in ["%", "_", "' OR 1=1 --", '"unclosed', "\\"]:
        assert (
            anonymous.ok("doc.search", user_id=alice.user_id, text=text)["api"]["status"] == "ok"
        )
    docs = anonymous.ok("doc.search", user_id=alice.user_id, text="100%")["docs"]
    assert docs["total"] == "1"


def test_doc_set_changes_title_and_description(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Old")
    answer = as_alice.ok("doc.set", doc_id=doc.doc_id, title="New", description="Words")
    assert answer["doc"] == {
        "doc_id": str(doc.doc_id),
        "title": "New",
        "share": "5",
        "description": "Words",
    }
    assert as_alice.ok("doc.get", doc_id=doc.doc_id)["doc"]["title"] == "New"


def test_doc_set_on_someone_elses_document_is_2(as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Not yours")
    assert as_bob.error("doc.set", doc_id=doc.doc_id, title="Mine now") == 2


def test_doc_delete_removes_the_document(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Doomed")
    sandbox.add_comment(alice, doc, "bye")
    as_alice.ok("doc.delete", doc_id=doc.doc_id)
    assert as_alice.error("doc.get", doc_id=doc.doc_id) == 1


def test_doc_delete_needs_the_delete_permission(as_bob, sandbox: Sandbox, bob) -> None:
    doc = sandbox.add_doc(bob, title="Safe")
    assert as_bob.error("doc.delete", doc_id=doc.doc_id) == 110


def test_doc_checkmd5_lists_only_the_callers_matches(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Known")
    md5 = as_alice.ok("doc.get", doc_id=doc.doc_id, extra="md5")["doc"]["md5"]
    answer = as_alice.ok("doc.checkMD5", md5=f"{md5},{'0' * 32}")["docs"]
    assert (answer["count"], answer["found"]) == ("2", "1")
    assert answer["doc"] == [{"md5": md5, "doc_id": str(doc.doc_id), "found": "1"}]


def test_doc_getcontainers_lists_albums_and_groups(anonymous, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Shared")
    album = sandbox.add_album(alice, "Trips", docs=[doc])
    group = sandbox.add_group("Blue skies " + alice.username, members=[alice], docs=[doc])
    answer = anonymous.ok("doc.getContainers", doc_id=doc.doc_id)
    assert answer["albums"]["album"][0]["album_id"] == str(album.album_id)
    assert answer["groups"]["group"][0]["group_id"] == str(group.group_id)


def test_doc_getcontext_gives_older_and_newer_documents(
    anonymous, sandbox: Sandbox, alice
) -> None:
    docs = [sandbox.add_doc(alice, title=f"D{n}", posted_at=1_600_000_000 + n) for n in range(5)]
    answer = anonymous.ok("doc.getContext", doc_id=docs[2].doc_id, prev=1, next=5)
    assert [d["doc_id"] for d in answer["prev"]["doc"]] == [str(docs[1].doc_id)]
    assert answer["prev"]["doc"][0]["index"] == "-1"
    assert answer["doc"]["index"] == "0"
    assert [d["doc_id"] for d in answer["next"]["doc"]] == [
        str(docs[3].doc_id),
        str(docs[4].doc_id),
    ]


def test_doc_getexif_reads_the_pictures_exif(anonymous, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Camera")
    tags = anonymous.ok("doc.getExif", doc_id=doc.doc_id)["exif"]["tag"]
    assert {"id": "271", "name": "Make", "value": "Sandbox Optics"} in tags


def test_doc_getmedias_lists_thumbnails_and_original(anonymous, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Media")
    answer = anonymous.ok("doc.getMedias", doc_id=doc.doc_id)
    assert len(answer["thumbs"]["thumb"]) >= 5
    assert answer["original"]["ext"] == "jpg"
    assert "medias" not in answer


def test_a_video_has_medias(anonymous, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(
        alice, title="Clip", image=b"\x00\x00\x00\x18ftypmp42", filename="clip.mp4"
    )
    answer = anonymous.ok("doc.getMedias", doc_id=doc.doc_id)
    assert answer["medias"]["media"][0]["ext"] == "mp4"
    assert anonymous.ok("doc.get", doc_id=doc.doc_id)["doc"]["media"] == "video"


def test_doc_getperms_tells_the_owner_the_settings(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Perms", is_public=False, is_family=True)
    answer = as_alice.ok("doc.getPerms", doc_id=doc.doc_id)
    assert answer["visibility"] == {"ispublic": "0", "isfriend": "0", "isfamily": "1"}
    assert answer["usage"]["cancomment"] == "1"


def test_doc_getperms_of_someone_elses_document_is_2(as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Theirs")
    assert as_bob.error("doc.getPerms", doc_id=doc.doc_id) == 2


def test_visits_are_counted_and_listed_for_the_owner(
    as_alice, as_bob, anonymous, sandbox: Sandbox, alice, bob
) -> None:
    doc = sandbox.add_doc(alice, title="Popular")
    as_bob.ok("doc.get", doc_id=doc.doc_id)
    as_bob.ok("doc.get", doc_id=doc.doc_id)
    anonymous.ok("doc.get", doc_id=doc.doc_id)
    visits = as_alice.ok("doc.getVisitors", doc_id=doc.doc_id)["visits"]
    assert visits["visit"][0]["user_id"] == str(bob.user_id)
    assert visits["visit"][0]["visits"] == "2"
    assert visits["anonymous"]["visits"] == "1"
    assert as_alice.ok("doc.get", doc_id=doc.doc_id)["doc"]["count"]["visits"] == "3"


def test_doc_getfaves_lists_who_faved(anonymous, sandbox: Sandbox, alice, bob) -> None:
    doc = sandbox.add_doc(alice, title="Loved")
    sandbox.add_fave(bob, doc)
    faves = anonymous.ok("doc.getFaves", doc_id=doc.doc_id)["faves"]
    assert faves["per_page"] == "10"
    assert faves["fave"][0]["username"] == bob.username


def test_doc_setgeo_places_and_unplaces_the_document(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Where")
    as_alice.ok("doc.setGeo", doc_id=doc.doc_id, lat=43.6667, lng=6.9234)
    assert as_alice.ok("doc.get", doc_id=doc.doc_id, extra="geo")["doc"]["geo"]["lng"] == "6.9234"
    as_alice.ok("doc.setGeo", doc_id=doc.doc_id, lat=-999, lng=-999)
    assert "geo" not in as_alice.ok("doc.get", doc_id=doc.doc_id, extra="geo")["doc"]


@pytest.mark.parametrize(("lat", "lng"), [(91, 0), (0, 181), ("north", 2), ("nan", 1), ("inf", 1)])
def test_doc_setgeo_refuses_impossible_places(as_alice, sandbox: Sandbox, alice, lat, lng) -> None:
    doc = sandbox.add_doc(alice, title="Nowhere")
    assert as_alice.error("doc.setGeo", doc_id=doc.doc_id, lat=lat, lng=lng) == 3


def test_doc_setlicense_sets_a_valid_license(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="CC")
    as_alice.ok("doc.setLicense", doc_id=doc.doc_id, license=9)
    assert as_alice.ok("doc.get", doc_id=doc.doc_id)["doc"]["license"] == "9"
    assert as_alice.error("doc.setLicense", doc_id=doc.doc_id, license=4) == 3


def test_doc_setperms_with_share_makes_a_document_private(
    as_alice, as_bob, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Hide me")
    as_alice.ok("doc.setPerms", doc_id=doc.doc_id, share=0, perm_comment=0)
    assert as_bob.error("doc.get", doc_id=doc.doc_id) == 1
    perms = as_alice.ok("doc.getPerms", doc_id=doc.doc_id)
    assert perms["permissions"]["permcomment"] == "0"


def test_doc_setperms_with_flags(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Friends only")
    as_alice.ok("doc.setPerms", doc_id=doc.doc_id, is_public=0, is_friend=1, is_family=0)
    assert as_alice.ok("doc.get", doc_id=doc.doc_id)["doc"]["visibility"]["share"] == "2"


def test_doc_setperms_without_anything_to_set_is_3(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Same")
    assert as_alice.error("doc.setPerms", doc_id=doc.doc_id) == 3


def test_doc_setsafety_sets_the_level(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Careful")
    as_alice.ok("doc.setSafety", doc_id=doc.doc_id, safety=3)
    assert as_alice.ok("doc.get", doc_id=doc.doc_id)["doc"]["safety"] == "3"
    assert as_alice.error("doc.setSafety", doc_id=doc.doc_id, safety=7) == 3


def test_safesurf_hides_less_safe_documents(anonymous, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="Safe")
    sandbox.add_doc(alice, title="Adult", safety=3)
    docs = anonymous.ok("doc.getList", user_id=alice.user_id, safesurf=1)["docs"]
    assert [d["title"] for d in docs["doc"]] == ["Safe"]


def test_doc_albums_add_puts_a_document_in_albums(as_alice, sandbox: Sandbox, alice, bob) -> None:
    doc = sandbox.add_doc(alice, title="Everywhere")
    mine = sandbox.add_album(alice, "Mine")
    theirs = sandbox.add_album(bob, "Theirs")
    answer = as_alice.ok(
        "doc.albums.add", doc_id=doc.doc_id, album_id=f"{mine.album_id},{theirs.album_id}"
    )
    items = answer["doc"]["album"]
    assert items[0] == {"album_id": str(mine.album_id), "added": "1", "error": "0"}
    assert items[1]["added"] == "0"


def test_notes_are_added_edited_and_deleted(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Annotated")
    note = as_alice.ok("doc.notes.add", doc_id=doc.doc_id, content="Hi", x=5, y=5, w=30, h=30)[
        "note"
    ]
    assert (note["x"], note["w"], note["content"]) == ("5", "30", "Hi")
    edited = as_alice.ok(
        "doc.notes.edit", note_id=note["note_id"], content="Bye", x=1, y=2, w=3, h=4
    )
    assert edited["note"]["content"] == "Bye"
    as_alice.ok("doc.notes.delete", note_id=note["note_id"])
    assert as_alice.error("doc.notes.delete", note_id=note["note_id"]) == 1


def test_a_note_outside_the_photo_lands_in_the_corner(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Small")
    note = as_alice.ok("doc.notes.add", doc_id=doc.doc_id, content="Out", x=5000, y=5, w=30, h=30)
    assert [note["note"][k] for k in ("x", "y", "w", "h")] == ["0", "0", "50", "50"]


def test_a_note_preview_adds_nothing(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Preview")
    as_alice.ok("doc.notes.add", doc_id=doc.doc_id, content="Maybe", x=1, y=1, w=9, h=9, preview=1)
    assert "note" not in as_alice.ok("doc.get", doc_id=doc.doc_id, extra="notes")["doc"]["notes"]


def test_someone_elses_note_cannot_be_deleted(as_alice, as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Mine")
    note = as_alice.ok("doc.notes.add", doc_id=doc.doc_id, content="Hi", x=1, y=1, w=9, h=9)[
        "note"
    ]
    assert as_bob.error("doc.notes.delete", note_id=note["note_id"]) == 2
