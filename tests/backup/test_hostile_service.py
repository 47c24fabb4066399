"""A backup against a service that lies: endless page counts, items without ids.

The server is a scripted one on a real socket; the backups are dry runs, which
only list (the listings are what such a service attacks).
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ipernity import InvalidResponse, IpernityAPI
from ipernity.backup import backup
from tests.scripted_server import ScriptedServer, read_request_head

ENDLESS = "999999999999999999"

#: The answer to a method, given its page number.
Script = Callable[[int], dict[str, Any]]


class LyingService(ScriptedServer):
    """Answers each method as ``scripts`` say, and counts the calls of each."""

    def __init__(self, scripts: dict[str, Script]) -> None:
        super().__init__(lambda conn, stop: None)
        self.scripts = scripts
        self.calls: dict[str, int] = {}

    def answer(self, conn: socket.socket) -> None:
        line = read_request_head(conn).decode("latin-1").split("\r\n", 1)[0]
        method = re.search(r"/api/([\w.]+)", line)
        page = re.search(r"[?&]page=(\d+)", line)
        name = method[1] if method else ""
        self.calls[name] = self.calls.get(name, 0) + 1
        answer = self.scripts[name](int(page[1]) if page else 1)
        body = json.dumps({"api": {"status": "ok"}, **answer}).encode()
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )


def no_albums(page: int) -> dict[str, Any]:
    return {"albums": {"page": str(page), "pages": ENDLESS, "total": ENDLESS, "album": []}}


def same_two_documents(page: int) -> dict[str, Any]:
    docs = [
        {"doc_id": str(doc_id), "title": f"Doc {doc_id}", "md5": "0" * 32} for doc_id in (101, 102)
    ]
    return {"docs": {"page": str(page), "pages": ENDLESS, "total": ENDLESS, "doc": docs}}


@pytest.fixture
def serve() -> Iterator[Callable[[dict[str, Script]], LyingService]]:
    services: list[LyingService] = []

    def start(scripts: dict[str, Script]) -> LyingService:
        services.append(LyingService(scripts))
        return services[-1]

    yield start
    for service in services:
        service.close()


def member_client(service: LyingService) -> IpernityAPI:
    """A client whose token says who it is: the backup asks the service nothing else."""
    token = {
        "token": "member-token",
        "permissions": {"doc": "read"},
        "user": {"user_id": "7", "username": "victim"},
    }
    return IpernityAPI("key", "secret", token, url=service.api_url)


def test_a_service_announcing_endless_pages_of_the_same_documents_ends_the_backup(
    serve, tmp_path: Path
) -> None:
    service = serve({"album.getList": no_albums, "doc.getList": same_two_documents})

    summary = backup(member_client(service), tmp_path / "backup", dry_run=True)

    assert [planned.doc_id for planned in summary.planned] == ["101", "102"]
    # Page 1, its repeat, and the pages fetched ahead meanwhile.
    assert service.calls["doc.getList"] <= 2 + 4
    assert service.calls["album.getList"] <= 1 + 4


def test_a_document_listed_again_as_the_list_moves_is_planned_once_and_the_next_one_too(
    serve, tmp_path: Path
) -> None:
    def moving(page: int) -> dict[str, Any]:
        ids = {1: ("101", "102"), 2: ("102", "103")}[page]
        docs = [{"doc_id": doc_id, "title": f"Doc {doc_id}", "md5": "0" * 32} for doc_id in ids]
        return {"docs": {"page": str(page), "pages": "2", "total": "4", "doc": docs}}

    service = serve({"album.getList": no_albums, "doc.getList": moving})

    summary = backup(member_client(service), tmp_path / "backup", dry_run=True)

    assert [planned.doc_id for planned in summary.planned] == ["101", "102", "103"]


@pytest.mark.parametrize(
    "item",
    [{"title": "?"}, "just text", {"doc_id": {"id": "1"}}, {"doc_id": ["1"]}],
    ids=["no id", "no record", "a record for an id", "a list for an id"],
)
def test_a_listed_document_without_an_id_is_one_clear_error(
    serve, tmp_path: Path, item: Any
) -> None:
    def nameless(page: int) -> dict[str, Any]:
        return {"docs": {"page": "1", "pages": "1", "total": "1", "doc": [item]}}

    service = serve({"album.getList": no_albums, "doc.getList": nameless})

    with pytest.raises(InvalidResponse, match="the answer lists an item without doc_id") as raised:
        backup(member_client(service), tmp_path / "backup", dry_run=True)

    assert (raised.value.status, raised.value.code, raised.value.method) == (
        "invalid",
        200,
        "doc.getList",
    )


def test_a_listed_album_without_an_id_is_one_clear_error(serve, tmp_path: Path) -> None:
    def nameless(page: int) -> dict[str, Any]:
        return {"albums": {"page": "1", "pages": "1", "total": "1", "album": [{"title": "?"}]}}

    service = serve({"album.getList": nameless})

    with pytest.raises(
        InvalidResponse, match="the answer lists an item without album_id"
    ) as raised:
        backup(member_client(service), tmp_path / "backup", dry_run=True)

    assert raised.value.method == "album.getList"


def test_an_album_listing_a_document_without_an_id_is_an_error_naming_that_listing(
    serve, tmp_path: Path
) -> None:
    def one_album(page: int) -> dict[str, Any]:
        album = {"album_id": "5", "title": "Holidays"}
        return {"albums": {"page": "1", "pages": "1", "total": "1", "album": [album]}}

    def nameless_in_album(page: int) -> dict[str, Any]:
        docs = {"page": "1", "pages": "1", "total": "1", "doc": [{"title": "?"}]}
        return {"album": {"album_id": "5", "docs": docs}}

    service = serve(
        {
            "album.getList": one_album,
            "album.get": lambda page: {"album": {"album_id": "5"}},
            "album.docs.getList": nameless_in_album,
            "doc.getList": lambda page: {"docs": {"page": "1", "pages": "1", "doc": []}},
        }
    )

    with pytest.raises(InvalidResponse, match="without doc_id") as raised:
        backup(member_client(service), tmp_path / "backup", dry_run=True)

    assert raised.value.method == "album.docs.getList"


class AlbumPagesInFlight:
    """Three pages of an album's documents, noting how many were asked at once.

    Page 2 waits a moment for another page to be asked meanwhile: a walk
    asking pages ahead shows then, even on a machine busy enough to take a
    second to send the next request.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now = 0
        self.most = 0
        self._crowded = threading.Event()

    def __call__(self, page: int) -> dict[str, Any]:
        with self._lock:
            self._now += 1
            self.most = max(self.most, self._now)
            if self._now > 1:
                self._crowded.set()
        if page == 2:
            self._crowded.wait(1.5)
        with self._lock:
            self._now -= 1
        docs = {"page": str(page), "pages": "3", "total": "3", "doc": [{"doc_id": str(page)}]}
        return {"album": {"album_id": "5", "docs": docs}}


def test_an_albums_pages_are_asked_one_after_another(serve, tmp_path: Path) -> None:
    def one_album(page: int) -> dict[str, Any]:
        album = {"album_id": "5", "title": "Holidays"}
        return {"albums": {"page": "1", "pages": "1", "total": "1", "album": [album]}}

    pages = AlbumPagesInFlight()
    service = serve(
        {
            "album.getList": one_album,
            "album.get": lambda page: {"album": {"album_id": "5"}},
            "album.docs.getList": pages,
            "doc.getList": lambda page: {"docs": {"page": "1", "pages": "1", "doc": []}},
        }
    )

    summary = backup(member_client(service), tmp_path / "backup", dry_run=True, albums=["5"])

    assert summary.albums == 1
    assert pages.most == 1
