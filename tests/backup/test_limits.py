"""A file may not be larger than the cap of one file (``max_file_bytes``), whether
its size is announced, left out, or streamed without end."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import backup
from ipernity.backup.disk import BackupDirectory
from ipernity.backup.media import CHUNK_SIZE, DocumentFailed, Downloader
from ipernity.sandbox import Doc, Sandbox
from ipernity.transport import new_session
from tests.scripted_server import ScriptedServer

from .conftest import Library, manifest, saved

CAP = 1_000_000


@pytest.fixture
def video(sandbox: Sandbox, library: Library) -> Doc:
    """A 2.5 MB video of the library's member, larger than :data:`CAP`."""
    return sandbox.add_doc(
        library.member, "Long clip", image=os.urandom(2_500_000), filename="clip.mp4"
    )


def others_size(directory: Path, library: Library) -> int:
    return sum(saved(directory, doc)[0].stat().st_size for doc in library.docs)


def test_an_original_without_a_declared_size_is_given_up_at_the_cap(
    sandbox: Sandbox, api: IpernityAPI, library: Library, video: Doc, tmp_path: Path
) -> None:
    # The listing and doc.get then say 0 bytes: the size is not known before the download.
    sandbox.store.execute("UPDATE docs SET bytes = 0 WHERE doc_id = ?", (video.doc_id,))

    summary = backup(api, tmp_path, max_file_bytes=CAP)

    assert [failure.doc_id for failure in summary.failed] == [str(video.doc_id)]
    assert "larger than the 1.0 MB a file may have" in summary.failed[0].reason
    assert str(video.doc_id) not in manifest(tmp_path)["documents"]
    assert not list((tmp_path / "documents").rglob(f"{video.doc_id} *"))
    assert not list((tmp_path / ".incoming").iterdir())
    assert summary.downloaded - others_size(tmp_path, library) <= CAP


def test_an_original_announced_larger_than_the_cap_is_not_downloaded(
    api: IpernityAPI, library: Library, video: Doc, tmp_path: Path
) -> None:
    summary = backup(api, tmp_path, max_file_bytes=CAP)

    assert [failure.doc_id for failure in summary.failed] == [str(video.doc_id)]
    assert "2.5 MB, larger than the 1.0 MB a file may have" in summary.failed[0].reason
    assert summary.downloaded == others_size(tmp_path, library)


def test_the_cap_can_be_raised(
    api: IpernityAPI, library: Library, video: Doc, tmp_path: Path
) -> None:
    summary = backup(api, tmp_path, max_file_bytes=3_000_000)

    assert summary.ok
    assert saved(tmp_path, video)[0].stat().st_size == 2_500_000


#: What the "endless" answer sends at most: endless as far as the cap can tell,
#: but bounded, so that a downloader without the cap fails the test at once
#: instead of filling the disk until the deadline.
ENDLESS_BYTES = 8 * CAP


def send_forever(conn: socket.socket, stop: threading.Event) -> None:
    """An answer with no length whose body goes on far past the cap."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n")
    block = b"\0" * 65536
    sent = 0
    while not stop.is_set() and sent < ENDLESS_BYTES:
        conn.sendall(block)
        sent += len(block)


@pytest.fixture
def endless_url() -> Iterator[str]:
    server = ScriptedServer(send_forever)
    yield server.base_url + "/1.abcdef12.mp4"
    server.close()


def test_a_file_streamed_without_end_is_given_up_at_the_cap(
    endless_url: str, tmp_path: Path
) -> None:
    received: list[int] = []
    session = new_session()
    with BackupDirectory(tmp_path).open() as directory:
        directory.prepare()
        downloader = Downloader(
            session, directory, (2.0, 5.0), 30.0, CAP, threading.Event(), received.append
        )
        with pytest.raises(DocumentFailed, match=r"larger than the 1\.0 MB a file may have"):
            downloader.fetch(endless_url, None)
    session.close()

    # Written up to the chunk that went past the cap, which was not.
    assert CAP - CHUNK_SIZE < sum(received) <= CAP
    assert not list((tmp_path / ".incoming").iterdir())
