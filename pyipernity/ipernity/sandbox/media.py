"""The sandbox's pictures: demo images, probing uploads, thumbnails, file facts.

Demo documents carry an ``art`` seed instead of bytes: their picture is drawn
deterministically the first time anything needs it (a thumbnail, the original,
its md5), then kept in the database like an upload, so that seeding hundreds of
photos stays fast and a document's md5 never changes once seen.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import PurePath

from PIL import ExifTags, Image, ImageDraw, UnidentifiedImageError

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
#: Points along each hill of a demo picture, whatever its size.
HILL_STEPS = 24
#: Pictures beyond this many pixels are stored as files, never decoded.
MAX_PIXELS = 40_000_000

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
    """Draw a landscape (sky, sun, hills) as a JPEG, the same for a seed.

    The scene is laid out in proportions of the picture, so that drawing it
    small gives what shrinking it from a camera's size would.
    """
    rnd = random.Random(seed)
    top, horizon = _palette(rnd)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(
        Image.new("RGB", (width, height), horizon),
        Image.new("RGB", (width, height), top),
        gradient,
    )
    draw = ImageDraw.Draw(image)
    radius = rnd.uniform(1 / 12, 1 / 6) * height
    cx = rnd.uniform(radius, max(radius, width - radius))
    cy = rnd.uniform(radius, max(radius, height / 2))
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 236, 170))
    for layer in range(3):
        base = height * (0.55 + 0.15 * layer)
        points: list[tuple[float, float]] = [(0, height)]
        for step in range(HILL_STEPS + 1):
            points.append((width * step / HILL_STEPS, base + rnd.uniform(-0.08, 0.08) * height))
        points.append((width, height))
        shade = 0.6 - 0.18 * layer
        draw.polygon(points, fill=tuple(int(c * shade) for c in (90, 160, 110)))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Sandbox Optics"
    exif[ExifTags.Base.Model] = "SBX-1"
    exif[ExifTags.Base.DateTime] = (
        f"2023:{rnd.randint(1, 12):02d}:{rnd.randint(1, 28):02d} 12:00:00"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, exif=exif)
    return buffer.getvalue()


def _palette(rnd: random.Random) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    skies = [
        ((40, 80, 160), (250, 190, 120)),
        ((20, 30, 80), (240, 120, 90)),
        ((90, 150, 220), (210, 235, 250)),
        ((60, 40, 110), (250, 160, 180)),
        ((30, 110, 140), (240, 230, 170)),
    ]
    return rnd.choice(skies)


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


def make_thumbnail(picture: Image.Image, label: str) -> bytes:
    """Resize (or crop to a square and resize) a picture for ``label``, as JPEG."""
    width, height = picture.size
    square = LABELS[label][1]
    image = picture.convert("RGB")
    if square:
        side = min(width, height)
        left, top = (width - side) // 2, (height - side) // 2
        image = image.crop((left, top, left + side, top + side))
    image = image.resize(fit(width, height, label), Image.Resampling.BILINEAR)
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


def original(store: Store, doc: Row) -> bytes:
    """The document's file; a demo picture is drawn and kept the first time."""
    with store.transaction():
        data: bytes | None = store.scalar(
            "SELECT data FROM blobs WHERE doc_id = ?", (doc["doc_id"],)
        )
        if data is not None:
            return data
        data = demo_picture(int(doc["art"] or doc["doc_id"]), doc["width"], doc["height"])
        keep_file(store, doc["doc_id"], data)
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


def file_facts(store: Store, doc: Row) -> tuple[int, str]:
    """``(bytes, md5)`` of a document's file, drawing a demo picture if needed."""
    if doc["md5"] is not None:
        return doc["bytes"], doc["md5"]
    data = original(store, doc)
    return len(data), hashlib.md5(data, usedforsecurity=False).hexdigest()


def thumbnail(store: Store, doc: Row, label: str) -> bytes:
    """The ``label`` thumbnail of a document, made once and kept."""
    with store.transaction():
        cached: bytes | None = store.scalar(
            "SELECT data FROM thumbnails WHERE doc_id = ? AND label = ?", (doc["doc_id"], label)
        )
        if cached is not None:
            return cached
        if doc["media"] == "photo":
            data = _photo_thumbnail(store, doc, label)
        else:
            data = make_thumbnail(placeholder(doc["media"], doc["ext"]), label)
        store.execute(
            "INSERT OR REPLACE INTO thumbnails (doc_id, label, data) VALUES (?, ?, ?)",
            (doc["doc_id"], label, data),
        )
        return data


def _photo_thumbnail(store: Store, doc: Row, label: str) -> bytes:
    size = _source_size(doc["width"], doc["height"], label)
    data: bytes | None = store.scalar("SELECT data FROM blobs WHERE doc_id = ?", (doc["doc_id"],))
    if data is None:
        # A demo picture not drawn yet: drawing the scene at the thumbnail's size
        # spares drawing (and keeping) a camera-sized original for a grid.
        data = demo_picture(int(doc["art"] or doc["doc_id"]), *size)
    with Image.open(io.BytesIO(data)) as picture:
        picture.draft("RGB", size)  # JPEG decodes straight at a fraction of its size
        return make_thumbnail(picture, label)


def _source_size(width: int, height: int, label: str) -> tuple[int, int]:
    """The smallest size of a picture ``label`` can still be made from without enlarging."""
    size, square = LABELS[label]
    scale = min(1.0, size / max(1, min(width, height) if square else max(width, height)))
    return max(1, round(width * scale)), max(1, round(height * scale))
