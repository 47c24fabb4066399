"""A walk does not trust the page count an answer announces.

Each server here announces 999,999,999,999,999,999 pages: the walk must end on
the first page that is empty or brings nothing new, and fail at its caps of
pages and items when a server invents new items forever, quickly and in
bounded memory.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator

import pytest

from ipernity import IpernityAPI, WalkLimitReached
from tests.scripted_server import ScriptedServer, read_request_head

ENDLESS = "999999999999999999"

#: The documents of one page, given the page number asked for.
Pages = Callable[[int], list[dict[str, str]]]


class PagedServer(ScriptedServer):
    """Answers each ``doc.search`` page with what ``pages`` gives for its number,
    always announcing :data:`ENDLESS` pages."""

    def __init__(self, pages: Pages) -> None:
        super().__init__(lambda conn, stop: None)
        self.pages = pages
        self.asked: list[int] = []

    def answer(self, conn: socket.socket) -> None:
        head = read_request_head(conn).decode("latin-1")
        match = re.search(r"[?&]page=(\d+)", head.split("\r\n", 1)[0])
        page = int(match[1]) if match else 1
        self.asked.append(page)
        listing = {"page": str(page), "pages": ENDLESS, "total": ENDLESS, "per_page": "100"}
        body = json.dumps({"api": {"status": "ok"}, "docs": {**listing, "doc": self.pages(page)}})
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body.encode()
        )


@pytest.fixture
def serve() -> Iterator[Callable[[Pages], PagedServer]]:
    servers: list[PagedServer] = []

    def start(pages: Pages) -> PagedServer:
        servers.append(PagedServer(pages))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def client(server: PagedServer) -> IpernityAPI:
    return IpernityAPI("key", "secret", url=server.api_url)


def docs(*ids: int) -> list[dict[str, str]]:
    return [{"doc_id": str(doc_id), "title": f"Doc {doc_id}"} for doc_id in ids]


def fresh_ids(per_page: int) -> Pages:
    """New documents on every page asked for, as many as ``per_page``."""
    counter = itertools.count(1)
    lock = threading.Lock()

    def page(_: int) -> list[dict[str, str]]:
        with lock:
            return docs(*(next(counter) for _ in range(per_page)))

    return page


@pytest.mark.parametrize("workers", [1, 4])
def test_a_server_repeating_its_page_ends_the_walk_at_the_repeat(serve, workers: int) -> None:
    server = serve(lambda page: docs(1, 2, 3))

    walked = [doc["doc_id"] for doc in client(server).walk_doc_search(workers=workers)]

    assert walked == ["1", "2", "3"]
    assert len(server.asked) <= 2 + workers  # page 1, its repeat, and what was fetched ahead


def test_a_page_bringing_only_items_already_seen_ends_the_walk(serve) -> None:
    server = serve(lambda page: docs(page, page + 1) if page <= 2 else docs(1, 3))

    walked = [doc["doc_id"] for doc in client(server).walk_doc_search(workers=1)]

    assert walked == ["1", "2", "2", "3"]
    assert server.asked == [1, 2, 3]


@pytest.mark.parametrize("workers", [1, 4])
def test_an_empty_page_ends_the_walk(serve, workers: int) -> None:
    server = serve(lambda page: docs(1, 2) if page == 1 else [])

    walked = [doc["doc_id"] for doc in client(server).walk_doc_search(workers=workers)]

    assert walked == ["1", "2"]
    assert len(server.asked) <= 2 + workers


def test_a_server_inventing_items_forever_stops_at_max_pages(serve) -> None:
    server = serve(fresh_ids(3))
    walked: list[dict[str, str]] = []

    with pytest.raises(WalkLimitReached, match="max_pages=20") as caught:
        walked.extend(client(server).walk_doc_search(workers=4, max_pages=20))

    assert len(walked) == 20 * 3
    assert len(server.asked) == 20  # nothing fetched ahead past the cap
    assert caught.value.method == "doc.search"


def test_a_server_inventing_items_forever_stops_past_max_items(serve) -> None:
    server = serve(fresh_ids(10))
    walked: list[dict[str, str]] = []

    with pytest.raises(WalkLimitReached, match="max_items=95"):
        walked.extend(client(server).walk_doc_search(workers=1, max_items=95))

    assert len(walked) == 90
    assert server.asked == list(range(1, 11))


def count_until_the_cap(items: Iterator[object]) -> int:
    count = 0
    with contextlib.suppress(WalkLimitReached):
        for _ in items:
            count += 1
    return count


def test_a_walk_against_an_endless_server_ends_quickly_in_bounded_memory(serve) -> None:
    server = serve(fresh_ids(50))
    api = client(server)
    tracemalloc.start()
    started = time.monotonic()
    try:
        count = count_until_the_cap(api.walk_doc_search(workers=2, max_pages=100))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 100 * 50
    assert time.monotonic() - started < 10
    # 5,000 items went through: what stays is a small hash of each, and a page or two.
    assert peak < 4 * 2**20


def test_a_normal_walk_still_reads_every_announced_page(serve) -> None:
    server = serve(lambda page: docs(2 * page - 1, 2 * page) if page <= 3 else [])

    walked = [doc["doc_id"] for doc in client(server).walk_doc_search(workers=2)]

    assert walked == ["1", "2", "3", "4", "5", "6"]


def test_caps_must_be_positive(serve) -> None:
    server = serve(lambda page: docs(1))

    with pytest.raises(ValueError, match="max_pages and max_items"):
        list(client(server).walk_doc_search(max_pages=0))
