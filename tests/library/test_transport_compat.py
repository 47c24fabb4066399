"""The transport under PyIpernity 0.3's ``do_request``: what it sends, what its answers become.

A tiny local server on a real socket records each request and answers as the
test scripts it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import requests

from ipernity import APIRequestError, InvalidResponse, IpernityAPI
from ipernity.auth import DesktopAuthHandler

from .test_transport_errors import answer
from .test_transport_requests import RecordingServer, record

__all__ = ["record"]  # the fixture, imported for the tests below

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def client(server: RecordingServer, **options: Any) -> IpernityAPI:
    return IpernityAPI("key", "secret", url=server.api_url, retries=0, **options)


def a_0_3_handler() -> type[DesktopAuthHandler]:
    """A handler of a program written for 0.3: it overrides ``do_request``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        class ZeroThreeHandler(DesktopAuthHandler):
            def do_request(
                self, url: str, method_name: str, method_args: Mapping[str, Any]
            ) -> requests.Response:
                return super().do_request(url, method_name, method_args)

    return ZeroThreeHandler


def test_do_request_posts_a_post_method(record: Callable[..., RecordingServer]) -> None:
    server = record()
    api = client(server)
    api.auth.do_request(server.api_url + "doc.set/json", "doc.set", {"doc_id": 7, "title": "T"})
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /api/doc.set/json ")
    assert b"title=T" in body


def test_do_request_sends_an_uploads_file(
    record: Callable[..., RecordingServer], tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 the picture")
    server = record()
    api = client(server)
    api.auth.do_request(server.api_url + "upload.file/json", "upload.file", {"file": str(photo)})
    assert server.requests[0].startswith(b"POST /api/upload.file/json ")
    assert b"\xff\xd8 the picture" in server.requests[0]


def test_a_0_3_handlers_error_answer_names_the_method_and_keeps_the_parameters(
    record: Callable[..., RecordingServer],
) -> None:
    body = b'{"api": {"status": "error", "code": "1", "message": "Document not found"}}'
    api = client(record(answer(body)), auth=a_0_3_handler())
    with pytest.raises(APIRequestError) as caught:
        api.doc.get(doc_id=1)
    assert str(caught.value) == "Error 1 from doc.get: Document not found"
    assert caught.value.params == {"doc_id": 1}


def test_a_0_3_handlers_http_error_is_an_invalid_response_naming_the_status(
    record: Callable[..., RecordingServer],
) -> None:
    api = client(record(answer(b"busy", "503 Service Unavailable")), auth=a_0_3_handler())
    with pytest.raises(InvalidResponse) as caught:
        api.doc.get(doc_id=1)
    assert (caught.value.status, caught.value.code) == ("httperror", 503)
    assert str(caught.value) == (
        "Error 503 from doc.get: HTTP 503 Service Unavailable instead of an answer from the "
        "Ipernity API"
    )
    assert caught.value.params == {"doc_id": 1}


def test_a_0_3_handlers_answer_is_the_parsed_json(record: Callable[..., RecordingServer]) -> None:
    api = client(record(), auth=a_0_3_handler())
    assert api.test.hello() == {"api": {"status": "ok"}, "hello": {"name": "hi"}}


def test_a_huge_answer_to_do_request_keeps_the_calls_parameters(
    record: Callable[..., RecordingServer],
) -> None:
    # Called by the program itself (0.3's own use of it), outside any call of the client.
    server = record(answer(b" " * 2000))
    api = client(server, max_answer_size=1024)
    with pytest.raises(InvalidResponse, match="larger than") as caught:
        api.auth.do_request(server.api_url + "test.echo/json", "test.echo", {"echo": "x"})
    assert caught.value.params["echo"] == "x"


def test_do_request_returns_an_uploads_error_page(
    record: Callable[..., RecordingServer], tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8")
    server = record(answer(b"busy", "503 Service Unavailable"))
    response = client(server).auth.do_request(
        server.api_url + "upload.file/json", "upload.file", {"file": str(photo)}
    )
    assert (response.status_code, response.text) == (503, "busy")


def test_a_huge_answer_to_an_uploads_do_request_keeps_the_calls_parameters(
    record: Callable[..., RecordingServer], tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8")
    server = record(answer(b" " * 2000))
    api = client(server, max_answer_size=1024)
    with pytest.raises(InvalidResponse, match="larger than") as caught:
        api.auth.do_request(
            server.api_url + "upload.file/json", "upload.file", {"file": str(photo), "title": "t"}
        )
    assert caught.value.params["title"] == "t"
