"""Per-document failures do not stop a backup; rate limits slow it down."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipernity import IpernityAPI, RequestTimeout
from ipernity.backup import BackupError, DocumentDone, backup, media
from ipernity.backup.run import RATE_LIMIT_TRIES, READ_RETRIES
from ipernity.sandbox import Sandbox

from .conftest import Library, file_md5, manifest, sandbox_md5, saved


def test_a_missing_media_file_fails_that_document_only(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("media", http_status=404)

    summary = backup(api, tmp_path, workers=1)

    assert len(summary.failed) == 1
    assert "HTTP 404" in summary.failed[0].reason
    assert len(summary.saved) == len(library.docs) - 1
    assert summary.albums == 2
    failed_id = summary.failed[0].doc_id
    assert failed_id not in manifest(tmp_path)["documents"]
    assert not list((tmp_path / "documents").rglob(f"{failed_id} *"))


def test_a_failed_document_is_reported_by_id_and_title_in_the_summary_and_to_progress(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("media", http_status=404)
    events: list[object] = []

    summary = backup(api, tmp_path, workers=1, progress=events.append)

    [failure] = summary.failed
    titles = {str(doc.doc_id): doc.title for doc in library.docs}
    assert failure.title == titles[failure.doc_id]
    done = [event for event in events if isinstance(event, DocumentDone) and event.failure]
    assert done == [DocumentDone(failure.doc_id, failure.title, failure)]


def test_the_next_run_fetches_what_failed(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("media", http_status=404)
    failed_id = backup(api, tmp_path, workers=1).failed[0].doc_id

    summary = backup(api, tmp_path)

    assert summary.ok
    assert summary.saved == [failed_id]
    doc = next(doc for doc in library.docs if str(doc.doc_id) == failed_id)
    assert file_md5(saved(tmp_path, doc)[0]) == sandbox_md5(sandbox, doc)


def test_a_slow_media_server_times_out_each_document_and_the_run_ends(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sandbox.settings.media_latency = 2.0

    summary = backup(api, tmp_path, timeout=(5.0, 0.3))

    assert len(summary.failed) == len(library.docs)
    assert all("timeout" in failure.reason for failure in summary.failed)
    assert summary.albums == 2


def test_a_file_past_its_overall_deadline_fails_that_document(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    # Each read comes within the read timeout, but the file as a whole is too late.
    sandbox.settings.media_latency = 0.2

    summary = backup(api, tmp_path, timeout=(5.0, 5.0), file_deadline=0.05)

    assert len(summary.failed) == len(library.docs)
    assert all("not complete within 0.05 s" in failure.reason for failure in summary.failed)
    assert not list((tmp_path / "documents").rglob("*.jpg"))


def test_a_file_whose_md5_stays_wrong_is_reported_and_not_kept(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    harbour = library.docs[1]
    backup(api, tmp_path / "first")
    size = saved(tmp_path / "first", harbour)[0].stat().st_size
    sandbox.store.execute("UPDATE docs SET md5 = ? WHERE doc_id = ?", ("0" * 32, harbour.doc_id))

    summary = backup(api, tmp_path / "second")

    assert [failure.doc_id for failure in summary.failed] == [str(harbour.doc_id)]
    assert "md5" in summary.failed[0].reason
    # Downloaded once more after the first mismatch, then given up.
    harbour_bytes = summary.downloaded - sum(
        saved(tmp_path / "second", doc)[0].stat().st_size for doc in library.docs if doc != harbour
    )
    assert harbour_bytes == 2 * size
    assert not list((tmp_path / "second" / "documents").rglob(f"{harbour.doc_id} *"))


def test_a_wrong_download_is_fetched_again_once(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("media", truncated=True)

    summary = backup(api, tmp_path, workers=1)

    assert summary.ok
    for doc in library.docs:
        assert file_md5(saved(tmp_path, doc)[0]) == sandbox_md5(sandbox, doc)


def test_rate_limits_slow_the_run_down_instead_of_failing_it(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("doc.get", code=113, times=5)
    sandbox.fail_next("media", http_status=429, times=2)
    sandbox.calls.clear()  # the worker's log: only this run's calls count

    summary = backup(api, tmp_path, workers=2)

    assert summary.ok
    assert len(summary.saved) == len(library.docs)
    limited = [call for call in sandbox.calls if call.method == "doc.get" and call.error == 113]
    assert len(limited) == 5


def test_an_album_that_cannot_be_read_is_one_clear_error(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("album.get", code=1)

    with pytest.raises(BackupError, match=r"Cannot read album \d+: album.get: no longer on"):
        backup(api, tmp_path)

    assert not (tmp_path / "documents").exists()


def slow_reads_client(sandbox: Sandbox, library: Library) -> IpernityAPI:
    """Alice's client, giving up on an answer after half a second."""
    return IpernityAPI(
        library.app.api_key,
        library.app.api_secret,
        library.token,
        url=sandbox.api_url,
        timeout=(5.0, 0.5),
    )


@pytest.mark.parametrize("method", ["doc.getList", "album.getList", "album.docs.getList"])
def test_a_listing_page_answered_too_late_is_asked_again(
    sandbox: Sandbox, library: Library, tmp_path: Path, method: str
) -> None:
    sandbox.delay_next(method, 1.2)

    with slow_reads_client(sandbox, library) as api:
        summary = backup(api, tmp_path)

    assert summary.ok
    assert len(summary.saved) == len(library.docs)
    assert summary.albums == 2


def test_a_listing_page_that_never_comes_fails_the_run_after_its_retries(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    # One late answer more than the retries: had the run asked once more, it would pass.
    sandbox.delay_next("doc.getList", 1.2, times=1 + READ_RETRIES)

    with (
        slow_reads_client(sandbox, library) as api,
        pytest.raises(RequestTimeout, match=r"doc\.getList: no answer"),
    ):
        backup(api, tmp_path)

    assert sandbox.faults.take("doc.getList", {"page": "1"}) is None  # every try was made
    assert not (tmp_path / "documents").exists()


def test_a_document_answered_too_late_is_asked_again(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    sandbox.delay_next("doc.get", 1.2)

    with slow_reads_client(sandbox, library) as api:
        summary = backup(api, tmp_path, workers=1)

    assert summary.ok
    assert len(summary.saved) == len(library.docs)


def single_try_client(sandbox: Sandbox, library: Library) -> IpernityAPI:
    """Alice's client sending each call once, giving up on an answer after half a
    second: the backup itself sees every failure."""
    return IpernityAPI(
        library.app.api_key,
        library.app.api_secret,
        library.token,
        url=sandbox.api_url,
        timeout=(5.0, 0.5),
        retries=0,
    )


def test_a_too_fast_error_reaching_the_run_slows_it_down_instead_of_failing_the_document(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("doc.get", code=113)

    with single_try_client(sandbox, library) as api:
        summary = backup(api, tmp_path, workers=1)

    assert summary.ok
    assert len(summary.saved) == len(library.docs)


def test_a_too_many_requests_answer_leaves_the_retries_to_late_answers(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("doc.get", http_status=429)
    sandbox.delay_next("doc.get", 1.2, times=READ_RETRIES)

    with single_try_client(sandbox, library) as api:
        summary = backup(api, tmp_path, workers=1)

    assert summary.ok
    assert len(summary.saved) == len(library.docs)


def test_a_document_still_rate_limited_after_every_try_fails_alone(
    sandbox: Sandbox, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No pause between the tries: their number is what is tested, not their spacing.
    monkeypatch.setattr(media, "MAX_PAUSE", 0.0)
    sandbox.fail_next("doc.get", code=113, times=RATE_LIMIT_TRIES)

    with single_try_client(sandbox, library) as api:
        summary = backup(api, tmp_path, workers=1)

    assert [failure.reason for failure in summary.failed] == [
        f"doc.get: still rate limited after {RATE_LIMIT_TRIES} tries"
    ]
    assert len(summary.saved) == len(library.docs) - 1


def test_a_document_the_service_answers_with_an_error_fails_without_another_try(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("doc.get", code=999)
    sandbox.calls.clear()  # the worker's log: only this run's calls count

    with single_try_client(sandbox, library) as api:
        summary = backup(api, tmp_path, workers=1)

    assert [failure.reason for failure in summary.failed] == [
        "Error 999 from doc.get: Injected failure"
    ]
    assert [call.error for call in sandbox.calls if call.method == "doc.get"].count(999) == 1


def test_a_document_answered_too_late_at_every_try_fails_after_its_retries(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    # One late answer more than the retries: had the run asked once more, it would pass.
    sandbox.delay_next("doc.get", 1.2, times=1 + READ_RETRIES)

    with single_try_client(sandbox, library) as api:
        summary = backup(api, tmp_path, workers=1)

    [failure] = summary.failed
    assert "no answer" in failure.reason
    assert len(summary.saved) == len(library.docs) - 1


def test_a_server_error_answering_doc_get_is_asked_again(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    sandbox.fail_next("doc.get", http_status=502)

    with single_try_client(sandbox, library) as api:
        summary = backup(api, tmp_path, workers=1)

    assert summary.ok
    assert len(summary.saved) == len(library.docs)
