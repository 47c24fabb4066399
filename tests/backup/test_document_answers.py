"""What a backup makes of document answers the sandbox never gives: the md5 in
``doc.get`` and the listing disagreeing, or missing, no original file or size;
and when it asks again after a ``doc.get`` refused as too fast or answered too late."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ipernity.backup import BackupEvent, BackupSummary, DocumentDone, backup

from .conftest import manifest
from .one_document import DOC_ID, ORIGINAL, ORIGINAL_MD5, FileAnswer, OneDocumentService

SIZE = {"bytes": str(len(ORIGINAL))}

#: Back up the one document listed and described so, its file served so.
Run = Callable[[dict[str, Any], dict[str, Any], FileAnswer], BackupSummary]


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    services: list[OneDocumentService] = []

    def start(listed: dict[str, Any], detail: dict[str, Any], file: FileAnswer) -> BackupSummary:
        services.append(OneDocumentService(listed, detail, [file]))
        with services[-1].client() as api:
            return backup(api, tmp_path)

    yield start
    for service in services:
        service.close()


def test_the_md5_doc_get_gives_checks_the_file_over_a_stale_one_in_the_listing(
    run: Run, tmp_path: Path
) -> None:
    # The file was replaced between the listing and doc.get.
    summary = run({"md5": "0" * 32}, {"md5": ORIGINAL_MD5, "original": SIZE}, FileAnswer())

    assert summary.saved == [DOC_ID]
    assert manifest(tmp_path)["documents"][DOC_ID]["md5"] == ORIGINAL_MD5


def test_the_listings_md5_checks_the_file_when_doc_get_gives_none(run: Run) -> None:
    summary = run({"md5": ORIGINAL_MD5}, {"original": SIZE}, FileAnswer(body=b"x" * len(ORIGINAL)))

    [failure] = summary.failed
    assert f"not {ORIGINAL_MD5} as the API says" in failure.reason


def test_a_file_no_answer_gives_an_md5_for_is_saved_as_it_comes(run: Run, tmp_path: Path) -> None:
    summary = run({}, {"original": SIZE}, FileAnswer())

    assert summary.saved == [DOC_ID]
    assert manifest(tmp_path)["documents"][DOC_ID]["md5"] == ""


def test_a_file_no_answer_gives_a_size_for_is_saved_as_it_comes(run: Run, tmp_path: Path) -> None:
    summary = run({}, {"md5": ORIGINAL_MD5, "original": {}}, FileAnswer())

    assert summary.saved == [DOC_ID]
    assert (tmp_path / manifest(tmp_path)["documents"][DOC_ID]["file"]).read_bytes() == ORIGINAL


def run_twice(
    service: OneDocumentService, directory: Path, between: Callable[[], None] = lambda: None
) -> BackupSummary:
    """Back the service's member up twice into ``directory``, calling ``between``
    in between; the second run's summary. The service is closed after."""
    try:
        with service.client() as api:
            backup(api, directory)
            between()
            return backup(api, directory)
    finally:
        service.close()


def test_a_file_no_answer_gives_a_size_for_is_not_fetched_again_by_the_next_run(
    tmp_path: Path,
) -> None:
    service = OneDocumentService(
        {"md5": ORIGINAL_MD5}, {"md5": ORIGINAL_MD5, "original": {}}, [FileAnswer()]
    )

    again = run_twice(service, tmp_path)

    # The manifest records the size saved, so the next run finds the copy whole.
    assert manifest(tmp_path)["documents"][DOC_ID]["bytes"] == len(ORIGINAL)
    assert (again.planned, again.unchanged) == ([], 1)
    assert len(service.file_requests) == 1


def test_without_an_md5_a_file_replaced_by_one_of_the_same_size_is_fetched_again(
    tmp_path: Path,
) -> None:
    replacement = b"X" * len(ORIGINAL)
    service = OneDocumentService(
        {"dates": {"replaced_at": "100"}},
        {"original": SIZE, "dates": {"replaced_at": "100"}},
        [FileAnswer(), FileAnswer(body=replacement)],
    )

    def replace() -> None:
        service.listed["dates"] = service.detail["dates"] = {"replaced_at": "200"}

    again = run_twice(service, tmp_path, replace)

    assert [planned.reason for planned in again.planned] == ["replaced"]
    assert len(service.file_requests) == 2
    saved = tmp_path / manifest(tmp_path)["documents"][DOC_ID]["file"]
    assert saved.read_bytes() == replacement


def test_a_renamed_file_whose_new_content_fails_keeps_the_old_copy_where_the_manifest_says(
    tmp_path: Path,
) -> None:
    described = {"md5": ORIGINAL_MD5, "original": SIZE, "title": "One"}
    wrong = FileAnswer(body=b"?" * len(ORIGINAL))
    service = OneDocumentService(described, described, [FileAnswer(), wrong])
    before: dict[str, Any] = {}

    def replace_and_rename() -> None:
        before.update(manifest(tmp_path)["documents"][DOC_ID])
        # Replaced (another md5) and renamed; every download of the new file is wrong.
        changed = {"md5": "f" * 32, "title": "Two"}
        service.listed.update(changed)
        service.detail.update(changed)

    again = run_twice(service, tmp_path, replace_and_rename)

    assert [failure.doc_id for failure in again.failed] == [DOC_ID]
    assert manifest(tmp_path)["documents"][DOC_ID] == before
    assert (tmp_path / before["file"]).read_bytes() == ORIGINAL


def test_a_renamed_document_no_answer_gives_a_size_for_keeps_its_file_without_a_download(
    tmp_path: Path,
) -> None:
    described = {"md5": ORIGINAL_MD5, "title": "One", "dates": {"modified_at": "100"}}
    service = OneDocumentService(described, {**described, "original": {}}, [FileAnswer()])
    first: list[Path] = []

    def rename() -> None:
        first.append(tmp_path / manifest(tmp_path)["documents"][DOC_ID]["file"])
        renamed = {"title": "Two", "dates": {"modified_at": "200"}}
        service.listed.update(renamed)
        service.detail.update(renamed)

    again = run_twice(service, tmp_path, rename)

    # The copy the manifest vouches for (its md5, the size it recorded) is moved, not fetched.
    assert [planned.reason for planned in again.planned] == ["changed"]
    assert len(service.file_requests) == 1
    [old] = first
    new = tmp_path / manifest(tmp_path)["documents"][DOC_ID]["file"]
    assert new != old
    assert not old.exists()
    assert new.read_bytes() == ORIGINAL


def test_a_file_a_stopped_run_placed_is_kept_by_its_md5_when_no_answer_gives_its_size(
    tmp_path: Path,
) -> None:
    service = OneDocumentService(
        {"md5": ORIGINAL_MD5}, {"md5": ORIGINAL_MD5, "original": {}}, [FileAnswer()]
    )

    def forget_the_document() -> None:
        # As if the run had stopped after placing the file, before its manifest said so.
        data = manifest(tmp_path)
        data["documents"] = {}
        (tmp_path / "manifest.json").write_text(json.dumps(data), "utf-8")

    again = run_twice(service, tmp_path, forget_the_document)

    assert again.saved == [DOC_ID]
    assert len(service.file_requests) == 1


def test_a_document_without_a_title_is_reported_saved_with_an_empty_title(
    tmp_path: Path,
) -> None:
    service = OneDocumentService({}, {"md5": ORIGINAL_MD5, "original": SIZE}, [FileAnswer()])
    events: list[BackupEvent] = []
    try:
        with service.client() as api:
            backup(api, tmp_path, progress=events.append)
    finally:
        service.close()

    assert [event for event in events if isinstance(event, DocumentDone)] == [
        DocumentDone(DOC_ID, "")
    ]


def test_a_document_without_an_original_file_fails_saying_so(run: Run) -> None:
    summary = run({"md5": ORIGINAL_MD5}, {"md5": ORIGINAL_MD5}, FileAnswer())

    assert [failure.reason for failure in summary.failed] == [
        "the API gives no original file for it"
    ]


class RefusedOnce(OneDocumentService):
    """Refuses the first ``doc.get`` as too fast (error 113), noting when each came."""

    def __init__(self) -> None:
        described = {"md5": ORIGINAL_MD5, "original": SIZE}
        super().__init__(described, described, [FileAnswer()])
        self.doc_gets: list[float] = []

    def api_answer(self, method: str) -> dict[str, Any]:
        if method == "doc.get":
            self.doc_gets.append(time.monotonic())
            if len(self.doc_gets) == 1:
                return {"api": {"status": "error", "code": "113", "message": "Too fast"}}
        return super().api_answer(method)


def test_after_a_too_fast_error_the_run_waits_half_a_second_before_asking_again(
    tmp_path: Path,
) -> None:
    service = RefusedOnce()
    try:
        # No retries of its own: the run sees the refusal.
        with service.client(retries=0) as api:
            summary = backup(api, tmp_path)
    finally:
        service.close()

    assert summary.saved == [DOC_ID]
    first, second = service.doc_gets
    # The run's first pause (0.5 s), not the next ones (1 s, 2 s…).
    assert 0.5 <= second - first < 2.0


class LateOnce(OneDocumentService):
    """Answers the first ``doc.get`` after :data:`LATE` seconds, noting when each came."""

    def __init__(self) -> None:
        described = {"md5": ORIGINAL_MD5, "original": SIZE}
        super().__init__(described, described, [FileAnswer()])
        self.doc_gets: list[float] = []

    def api_answer(self, method: str) -> dict[str, Any]:
        if method == "doc.get":
            self.doc_gets.append(time.monotonic())
            if len(self.doc_gets) == 1:
                self.stop.wait(LATE)
        return super().api_answer(method)


#: Seconds the late answer takes, and the client waits for an answer.
LATE = 1.5
READ_TIMEOUT = 0.5


def test_after_an_answer_too_late_the_run_asks_again_at_once(tmp_path: Path) -> None:
    service = LateOnce()
    try:
        # No retries of its own: the run sees the late answer.
        with service.client(retries=0, timeout=(5.0, READ_TIMEOUT)) as api:
            summary = backup(api, tmp_path)
    finally:
        service.close()

    assert summary.saved == [DOC_ID]
    first, second = service.doc_gets
    # The wait for the answer was the pause: no other (0.5 s) comes after it.
    assert second - first < READ_TIMEOUT + 0.4
