"""The demo's pictures: a scene for each subject of a title, drawn at any size.

A demo document carries its :class:`Art` (a scene, a mood and a seed) instead
of a file. Everything in a scene is laid out in fractions of the picture, and
every random choice is made before anything is drawn, so that drawing the same
art small looks like shrinking it from a camera's size: thumbnails are drawn
straight at their size, and remain downscales of the original.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw

Colour = tuple[int, int, int]
Point = tuple[float, float]

#: The mood a title's words give a scene; the first match wins. A word
#: matches a key it begins with ("clouds": cloud).
MOOD_WORDS: dict[str, tuple[str, ...]] = {
    "night": ("night", "midnight", "evening"),
    "dawn": ("dawn", "sunrise", "morning"),
    "rain": ("rain", "storm", "fog"),
    "clouds": ("cloud", "grey", "gray"),
    "winter": ("winter", "frost", "ice"),
    "autumn": ("autumn", "fall"),
    "spring": ("spring", "blossom"),
    "summer": ("summer",),
    "above": ("above", "aerial", "view"),
    "water": ("water", "shore", "river"),
}
#: The scene a title's words call for; the first match wins, "hills" otherwise.
SCENE_WORDS: dict[str, tuple[str, ...]] = {
    "harbour": ("harbour", "harbor", "port", "boat", "marina"),
    "sunset": ("sunset", "dusk"),
    "beach": ("beach", "sand", "dune"),
    "lake": ("lake", "pond"),
    "bridge": ("bridge",),
    "cathedral": ("cathedral", "church", "chapel", "abbey"),
    "market": ("market", "stall", "fair"),
    "cafe": ("café", "cafe", "bistro", "terrace"),
    "town": ("town", "street", "city", "village", "square", "house"),
    "snow": ("snow", "ski"),
    "mountain": ("mountain", "peak", "alps", "summit"),
    "forest": ("forest", "wood", "path", "tree", "park"),
    "garden": ("garden", "flower", "rose"),
    "fields": ("field", "farm", "meadow", "countryside"),
    "sea": ("sea", "bay", "coast", "ocean", "lighthouse", "wave"),
}


@dataclass(frozen=True)
class Art:
    """What a demo picture shows: a scene, its mood and the seed of its details."""

    scene: str
    mood: str
    seed: int

    def __str__(self) -> str:
        return f"{self.scene} {self.mood or '-'} {self.seed}"

    @classmethod
    def parse(cls, text: str) -> Art:
        """Read what :meth:`__str__` wrote; a bare number (older databases) is hills."""
        scene, _, rest = text.partition(" ")
        if not rest:
            return cls("hills", "", int(scene))
        mood, _, seed = rest.partition(" ")
        return cls(scene if scene in SCENES else "hills", "" if mood == "-" else mood, int(seed))

    @classmethod
    def for_title(cls, title: str, seed: int) -> Art:
        """The art a document titled ``title`` gets: the scene and mood its words name."""
        words = re.findall(r"\w+", title.lower())
        return cls(
            _first_named(SCENE_WORDS, words) or "hills", _first_named(MOOD_WORDS, words), seed
        )


def _first_named(table: dict[str, tuple[str, ...]], words: list[str]) -> str:
    """The first entry of ``table`` one of whose keys begins one of ``words`` ("boats": boat)."""
    for name, keys in table.items():
        if any(word.startswith(key) for word in words for key in keys):
            return name
    return ""


@dataclass(frozen=True)
class Palette:
    """The colours and light of a mood."""

    sky_top: Colour
    sky_low: Colour
    light: Colour
    ground: Colour
    foliage: Colour
    water: Colour
    night: bool = False
    snowy: bool = False
    cloudy: bool = False
    #: Where the horizon sits, as a fraction of the height.
    horizon: float = 0.55


_DAY = Palette(
    sky_top=(70, 130, 205),
    sky_low=(190, 220, 245),
    light=(255, 244, 200),
    ground=(95, 150, 80),
    foliage=(55, 120, 60),
    water=(45, 105, 160),
)
PALETTES: dict[str, Palette] = {
    "": _DAY,
    "summer": Palette(
        (40, 110, 215),
        (160, 210, 250),
        (255, 240, 170),
        (120, 165, 70),
        (50, 125, 45),
        (30, 100, 170),
    ),
    "spring": Palette(
        (110, 160, 220),
        (215, 235, 245),
        (255, 246, 210),
        (120, 185, 95),
        (230, 160, 190),
        (70, 130, 170),
    ),
    "autumn": Palette(
        (95, 130, 180),
        (235, 210, 170),
        (255, 220, 160),
        (150, 120, 60),
        (205, 105, 35),
        (60, 95, 125),
    ),
    "winter": Palette(
        (120, 150, 190),
        (225, 232, 240),
        (255, 255, 235),
        (236, 240, 245),
        (70, 90, 80),
        (80, 110, 140),
        snowy=True,
    ),
    "dawn": Palette(
        (60, 70, 140),
        (250, 175, 135),
        (255, 210, 150),
        (85, 110, 80),
        (50, 85, 60),
        (120, 110, 150),
    ),
    "night": Palette(
        (8, 12, 40),
        (35, 45, 90),
        (245, 245, 220),
        (20, 30, 35),
        (15, 30, 25),
        (15, 25, 55),
        night=True,
    ),
    "rain": Palette(
        (100, 108, 120),
        (165, 170, 180),
        (220, 220, 215),
        (70, 100, 70),
        (45, 85, 55),
        (80, 95, 110),
        cloudy=True,
    ),
    "clouds": Palette(
        (125, 140, 160),
        (200, 205, 212),
        (240, 240, 230),
        (90, 130, 75),
        (55, 105, 60),
        (70, 105, 135),
        cloudy=True,
    ),
    "above": Palette(
        (80, 140, 210),
        (205, 228, 245),
        (255, 244, 200),
        (100, 150, 85),
        (55, 120, 60),
        (45, 105, 160),
        horizon=0.3,
    ),
    "water": Palette(
        (75, 135, 205),
        (195, 222, 244),
        (255, 244, 200),
        (95, 150, 80),
        (55, 120, 60),
        (40, 110, 165),
        horizon=0.5,
    ),
}
_SUNSET = Palette(
    (45, 40, 110), (250, 140, 80), (255, 200, 120), (60, 60, 50), (40, 60, 40), (90, 60, 90)
)


class Canvas:
    """Drawing in fractions of a picture: ``(0, 0)`` top left, ``(1, 1)`` bottom right."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image
        self.width, self.height = image.size
        self.draw = ImageDraw.Draw(image)

    def point(self, x: float, y: float) -> Point:
        """Pixels of a point given in fractions."""
        return x * self.width, y * self.height

    def polygon(self, points: Sequence[Point], fill: Colour) -> None:
        """Fill the polygon through ``points`` (fractions)."""
        self.draw.polygon([self.point(x, y) for x, y in points], fill=fill)

    def box(self, left: float, top: float, right: float, bottom: float, fill: Colour) -> None:
        """Fill a rectangle given by its edges (fractions)."""
        self.polygon([(left, top), (right, top), (right, bottom), (left, bottom)], fill)

    def disc(self, x: float, y: float, radius: float, fill: Colour) -> None:
        """Fill a disc centred on ``(x, y)``, ``radius`` a fraction of the shorter side."""
        r = radius * min(self.width, self.height)
        cx, cy = self.point(x, y)
        self.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)

    def gradient(self, top: float, bottom: float, upper: Colour, lower: Colour) -> None:
        """Shade the band between heights ``top`` and ``bottom`` from ``upper`` to ``lower``."""
        first, last = round(top * self.height), round(bottom * self.height)
        rows = last - first
        if rows <= 0:
            return
        # One column of colours, stretched across: far quicker than row by row.
        column = Image.new("RGB", (1, rows))
        column.putdata([_mix(upper, lower, (row + 0.5) / rows) for row in range(rows)])
        band = column.resize((self.width, rows), Image.Resampling.NEAREST)
        self.image.paste(band, (0, first))


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _shade(colour: Colour, factor: float) -> Colour:
    return (
        _mix((0, 0, 0), colour, factor)
        if factor < 1
        else _mix(colour, (255, 255, 255), factor - 1)
    )


# -- the parts of a scene ----------------------------------------------------


def _sky(c: Canvas, p: Palette, rnd: random.Random, horizon: float, *, sun: bool = True) -> None:
    c.gradient(0, horizon, p.sky_top, p.sky_low)
    if p.night:
        for _ in range(60):
            c.disc(rnd.random(), rnd.random() * horizon * 0.9, 0.002, (235, 235, 220))
    light_x, light_y = rnd.uniform(0.15, 0.85), rnd.uniform(0.12, 0.45) * horizon
    if sun and not p.cloudy:
        c.disc(light_x, light_y, 0.06 if p.night else 0.08, p.light)
    if p.cloudy:
        _clouds(c, p, rnd, horizon, 7)
    elif not p.night:
        _clouds(c, p, rnd, horizon, 2)


def _clouds(c: Canvas, p: Palette, rnd: random.Random, horizon: float, count: int) -> None:
    tone = _shade(p.sky_low, 1.15 if not p.cloudy else 0.92)
    for _ in range(count):
        x, y = rnd.uniform(0, 1), rnd.uniform(0.08, 0.7) * horizon
        for dx, dy, r in (
            (0, 0, 0.06),
            (0.06, 0.01, 0.05),
            (-0.06, 0.015, 0.045),
            (0.03, -0.03, 0.05),
        ):
            c.disc(x + dx, y + dy, r, tone)


def _water(c: Canvas, p: Palette, rnd: random.Random, top: float, bottom: float = 1.0) -> None:
    c.gradient(top, bottom, _shade(p.water, 1.1), _shade(p.water, 0.7))
    glint = _shade(p.light, 0.9 if not p.night else 0.6)
    centre = rnd.uniform(0.3, 0.7)
    for n in range(8):
        y = top + (bottom - top) * (0.08 + 0.11 * n)
        half = 0.02 + 0.012 * n
        c.box(centre - half, y, centre + half, y + 0.006, glint)


def _hills(c: Canvas, p: Palette, rnd: random.Random, base: float, layers: int = 3) -> None:
    for layer in range(layers):
        level = base + 0.1 * layer
        heights = [rnd.uniform(-0.06, 0.04) for _ in range(13)]
        points = [(0.0, 1.0)] + [(n / 12, level + h) for n, h in enumerate(heights)] + [(1.0, 1.0)]
        c.polygon(points, _shade(p.ground, 0.75 + 0.15 * layer))


def _tree(c: Canvas, p: Palette, x: float, ground: float, size: float, pine: bool = False) -> None:
    trunk = (90, 65, 45) if not p.night else (25, 20, 15)
    c.box(x - size * 0.06, ground - size * 0.45, x + size * 0.06, ground, trunk)
    if pine or p.snowy:
        crown = (40, 80, 55) if not p.night else (10, 25, 20)
        for step in range(3):
            top = ground - size * (1.1 - 0.25 * step)
            width = size * (0.25 + 0.12 * step)
            c.polygon(
                [(x, top), (x + width, top + size * 0.4), (x - width, top + size * 0.4)], crown
            )
            if p.snowy:
                c.polygon(
                    [
                        (x, top),
                        (x + width * 0.4, top + size * 0.16),
                        (x - width * 0.4, top + size * 0.16),
                    ],
                    (245, 248, 250),
                )
        return
    for dx, dy, r in ((0, -0.75, 0.5), (-0.25, -0.55, 0.38), (0.25, -0.55, 0.38)):
        c.disc(x + dx * size * 0.75, ground + dy * size, r * size * 0.75, p.foliage)


def _house(
    c: Canvas,
    p: Palette,
    rnd: random.Random,
    left: float,
    right: float,
    ground: float,
    height: float,
) -> None:
    walls = rnd.choice(
        [(225, 200, 160), (200, 120, 90), (235, 225, 205), (170, 160, 150), (215, 170, 110)]
    )
    if p.night:
        walls = _shade(walls, 0.3)
    roof = (150, 70, 50) if not p.snowy else (240, 243, 247)
    top = ground - height
    c.box(left, top, right, ground, walls)
    c.polygon(
        [(left - 0.01, top), ((left + right) / 2, top - height * 0.3), (right + 0.01, top)], roof
    )
    lit = (250, 215, 120) if p.night else (70, 85, 110)
    columns, rows = 3, max(1, int(height / 0.08))
    for row in range(rows):
        for col in range(columns):
            if p.night and rnd.random() < 0.4:
                continue
            x = left + (right - left) * (0.2 + 0.25 * col)
            y = top + height * (0.15 + 0.8 * row / rows)
            c.box(x, y, x + (right - left) * 0.12, y + height * 0.35 / rows, lit)


def _street(c: Canvas, p: Palette, rnd: random.Random, ground: float) -> None:
    c.box(0, ground, 1, 1, (120, 115, 110) if not p.snowy else (230, 234, 240))
    c.polygon(
        [(0.45, ground), (0.55, ground), (0.8, 1.0), (0.2, 1.0)],
        (150, 145, 135) if not p.night else (45, 45, 50),
    )
    x = -0.02
    while x < 1:
        width = rnd.uniform(0.12, 0.2)
        _house(c, p, rnd, x, x + width, ground, rnd.uniform(0.2, 0.38))
        x += width + 0.01


def _boat(c: Canvas, x: float, waterline: float, size: float, colour: Colour) -> None:
    c.polygon(
        [
            (x - size, waterline - size * 0.3),
            (x + size, waterline - size * 0.3),
            (x + size * 0.7, waterline),
            (x - size * 0.7, waterline),
        ],
        colour,
    )
    c.box(
        x - size * 0.03,
        waterline - size * 1.6,
        x + size * 0.03,
        waterline - size * 0.3,
        (235, 235, 230),
    )
    c.polygon(
        [
            (x + size * 0.05, waterline - size * 1.5),
            (x + size * 0.7, waterline - size * 0.45),
            (x + size * 0.05, waterline - size * 0.45),
        ],
        (245, 245, 240),
    )


# -- the scenes --------------------------------------------------------------


def _draw_hills(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, p.horizon + 0.1)
    _hills(c, p, rnd, p.horizon)


def _draw_sea(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, p.horizon)
    _water(c, p, rnd, p.horizon)
    c.polygon(
        [(0.0, p.horizon), (0.18, p.horizon - 0.03), (0.3, p.horizon)], _shade(p.ground, 0.6)
    )
    c.box(0.78, p.horizon - 0.16, 0.8, p.horizon, (240, 240, 235))
    c.box(0.78, p.horizon - 0.1, 0.8, p.horizon - 0.07, (200, 50, 45))


def _draw_sunset(c: Canvas, p: Palette, rnd: random.Random) -> None:
    horizon = p.horizon
    c.gradient(0, horizon, _SUNSET.sky_top, _SUNSET.sky_low)
    sun_x = rnd.uniform(0.3, 0.7)
    c.disc(sun_x, horizon - 0.02, 0.1, _SUNSET.light)
    c.gradient(horizon, 1, _SUNSET.water, _shade(_SUNSET.water, 0.5))
    for n in range(10):
        y = horizon + 0.015 + 0.045 * n
        c.box(sun_x - 0.07 + 0.004 * n, y, sun_x + 0.07 - 0.004 * n, y + 0.012, _SUNSET.light)


def _draw_beach(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, p.horizon)
    _water(c, p, rnd, p.horizon, 0.75)
    sand = (230, 210, 160) if not p.snowy else (225, 225, 220)
    c.polygon(
        [(0, 0.72), (0.4, 0.76), (1, 0.7), (1, 1), (0, 1)],
        sand if not p.night else _shade(sand, 0.35),
    )
    x = rnd.uniform(0.2, 0.8)
    c.box(x - 0.004, 0.66, x + 0.004, 0.86, (120, 90, 60))
    c.polygon(
        [(x - 0.1, 0.7), (x, 0.63), (x + 0.1, 0.7)],
        rnd.choice([(220, 60, 60), (60, 130, 200), (240, 190, 40)]),
    )


def _draw_lake(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, p.horizon)
    _hills(c, p, rnd, p.horizon - 0.05, 1)
    shore = p.horizon + 0.05
    _water(c, p, rnd, shore)
    for n in range(9):
        _tree(
            c,
            p,
            0.03 + 0.12 * n + rnd.uniform(-0.03, 0.03),
            shore,
            rnd.uniform(0.08, 0.12),
            pine=True,
        )


def _draw_harbour(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, p.horizon)
    x = 0.0
    while x < 1:
        width = rnd.uniform(0.1, 0.16)
        _house(c, p, rnd, x, x + width, p.horizon, rnd.uniform(0.1, 0.18))
        x += width
    _water(c, p, rnd, p.horizon, 0.88)
    c.box(0, 0.88, 1, 1, (150, 140, 125) if not p.night else (40, 40, 45))
    for n in range(4):
        colour = rnd.choice([(200, 55, 45), (240, 240, 235), (40, 80, 150), (230, 180, 40)])
        _boat(c, 0.12 + 0.24 * n + rnd.uniform(-0.04, 0.04), 0.7 + 0.04 * (n % 2), 0.07, colour)


def _draw_bridge(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, p.horizon)
    _hills(c, p, rnd, p.horizon - 0.05, 1)
    _water(c, p, rnd, p.horizon + 0.05)
    stone = (185, 170, 145) if not p.night else (70, 65, 60)
    deck = p.horizon + 0.02
    c.box(0, deck - 0.05, 1, deck + 0.06, stone)
    for n in range(4):
        left = 0.04 + 0.24 * n
        c.draw.chord(
            (*c.point(left, deck + 0.01), *c.point(left + 0.2, deck + 0.25)),
            180,
            360,
            fill=_shade(p.water, 0.8),
        )
        c.box(left, deck + 0.12, left + 0.2, deck + 0.14, _shade(p.water, 0.8))


def _draw_cathedral(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, 0.85, sun=False)
    stone = (200, 185, 160) if not p.night else (80, 75, 70)
    ground = 0.85
    c.box(0, ground, 1, 1, (160, 155, 145) if not p.snowy else (235, 238, 242))
    c.box(0.28, 0.35, 0.72, ground, stone)
    for left in (0.2, 0.64):
        c.box(left, 0.18, left + 0.16, ground, _shade(stone, 0.92))
        c.polygon(
            [(left - 0.01, 0.18), (left + 0.08, 0.02), (left + 0.17, 0.18)], _shade(stone, 0.7)
        )
    c.disc(0.5, 0.47, 0.07, (160, 60, 70) if not p.night else (240, 200, 110))
    c.disc(0.5, 0.47, 0.045, (60, 80, 150) if not p.night else (250, 225, 150))
    c.polygon(
        [(0.44, ground), (0.44, 0.66), (0.5, 0.6), (0.56, 0.66), (0.56, ground)], (70, 55, 45)
    )
    for left in (0.32, 0.6):
        c.polygon(
            [
                (left, 0.78),
                (left, 0.62),
                (left + 0.04, 0.58),
                (left + 0.08, 0.62),
                (left + 0.08, 0.78),
            ],
            _shade(stone, 0.6),
        )


def _draw_town(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, 0.75)
    _street(c, p, rnd, 0.75)


def _draw_market(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _draw_town(c, p, rnd)
    for n in range(4):
        left = 0.03 + 0.25 * n
        stripe = rnd.choice([(200, 50, 50), (40, 120, 60), (40, 90, 170), (230, 160, 30)])
        for s in range(5):
            colour = stripe if s % 2 == 0 else (245, 240, 230)
            c.box(left + 0.04 * s, 0.7, left + 0.04 * (s + 1), 0.76, colour)
        c.box(left + 0.01, 0.76, left + 0.19, 0.86, (150, 110, 70))
        for f in range(5):
            c.disc(
                left + 0.03 + 0.035 * f,
                0.78,
                0.012,
                rnd.choice([(230, 80, 40), (250, 200, 40), (120, 180, 60)]),
            )


def _draw_cafe(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _draw_town(c, p, rnd)
    awning = rnd.choice([(170, 30, 40), (30, 90, 60), (40, 60, 120)])
    for n in range(3):
        x = 0.2 + 0.3 * n
        c.polygon([(x - 0.13, 0.6), (x - 0.11, 0.55), (x + 0.11, 0.55), (x + 0.13, 0.6)], awning)
        c.polygon(
            [(x - 0.1, 0.78), (x, 0.7), (x + 0.1, 0.78)],
            rnd.choice([(240, 240, 235), (220, 180, 60)]),
        )
        c.box(x - 0.004, 0.78, x + 0.004, 0.9, (60, 60, 60))
        c.box(x - 0.06, 0.88, x + 0.06, 0.9, (90, 70, 50))


def _draw_mountain(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, p.horizon + 0.25)
    for layer in range(3):
        peaks = [(rnd.uniform(-0.1, 1.1), rnd.uniform(0.12, 0.3) + 0.08 * layer) for _ in range(3)]
        base = p.horizon + 0.15 + 0.04 * layer
        rock = _shade((120, 115, 125), 0.95 - 0.2 * layer) if not p.night else (30, 32, 45)
        for x, top in peaks:
            width = rnd.uniform(0.3, 0.45)
            c.polygon([(x - width, base), (x, top), (x + width, base)], rock)
            cap = 0.25
            c.polygon(
                [
                    (x - width * cap, top + (base - top) * cap),
                    (x, top),
                    (x + width * cap, top + (base - top) * cap),
                ],
                (245, 247, 250),
            )
    c.box(0, p.horizon + 0.19, 1, 1, p.ground)
    for n in range(6):
        _tree(c, p, 0.08 + 0.17 * n, 0.95, 0.14, pine=True)


def _draw_snow(c: Canvas, p: Palette, rnd: random.Random) -> None:
    snowy = replace(p, ground=(238, 242, 248), snowy=True)
    _draw_mountain(c, snowy, rnd)
    for _ in range(80):
        c.disc(rnd.random(), rnd.random(), 0.004, (250, 250, 252))


def _draw_forest(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, 0.5)
    c.box(0, 0.5, 1, 1, _shade(p.ground, 0.85))
    c.polygon(
        [(0.47, 0.55), (0.53, 0.55), (0.75, 1.0), (0.25, 1.0)],
        (175, 150, 110) if not p.snowy else (250, 250, 252),
    )
    for row in range(3):
        size = 0.18 + 0.12 * row
        ground = 0.6 + 0.15 * row
        for side in (0, 1):
            for n in range(3 - row):
                x = (
                    (0.04 + 0.13 * n + rnd.uniform(0, 0.04))
                    if side == 0
                    else (0.96 - 0.13 * n - rnd.uniform(0, 0.04))
                )
                _tree(c, p, x, ground, size)


def _draw_garden(c: Canvas, p: Palette, rnd: random.Random) -> None:
    _sky(c, p, rnd, 0.45)
    c.box(0, 0.45, 1, 1, p.ground)
    c.box(0, 0.4, 1, 0.52, _shade(p.foliage if not p.snowy else (60, 90, 70), 0.8))
    _tree(c, p, rnd.uniform(0.6, 0.85), 0.6, 0.35)
    flowers = [(220, 60, 90), (250, 200, 50), (170, 90, 200), (250, 250, 245), (240, 120, 40)]
    for row in range(4):
        for n in range(12):
            colour = (235, 238, 244) if p.snowy else rnd.choice(flowers)
            c.disc(
                n / 11 + rnd.uniform(-0.02, 0.02), 0.68 + 0.08 * row, 0.012 + 0.004 * row, colour
            )


def _draw_fields(c: Canvas, p: Palette, rnd: random.Random) -> None:
    horizon = p.horizon
    _sky(c, p, rnd, horizon)
    crops = [p.ground, (215, 190, 90), (140, 170, 70), (170, 130, 80)]
    for n in range(6):
        colour = (
            (240, 243, 247)
            if p.snowy
            else _shade(crops[rnd.randrange(len(crops))], 0.9 + 0.03 * n)
        )
        top = horizon + (1 - horizon) * (n / 6) ** 1.6
        bottom = horizon + (1 - horizon) * ((n + 1) / 6) ** 1.6
        c.box(0, top, 1, bottom + 0.002, colour)
    house = rnd.uniform(0.15, 0.75)
    c.box(house, horizon - 0.04, house + 0.07, horizon + 0.01, (235, 225, 205))
    c.polygon(
        [
            (house - 0.01, horizon - 0.04),
            (house + 0.035, horizon - 0.08),
            (house + 0.08, horizon - 0.04),
        ],
        (150, 70, 50),
    )
    _tree(c, p, house + 0.15, horizon + 0.02, 0.1)


_SCENES: dict[str, Callable[[Canvas, Palette, random.Random], None]] = {
    "hills": _draw_hills,
    "sea": _draw_sea,
    "sunset": _draw_sunset,
    "beach": _draw_beach,
    "lake": _draw_lake,
    "harbour": _draw_harbour,
    "bridge": _draw_bridge,
    "cathedral": _draw_cathedral,
    "town": _draw_town,
    "market": _draw_market,
    "cafe": _draw_cafe,
    "mountain": _draw_mountain,
    "snow": _draw_snow,
    "forest": _draw_forest,
    "garden": _draw_garden,
    "fields": _draw_fields,
}
#: The scenes the sandbox can draw.
SCENES = frozenset(_SCENES)


def draw(art: Art, width: int, height: int) -> Image.Image:
    """Draw ``art`` as a ``width`` x ``height`` RGB picture."""
    image = Image.new("RGB", (width, height))
    palette = PALETTES.get(art.mood, _DAY)
    _SCENES.get(art.scene, _draw_hills)(
        Canvas(image), palette, random.Random(f"{art.scene}:{art.seed}")
    )
    return image
