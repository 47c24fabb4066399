"""The ``demo`` seed: two members with a few hundred photos and their life.

Everything is deterministic: keys and secrets are derived from fixed labels,
ids come in order in a fresh sandbox, and each photo is a scene of its title's
subject and mood (a harbour at night, a market in spring…) drawn from a fixed
seed whenever it is looked at (see :mod:`.scenes`). So the documentation can
show the demo's keys, and a test can count on them.

========  ===========  ============================================
member    realname     content
========  ===========  ============================================
alice     Alice Martin 180 photos, 6 albums, 2 folders, 3 posts, PRO
bob       Bob Durand   120 photos, 4 albums, 1 folder, 2 posts
========  ===========  ============================================

Both count each other as friends (Bob counts Alice as family too); they share
three groups, comment on and fave each other's photos.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import content
from .records import App, User
from .scenes import Art

if TYPE_CHECKING:
    from .sandbox import Sandbox

#: The example app's default callback URL.
WEB_CALLBACK = "http://127.0.0.1:5000/callback"
#: The size of the demo's photos, as a 12-megapixel camera takes them (portraits
#: turned): each of the service's sizes is then a real reduction. Pictures are
#: drawn only when asked for, at the size asked for.
CAMERA = (4000, 3000)
#: When the demo's newest photo was posted (Unix time); older ones go back from it.
NEWEST_POST = 1_735_000_000

#: The subjects of the demo's photos: the title's words, the scene drawn, the caption.
_SUBJECTS = [
    ("Sunset", "sunset", "The sun going down over the sea"),
    ("Harbour", "harbour", "Boats moored in the harbour"),
    ("Old town", "town", "Old houses along a narrow street"),
    ("Forest path", "forest", "A path between the trees"),
    ("Lake", "lake", "Still water below the pines"),
    ("Market", "market", "Stalls of fruit on the market square"),
    ("Bridge", "bridge", "The old stone bridge over the river"),
    ("Garden", "garden", "Flower beds in the garden"),
    ("Mountain", "mountain", "Snowy peaks above the valley"),
    ("Beach", "beach", "A parasol on the sand"),
    ("Street", "town", "Houses on a quiet street"),
    ("Café", "cafe", "Umbrellas on a café terrace"),
    ("Cathedral", "cathedral", "The cathedral's towers and rose window"),
    ("Fields", "fields", "Fields stretching to a farmhouse"),
    ("Snow", "snow", "Snow falling on the mountains"),
]
#: When or how each photo was taken: the title's words and the mood drawn.
_QUALIFIERS = [
    ("at dawn", "dawn"),
    ("in autumn", "autumn"),
    ("after the rain", "rain"),
    ("from above", "above"),
    ("at night", "night"),
    ("in spring", "spring"),
    ("under clouds", "clouds"),
    ("in summer", "summer"),
    ("by the water", "water"),
    ("in winter", "winter"),
]
#: Qualifiers a subject never takes: no sunset at dawn, no snow in summer.
_NEVER = {"Sunset": {"at dawn", "at night"}, "Snow": {"in spring", "in summer"}}
_TAGS = [
    "sky",
    "travel",
    "nature",
    "city",
    "blue sky",
    "water",
    "light",
    "people",
    "architecture",
    "landscape",
    "autumn",
    "winter",
    "summer",
    "spring",
    "clouds",
]
_PLACES = [
    (48.8566, 2.3522),
    (45.764, 4.8357),
    (43.2965, 5.3698),
    (47.2184, -1.5536),
    (50.6292, 3.0573),
    (44.8378, -0.5792),
]
_COMMENTS = [
    "Lovely light!",
    "Great composition.",
    "Where is this?",
    "Beautiful colours.",
    "I love this one.",
    "Wonderful!",
    "What a view.",
    "So peaceful.",
]


def demo_key(label: str, length: int) -> str:
    """A fixed hex string for ``label`` (demo keys and secrets)."""
    return hashlib.sha256(f"ipernity-sandbox-demo:{label}".encode()).hexdigest()[:length]


@dataclass(frozen=True)
class Demo:
    """What :func:`seed_demo` created."""

    #: A web application whose callback is the example app's default URL.
    web_app: App
    #: A desktop application.
    desktop_app: App
    #: alice and bob.
    members: tuple[User, User]


def seed_demo(sb: Sandbox) -> Demo:
    """Fill an empty sandbox with the demo content; return its apps and members."""
    store = sb.store
    with store.transaction():
        web = sb.add_app(
            "Example site",
            auth="web",
            callback=WEB_CALLBACK,
            api_key=demo_key("web-key", 32),
            api_secret=demo_key("web-secret", 16),
        )
        desktop = sb.add_app(
            "Example tool",
            auth="desktop",
            api_key=demo_key("desktop-key", 32),
            api_secret=demo_key("desktop-secret", 16),
        )
        alice = sb.add_user("alice", "Alice Martin", is_pro=True)
        bob = sb.add_user("bob", "Bob Durand")
        sb.add_relation(alice, bob, friend=True)
        sb.add_relation(bob, alice, friend=True, family=True)
        rnd = random.Random(20240601)
        docs = {alice: _photos(sb, alice, 180, rnd), bob: _photos(sb, bob, 120, rnd)}
        albums = {
            alice: _albums(
                sb,
                alice,
                docs[alice],
                ["Travels", "Paris", "Seasons", "Sea", "Mountains", "Family"],
                rnd,
            ),
            bob: _albums(sb, bob, docs[bob], ["Streets", "Nature", "Best of", "Night"], rnd),
        }
        _folders(sb, alice, [("Journeys", albums[alice][:3]), ("Moods", albums[alice][3:5])])
        _folders(sb, bob, [("Favourites", albums[bob][:2])])
        _groups(sb, alice, bob, docs, rnd)
        _conversations(sb, alice, bob, docs, rnd)
        _posts(sb, alice, bob)
    return Demo(web_app=web, desktop_app=desktop, members=(alice, bob))


def _photos(sb: Sandbox, owner: User, count: int, rnd: random.Random) -> list[int]:
    doc_ids = []
    for n in range(count):
        privacy = rnd.random()
        place = rnd.choice(_PLACES) if rnd.random() < 0.4 else None
        posted = NEWEST_POST - (count - n) * 86_400 * 2 - owner.user_id
        portrait = rnd.random() < 0.25
        subject, scene, caption = rnd.choice(_SUBJECTS)
        words, mood = rnd.choice(
            [q for q in _QUALIFIERS if q[0] not in _NEVER.get(subject, set())]
        )
        new = content.NewDoc(
            owner_id=owner.user_id,
            title=f"{subject} {words}",
            description=f"{caption} {words}.",
            is_public=privacy < 0.8,
            is_friend=0.8 <= privacy < 0.88,
            is_family=0.88 <= privacy < 0.94,
            license=rnd.choice([0, 0, 1, 3, 9, 11]),
            lat=place[0] + rnd.uniform(-0.02, 0.02) if place else None,
            lng=place[1] + rnd.uniform(-0.02, 0.02) if place else None,
            posted_at=posted,
            created=_taken(posted - rnd.randint(3600, 86_400 * 20)),
            width=CAMERA[1] if portrait else CAMERA[0],
            height=CAMERA[0] if portrait else CAMERA[1],
            filename=f"IMG_{owner.user_id}_{n + 1:04d}.jpg",
            art=Art(scene, mood, rnd.randint(1, 2**31)),
            secret=demo_key(f"doc-{owner.username}-{n}", 8),
        )
        doc_id = content.create_doc(sb.store, new)
        content.add_keywords(sb.store, doc_id, owner.user_id, rnd.sample(_TAGS, rnd.randint(1, 4)))
        doc_ids.append(doc_id)
    return doc_ids


def _taken(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(timestamp))


def _albums(
    sb: Sandbox, owner: User, doc_ids: list[int], titles: list[str], rnd: random.Random
) -> list[int]:
    album_ids = []
    covers: set[int] = set()
    for title in titles:
        chosen = sorted(rnd.sample(doc_ids, rnd.randint(15, 30)))
        # Each album its own cover, as a member would pick: albums share photos.
        cover = next(doc_id for doc_id in chosen if doc_id not in covers)
        covers.add(cover)
        album_id = content.create_album(
            sb.store, owner.user_id, title, f"{title}, by {owner.realname}.", cover
        )
        for doc_id in chosen:
            content.add_to_album(sb.store, album_id, doc_id)
        album_ids.append(album_id)
    return album_ids


def _folders(sb: Sandbox, owner: User, folders: list[tuple[str, list[int]]]) -> None:
    for title, album_ids in folders:
        folder_id = content.create_folder(sb.store, owner.user_id, title, f"{title} albums.")
        for album_id in album_ids:
            content.add_to_folder(sb.store, folder_id, album_id)


def _groups(
    sb: Sandbox, alice: User, bob: User, docs: dict[User, list[int]], rnd: random.Random
) -> None:
    store = sb.store
    settings = [
        ("Blue skies", "Skies of every blue.", alice, bob, False),
        ("Street life", "People and places in the streets.", bob, alice, False),
        ("Macro world", "Small things, up close.", alice, bob, True),
    ]
    for title, description, admin, member, moderated in settings:
        group_id = content.create_group(store, title, description, moderated=moderated)
        content.join_group(store, group_id, admin.user_id, "admin")
        content.join_group(store, group_id, member.user_id)
        for user in (admin, member):
            for doc_id in rnd.sample(docs[user], 12):
                content.add_to_group(store, group_id, doc_id, user.user_id, pending=False)


def _conversations(
    sb: Sandbox, alice: User, bob: User, docs: dict[User, list[int]], rnd: random.Random
) -> None:
    store = sb.store
    for author, owner in ((bob, alice), (alice, bob)):
        for doc_id in rnd.sample(docs[owner], 40):
            comment_id = content.add_comment(
                store, "doc", doc_id, author.user_id, rnd.choice(_COMMENTS)
            )
            if rnd.random() < 0.3:
                content.add_comment(store, "doc", doc_id, owner.user_id, "Thank you!", comment_id)
        for doc_id in rnd.sample(docs[owner], 25):
            content.add_fave(store, "doc", doc_id, author.user_id)
        for doc_id in rnd.sample(docs[owner], 60):
            content.visit(store, "doc", doc_id, author.user_id)
    note_doc = docs[alice][0]
    store.execute(
        "INSERT INTO notes (doc_id, user_id, content, x, y, w, h, posted_at)"
        " VALUES (?, ?, 'The sun!', 300, 60, 80, 80, ?)",
        (note_doc, bob.user_id, NEWEST_POST),
    )


def _posts(sb: Sandbox, alice: User, bob: User) -> None:
    store = sb.store
    articles = [
        (alice, "Three days in Lyon", "<p>Markets, bridges and a lot of walking.</p>"),
        (alice, "Shooting in the rain", "<p>Wet streets make the best reflections.</p>"),
        (alice, "My camera bag", "<p>Less is more: one body, two lenses.</p>"),
        (bob, "Night walks", "<p>The city looks different after midnight.</p>"),
        (bob, "Why I love film", "<p>Slow, patient and surprising.</p>"),
    ]
    for n, (owner, title, text) in enumerate(articles):
        post_id = content.create_post(
            store, owner.user_id, title, text, posted_at=NEWEST_POST - n * 86_400 * 9
        )
        reader = bob if owner == alice else alice
        content.add_comment(store, "post", post_id, reader.user_id, "Great read, thanks!")
