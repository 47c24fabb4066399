"""The sandbox content the example site's tests look at."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass

from PIL import Image

from ipernity.sandbox import Album, App, Doc, Sandbox, User

_serial = itertools.count(1)

#: Photos in the big album: more than one page of the album view (24 a page).
BIG_ALBUM_SIZE = 30


@dataclass(frozen=True)
class Gallery:
    """What the sandbox holds for the site's tests."""

    sandbox: Sandbox
    site: App
    alice: User
    bob: User
    trips: Album
    empty: Album
    sunset: Doc
    bobs_private: Doc


def jpeg(color: str = "orange", size: tuple[int, int] = (320, 240)) -> bytes:
    """A small JPEG picture."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def build_gallery(sandbox: Sandbox) -> Gallery:
    """Register the site as a web application; add alice's and bob's photos."""
    serial = next(_serial)
    site = sandbox.add_app(f"Lightbox {serial}", auth="web", callback="http://localhost/callback")
    alice = sandbox.add_user(f"alice-lightbox{serial}", realname="Alice Lightbox")
    bob = sandbox.add_user(f"bob-lightbox{serial}", realname="Bob Lightbox")
    sunset = sandbox.add_doc(
        alice, "Sunset over the bay", description="Taken from the pier.", tags=["sunset", "sea"]
    )
    others = [sandbox.add_doc(alice, f"Street {n}") for n in range(2, BIG_ALBUM_SIZE + 1)]
    trips = sandbox.add_album(alice, "Trips", docs=[sunset, *others])
    empty = sandbox.add_album(alice, "Still empty")
    bobs_private = sandbox.add_doc(bob, "Bob's diary", is_public=False)
    return Gallery(sandbox, site, alice, bob, trips, empty, sunset, bobs_private)
