"""A media server that trickles an original cannot hold a backup worker past the file's deadline.

Each byte comes well within the read timeout, inside one chunk's read: only the
deadline watchdog can end the download.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipernity.backup.disk import BackupDirectory
from ipernity.backup.media import DocumentFailed, Downloader
from ipernity.transport import new_session


@pytest.fixture
def trickling_url() -> Iterator[str]:
    """A server announcing a 1 MB file, then sending a byte every 0.2 s (25 s at most)."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            try:
                while b"\r\n\r\n" not in conn.recv(65536):
                    pass
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
                ends = time.monotonic() + 25
                while not stop.wait(0.2) and time.monotonic() < ends:
                    conn.sendall(b"x")
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/1.abcdef12.jpg"
    stop.set()
    thread.join()
    listener.close()


def test_a_trickled_original_fails_at_the_file_deadline(
    trickling_url: str, tmp_path: Path
) -> None:
    directory = BackupDirectory(tmp_path).open()
    directory.prepare()
    session = new_session()
    downloader = Downloader(
        session, directory, (2.0, 5.0), 1.5, 10**9, threading.Event(), on_bytes=lambda _: None
    )
    started = time.monotonic()
    with pytest.raises(DocumentFailed, match=r"not complete within 1\.5 s"):
        downloader.fetch(trickling_url, None)
    assert time.monotonic() - started < 1.5 + 2
    session.close()
    directory.close()
