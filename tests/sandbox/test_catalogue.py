"""Every method of the catalogue answers, with the service's JSON conventions
and the names of its sample.

The table gives each method a successful call in a small world of records;
each answer must be an ``ok`` envelope whose values are all strings and whose
collection items are lists. Where the catalogue has a ``response_xml`` sample,
the answer must mirror it as PROTOCOL.md says: its elements as members, their
attributes as string members, text-only children as strings, collection items
as lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from ipernity import catalogue
from ipernity.sandbox import Sandbox
from ipernity.sandbox.methods import registered

ALL = {
    "doc": "delete",
    "blog": "delete",
    "post": "delete",
    "network": "delete",
    "profile": "write",
}
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00"
    + bytes([1] * 64)
    + b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00\xff\xc4\x00\x14\x00\x01"
    + bytes(15)
    + b"\x03\xff\xc4\x00\x14\x10\x01"
    + bytes(15)
    + b"\x00\xff\xda\x00\x08\x01\x01\x00\x00?\x00\x37\xff\xd9"
)


@dataclass
class World:
    """Records for one method's call; Alice calls, Bob owns a few things.

    Alice's album, group and stream hold ``doc``, ``other_doc`` and
    ``last_doc`` in that order; Bob faved and visited her doc, album and post,
    which an anonymous visitor saw too.
    """

    alice: Any
    bob: Any
    doc: Any
    other_doc: Any
    last_doc: Any
    video: Any
    bobs_doc: Any
    album: Any
    bobs_album: Any
    folder: Any
    group: Any
    post: Any
    comment_id: str
    reply_id: str
    post_comment_id: str
    note_id: str
    tag_id: str
    ticket: str
    md5: str


@pytest.fixture
def world(sandbox: Sandbox, call, desktop_app, alice, bob) -> World:
    alice_calls = call(desktop_app, sandbox.grant(alice, desktop_app, ALL))
    sandbox.add_relation(alice, bob, friend=True)
    sandbox.add_relation(bob, alice, friend=True)
    sandbox.store.execute(
        "UPDATE users SET country = 'France', town = 'Nice', lat = 43.7, lng = 7.27"
        " WHERE user_id = ?",
        (bob.user_id,),
    )
    doc = sandbox.add_doc(alice, title="Main", tags=["main"], lat=43.7, lng=7.27)
    other = sandbox.add_doc(alice, title="Other")
    last = sandbox.add_doc(alice, title="Last")
    video = sandbox.add_doc(alice, title="Clip", image=b"not a picture", filename="clip.mp4")
    bobs_doc = sandbox.add_doc(bob, title="Bob's")
    album = sandbox.add_album(alice, "Album", docs=[doc, other, last])
    folder = sandbox.add_folder(alice, "Folder", albums=[album])
    group = sandbox.add_group(f"Group {alice.username}", members=[alice], docs=[doc, other, last])
    post = sandbox.add_post(alice, "Post", "<p>Text</p>")
    bob_calls = call(desktop_app, sandbox.grant(bob, desktop_app, ALL))
    anonymous = call(desktop_app)
    for caller in (bob_calls, anonymous):
        caller.ok("doc.get", doc_id=doc.doc_id)
        caller.ok("album.get", album_id=album.album_id)
        caller.ok("post.get", post_id=post.post_id)
    for target in (doc, album, post):
        sandbox.add_fave(bob, target)
    comment_id = alice_calls.ok("doc.comments.add", doc_id=doc.doc_id, content="Hi")["comment"][
        "comment_id"
    ]
    reply = bob_calls.ok("doc.comments.reply", comment_id=comment_id, content="Hello")
    post_comment = alice_calls.ok("post.comments.add", post_id=post.post_id, content="Hi")
    note = alice_calls.ok("doc.notes.add", doc_id=doc.doc_id, content="N", x=1, y=1, w=5, h=5)
    alice_calls.ok("doc.tags.add", doc_id=doc.doc_id, members=bob.user_id)
    tag_id = alice_calls.ok("doc.tags.getList", doc_id=doc.doc_id)["tags"]["tag"][0]["id"]
    ticket = alice_calls.answer("upload.file", files={"file": ("a.jpg", JPEG)})["ticket"]
    md5 = alice_calls.ok("doc.get", doc_id=doc.doc_id, extra="md5")["doc"]["md5"]
    return World(
        alice,
        bob,
        doc,
        other,
        last,
        video,
        bobs_doc,
        album,
        sandbox.add_album(bob, "Bob's album", docs=[bobs_doc]),
        folder,
        group,
        post,
        comment_id,
        reply["comment"]["comment_id"],
        post_comment["comment"]["comment_id"],
        note["note"]["note_id"],
        tag_id,
        ticket,
        md5,
    )


Params = Callable[[World], dict[str, Any]]
doc: Params = lambda w: {"doc_id": w.doc.doc_id}  # noqa: E731
album: Params = lambda w: {"album_id": w.album.album_id}  # noqa: E731
folder: Params = lambda w: {"folder_id": w.folder.folder_id}  # noqa: E731
group: Params = lambda w: {"group_id": w.group.group_id}  # noqa: E731
post: Params = lambda w: {"post_id": w.post.post_id}  # noqa: E731
nothing: Params = lambda w: {}  # noqa: E731
box = {"x": 2, "y": 2, "w": 9, "h": 9}

CALLS: dict[str, Params] = {
    "account.getQuota": nothing,
    "album.create": lambda w: {"title": "New album", "cover_id": w.doc.doc_id},
    "album.delete": album,
    "album.docs.add": lambda w: {"album_id": w.album.album_id, "doc_id": w.other_doc.doc_id},
    "album.docs.getContext": lambda w: {
        "album_id": w.album.album_id,
        "doc_id": w.other_doc.doc_id,
    },
    "album.docs.getList": album,
    "album.docs.remove": lambda w: {"album_id": w.album.album_id, "doc_id": w.other_doc.doc_id},
    "album.docs.setList": lambda w: {
        "album_id": w.album.album_id,
        "doc_ids": w.doc.doc_id,
        "cover_id": w.doc.doc_id,
    },
    "album.edit": lambda w: {"album_id": w.album.album_id, "title": "Renamed"},
    "album.get": album,
    "album.getFaves": album,
    "album.getList": nothing,
    "album.getVisitors": album,
    "album.orderList": lambda w: {"album_ids": w.album.album_id},
    "album.setPerms": lambda w: {"album_id": w.album.album_id, "perm_comment": 5},
    "api.methods.get": lambda w: {"method": "doc.get"},
    "api.methods.getList": nothing,
    "auth.checkToken": lambda w: {},
    "auth.getFrob": nothing,
    "auth.getToken": lambda w: {},
    "doc.albums.add": lambda w: {"doc_id": w.other_doc.doc_id, "album_id": w.album.album_id},
    "doc.checkMD5": lambda w: {"md5": w.md5},
    "doc.comments.add": lambda w: {"doc_id": w.doc.doc_id, "content": "Another"},
    "doc.comments.delete": lambda w: {"comment_id": w.comment_id},
    "doc.comments.edit": lambda w: {"comment_id": w.comment_id, "content": "Edited"},
    "doc.comments.get": lambda w: {"comment_id": w.reply_id},
    "doc.comments.getList": doc,
    "doc.comments.reply": lambda w: {"comment_id": w.comment_id, "content": "Reply"},
    "doc.delete": doc,
    "doc.get": lambda w: {"doc_id": w.doc.doc_id, "extra": "tags,notes,geo,md5"},
    "doc.getContainers": doc,
    "doc.getContext": lambda w: {"doc_id": w.other_doc.doc_id},
    "doc.getExif": doc,
    "doc.getFaves": doc,
    "doc.getList": lambda w: {"extra": "dates,count,geo,medias,original,md5"},
    "doc.getMedias": lambda w: {"doc_id": w.video.doc_id},
    "doc.getPerms": doc,
    "doc.getVisitors": doc,
    "doc.notes.add": lambda w: {"doc_id": w.doc.doc_id, "content": "Note", **box},
    "doc.notes.delete": lambda w: {"note_id": w.note_id},
    "doc.notes.edit": lambda w: {"note_id": w.note_id, "content": "Edited", **box},
    "doc.search": lambda w: {
        "text": "Main",
        "user_id": w.alice.user_id,
        "extra": "dates,original",
    },
    "doc.set": lambda w: {"doc_id": w.doc.doc_id, "title": "T"},
    "doc.setGeo": lambda w: {"doc_id": w.doc.doc_id, "lat": 1.5, "lng": 2.5},
    "doc.setLicense": lambda w: {"doc_id": w.doc.doc_id, "license": 1},
    "doc.setPerms": lambda w: {"doc_id": w.doc.doc_id, "share": 3},
    "doc.setSafety": lambda w: {"doc_id": w.doc.doc_id, "safety": 2},
    "doc.tags.add": lambda w: {"doc_id": w.doc.doc_id, "keywords": "more"},
    "doc.tags.edit": lambda w: {"doc_id": w.doc.doc_id, "keywords": "only"},
    "doc.tags.getList": doc,
    "doc.tags.remove": lambda w: {"doc_id": w.doc.doc_id, "type": "keyword", "id": w.tag_id},
    "explore.docs.getPopular": nothing,
    "explore.docs.getRecent": nothing,
    "explore.docs.homepage": nothing,
    "explore.groups.getRandom": nothing,
    "faves.albums.add": lambda w: {"album_id": w.bobs_album.album_id},
    "faves.albums.getList": lambda w: {"user_id": w.bob.user_id},
    "faves.albums.remove": lambda w: {"album_id": w.bobs_album.album_id},
    "faves.docs.add": lambda w: {"doc_id": w.bobs_doc.doc_id},
    "faves.docs.getList": lambda w: {"user_id": w.bob.user_id},
    "faves.docs.remove": lambda w: {"doc_id": w.bobs_doc.doc_id},
    "folder.albums.add": lambda w: {"folder_id": w.folder.folder_id, "album_id": w.album.album_id},
    "folder.albums.getList": folder,
    "folder.albums.remove": lambda w: {
        "folder_id": w.folder.folder_id,
        "album_id": w.album.album_id,
    },
    "folder.create": lambda w: {"title": "New folder"},
    "folder.delete": folder,
    "folder.edit": lambda w: {"folder_id": w.folder.folder_id, "title": "Renamed"},
    "folder.get": folder,
    "folder.getList": nothing,
    "folder.orderList": lambda w: {"folder_ids": w.folder.folder_id},
    "group.docs.add": lambda w: {"group_id": w.group.group_id, "doc_id": w.other_doc.doc_id},
    "group.docs.getContext": lambda w: {
        "group_id": w.group.group_id,
        "doc_id": w.other_doc.doc_id,
    },
    "group.docs.getList": group,
    "group.docs.remove": lambda w: {"group_id": w.group.group_id, "doc_id": w.doc.doc_id},
    "group.get": group,
    "group.getList": nothing,
    "group.search": lambda w: {"text": "Group"},
    "network.autocomplete": lambda w: {"query": w.bob.username[:2]},
    "network.docs.getRecent": nothing,
    "network.getList": lambda w: {"extra": "count"},
    "post.comments.add": lambda w: {"post_id": w.post.post_id, "content": "More"},
    "post.comments.delete": lambda w: {"comment_id": w.post_comment_id},
    "post.comments.edit": lambda w: {"comment_id": w.post_comment_id, "content": "Edited"},
    "post.comments.get": lambda w: {"comment_id": w.post_comment_id},
    "post.comments.getList": post,
    "post.comments.reply": lambda w: {"comment_id": w.post_comment_id, "content": "Reply"},
    "post.get": post,
    "post.getContext": post,
    "post.getFaves": post,
    "post.getList": nothing,
    "post.getVisitors": post,
    "post.search": lambda w: {"text": "Text"},
    "post.set": lambda w: {"post_id": w.post.post_id, "title": "Renamed"},
    "tags.docs.getList": lambda w: {"type": "keyword", "id": w.tag_id, "extra": "dates,original"},
    "tags.user.getList": nothing,
    "tags.user.getPopular": nothing,
    "test.echo": lambda w: {"echo": "hello"},
    "test.hello": nothing,
    "upload.checkTickets": lambda w: {"tickets": w.ticket},
    "upload.file": nothing,
    "upload.replace": lambda w: {"doc_id": w.doc.doc_id},
    "user.get": lambda w: {"user_id": w.bob.user_id},
}

UPLOADS = {"upload.file", "upload.replace"}
#: Calls that need something done first (the fave they remove).
BEFORE: dict[str, tuple[str, Params]] = {
    "faves.docs.remove": ("faves.docs.add", CALLS["faves.docs.add"]),
    "faves.albums.remove": ("faves.albums.add", CALLS["faves.albums.add"]),
}


def test_the_table_covers_the_whole_catalogue() -> None:
    assert set(CALLS) == set(catalogue.names())
    assert registered() == set(catalogue.names())


def well_formed(value: Any, parent: str = "") -> list[str]:
    """Problems with the service's conventions found in ``value``."""
    problems = []
    if isinstance(value, dict):
        for key, item in value.items():
            if parent == key + "s" and not isinstance(item, list):
                problems.append(f"{parent}.{key} is not a list")
            problems += well_formed(item, key)
    elif isinstance(value, list):
        for item in value:
            problems += well_formed(item, parent)
    elif not isinstance(value, str):
        problems.append(f"{parent} = {value!r} is not a string")
    return problems


@pytest.fixture
def answer_to(
    world: World, call, sandbox: Sandbox, desktop_app
) -> Callable[[str], dict[str, Any]]:
    """``answer_to(method)``: the answer to the table's call of ``method``, made
    by Alice with every permission."""
    token = sandbox.grant(world.alice, desktop_app, ALL)
    caller = call(desktop_app, token)

    def answer(method: str) -> dict[str, Any]:
        params = CALLS[method](world)
        if method == "auth.checkToken":
            params["auth_token"] = token["token"]
        if method == "auth.getToken":
            frob = caller.ok("auth.getFrob")["auth"]["frob"]
            sandbox.store.execute(
                "UPDATE frobs SET user_id = ?, approved = 1 WHERE frob = ?",
                (world.alice.user_id, frob),
            )
            params["frob"] = frob
        if method in BEFORE:
            first, first_params = BEFORE[method]
            caller.ok(first, **first_params(world))
        if method in UPLOADS:
            params["files"] = {"file": ("b.jpg", JPEG)}
        return caller.answer(method, **params)

    return answer


@pytest.mark.parametrize("method", sorted(CALLS))
def test_every_method_answers_with_string_values_and_lists(method: str, answer_to) -> None:
    answer = answer_to(method)
    assert answer["api"]["status"] == "ok", answer
    assert well_formed(answer) == []


# -- the names of the samples --------------------------------------------------

_TAG = re.compile(r"<(/?)([A-Za-z_][\w.]*)([^<>]*?)(/?)>")
# Quoted values may hold "=" (tag="my:car=cool"); one sample leaves a quote out.
_ATTRIBUTE = re.compile(r'([A-Za-z_]\w*)\s*=\s*(?:"[^"]*"|\S+)')
_ELLIPSIS = "(...)"


@dataclass
class Element:
    """What a sample shows of one element, merged over its occurrences."""

    name: str
    attributes: set[str] = field(default_factory=set)
    children: dict[str, Element] = field(default_factory=dict)
    #: The children that are collection items (repeated, or in their plural).
    lists: set[str] = field(default_factory=set)
    text: bool = False


def sample_elements(xml: str) -> dict[str, Element]:
    """The top-level elements of a ``response_xml`` sample.

    The samples are not well-formed XML ("(...)", unclosed or stray tags,
    attributes after a tag's ``>``), so this walks the tags leniently.
    """
    roots: dict[str, Element] = {}
    stack: list[tuple[Element, dict[str, int]]] = []
    position = 0
    for match in _TAG.finditer(xml):
        between = xml[position : match.start()].replace(_ELLIPSIS, "").strip()
        position = match.end()
        if between and stack:
            current = stack[-1][0]
            stray = _ATTRIBUTE.findall(between) if between.endswith(">") else []
            current.attributes.update(stray)
            current.text = current.text or not stray
        closing, name, attributes, self_closing = match.groups()
        if closing:
            if any(open_element.name == name for open_element, _ in stack):
                while stack.pop()[0].name != name:
                    pass
            continue
        siblings = stack[-1][0].children if stack else roots
        element = siblings.setdefault(name, Element(name))
        element.attributes.update(_ATTRIBUTE.findall(attributes))
        if stack:
            parent, seen = stack[-1]
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1 or parent.name == name + "s":
                parent.lists.add(name)
        if not self_closing:
            stack.append((element, {}))
    return roots


def missing_names(sample: Element, values: list[Any], path: str) -> list[str]:
    """The paths of what ``sample`` shows that no item of ``values`` has.

    ``values`` are the answer's occurrences of the element (every item of a
    list): a name counts as present if one of them has it.
    """
    if not sample.attributes and not sample.children:
        # Text becomes a string; of an element shown empty, only its presence tells.
        if sample.text and not all(isinstance(v, str) for v in values):
            return [f"{path} (not a string)"]
        return []
    if not all(isinstance(v, dict) for v in values):
        return [f"{path} (not an object)"]
    problems = [
        f"{path}@{name}"
        for name in sorted(sample.attributes)
        if not any(isinstance(v.get(name), str) for v in values)
    ]
    for name, child in sample.children.items():
        found = [v[name] for v in values if name in v]
        if not found:
            problems.append(f"{path}/{name}")
        elif name not in sample.lists and any(isinstance(v, list) for v in found):
            problems.append(f"{path}/{name} (a list)")
        elif name in sample.lists and not all(isinstance(v, list) for v in found):
            problems.append(f"{path}/{name} (not a list)")
        else:
            items = [item for v in found for item in v] if name in sample.lists else found
            problems += missing_names(child, items, f"{path}/{name}")
    return problems


#: What the table's calls leave out of a sample, and why.
NOT_ANSWERED: dict[str, dict[str, str]] = {
    "api.methods.get": {
        "method/errors": "the catalogue keeps no errors per method",
        "method/changelog": "the catalogue keeps no change log",
    },
    "api.methods.getList": {"methods/changelog": "a stray piece of api.methods.get's sample"},
    "doc.comments.edit": {"comment@modified_at": "an edit right after posting leaves no mark"},
    "doc.comments.getList": {
        "comments/comment@modified_at": "an edit right after posting leaves no mark"
    },
    "doc.get": {
        "doc/medias": "a photo plays nothing",
        "doc/original@length": "a photo has no length",
    },
    "doc.getMedias": {"players": "the sandbox has no Flash players"},
    **{
        method: {
            f"folder/cover@{name}": "the service's media server layout"
            for name in ("farm", "path", "icon")
        }
        for method in ("folder.edit", "folder.get")
    },
}

SAMPLED = sorted(name for name in catalogue.names() if catalogue.get(name).response_xml)


def test_the_sample_reader_sees_the_names_of_doc_get_tags() -> None:
    tags = sample_elements(catalogue.get("doc.get").response_xml)["doc"].children["tags"]
    assert tags.lists == {"tag"}
    assert {"tag_id", "type", "keyword", "member_id", "title"} <= tags.children["tag"].attributes


@pytest.mark.parametrize("method", SAMPLED)
def test_every_answer_has_the_names_of_its_sample(method: str, answer_to) -> None:
    answer = answer_to(method)
    assert answer["api"]["status"] == "ok", answer
    problems = []
    for name, element in sample_elements(catalogue.get(method).response_xml).items():
        if name in answer:
            problems += missing_names(element, [answer[name]], name)
        else:
            problems.append(name)
    assert [p for p in problems if p not in NOT_ANSWERED.get(method, {})] == []
