"""Groups, faves, explore, tags, network, comments and blog posts."""

from __future__ import annotations

import pytest

from ipernity.sandbox import Sandbox


@pytest.fixture
def as_alice(call, sandbox: Sandbox, desktop_app, alice):
    """Alice's calls, with every permission."""
    perms = {
        "doc": "delete",
        "blog": "delete",
        "post": "delete",
        "network": "delete",
        "profile": "write",
    }
    return call(desktop_app, sandbox.grant(alice, desktop_app, perms))


@pytest.fixture
def as_bob(call, sandbox: Sandbox, desktop_app, bob):
    """Bob's calls, with write permissions."""
    perms = {"doc": "write", "blog": "write", "post": "write", "network": "read"}
    return call(desktop_app, sandbox.grant(bob, desktop_app, perms))


@pytest.fixture
def anonymous(call, desktop_app):
    """Calls without a token."""
    return call(desktop_app)


def titles(items: list[dict]) -> list[str]:
    return [item["title"] for item in items]


# -- groups --------------------------------------------------------------------------


def test_group_get_by_id_and_alias(anonymous, sandbox: Sandbox, alice) -> None:
    group = sandbox.add_group(f"Blue skies {alice.username}", members=[alice], description="Skies")
    answer = anonymous.ok("group.get", group_id=group.group_id)["group"]
    assert (answer["id"], answer["title"], answer["description"]) == (
        str(group.group_id),
        group.title,
        "Skies",
    )
    assert answer["count"]["members"] == "1"
    alias = answer["link"].rsplit("/", 1)[1]
    assert anonymous.ok("group.get", group_id=alias)["group"]["id"] == str(group.group_id)


def test_group_get_of_a_missing_group_is_1(anonymous) -> None:
    assert anonymous.error("group.get", group_id="no-such-group") == 1


def test_group_get_tells_the_member_their_role(as_alice, sandbox: Sandbox, alice) -> None:
    group = sandbox.add_group(f"Run by {alice.username}", admins=[alice])
    you = as_alice.ok("group.get", group_id=group.group_id)["group"]["you"]
    assert (you["isadmin"], you["ismember"]) == ("1", "1")


def test_group_getlist_lists_the_callers_groups(as_alice, sandbox: Sandbox, alice, bob) -> None:
    mine = sandbox.add_group(f"Mine {alice.username}", members=[alice])
    sandbox.add_group(f"Not mine {alice.username}", members=[bob])
    groups = as_alice.ok("group.getList")["groups"]
    assert [g["group_id"] for g in groups["group"]] == [str(mine.group_id)]
    assert groups["pages"] == "1"


def test_group_search_finds_words(anonymous, sandbox: Sandbox, alice) -> None:
    word = f"zebra{alice.username}"
    sandbox.add_group(f"The {word} club")
    sandbox.add_group(f"Other {alice.username}")
    assert titles(anonymous.ok("group.search", text=word)["groups"]["group"]) == [
        f"The {word} club"
    ]


def test_group_docs_add_and_list(as_alice, anonymous, sandbox: Sandbox, alice) -> None:
    group = sandbox.add_group(f"Open {alice.username}", members=[alice])
    doc = sandbox.add_doc(alice, title="Shared")
    answer = as_alice.ok("group.docs.add", group_id=group.group_id, doc_id=doc.doc_id)["group"]
    assert answer["doc"][0] == {
        "doc_id": str(doc.doc_id),
        "added": "1",
        "pending": "0",
        "error": "0",
    }
    listed = anonymous.ok("group.docs.getList", group_id=group.group_id)["group"]["docs"]
    assert titles(listed["doc"]) == ["Shared"]


def test_a_moderated_group_keeps_new_docs_pending(
    as_alice, anonymous, sandbox: Sandbox, alice
) -> None:
    group = sandbox.add_group(f"Strict {alice.username}", members=[alice], moderated=True)
    doc = sandbox.add_doc(alice, title="Waiting")
    answer = as_alice.ok("group.docs.add", group_id=group.group_id, doc_id=doc.doc_id)["group"]
    assert answer["pending"] == "1"
    assert (
        "doc" not in anonymous.ok("group.docs.getList", group_id=group.group_id)["group"]["docs"]
    )


def test_only_members_add_docs_to_a_group(as_bob, sandbox: Sandbox, alice, bob) -> None:
    group = sandbox.add_group(f"Closed {alice.username}", members=[alice])
    doc = sandbox.add_doc(bob, title="Outsider")
    assert as_bob.error("group.docs.add", group_id=group.group_id, doc_id=doc.doc_id) == 2


def test_group_docs_remove_by_owner_or_moderator(
    as_alice, as_bob, sandbox: Sandbox, alice, bob
) -> None:
    doc = sandbox.add_doc(bob, title="Bob's")
    group = sandbox.add_group(f"Mod {alice.username}", members=[bob], admins=[alice], docs=[doc])
    other = sandbox.add_doc(alice, title="Alice's")
    # The admin removes anyone's document; a member only their own.
    answer = as_alice.ok("group.docs.remove", group_id=group.group_id, doc_id=doc.doc_id)["group"]
    assert answer["removed"] == "1"
    as_alice.ok("group.docs.add", group_id=group.group_id, doc_id=other.doc_id)
    assert (
        as_bob.ok("group.docs.remove", group_id=group.group_id, doc_id=other.doc_id)["group"][
            "removed"
        ]
        == "0"
    )


def test_group_docs_getcontext(anonymous, sandbox: Sandbox, alice) -> None:
    docs = [sandbox.add_doc(alice, title=f"G{n}") for n in range(3)]
    group = sandbox.add_group(f"Ctx {alice.username}", members=[alice], docs=docs)
    answer = anonymous.ok("group.docs.getContext", group_id=group.group_id, doc_id=docs[1].doc_id)
    assert answer["group"]["total"] == "3"
    assert answer["prev"]["doc"][0]["doc_id"] == str(docs[0].doc_id)
    assert answer["next"]["doc"][0]["link"].endswith(f"/in/group/{group.group_id}")


# -- faves ---------------------------------------------------------------------------


def test_faves_docs_add_list_and_remove(as_bob, anonymous, sandbox: Sandbox, alice, bob) -> None:
    doc = sandbox.add_doc(alice, title="Lovely")
    as_bob.ok("faves.docs.add", doc_id=doc.doc_id)
    faves = anonymous.ok("faves.docs.getList", user_id=bob.user_id)["docs"]
    assert titles(faves["doc"]) == ["Lovely"]
    assert faves["doc"][0]["iscontact"] == "0"
    as_bob.ok("faves.docs.remove", doc_id=doc.doc_id)
    assert as_bob.error("faves.docs.remove", doc_id=doc.doc_id) == 1


def test_a_doc_cannot_be_faved_twice(as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Once")
    as_bob.ok("faves.docs.add", doc_id=doc.doc_id)
    assert as_bob.error("faves.docs.add", doc_id=doc.doc_id) == 3


def test_faves_docs_getlist_without_user_id_is_the_callers(
    as_bob, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Mine to love")
    as_bob.ok("faves.docs.add", doc_id=doc.doc_id)
    assert as_bob.ok("faves.docs.getList")["docs"]["total"] == "1"


def test_faves_albums_add_list_and_remove(as_bob, anonymous, sandbox: Sandbox, alice, bob) -> None:
    album = sandbox.add_album(alice, "Best of", docs=[sandbox.add_doc(alice, title="D")])
    as_bob.ok("faves.albums.add", album_id=album.album_id)
    albums = anonymous.ok("faves.albums.getList", user_id=bob.user_id)["albums"]
    assert albums["album"][0]["album_id"] == str(album.album_id)
    assert albums["album"][0]["user_id"] == str(alice.user_id)
    assert "pages" not in albums
    as_bob.ok("faves.albums.remove", album_id=album.album_id)
    assert anonymous.ok("faves.albums.getList", user_id=bob.user_id)["albums"]["total"] == "0"


# -- explore -------------------------------------------------------------------------


def test_explore_getrecent_shows_the_latest_public_docs(
    anonymous, sandbox: Sandbox, alice
) -> None:
    sandbox.add_doc(alice, title="Hidden", is_public=False)
    latest = sandbox.add_doc(alice, title="Fresh")
    docs = anonymous.ok("explore.docs.getRecent", count=3)["docs"]
    assert docs["doc"][0]["doc_id"] == str(latest.doc_id)
    assert docs["doc"][0]["owner"]["user_id"] == str(alice.user_id)
    assert len(docs["doc"]) <= 3


def test_explore_getpopular_ranks_faved_docs_first(
    anonymous, sandbox: Sandbox, alice, bob
) -> None:
    star = sandbox.add_doc(alice, title="Star")
    for fan in [bob, *(sandbox.add_user(f"{bob.username}fan{n}") for n in range(30))]:
        sandbox.add_fave(fan, star)
    docs = anonymous.ok("explore.docs.getPopular", per_page=80)["docs"]
    assert docs["per_page"] == "50"
    assert docs["doc"][0]["doc_id"] == str(star.doc_id)


def test_explore_homepage_pages_by_five(anonymous, sandbox: Sandbox, alice) -> None:
    for n in range(6):
        sandbox.add_doc(alice, title=f"H{n}")
    assert anonymous.ok("explore.docs.homepage")["docs"]["per_page"] == "5"


def test_explore_groups_getrandom_returns_public_groups(
    anonymous, sandbox: Sandbox, alice
) -> None:
    sandbox.add_group(f"Random {alice.username}")
    groups = anonymous.ok("explore.groups.getRandom", count=2)["groups"]
    assert 1 <= len(groups["group"]) <= 2


# -- tags ----------------------------------------------------------------------------


def test_doc_tags_add_keywords_and_members(as_alice, sandbox: Sandbox, alice, bob) -> None:
    doc = sandbox.add_doc(alice, title="Tag me")
    sandbox.add_relation(alice, bob, friend=True)
    answer = as_alice.ok(
        "doc.tags.add", doc_id=doc.doc_id, keywords='beach,"blue sky"', members=bob.user_id
    )
    tags = answer["tags"]
    assert (tags["added"], tags["dropped"]) == ("3", "0")
    assert [(t["type"], t["tag"]) for t in tags["tag"]] == [
        ("keyword", "beach"),
        ("keyword", "blue sky"),
        ("member", bob.username),
    ]


def test_tagging_twice_drops_the_duplicate(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Once", tags=["sea"])
    assert as_alice.ok("doc.tags.add", doc_id=doc.doc_id, keywords="SEA")["tags"]["dropped"] == "1"


def test_member_tags_only_name_contacts(as_alice, sandbox: Sandbox, alice, bob) -> None:
    doc = sandbox.add_doc(alice, title="Who")
    assert (
        as_alice.ok("doc.tags.add", doc_id=doc.doc_id, members=bob.user_id)["tags"]["dropped"]
        == "1"
    )


def test_doc_tags_add_needs_keywords_or_members(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Nothing")
    assert as_alice.error("doc.tags.add", doc_id=doc.doc_id) == 1


def test_doc_tags_edit_replaces_keywords(as_alice, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Retag", tags=["old"])
    as_alice.ok("doc.tags.edit", doc_id=doc.doc_id, keywords="new,newer")
    tags = as_alice.ok("doc.tags.getList", doc_id=doc.doc_id)["tags"]
    assert [t["tag"] for t in tags["tag"]] == ["new", "newer"]
    assert tags["tag"][0]["added_at"]


def test_doc_tags_remove(as_alice, as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Untag", tags=["gone"])
    tag = as_alice.ok("doc.tags.getList", doc_id=doc.doc_id)["tags"]["tag"][0]
    assert as_bob.error("doc.tags.remove", doc_id=doc.doc_id, type="keyword", id=tag["id"]) == 2
    as_alice.ok("doc.tags.remove", doc_id=doc.doc_id, type="keyword", id=tag["id"])
    assert as_alice.error("doc.tags.remove", doc_id=doc.doc_id, type="keyword", id=tag["id"]) == 1


def test_tags_docs_getlist_lists_docs_with_a_tag(anonymous, sandbox: Sandbox, alice) -> None:
    word = f"rare{alice.username}"
    doc = sandbox.add_doc(alice, title="Rare", tags=[word])
    sandbox.add_doc(alice, title="Common")
    tag_id = anonymous.ok("doc.tags.getList", doc_id=doc.doc_id)["tags"]["tag"][0]["id"]
    docs = anonymous.ok("tags.docs.getList", type="keyword", id=tag_id)["docs"]
    assert titles(docs["doc"]) == ["Rare"]
    assert docs["per_page"] == "100"


def test_tags_user_getlist_and_getpopular(anonymous, sandbox: Sandbox, alice) -> None:
    sandbox.add_doc(alice, title="A", tags=["zeta", "alpha"])
    sandbox.add_doc(alice, title="B", tags=["zeta"])
    listed = anonymous.ok("tags.user.getList", user_id=alice.user_id)["tags"]
    assert [t["tag"] for t in listed["tag"]] == ["alpha", "zeta"]
    popular = anonymous.ok("tags.user.getPopular", user_id=alice.user_id, type="keywords")["tags"]
    assert [(t["tag"], t["docs"]) for t in popular["tag"]] == [("zeta", "2"), ("alpha", "1")]


# -- network -------------------------------------------------------------------------


def test_network_getlist_lists_contacts_with_relations(
    as_alice, sandbox: Sandbox, alice, bob
) -> None:
    sandbox.add_relation(alice, bob, friend=True)
    sandbox.add_relation(bob, alice, family=True)
    network = as_alice.ok("network.getList", extra="realname,count")["network"]
    user = network["user"][0]
    assert (user["user_id"], user["realname"]) == (str(bob.user_id), "Bob")
    assert user["relation"]["isfriend"] == "1"
    assert user["relation"]["revfamily"] == "1"
    assert "docs" in user["count"]


def test_network_getlist_filters_by_relation(as_alice, sandbox: Sandbox, alice, bob) -> None:
    sandbox.add_relation(alice, bob, friend=True)
    assert as_alice.ok("network.getList", relation=1)["network"]["total"] == "0"
    assert as_alice.ok("network.getList", relation=2)["network"]["total"] == "1"


def test_network_autocomplete_matches_contacts(as_alice, sandbox: Sandbox, alice, bob) -> None:
    sandbox.add_relation(alice, bob)
    users = as_alice.ok("network.autocomplete", query=bob.username[:3])["users"]
    assert users["user"][0]["username"] == bob.username
    assert users["complete"] == "1"
    assert "user" not in as_alice.ok("network.autocomplete", query="zzz")["users"]


def test_network_docs_getrecent_shows_contacts_docs(
    as_alice, sandbox: Sandbox, alice, bob
) -> None:
    sandbox.add_relation(alice, bob)
    for n in range(7):
        sandbox.add_doc(bob, title=f"Bob {n}")
    docs = as_alice.ok("network.docs.getRecent", limit=3)["docs"]
    assert (docs["count"], docs["show"]) == ("3", "3")
    assert docs["doc"][0]["owner"]["user_id"] == str(bob.user_id)


# -- comments ------------------------------------------------------------------------


def test_doc_comments_add_reply_and_list(
    as_alice, as_bob, anonymous, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Talk")
    comment = as_bob.ok("doc.comments.add", doc_id=doc.doc_id, content="Nice <b>shot</b>")[
        "comment"
    ]
    assert comment["content"] == "Nice <b>shot</b>"
    assert f"/comment/{comment['comment_id']}" in comment["link"]
    reply = as_alice.ok("doc.comments.reply", comment_id=comment["comment_id"], content="Thanks")
    assert reply["comment"]["parent_id"] == comment["comment_id"]
    listed = anonymous.ok("doc.comments.getList", doc_id=doc.doc_id)["comments"]
    assert [c["content"] for c in listed["comment"]] == ["Nice <b>shot</b>", "Thanks"]
    assert (listed["doc_id"], listed["per_page"]) == (str(doc.doc_id), "100")


def test_a_duplicate_comment_is_not_added_twice(
    as_bob, anonymous, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Echo")
    first = as_bob.ok("doc.comments.add", doc_id=doc.doc_id, content="Same")["comment"]
    second = as_bob.ok("doc.comments.add", doc_id=doc.doc_id, content="Same")["comment"]
    assert first["comment_id"] == second["comment_id"]
    assert anonymous.ok("doc.comments.getList", doc_id=doc.doc_id)["comments"]["total"] == "1"


def test_commenting_needs_permission(as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Quiet")
    sandbox.store.execute("UPDATE docs SET perm_comment = 0 WHERE doc_id = ?", (doc.doc_id,))
    assert as_bob.error("doc.comments.add", doc_id=doc.doc_id, content="Hello?") == 2


def test_doc_comments_get_edit_and_delete(as_alice, as_bob, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Edit")
    comment_id = as_bob.ok("doc.comments.add", doc_id=doc.doc_id, content="Frist")["comment"][
        "comment_id"
    ]
    assert as_alice.error("doc.comments.edit", comment_id=comment_id, content="Hijack") == 2
    as_bob.ok("doc.comments.edit", comment_id=comment_id, content="First")
    got = as_bob.ok("doc.comments.get", comment_id=comment_id)["comment"]
    assert (got["content"], got["canedit"], got["candelete"]) == ("First", "1", "1")
    as_alice.ok("doc.comments.delete", comment_id=comment_id)
    assert as_alice.error("doc.comments.get", comment_id=comment_id) == 1


def test_a_comment_preview_adds_nothing(as_bob, anonymous, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Preview")
    as_bob.ok("doc.comments.add", doc_id=doc.doc_id, content="Draft", preview=1)
    assert anonymous.ok("doc.comments.getList", doc_id=doc.doc_id)["comments"]["total"] == "0"


# -- blog posts ----------------------------------------------------------------------


def test_post_get_and_getlist(as_bob, anonymous, sandbox: Sandbox, alice) -> None:
    post = sandbox.add_post(alice, "Hello world", "<p>My first post</p>")
    sandbox.add_post(alice, "Secret diary", "...", is_public=False)
    answer = anonymous.ok("post.get", post_id=post.post_id)["post"]
    assert (answer["title"], answer["content"]) == ("Hello world", "<p>My first post</p>")
    posts = anonymous.ok("post.getList", user_id=alice.user_id)["posts"]
    assert titles(posts["post"]) == ["Hello world"]
    assert posts["post"][0]["summary"] == "My first post"


def test_post_search_and_set(as_alice, anonymous, sandbox: Sandbox, alice) -> None:
    post = sandbox.add_post(alice, f"About {alice.username}", "kittens")
    found = anonymous.ok("post.search", text=f"kittens {alice.username}")["posts"]
    assert titles(found["post"]) == [f"About {alice.username}"]
    answer = as_alice.ok("post.set", post_id=post.post_id, title="Renamed")
    assert answer["post"]["title"] == "Renamed"


def test_post_set_on_someone_elses_post_is_2(as_bob, sandbox: Sandbox, alice) -> None:
    post = sandbox.add_post(alice, "Mine")
    assert as_bob.error("post.set", post_id=post.post_id, title="Bob's") == 2


def test_post_getcontext(anonymous, sandbox: Sandbox, alice) -> None:
    posts = [sandbox.add_post(alice, f"P{n}") for n in range(3)]
    answer = anonymous.ok("post.getContext", post_id=posts[1].post_id)
    assert answer["post"]["post_id"] == str(posts[1].post_id)
    assert answer["prev"]["count"] == "1"


def test_post_comments_faves_and_visitors(
    as_alice, as_bob, anonymous, sandbox: Sandbox, alice, bob
) -> None:
    post = sandbox.add_post(alice, "Discuss")
    as_bob.ok("post.comments.add", post_id=post.post_id, content="Agreed")
    assert (
        anonymous.ok("post.comments.getList", post_id=post.post_id)["comments"]["comment"][0][
            "content"
        ]
        == "Agreed"
    )
    sandbox.add_fave(bob, post)
    assert anonymous.ok("post.getFaves", post_id=post.post_id)["faves"]["total"] == "1"
    as_bob.ok("post.get", post_id=post.post_id)
    visits = as_alice.ok("post.getVisitors", post_id=post.post_id)["visits"]
    assert visits["visit"][0]["user_id"] == str(bob.user_id)
