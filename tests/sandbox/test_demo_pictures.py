"""The demo's pictures: scenes of their titles, thumbnails that are downscales of
the original served, sizes told before anything is drawn, md5s that hold.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from pathlib import Path

import pytest
import requests
from PIL import Image, ImageChops, ImageStat

from ipernity.sandbox import Sandbox, content, media
from ipernity.sandbox.scenes import Art, draw
from ipernity.sandbox.seed import seed_demo

#: How far (mean absolute difference per channel, out of 255) a thumbnail drawn
#: at its size may be from the sandbox's own thumbnail of the original.
TOLERANCE = 5.0
CAMERA = (4000, 3000)


def difference(first: Image.Image, second: Image.Image) -> float:
    """The mean absolute difference of two pictures of one size, per channel."""
    pixels = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
    return sum(ImageStat.Stat(pixels).mean) / 3


def picture(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image


def demo_doc(sb: Sandbox, title: str, art: Art, size: tuple[int, int] = CAMERA) -> int:
    """A demo document of ``size`` showing ``art``, as the seed creates them."""
    owner = sb.add_user(f"owner-{secrets.token_hex(6)}")
    new = content.NewDoc(owner.user_id, title, width=size[0], height=size[1], art=art)
    return content.create_doc(sb.store, new)


@pytest.mark.parametrize(
    ("title", "scene", "mood"),
    [
        ("Harbour at night", "harbour", "night"),
        ("Market in spring", "market", "spring"),
        ("Snow in winter", "snow", "winter"),
        ("Café after the rain", "cafe", "rain"),
        ("Sunset over the bay", "sunset", ""),
        ("Lighthouse", "sea", ""),
        ("IMG_0042", "hills", ""),
    ],
)
def test_a_title_names_the_scene_and_mood_drawn(title: str, scene: str, mood: str) -> None:
    assert Art.for_title(title, 7) == Art(scene, mood, 7)


def test_every_demo_photo_is_drawn_and_captioned_after_its_title() -> None:
    with Sandbox() as sb:
        seed_demo(sb)
        rows = sb.store.query("SELECT title, description, art FROM docs")
    for row in rows:
        art = Art.parse(row["art"])
        assert Art.for_title(row["title"], art.seed) == art, row["title"]
        # "Harbour at night": "Boats moored in the harbour at night."
        assert row["description"].endswith(" ".join(row["title"].split()[-2:]) + ".")
        assert "Photo " not in row["description"]


def test_different_subjects_look_different() -> None:
    scenes = ["harbour", "mountain", "town", "forest", "cathedral", "fields"]
    pictures = [draw(Art(scene, "", 3), 160, 120) for scene in scenes]
    for n, first in enumerate(pictures):
        for second in pictures[n + 1 :]:
            assert difference(first, second) > 20


def test_a_mood_changes_a_scene() -> None:
    day, night = draw(Art("town", "", 3), 160, 120), draw(Art("town", "night", 3), 160, 120)
    assert difference(day, night) > 40


@pytest.mark.parametrize(
    ("art", "label"),
    [
        (Art("market", "spring", 11), "75x"),
        (Art("harbour", "night", 12), "240"),
        (Art("snow", "winter", 13), "1024"),
    ],
)
def test_a_thumbnail_is_the_served_original_made_smaller(
    sandbox: Sandbox, http: requests.Session, art: Art, label: str
) -> None:
    doc_id = demo_doc(sandbox, "Demo", art)
    row = sandbox.store.one("SELECT * FROM docs WHERE doc_id = ?", (doc_id,))
    base = f"{sandbox.base_url}media/{doc_id}.{row['secret']}"

    thumb = picture(http.get(f"{base}.{label}.jpg", timeout=30).content)
    original = picture(http.get(f"{base}.jpg", timeout=30).content)

    assert original.size == CAMERA
    assert thumb.size == media.fit(*CAMERA, label)
    shrunk = picture(media.make_thumbnail(original, label))
    assert difference(thumb, shrunk) < TOLERANCE


def test_answers_tell_an_originals_size_before_it_is_ever_drawn(
    sandbox: Sandbox, call, web_app, http: requests.Session
) -> None:
    doc_id = demo_doc(sandbox, "Harbour at dawn", Art("harbour", "dawn", 21))

    original = call(web_app).ok("doc.getMedias", doc_id=doc_id)["original"]

    # Nothing was drawn for the answer: no md5 is known yet.
    assert sandbox.store.scalar("SELECT md5 FROM docs WHERE doc_id = ?", (doc_id,)) is None
    served = http.get(original["url"], timeout=30).content
    assert int(original["bytes"]) == len(served)
    assert picture(served).size == CAMERA


def test_thumbnails_are_drawn_without_drawing_the_camera_sized_original(
    sandbox: Sandbox, http: requests.Session
) -> None:
    # What keeps a fresh sandbox's album page fast: each size is drawn at its
    # size (benchmarks/sandbox_thumbnails.py times a page of 24).
    doc_id = demo_doc(sandbox, "Market at noon", Art("market", "", 24))
    secret = sandbox.store.scalar("SELECT secret FROM docs WHERE doc_id = ?", (doc_id,))

    for label in media.LABELS:
        answer = http.get(f"{sandbox.base_url}media/{doc_id}.{secret}.{label}.jpg", timeout=30)
        assert picture(answer.content).size == media.fit(*CAMERA, label)

    # An original drawn records its md5: none was.
    assert sandbox.store.scalar("SELECT md5 FROM docs WHERE doc_id = ?", (doc_id,)) is None


def test_an_originals_md5_is_the_md5_of_the_file_served_every_time(
    sandbox: Sandbox, call, web_app, http: requests.Session
) -> None:
    doc_id = demo_doc(sandbox, "Lake in autumn", Art("lake", "autumn", 22), (800, 600))

    md5 = call(web_app).ok("doc.get", doc_id=doc_id, extra="md5")["doc"]["md5"]
    url = call(web_app).ok("doc.getMedias", doc_id=doc_id)["original"]["url"]

    for _ in range(2):
        served = http.get(url, timeout=30).content
        assert hashlib.md5(served, usedforsecurity=False).hexdigest() == md5


def test_a_demo_original_served_is_not_kept(sandbox: Sandbox, http: requests.Session) -> None:
    doc_id = demo_doc(sandbox, "Forest path", Art("forest", "", 23))
    secret = sandbox.store.scalar("SELECT secret FROM docs WHERE doc_id = ?", (doc_id,))
    http.get(f"{sandbox.base_url}media/{doc_id}.{secret}.jpg", timeout=30)
    assert sandbox.store.one("SELECT 1 FROM blobs WHERE doc_id = ?", (doc_id,)) is None


def test_a_kept_database_forgets_the_md5s_of_pictures_drawn_differently(tmp_path: Path) -> None:
    db = tmp_path / "kept.sqlite"
    with Sandbox(db=db) as first:
        doc_id = demo_doc(first, "Garden", Art("garden", "", 24), (320, 240))
        row = first.store.one("SELECT * FROM docs WHERE doc_id = ?", (doc_id,))
        media.original(first.store, row)
        media.thumbnail(first.store, row, "100")
        # As if another version of the scenes had drawn them.
        first.store.execute(
            "UPDATE settings SET value = 'scenes-0' WHERE key = ?", (media.DRAWING_SETTING,)
        )
    with Sandbox(db=db) as second:
        assert second.store.scalar("SELECT md5 FROM docs WHERE doc_id = ?", (doc_id,)) is None
        assert second.store.scalar("SELECT COUNT(*) FROM thumbnails") == 0
        assert second.store.scalar("SELECT bytes FROM docs WHERE doc_id = ?", (doc_id,)) == len(
            media.original(second.store, row)
        )


def test_a_scene_richer_than_its_file_size_is_saved_at_a_lower_quality(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # About 25 KB for 800 x 600: the market scene takes 43 KB at the first quality.
    monkeypatch.setattr(media, "FILE_HEADROOM", 16 * 1024)
    monkeypatch.setattr(media, "BITS_PER_PIXEL", 0.1)
    art = Art("market", "", 1)
    data = media.drawn_original(art, 800, 600)
    assert len(data) == media.drawn_file_size(art, 800, 600)
    assert picture(data).size == (800, 600)


def test_a_file_size_no_quality_reaches_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "FILE_HEADROOM", 0)
    monkeypatch.setattr(media, "BITS_PER_PIXEL", 0.0)
    with pytest.raises(ValueError, match="cannot be encoded"):
        media.drawn_original(Art("market", "", 1), 800, 600)
