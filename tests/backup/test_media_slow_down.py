"""A media server asking a backup to slow down (HTTP 429): the pause it asks for
is kept, and a file refused at every try fails its document only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import backup, media
from ipernity.backup.run import RATE_LIMIT_TRIES
from ipernity.sandbox import Sandbox

from .conftest import Library
from .one_document import DOC_ID, ORIGINAL, ORIGINAL_MD5, FileAnswer, OneDocumentService

#: Seconds the media server asks to wait, more than the run's own first pause (0.5 s).
RETRY_AFTER = 1


@pytest.fixture
def slowing_service() -> Iterator[OneDocumentService]:
    """One document whose file first comes as HTTP 429 with Retry-After, then whole."""
    described = {"title": "Slow", "md5": ORIGINAL_MD5, "original": {"bytes": str(len(ORIGINAL))}}
    too_many = FileAnswer("429 Too Many Requests", b"", f"Retry-After: {RETRY_AFTER}\r\n")
    service = OneDocumentService(described, described, [too_many, FileAnswer()])
    yield service
    service.close()


def test_the_pause_a_media_server_asks_for_is_kept_before_the_file_is_asked_again(
    slowing_service: OneDocumentService, tmp_path: Path
) -> None:
    with slowing_service.client() as api:
        summary = backup(api, tmp_path)

    assert summary.saved == [DOC_ID]
    first, second = slowing_service.file_requests
    assert second - first >= RETRY_AFTER


def test_a_file_refused_at_every_try_fails_its_document_only(
    sandbox: Sandbox,
    api: IpernityAPI,
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No pause between the tries: their number is what is tested, not their spacing.
    monkeypatch.setattr(media, "MAX_PAUSE", 0.0)
    sandbox.fail_next("media", http_status=429, times=RATE_LIMIT_TRIES)

    summary = backup(api, tmp_path, workers=1)

    assert [failure.reason for failure in summary.failed] == [
        f"still rate limited after {RATE_LIMIT_TRIES} tries"
    ]
    assert len(summary.saved) == len(library.docs) - 1
