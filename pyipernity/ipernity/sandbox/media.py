"""The sandbox's pictures: demo images, probing uploads, thumbnails, file facts.

Demo documents carry their :class:`~.scenes.Art` instead of bytes. Their
thumbnails are drawn straight at their size; their original is drawn whenever
it is served (the same bytes each time) and never kept, so that hundreds of
camera-sized photos cost no memory. Its size is known from the start (see
:func:`drawn_original`) and its md5 is recorded the first time it is drawn.
Uploaded files are kept in the database, their thumbnails made from them.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from dataclasses import dataclass
from pathlib import PurePath

import PIL
from PIL import ExifTags, Image, ImageDraw, UnidentifiedImageError, features

from . import scenes
from .scenes import Art
from .store import Row, Store

#: Thumbnail labels: the longest side in pixels, and whether the picture is
#: cropped to a square (``75x``, ``250x``) rather than fitted.
LABELS: dict[str, tuple[int, bool]] = {
    "75x": (75, True),
    "100": (100, False),
    "240": (240, False),
    "250x": (250, True),
    "500": (500, False),
    "560": (560, False),
    "640": (640, False),
    "800": (800, False),
    "1024": (1024, False),
    "1600": (1600, False),
    "2048": (2048, False),
}
#: The thumbnails ``doc.get`` and ``doc.getMedias`` list.
LISTED_LABELS = ("75x", "100", "240", "500", "560", "640", "800", "1024")
#: Size of the stand-in picture of a video, audio or other file.
PLACEHOLDER_SIZE = (320, 240)
#: Pictures beyond this many pixels are stored as files, never decoded.
MAX_PIXELS = 40_000_000
#: A thumbnail of a demo picture is drawn larger, then shrunk, so that its
#: edges and small details blur as they do when the original is shrunk: at
#: least this many times larger, and at least this wide (or tall).
SUPERSAMPLING = 2
MIN_DRAWING_SIDE = 800
#: The JPEG quality of demo originals, lowered by steps in the rare case the
#: scene does not fit in its file size.
START_QUALITY = 85
QUALITY_STEP = 5
#: A demo original's file size: this much for the headers, plus room for the scene.
FILE_HEADROOM = 32 * 1024
BITS_PER_PIXEL = 0.35
#: The bytes a JPEG comment segment takes beyond its text, and at most in all.
COMMENT_OVERHEAD = 4
MAX_COMMENT_SEGMENT = 2 + 0xFFFF
PADDING_TEXT = b"Ipernity sandbox demo picture. "
#: Changes whenever the scenes are drawn differently: a database kept across
#: versions then forgets the md5s and thumbnails of pictures drawn before.
DRAWING_VERSION = "scenes-1"
#: The settings key holding the drawing version of a database's pictures.
DRAWING_SETTING = "demo_drawing"

_PICTURE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "BMP": "bmp"}
_VIDEO_EXTS = frozenset({"mp4", "mov", "avi", "mpg", "mpeg", "mkv", "webm", "flv", "3gp"})
_AUDIO_EXTS = frozenset({"mp3", "wav", "ogg", "flac", "m4a", "aac", "wma"})
_EXIF_NAMES = {tag.value: tag.name for tag in ExifTags.Base}


def fit(width: int, height: int, label: str) -> tuple[int, int]:
    """The size of the ``label`` thumbnail of a ``width`` x ``height`` picture.

    Pictures are never enlarged: a thumbnail larger than its original keeps the
    original's size.
    """
    size, square = LABELS[label]
    if square:
        side = min(size, width, height)
        return side, side
    scale = min(1.0, size / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def picture_size(doc: Row) -> tuple[int, int]:
    """The size of the picture a document's thumbnails are made from."""
    if doc["media"] == "photo" and doc["width"] and doc["height"]:
        return doc["width"], doc["height"]
    return PLACEHOLDER_SIZE


def demo_picture(seed: int, width: int, height: int) -> bytes:
    """A demo picture (rolling hills) as a JPEG, the same for a seed."""
    return drawn_original(Art("hills", "", seed), width, height)


def drawn_original(art: Art, width: int, height: int) -> bytes:
    """The original file of a demo picture: ``art`` drawn at full size, as a JPEG.

    The file is exactly :func:`drawn_file_size` bytes long: a JPEG comment pads
    it, as a camera's maker notes fill its files, so that answers can tell the
    size of an original nobody has drawn yet. Drawing again gives the same bytes.
    """
    image = scenes.draw(art, width, height)
    budget = drawn_file_size(art, width, height)
    for quality in range(START_QUALITY, 0, -QUALITY_STEP):
        data = _encode(image, quality, _exif(art))
        room = budget - len(data)
        # A comment segment takes at least 4 bytes: an exact fit or room for one.
        if room == 0 or room >= COMMENT_OVERHEAD:
            return _padded(data, room)
    raise ValueError(f"{art} cannot be encoded within {budget} bytes")


def drawn_file_size(art: Art, width: int, height: int) -> int:
    """The size of the original of a demo picture, known without drawing it.

    Room for the scene at :data:`BITS_PER_PIXEL`, and up to an eighth more that
    the seed picks, so that documents differ in size as photos do.
    """
    budget = FILE_HEADROOM + int(width * height * BITS_PER_PIXEL) // 8
    return budget + random.Random(art.seed).randrange(budget // 8 + 1)


def _exif(art: Art) -> Image.Exif:
    rnd = random.Random(art.seed)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Sandbox Optics"
    exif[ExifTags.Base.Model] = "SBX-1"
    exif[ExifTags.Base.DateTime] = (
        f"2023:{rnd.randint(1, 12):02d}:{rnd.randint(1, 28):02d} 12:00:00"
    )
    return exif


def _encode(image: Image.Image, quality: int, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    # 4:2:0 chroma, as cameras save.
    image.save(buffer, "JPEG", quality=quality, subsampling=2, exif=exif or Image.Exif())
    return buffer.getvalue()


def _padded(data: bytes, room: int) -> bytes:
    """``data`` (a JPEG) grown by ``room`` bytes of comment segments after its headers."""
    segments = []
    while room:
        size = min(room, MAX_COMMENT_SEGMENT)
        if 0 < room - size < COMMENT_OVERHEAD:
            size -= COMMENT_OVERHEAD
        body = (PADDING_TEXT * (size // len(PADDING_TEXT) + 1))[: size - COMMENT_OVERHEAD]
        segments.append(b"\xff\xfe" + (size - 2).to_bytes(2, "big") + body)
        room -= size
    at = _after_app_segments(data)
    return data[:at] + b"".join(segments) + data[at:]


def _after_app_segments(data: bytes) -> int:
    """Where the APPn segments (JFIF, EXIF) that follow a JPEG's start end."""
    at = 2
    while data[at] == 0xFF and 0xE0 <= data[at + 1] <= 0xEF:
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return at


def placeholder(media: str, ext: str) -> Image.Image:
    """The stand-in picture of a document that is not a photo."""
    colours = {"video": (70, 60, 120), "audio": (40, 110, 90), "other": (110, 110, 120)}
    image = Image.new("RGB", PLACEHOLDER_SIZE, colours.get(media, colours["other"]))
    draw = ImageDraw.Draw(image)
    draw.rectangle((110, 60, 210, 180), outline=(240, 240, 240), width=4)
    draw.text((130, 110), f"{media}\n.{ext}"[:20], fill=(255, 255, 255))
    return image


def icon(kind: str, record_id: int) -> bytes:
    """The 48x48 icon of a member or group: a colour of its own, as JPEG."""
    rnd = random.Random(f"{kind}:{record_id}")
    colour = (rnd.randint(40, 200), rnd.randint(40, 200), rnd.randint(40, 200))
    image = Image.new("RGB", (48, 48), colour)
    ImageDraw.Draw(image).ellipse((12, 8, 36, 32), fill=(245, 245, 245))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass(frozen=True)
class Probe:
    """What an uploaded file turned out to be."""

    media: str
    ext: str
    mime: str
    width: int
    height: int


def probe(data: bytes, filename: str, content_type: str | None) -> Probe:
    """Tell a photo (which Pillow can read) from a video, audio or other file."""
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    ext = suffix if suffix.isalnum() and suffix.isascii() and len(suffix) <= 5 else "bin"
    picture = _read_picture(data)
    if picture is not None:
        fmt, width, height = picture
        return Probe("photo", _PICTURE_FORMATS[fmt], f"image/{fmt.lower()}", width, height)
    mime = content_type or "application/octet-stream"
    if ext in _VIDEO_EXTS or mime.startswith("video/"):
        return Probe("video", ext, mime, 0, 0)
    if ext in _AUDIO_EXTS or mime.startswith("audio/"):
        return Probe("audio", ext, mime, 0, 0)
    return Probe("other", ext, mime, 0, 0)


def _read_picture(data: bytes) -> tuple[str, int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt, (width, height) = image.format or "", image.size
            if fmt not in _PICTURE_FORMATS or width * height > MAX_PIXELS:
                return None
            image.load()
            return fmt, width, height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def make_thumbnail(picture: Image.Image, label: str, size: tuple[int, int] | None = None) -> bytes:
    """Resize (or crop to a square and resize) a picture for ``label``, as JPEG.

    :param size: the thumbnail's size, when ``picture`` is a larger drawing of
        a document whose thumbnails have a size of their own (see :func:`fit`).
    """
    width, height = picture.size
    square = LABELS[label][1]
    image = picture if picture.mode == "RGB" else picture.convert("RGB")
    if square:
        side = min(width, height)
        left, top = (width - side) // 2, (height - side) // 2
        image = image.crop((left, top, left + side, top + side))
    target = size or fit(width, height, label)
    factor = image.width // target[0]
    if factor > 1 and image.size == (target[0] * factor, target[1] * factor):
        # A drawing made a whole number of times larger: averaging each block
        # of pixels is the exact shrink, and the quickest.
        image = image.reduce(factor)
    else:
        # Shrinking by whole factors first, then resampling: as good, several times quicker.
        image = image.resize(target, Image.Resampling.BILINEAR, reducing_gap=3.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def exif_tags(data: bytes) -> list[tuple[int, str, str]]:
    """The EXIF tags of a picture as ``(id, name, value)``; none for other files."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return []
    tags = []
    for tag_id, value in sorted(exif.items()):
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        tags.append((tag_id, _EXIF_NAMES.get(tag_id, f"Tag{tag_id}"), text.strip("\x00")))
    return tags


def art_of(doc: Row) -> Art | None:
    """What a demo document shows, or ``None`` for a document with a file."""
    if doc["art"] is None or doc["media"] != "photo":
        return None
    return Art.parse(str(doc["art"]))


def original(store: Store, doc: Row) -> bytes:
    """The document's file; a demo picture is drawn (and its md5 recorded)."""
    data: bytes | None = store.scalar("SELECT data FROM blobs WHERE doc_id = ?", (doc["doc_id"],))
    art = art_of(doc)
    if data is not None or art is None:
        return data or b""
    data = drawn_original(art, doc["width"], doc["height"])
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    store.execute(
        "UPDATE docs SET bytes = ?, md5 = ? WHERE doc_id = ? AND md5 IS NULL",
        (len(data), md5, doc["doc_id"]),
    )
    return data


def keep_file(store: Store, doc_id: int, data: bytes) -> None:
    """Store a document's file with its size and md5, dropping old thumbnails."""
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    with store.transaction():
        store.execute("INSERT OR REPLACE INTO blobs (doc_id, data) VALUES (?, ?)", (doc_id, data))
        store.execute("DELETE FROM thumbnails WHERE doc_id = ?", (doc_id,))
        store.execute(
            "UPDATE docs SET bytes = ?, md5 = ? WHERE doc_id = ?", (len(data), md5, doc_id)
        )


def file_size(store: Store, doc: Row) -> int:
    """The size of a document's file in bytes, without drawing a demo picture."""
    if doc["bytes"] is not None:
        return int(doc["bytes"])
    art = art_of(doc)
    if art is not None:
        return drawn_file_size(art, doc["width"], doc["height"])
    return len(original(store, doc))


def file_facts(store: Store, doc: Row) -> tuple[int, str]:
    """``(bytes, md5)`` of a document's file, drawing a demo picture if needed."""
    if doc["md5"] is not None:
        return doc["bytes"], doc["md5"]
    data = original(store, doc)
    return len(data), hashlib.md5(data, usedforsecurity=False).hexdigest()


def forget_other_drawings(store: Store) -> None:
    """Forget md5s and thumbnails of demo pictures drawn by another version.

    A database kept across upgrades may hold facts of pictures that this
    version of the scenes (or of Pillow's JPEG encoder) draws differently.
    """
    version = f"{DRAWING_VERSION} Pillow {PIL.__version__} jpeg {features.version('jpg')}"
    with store.transaction():
        if store.setting(DRAWING_SETTING, version) == version:
            return
        drawn = "SELECT doc_id FROM docs WHERE art IS NOT NULL EXCEPT SELECT doc_id FROM blobs"
        store.execute(f"DELETE FROM thumbnails WHERE doc_id IN ({drawn})")  # noqa: S608
        store.execute(f"UPDATE docs SET md5 = NULL WHERE doc_id IN ({drawn})")  # noqa: S608
        store.execute("UPDATE settings SET value = ? WHERE key = ?", (version, DRAWING_SETTING))


def thumbnail(store: Store, doc: Row, label: str) -> bytes:
    """The ``label`` thumbnail of a document, made once and kept.

    It is made without holding the database: the other requests go on meanwhile.
    """
    cached: bytes | None = store.scalar(
        "SELECT data FROM thumbnails WHERE doc_id = ? AND label = ?", (doc["doc_id"], label)
    )
    if cached is not None:
        return cached
    if doc["media"] == "photo":
        data = _photo_thumbnail(store, doc, label)
    else:
        data = make_thumbnail(placeholder(doc["media"], doc["ext"]), label)
    # Unless the file was replaced meanwhile (a new secret): then this one is stale.
    store.execute(
        "INSERT OR IGNORE INTO thumbnails (doc_id, label, data)"
        " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM docs WHERE doc_id = ? AND secret = ?)",
        (doc["doc_id"], label, data, doc["doc_id"], doc["secret"]),
    )
    return data


def _photo_thumbnail(store: Store, doc: Row, label: str) -> bytes:
    size = fit(doc["width"], doc["height"], label)
    art = art_of(doc)
    data: bytes | None = store.scalar("SELECT data FROM blobs WHERE doc_id = ?", (doc["doc_id"],))
    if data is None and art is not None:
        drawn = _drawing_size(doc["width"], doc["height"], label)
        return make_thumbnail(scenes.draw(art, *drawn), label, size)
    with Image.open(io.BytesIO(data or b"")) as picture:
        picture.draft("RGB", _source_size(doc["width"], doc["height"], label))
        return make_thumbnail(picture, label, size)


def _drawing_size(width: int, height: int, label: str) -> tuple[int, int]:
    """The size to draw a demo picture at for ``label``: a whole number of times
    larger (see :data:`MIN_DRAWING_SIDE`), never above the original's."""
    small_width, small_height = _source_size(width, height, label)
    factor = max(SUPERSAMPLING, math.ceil(MIN_DRAWING_SIDE / max(small_width, small_height)))
    while factor > 1 and (small_width * factor > width or small_height * factor > height):
        factor -= 1
    return small_width * factor, small_height * factor


def _source_size(width: int, height: int, label: str) -> tuple[int, int]:
    """The smallest size of a picture ``label`` can still be made from without enlarging."""
    size, square = LABELS[label]
    scale = min(1.0, size / max(1, min(width, height) if square else max(width, height)))
    return max(1, round(width * scale)), max(1, round(height * scale))
