"""The site's pages: home, profile, albums, an album, a photo, and a new album.

Every page that shows a member's photos needs a login; the one that creates an
album needs ``doc`` write permission, which the login flow obtains when the
member granted less (Flask-Ipernity's :func:`~flask_ipernity.login_required`).
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage

import ipernity
from flask_ipernity import api, current_extension, login_required
from flask_ipernity.csrf import csrf_token_is_valid

gallery = Blueprint("gallery", __name__)

#: The longest album title the form accepts (Ipernity's own limit is higher).
MAX_TITLE_LENGTH = 100
#: Thumbnail label of the grids, and the labels the photo page prefers, largest first.
GRID_SIZE = "240"
PHOTO_SIZES = ("800", "640", "560", "500", "240")
#: Pixels a member's icon is shown at: its own size, so that it is never stretched soft.
AVATAR_SIZE = 48
#: The longest file name offered for a downloaded original, extension included.
MAX_FILE_NAME = 120
# Characters no file name may hold on the systems visitors save to.
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
#: Seconds a visitor waits for an uploaded photo to become a document.
UPLOAD_WAIT = 60.0
#: Error codes from here on are the service's shared ones (token, permission, quota);
#: below are the upload's own (file too large, monthly limit reached, …).
FIRST_SHARED_ERROR = 100


@gallery.app_template_global()
def media_url(doc_id: str | int, size: str) -> str:
    """The URL of a document's picture through Flask-Ipernity's media proxy."""
    return url_for("ipernity.media", doc_id=doc_id, size=size)


@gallery.app_template_filter()
def pluralize(noun: str, count: str | int | None) -> str:
    """``noun`` as it reads after ``count`` (as Ipernity sends it, maybe a string)."""
    return noun if int(count or 0) == 1 else f"{noun}s"


@gallery.app_template_filter()
def counted(count: str | int | None, noun: str) -> str:
    """``1 photo``, ``2 photos``: a count with its noun in proper English."""
    return f"{int(count or 0)} {pluralize(noun, count)}"


@gallery.app_template_filter()
def download_name(doc: dict[str, Any]) -> str:
    """The file name a document's original is saved under: its title and the file's extension.

    ``Sunset over the bay.jpg`` rather than the URL's ``original``; characters
    no file system takes become spaces; an untitled document is ``photo-<id>``.
    """
    title = " ".join(_NOT_IN_FILE_NAMES.sub(" ", str(doc.get("title") or "")).split())
    title = title.strip(". ") or f"photo-{doc.get('doc_id', '')}"
    original = doc.get("original") or {}
    extension = re.sub(r"[^0-9A-Za-z]", "", str(original.get("ext") or ""))[:10]
    suffix = f".{extension.lower()}" if extension else ""
    return title[: MAX_FILE_NAME - len(suffix)] + suffix


@gallery.app_context_processor
def site_context() -> dict[str, Any]:
    """What every template gets: whether the site runs on the embedded sandbox."""
    sandbox = current_extension().sandbox
    members = sandbox.members if sandbox is not None else ()
    return {"on_sandbox": sandbox is not None, "sandbox_members": members}


@gallery.route("/")
def home() -> str:
    """The front page: what the site is, and "Log in with Ipernity"."""
    return render_template("home.html")


@gallery.route("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The site's icon, where browsers look for it before reading any page."""
    static = current_app.static_folder or ""
    return send_from_directory(static, "favicon.ico", mimetype="image/vnd.microsoft.icon")


@gallery.route("/profile")
@login_required
def profile() -> str:
    """The logged-in member as Ipernity describes them, and what they granted."""
    user = api.user.get()["user"]
    return render_template(
        "profile.html", user=user, permissions=api.permissions or {}, avatar_size=AVATAR_SIZE
    )


@gallery.route("/albums")
@login_required
def albums() -> str:
    """Every album of the member, walked page by page by the library."""
    # empty=1: Ipernity leaves empty albums out unless asked, and a new one is empty.
    return render_template("albums.html", albums=list(api.walk_albums(empty=1)))


@gallery.route("/albums/<int:album_id>")
@login_required
def album(album_id: int) -> str:
    """One album's photos as thumbnails, a page at a time."""
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    per_page = int(current_app.config["PHOTOS_PER_PAGE"])
    info = api.album.get(album_id=album_id)["album"]
    listing = api.album.docs.getList(album_id=album_id, page=page, per_page=per_page)
    docs = listing["album"]["docs"]
    pages = page_count(docs, per_page)
    if page > pages:
        abort(404)
    return render_template(
        "album.html",
        album=info,
        docs=docs.get("doc") or [],
        total=int(docs.get("total") or 0),
        page=page,
        pages=pages,
        grid_size=GRID_SIZE,
    )


@gallery.route("/photos/<int:doc_id>")
@login_required
def photo(doc_id: int) -> str:
    """One photo, large, with its title, description, dates and tags."""
    doc = api.doc.get(doc_id=doc_id, extra="tags")["doc"]
    labels = {thumb.get("label") for thumb in (doc.get("thumbs") or {}).get("thumb") or []}
    size = next((label for label in PHOTO_SIZES if label in labels), None)
    album_id = request.args.get("album", type=int)
    # The breadcrumb names the album the member came from.
    album = api.album.get(album_id=album_id)["album"] if album_id else None
    return render_template("photo.html", doc=doc, size=size, album=album)


@gallery.route("/albums/new", methods=["GET", "POST"])
@login_required(doc="write")
def new_album() -> ResponseReturnValue:
    """Create an album, optionally with a first photo uploaded into it."""
    if request.method == "GET":
        return render_template("new_album.html", form={}, errors={})
    form = {name: request.form.get(name, "").strip() for name in ("title", "description")}
    if not csrf_token_is_valid():
        # Another site's form cannot carry the member's token: create nothing.
        expired = {"form": "This form has expired. Please send it again."}
        return render_template("new_album.html", form=form, errors=expired), 400
    photo = request.files.get("photo")
    errors = album_form_errors(form, photo)
    if errors:
        return render_template("new_album.html", form=form, errors=errors), 400
    created = api.album.create(title=form["title"], description=form["description"])
    album_id = created["album"]["album_id"]
    if photo is not None and photo.filename:
        flash(upload_into_album(album_id, photo, form["title"]))
    else:
        flash(f"Album “{form['title']}” created.")
    return redirect(url_for("gallery.album", album_id=album_id))


def upload_into_album(album_id: str, photo: FileStorage, album_title: str) -> str:
    """Upload ``photo`` into the new album; return what to tell the member.

    The album exists whatever happens to the photo, so a failed upload is told,
    not raised. Errors that are not the upload's own (an expired token, a
    permission, a quota) still go to the site-wide handlers.
    """
    created = f"Album “{album_title}” created"
    title = (photo.filename or "").rsplit(".", 1)[0]
    # A visitor waits for the upload: wait less than a script would.
    api.upload_timeout = UPLOAD_WAIT
    try:
        api.upload_file(photo.stream, title=title, album_id=album_id)
    except ipernity.UploadTimeout:
        return f"{created}; Ipernity is still processing your photo, it will appear shortly."
    except ipernity.UploadError:
        return f"{created}, but Ipernity could not process your photo."
    except ipernity.APIRequestError as error:
        if error.code >= FIRST_SHARED_ERROR:
            raise
        return f"{created}, but Ipernity refused the photo: {error.message}"
    return f"{created} with your photo in it."


def album_form_errors(form: dict[str, str], photo: FileStorage | None) -> dict[str, str]:
    """Check the new-album form; return a message per field in error."""
    errors = {}
    if not form["title"]:
        errors["title"] = "Give the album a title."
    elif len(form["title"]) > MAX_TITLE_LENGTH:
        errors["title"] = f"Keep the title under {MAX_TITLE_LENGTH} characters."
    if photo is not None and photo.filename and not (photo.mimetype or "").startswith("image/"):
        errors["photo"] = "Choose a picture (JPEG, PNG, GIF or WebP)."
    return errors


def page_count(listing: dict[str, Any], per_page: int) -> int:
    """How many pages a listing has; answers without ``pages`` give ``total``."""
    if listing.get("pages"):
        return max(1, int(listing["pages"]))
    return max(1, math.ceil(int(listing.get("total") or 0) / per_page))
