"""The catalogue's table: a successful call of every method, in a small world of records.

``tests/sandbox/test_catalogue.py`` holds the JSON answers against the service's
conventions and the samples, ``tests/sandbox/test_catalogue_xml.py`` the XML
answers. The sample reader here is the tests' own, written apart from the
sandbox's (:mod:`ipernity.sandbox.samples`), so that the two do not share a mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from ipernity import catalogue
from ipernity.sandbox import App, Sandbox, User

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


def build_world(sandbox: Sandbox, call: Any, desktop_app: App, alice: User, bob: User) -> World:
    """Set up the records of :class:`World` on ``sandbox``."""
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


class TableCaller:
    """Makes the table's call of any method, as Alice with every permission."""

    def __init__(self, world: World, sandbox: Sandbox, call: Any, app: App) -> None:
        self.world = world
        self.sandbox = sandbox
        self.token = sandbox.grant(world.alice, app, ALL)
        self.caller = call(app, self.token)

    def raw(self, method: str, fmt: str = "json") -> requests.Response:
        """The HTTP answer to the table's call of ``method`` in format ``fmt``."""
        world, caller = self.world, self.caller
        params = CALLS[method](world)
        if method == "auth.checkToken":
            params["auth_token"] = self.token["token"]
        if method == "auth.getToken":
            frob = caller.ok("auth.getFrob")["auth"]["frob"]
            self.sandbox.store.execute(
                "UPDATE frobs SET user_id = ?, approved = 1 WHERE frob = ?",
                (world.alice.user_id, frob),
            )
            params["frob"] = frob
        if method in BEFORE:
            first, first_params = BEFORE[method]
            caller.ok(first, **first_params(world))
        if method in UPLOADS:
            params["files"] = {"file": ("b.jpg", JPEG)}
        response: requests.Response = caller.raw(method, fmt=fmt, **params)
        assert response.status_code == 200, response.text
        return response

    def answer(self, method: str) -> dict[str, Any]:
        """The parsed JSON answer to the table's call of ``method``."""
        result: dict[str, Any] = self.raw(method).json()
        return result
