"""``album.*`` and ``folder.*``: albums of documents, folders of albums."""

from __future__ import annotations

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


def ids(items: list[dict], key: str) -> list[str]:
    return [item[key] for item in items]


# -- albums --------------------------------------------------------------------------


def test_album_create_makes_an_album_with_its_cover(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Cover")
    album = as_alice.ok("album.create", title="Trips", description="Away", cover_id=doc.doc_id)[
        "album"
    ]
    assert album["title"] == "Trips"
    assert album["description"] == "Away"
    assert album["cover"]["doc_id"] == str(doc.doc_id)
    assert album["count"]["docs"] == "1"
    assert album["permissions"]["comment"] == "3"


def test_album_create_without_title_is_1(as_alice) -> None:
    assert as_alice.error("album.create") == 1


def test_album_create_with_someone_elses_cover_is_3(as_alice, sandbox: Sandbox, bob) -> None:
    doc = sandbox.add_doc(bob, title="Bob's")
    assert as_alice.error("album.create", title="Stolen", cover_id=doc.doc_id) == 3


def test_album_get_counts_what_each_audience_sees(
    call, desktop_app, sandbox: Sandbox, alice
) -> None:
    docs = [
        sandbox.add_doc(alice, title="Public"),
        sandbox.add_doc(alice, title="Family", is_public=False, is_family=True),
        sandbox.add_doc(alice, title="Private", is_public=False),
    ]
    album = sandbox.add_album(alice, "Mixed", docs=docs)
    answer = call(desktop_app).ok("album.get", album_id=album.album_id)["album"]
    assert answer["count"]["docs"] == "1"
    assert (answer["count"]["public"], answer["count"]["family"], answer["count"]["ff"]) == (
        "1",
        "2",
        "2",
    )
    assert answer["thumbsize"] == "75x"
    assert "permissions" not in answer


def test_album_get_of_a_missing_album_is_1(call, desktop_app) -> None:
    assert call(desktop_app).error("album.get", album_id=1) == 1


def test_album_getlist_lists_the_callers_non_empty_albums(
    as_alice, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="In")
    first = sandbox.add_album(alice, "First", docs=[doc])
    second = sandbox.add_album(alice, "Second", docs=[doc])
    sandbox.add_album(alice, "Empty")
    albums = as_alice.ok("album.getList")["albums"]
    assert ids(albums["album"], "album_id") == [str(first.album_id), str(second.album_id)]
    assert (albums["total"], albums["per_page"]) == ("2", "100")
    assert albums["can"]["create"] == "1"


def test_album_getlist_with_empty_lists_empty_albums(as_alice, sandbox: Sandbox, alice) -> None:
    sandbox.add_album(alice, "Empty")
    assert as_alice.ok("album.getList", empty=1)["albums"]["total"] == "1"


def test_album_getlist_per_page_is_capped_at_100(as_alice) -> None:
    assert as_alice.ok("album.getList", per_page=1000)["albums"]["per_page"] == "100"


def test_album_docs_add_reports_each_document(as_alice, sandbox: Sandbox, alice, bob) -> None:
    album = sandbox.add_album(alice, "Box")
    mine = [sandbox.add_doc(alice, title=f"D{n}") for n in range(2)]
    theirs = sandbox.add_doc(bob, title="Bob's")
    doc_ids = ",".join(str(d.doc_id) for d in [*mine, theirs])
    answer = as_alice.ok("album.docs.add", album_id=album.album_id, doc_id=doc_ids)["album"]
    assert (answer["total"], answer["added"], answer["skipped"]) == ("2", "2", "1")
    assert answer["doc"][2] == {"doc_id": str(theirs.doc_id), "added": "0", "error": "1"}
    again = as_alice.ok("album.docs.add", album_id=album.album_id, doc_id=mine[0].doc_id)["album"]
    assert again["doc"][0]["added"] == "0"


def test_album_docs_add_takes_at_most_20_ids(as_alice, sandbox: Sandbox, alice) -> None:
    album = sandbox.add_album(alice, "Box")
    assert (
        as_alice.error("album.docs.add", album_id=album.album_id, doc_id=",".join(["1"] * 21)) == 3
    )


def test_someone_elses_album_cannot_be_changed(as_bob, sandbox: Sandbox, alice) -> None:
    album = sandbox.add_album(alice, "Alice's")
    assert as_bob.error("album.edit", album_id=album.album_id, title="Bob's") == 2


def test_album_docs_getlist_lists_visible_documents_in_order(
    call, desktop_app, sandbox: Sandbox, alice
) -> None:
    docs = [sandbox.add_doc(alice, title=f"D{n}") for n in range(3)]
    hidden = sandbox.add_doc(alice, title="Hidden", is_public=False)
    album = sandbox.add_album(alice, "Ordered", docs=[docs[2], hidden, docs[0], docs[1]])
    answer = call(desktop_app).ok("album.docs.getList", album_id=album.album_id)["album"]
    assert ids(answer["docs"]["doc"], "title") == ["D2", "D0", "D1"]
    assert answer["docs"]["pages"] == "1"
    assert answer["cover"]["doc_id"] == str(docs[2].doc_id)


def test_album_docs_remove_destroys_an_emptied_album(as_alice, sandbox: Sandbox, alice) -> None:
    docs = [sandbox.add_doc(alice, title=f"D{n}") for n in range(2)]
    album = sandbox.add_album(alice, "Short-lived", docs=docs)
    answer = as_alice.ok("album.docs.remove", album_id=album.album_id, doc_id=docs[0].doc_id)[
        "album"
    ]
    assert (answer["total"], answer["removed"]) == ("1", "1")
    as_alice.ok("album.docs.remove", album_id=album.album_id, doc_id=docs[1].doc_id)
    assert as_alice.error("album.get", album_id=album.album_id) == 1


def test_album_docs_setlist_replaces_documents_and_cover(
    as_alice, sandbox: Sandbox, alice
) -> None:
    old = sandbox.add_doc(alice, title="Old")
    new = [sandbox.add_doc(alice, title=f"New{n}") for n in range(2)]
    album = sandbox.add_album(alice, "Replaced", docs=[old])
    answer = as_alice.ok(
        "album.docs.setList",
        album_id=album.album_id,
        doc_ids=f"{new[1].doc_id},{new[0].doc_id}",
        cover_id=new[0].doc_id,
    )["album"]
    assert (answer["total"], answer["cover_id"]) == ("2", str(new[0].doc_id))
    docs = as_alice.ok("album.docs.getList", album_id=album.album_id)["album"]["docs"]["doc"]
    assert ids(docs, "title") == ["New1", "New0"]


def test_album_docs_setlist_needs_the_cover_in_the_list(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Only")
    album = sandbox.add_album(alice, "A", docs=[doc])
    assert (
        as_alice.error(
            "album.docs.setList", album_id=album.album_id, doc_ids=doc.doc_id, cover_id=1
        )
        == 3
    )


def test_album_docs_getcontext_walks_the_album(call, desktop_app, sandbox: Sandbox, alice) -> None:
    docs = [sandbox.add_doc(alice, title=f"D{n}") for n in range(3)]
    album = sandbox.add_album(alice, "Walk", docs=docs)
    answer = call(desktop_app).ok(
        "album.docs.getContext", album_id=album.album_id, doc_id=docs[1].doc_id
    )
    assert answer["album"]["total"] == "3"
    assert answer["prev"]["doc"][0]["doc_id"] == str(docs[0].doc_id)
    assert answer["next"]["doc"][0]["link"].endswith(f"/in/album/{album.album_id}")


def test_album_docs_getcontext_of_a_document_outside_is_1(
    call, desktop_app, sandbox: Sandbox, alice
) -> None:
    album = sandbox.add_album(alice, "Walk", docs=[sandbox.add_doc(alice, title="In")])
    outside = sandbox.add_doc(alice, title="Out")
    assert (
        call(desktop_app).error(
            "album.docs.getContext", album_id=album.album_id, doc_id=outside.doc_id
        )
        == 1
    )


def test_album_edit_sets_a_new_cover(as_alice, sandbox: Sandbox, alice) -> None:
    docs = [sandbox.add_doc(alice, title=f"D{n}") for n in range(2)]
    album = sandbox.add_album(alice, "Covered", docs=docs)
    answer = as_alice.ok(
        "album.edit", album_id=album.album_id, title="Renamed", cover_id=docs[1].doc_id
    )
    assert answer["album"]["title"] == "Renamed"
    assert answer["album"]["cover"]["doc_id"] == str(docs[1].doc_id)


def test_album_delete_keeps_the_documents(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Stays")
    album = sandbox.add_album(alice, "Gone", docs=[doc])
    as_alice.ok("album.delete", album_id=album.album_id)
    assert as_alice.error("album.get", album_id=album.album_id) == 1
    assert as_alice.ok("doc.get", doc_id=doc.doc_id)["doc"]["count"]["albums"] == "0"


def test_album_orderlist_reorders_the_albums(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="In all")
    albums = [sandbox.add_album(alice, f"A{n}", docs=[doc]) for n in range(3)]
    as_alice.ok("album.orderList", album_ids=f"{albums[2].album_id},{albums[0].album_id}")
    listed = as_alice.ok("album.getList")["albums"]["album"]
    assert ids(listed, "title") == ["A2", "A0", "A1"]


def test_album_setperms_sets_who_may_comment(as_alice, sandbox: Sandbox, alice) -> None:
    album = sandbox.add_album(alice, "Quiet", docs=[sandbox.add_doc(alice, title="D")])
    as_alice.ok("album.setPerms", album_id=album.album_id, perm_comment=0)
    assert (
        as_alice.ok("album.get", album_id=album.album_id)["album"]["permissions"]["comment"] == "0"
    )
    assert as_alice.error("album.setPerms", album_id=album.album_id, perm_comment=9) == 3


def test_album_faves_and_visitors(as_alice, as_bob, sandbox: Sandbox, alice, bob) -> None:
    album = sandbox.add_album(alice, "Liked", docs=[sandbox.add_doc(alice, title="D")])
    as_bob.ok("album.get", album_id=album.album_id)
    sandbox.add_fave(bob, album)
    assert as_bob.ok("album.getFaves", album_id=album.album_id)["faves"]["fave"][0][
        "user_id"
    ] == str(bob.user_id)
    visits = as_alice.ok("album.getVisitors", album_id=album.album_id)["visits"]
    assert visits["visit"][0]["username"] == bob.username
    assert as_bob.error("album.getVisitors", album_id=album.album_id) == 2


# -- folders -------------------------------------------------------------------------


def test_folder_create_and_get(as_alice, alice) -> None:
    created = as_alice.ok("folder.create", title="Travels", description="All trips")["folder"]
    assert created["title"] == "Travels"
    assert created["count"]["albums"] == "0"
    folder = as_alice.ok("folder.get", folder_id=created["folder_id"])["folder"]
    assert folder["owner"]["user_id"] == str(alice.user_id)
    assert folder["description"] == "All trips"


def test_folder_albums_add_and_getlist(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="D")
    albums = [sandbox.add_album(alice, f"A{n}", docs=[doc]) for n in range(2)]
    folder = sandbox.add_folder(alice, "F")
    answer = as_alice.ok(
        "folder.albums.add",
        folder_id=folder.folder_id,
        album_id=f"{albums[1].album_id},{albums[0].album_id}",
    )["folder"]
    assert (answer["total"], answer["added"]) == ("2", "2")
    listed = as_alice.ok("folder.albums.getList", folder_id=folder.folder_id)["folder"]
    assert ids(listed["albums"]["album"], "title") == ["A1", "A0"]
    assert listed["albums"]["album"][0]["thumb"]["label"] == "75x"
    assert listed["cover"]["url"]


def test_folder_getlist_has_no_pages(as_alice, sandbox: Sandbox, alice) -> None:
    album = sandbox.add_album(alice, "A", docs=[sandbox.add_doc(alice, title="D")])
    sandbox.add_folder(alice, "Full", albums=[album])
    sandbox.add_folder(alice, "Empty")
    folders = as_alice.ok("folder.getList")["folders"]
    assert ids(folders["folder"], "title") == ["Full"]
    assert "pages" not in folders
    assert folders["folder"][0]["count"]["public"] == "1"
    assert as_alice.ok("folder.getList", empty=1)["folders"]["total"] == "2"


def test_folder_albums_remove_destroys_an_emptied_folder(
    as_alice, sandbox: Sandbox, alice
) -> None:
    album = sandbox.add_album(alice, "A", docs=[sandbox.add_doc(alice, title="D")])
    folder = sandbox.add_folder(alice, "F", albums=[album])
    answer = as_alice.ok(
        "folder.albums.remove", folder_id=folder.folder_id, album_id=album.album_id
    )
    assert answer["folder"]["removed"] == "1"
    assert as_alice.error("folder.get", folder_id=folder.folder_id) == 1


def test_folder_edit_and_delete(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Cover")
    folder = sandbox.add_folder(alice, "Old")
    edited = as_alice.ok(
        "folder.edit", folder_id=folder.folder_id, title="New", cover_id=doc.doc_id
    )
    assert edited["folder"]["title"] == "New"
    assert edited["folder"]["cover"]["doc_id"] == str(doc.doc_id)
    as_alice.ok("folder.delete", folder_id=folder.folder_id)
    assert as_alice.error("folder.get", folder_id=folder.folder_id) == 1


def test_folder_orderlist_reorders(as_alice, sandbox: Sandbox, alice) -> None:
    album = sandbox.add_album(alice, "A", docs=[sandbox.add_doc(alice, title="D")])
    folders = [sandbox.add_folder(alice, f"F{n}", albums=[album]) for n in range(3)]
    as_alice.ok("folder.orderList", folder_ids=str(folders[1].folder_id))
    assert ids(as_alice.ok("folder.getList")["folders"]["folder"], "title") == ["F1", "F0", "F2"]


def test_someone_elses_folder_cannot_be_deleted(as_bob, sandbox: Sandbox, alice) -> None:
    folder = sandbox.add_folder(alice, "Alice's")
    assert as_bob.error("folder.delete", folder_id=folder.folder_id) == 110
