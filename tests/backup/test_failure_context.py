"""A document's failure keeps no exception of requests, which quotes the file's URL."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipernity.backup.disk import BackupDirectory
from ipernity.backup.media import DocumentFailed, Downloader
from ipernity.transport import new_session
from tests.scripted_server import ScriptedServer

SECRET_URL_PART = "d0c5ecre7"


def never_answer(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(10)


@pytest.fixture
def silent_url() -> Iterator[str]:
    server = ScriptedServer(never_answer)
    yield f"{server.base_url}/1.{SECRET_URL_PART}.jpg"
    server.close()


@pytest.mark.parametrize("deadline", [30.0, 0.2], ids=["read timeout", "past the deadline"])
def test_a_failed_download_carries_no_exception_naming_its_url(
    silent_url: str, tmp_path: Path, deadline: float
) -> None:
    session = new_session()
    with BackupDirectory(tmp_path).open() as directory:
        directory.prepare()
        downloader = Downloader(
            session, directory, (2.0, 0.3), deadline, 10**6, threading.Event(), lambda n: None
        )
        with pytest.raises(DocumentFailed) as caught:
            downloader.fetch(silent_url, None)
    session.close()

    error = caught.value
    assert error.__cause__ is None
    assert error.__context__ is None
    assert SECRET_URL_PART not in str(error)
