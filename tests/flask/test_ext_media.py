"""The document proxy: a document's media through the site, and nothing else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from media_servers import FakeIpernity, serving
from sites import Login, SiteFactory, calls_from

from flask_ipernity import Ipernity
from ipernity import IpernityAPI
from ipernity.sandbox import App, Sandbox, User


def media_urls_of(sandbox: Sandbox, web_app: App, doc_id: int) -> dict[str, Any]:
    """The doc.getMedias answer the sandbox gives an anonymous client."""
    client = IpernityAPI(web_app.api_key, web_app.api_secret, url=sandbox.api_url)
    return client.doc.getMedias(doc_id=doc_id)


def test_a_thumbnail_is_streamed_through_the_site(
    client: FlaskClient, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    doc = sandbox.add_doc(alice, title="Sunset")
    answer = client.get(f"/media/{doc.doc_id}/240")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "image/jpeg"
    thumbs = media_urls_of(sandbox, web_app, doc.doc_id)["thumbs"]["thumb"]
    url = next(t["url"] for t in thumbs if t["label"] == "240")
    assert answer.data == requests.get(url, timeout=5).content


def test_the_original_is_streamed_through_the_site(
    client: FlaskClient, sandbox: Sandbox, web_app: App, alice: User
) -> None:
    doc = sandbox.add_doc(alice, title="Sunset")
    answer = client.get(f"/media/{doc.doc_id}/original")
    assert answer.status_code == 200
    url = media_urls_of(sandbox, web_app, doc.doc_id)["original"]["url"]
    assert answer.data == requests.get(url, timeout=5).content


def test_media_may_be_kept_by_the_visitors_browser_only(
    client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    doc = sandbox.add_doc(alice)
    answer = client.get(f"/media/{doc.doc_id}/75x")
    assert answer.headers["Cache-Control"] == "private, max-age=3600"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_cache_lifetime_is_configurable(
    make_site: SiteFactory, sandbox: Sandbox, alice: User
) -> None:
    doc = sandbox.add_doc(alice)
    client = make_site(IPERNITY_MEDIA_MAX_AGE=60).test_client()
    assert client.get(f"/media/{doc.doc_id}/75x").headers["Cache-Control"] == (
        "private, max-age=60"
    )


def test_an_unknown_document_is_a_404(client: FlaskClient) -> None:
    answer = client.get("/media/987654321/240")
    assert answer.status_code == 404
    assert "Traceback" not in answer.text


def test_an_unknown_size_is_a_404(client: FlaskClient, sandbox: Sandbox, alice: User) -> None:
    doc = sandbox.add_doc(alice)
    assert client.get(f"/media/{doc.doc_id}/9999").status_code == 404


def test_a_private_document_is_hidden_from_other_visitors(
    client: FlaskClient, sandbox: Sandbox, alice: User
) -> None:
    doc = sandbox.add_doc(alice, is_public=False)
    assert client.get(f"/media/{doc.doc_id}/240").status_code == 404


def test_a_private_document_is_served_to_its_owner(
    client: FlaskClient, login: Login, sandbox: Sandbox, alice: User
) -> None:
    doc = sandbox.add_doc(alice, is_public=False)
    login(client, alice)
    assert client.get(f"/media/{doc.doc_id}/240").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/1;rm/240",
        "/media/1/..%2F..%2Fetc",
        "/media/http:%2F%2Fevil.example/240",
        "/media/1/240.jpg",
        "/media/%20/240",
    ],
)
def test_malformed_ids_and_sizes_are_404s_without_an_api_call(
    client: FlaskClient, sandbox: Sandbox, web_app: App, path: str
) -> None:
    calls = calls_from(sandbox, web_app)
    assert client.get(path).status_code == 404
    assert calls_from(sandbox, web_app) == calls


# -- against a stand-in Ipernity whose answers a test chooses ----------------------


@pytest.fixture
def fake_ipernity() -> Iterator[FakeIpernity]:
    with serving(FakeIpernity()) as fake:
        yield fake


@pytest.fixture
def fake_site(fake_ipernity: FakeIpernity) -> FlaskClient:
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY="key",
        IPERNITY_API_SECRET="secret",
        IPERNITY_API_URL=fake_ipernity.url + "/api/",
        IPERNITY_MEDIA_LOCAL_HOSTS=[fake_ipernity.url],
        IPERNITY_SANDBOX=False,
        IPERNITY_RETRIES=0,
        IPERNITY_TIMEOUT=(2.0, 0.3),
    )
    Ipernity(site)
    return site.test_client()


def test_only_the_url_the_api_listed_is_fetched(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/a.240.jpg"}
    fake_ipernity.files["/files/a.240.jpg"] = (200, {"Content-Type": "image/jpeg"}, b"jpeg")
    answer = fake_site.get(
        "/media/1/240?url=http://169.254.169.254/", headers={"X-Forwarded-Host": "evil"}
    )
    assert answer.data == b"jpeg"
    assert [path for path, _ in fake_ipernity.fetched] == ["/files/a.240.jpg"]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "http:///nohost"]
)
def test_a_listed_url_that_is_not_http_is_never_fetched(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity, url: str
) -> None:
    fake_ipernity.thumbs = {"240": url}
    assert fake_site.get("/media/1/240").status_code == 404
    assert fake_ipernity.fetched == []


def test_redirects_of_the_media_server_are_not_followed(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/moved"}
    fake_ipernity.files["/files/moved"] = (302, {"Location": "/files/secret"}, b"")
    fake_ipernity.files["/files/secret"] = (200, {}, b"secret")
    assert fake_site.get("/media/1/240").status_code == 502
    assert [path for path, _ in fake_ipernity.fetched] == ["/files/moved"]


def test_etag_and_last_modified_are_passed_through(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    headers = {
        "Content-Type": "image/jpeg",
        "ETag": '"v1"',
        "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT",
    }
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/a"}
    fake_ipernity.files["/files/a"] = (200, headers, b"jpeg")
    answer = fake_site.get("/media/1/240")
    assert answer.headers["ETag"] == '"v1"'
    assert answer.headers["Last-Modified"] == "Wed, 21 Oct 2015 07:28:00 GMT"


def test_a_conditional_request_is_passed_on_and_a_304_returned(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/a"}
    fake_ipernity.files["/files/a"] = (304, {"ETag": '"v1"'}, b"")
    answer = fake_site.get("/media/1/240", headers={"If-None-Match": '"v1"'})
    assert answer.status_code == 304
    assert answer.headers["ETag"] == '"v1"'
    assert fake_ipernity.fetched[0][1]["If-None-Match"] == '"v1"'


def test_a_file_that_could_run_as_a_page_is_a_download(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"original": fake_ipernity.url + "/files/page"}
    fake_ipernity.files["/files/page"] = (200, {"Content-Type": "text/html"}, b"<script>")
    answer = fake_site.get("/media/1/original")
    assert answer.headers["Content-Type"] == "application/octet-stream"
    assert answer.headers["Content-Disposition"] == "attachment"
    assert "sandbox" in answer.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "content_type",
    [
        "image/jpeg, text/html",
        "image/jpeg,text/html",
        "text/html; image/jpeg",
        "image/jpeg;text/html",
        "image/jpeg text/html",
        "image/svg+xml",
        "image/jpeg/html",
        "image/",
        "",
    ],
)
def test_a_content_type_that_is_not_exactly_one_picture_type_is_a_download(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity, content_type: str
) -> None:
    fake_ipernity.thumbs = {"original": fake_ipernity.url + "/files/page"}
    fake_ipernity.files["/files/page"] = (200, {"Content-Type": content_type}, b"<script>")
    answer = fake_site.get("/media/1/original")
    assert answer.headers["Content-Type"] == "application/octet-stream"
    assert answer.headers["Content-Disposition"] == "attachment"


@pytest.mark.parametrize(
    ("sent", "canonical"),
    [
        ("image/jpeg", "image/jpeg"),
        ("IMAGE/JPEG", "image/jpeg"),
        (' image/png ; name="a b.png"', "image/png"),
        ("image/webp;q=1", "image/webp"),
        ("video/mp4", "video/mp4"),
    ],
)
def test_a_picture_is_shown_inline_with_its_canonical_type(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity, sent: str, canonical: str
) -> None:
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/a"}
    fake_ipernity.files["/files/a"] = (200, {"Content-Type": sent}, b"bytes")
    answer = fake_site.get("/media/1/240")
    assert answer.headers["Content-Type"] == canonical
    assert "Content-Disposition" not in answer.headers


def test_a_media_server_missing_the_file_is_a_404(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/gone"}
    assert fake_site.get("/media/1/240").status_code == 404


def test_a_failing_media_server_is_a_502(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/broken"}
    fake_ipernity.files["/files/broken"] = (500, {}, b"oops")
    assert fake_site.get("/media/1/240").status_code == 502


def test_an_unreachable_media_server_is_a_502(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": "http://127.0.0.1:9/files/a"}
    assert fake_site.get("/media/1/240").status_code == 502


def test_a_slow_media_server_is_a_504_after_the_read_timeout(
    fake_site: FlaskClient, fake_ipernity: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": fake_ipernity.url + "/files/slow"}
    fake_ipernity.files["/files/slow"] = (200, {}, b"late")
    fake_ipernity.delay = 0.8
    started = time.monotonic()
    assert fake_site.get("/media/1/240").status_code == 504
    assert time.monotonic() - started < 0.7
