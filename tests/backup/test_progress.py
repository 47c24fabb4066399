"""A backup keeps its user informed: documents are saved while the listing goes on,
and progress shows without tqdm too, on a terminal or in a log."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image

from ipernity import IpernityAPI
from ipernity.backup import BytesReceived, DocumentDone, Failure, Listed, Planned, backup
from ipernity.sandbox import Sandbox
from ipernity.shell.backup import BackupProgress
from ipernity.shell.output import Console
from ipernity.shell.progress import StatusLine

from .conftest import RUN_TIMEOUT, Library, originals, shell_command, shell_environment


class Clock:
    """A monotonic clock the test sets."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_off_a_terminal_the_status_is_a_plain_line_at_most_once_a_second() -> None:
    stream, clock = io.StringIO(), Clock()
    line = StatusLine(stream, terminal=False, clock=clock)

    for step in range(36):  # ten updates a second for 3.5 s
        clock.now = 1000 + step / 10
        line.show(f"update {step}")
    line.clear()

    assert stream.getvalue().splitlines() == ["update 10", "update 20", "update 30"]


def test_on_a_terminal_the_status_is_redrawn_in_place_and_erased_at_the_end() -> None:
    stream, clock = io.StringIO(), Clock()
    line = StatusLine(stream, terminal=True, clock=clock)

    for step in range(5):  # eight updates a second
        clock.now = 1000 + step * 0.125
        line.show(f"update {step}")
    line.clear()

    erase = "\r\x1b[K"
    assert stream.getvalue() == f"{erase}update 0{erase}update 2{erase}update 4{erase}"


def test_the_status_says_what_is_done_of_what_is_planned_and_how_far_the_listing_is() -> None:
    console = Console(io.StringIO(), io.StringIO(), color=False)
    progress = BackupProgress(console)

    progress.update(Listed(documents=100, to_fetch=40, total_bytes=4_000_000))
    progress.update(DocumentDone("1", "Sunset"))
    progress.update(DocumentDone("2", "Harbour", Failure("2", "Harbour", "HTTP 404")))
    progress.update(BytesReceived(1_500_000))
    listing = progress.describe()
    progress.update(Planned(documents=60, total_bytes=6_000_000, unchanged=120))

    assert listing == (
        "backup: 2 of 40 documents, 1.5 MB of 4.0 MB, 1 failed (listing: 100 documents so far)"
    )
    assert progress.describe() == "backup: 2 of 60 documents, 1.5 MB of 6.0 MB, 1 failed"


def test_after_the_listing_progress_counts_the_documents_listed_planned_and_their_bytes(
    api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    events: list[object] = []

    summary = backup(api, tmp_path, progress=events.append)

    listed = [event for event in events if isinstance(event, Listed)]
    planned_bytes = sum(planned.size for planned in summary.planned)
    assert listed[-1] == Listed(len(library.docs), len(library.docs), planned_bytes)
    assert planned_bytes == summary.downloaded


def tiny_picture() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 120, 200)).save(picture, "PNG")
    return picture.getvalue()


def test_documents_are_saved_while_the_listing_goes_on(
    sandbox: Sandbox, api: IpernityAPI, library: Library, tmp_path: Path
) -> None:
    # 101 documents: the listing takes two pages of 100, and the second comes late.
    picture = tiny_picture()
    for number in range(101 - len(library.docs)):
        sandbox.add_doc(library.member, f"Filler {number}", image=picture, filename="f.png")
    sandbox.calls.clear()
    sandbox.delay_next("doc.getList", 1.0, params={"page": "2"})
    first_saved: list[tuple[bool, bool]] = []

    def progress(event: object) -> None:
        if isinstance(event, DocumentDone) and not first_saved:
            on_disk = bool(list((tmp_path / "documents").rglob(f"{event.doc_id} *.*")))
            page_2_answered = any(
                call.method == "doc.getList" and call.params.get("page") == "2"
                for call in sandbox.calls
            )
            first_saved.append((on_disk, page_2_answered))

    summary = backup(api, tmp_path, progress=progress)

    assert summary.ok
    assert len(summary.saved) == 101
    assert first_saved == [(True, False)]


def hide_tqdm(folder: Path) -> dict[str, str]:
    """The environment of a shell that cannot import tqdm, as after ``make run``."""
    folder.mkdir()
    (folder / "tqdm.py").write_text("raise ImportError('tqdm is not installed')\n")
    return {**shell_environment(folder.parent), "PYTHONPATH": str(folder)}


def test_without_tqdm_and_off_a_terminal_progress_lines_come_during_the_run(
    sandbox: Sandbox, library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "backup"
    # Each file takes half a second: the run lasts two, the first line comes after one.
    sandbox.settings.media_latency = 0.5
    process = subprocess.Popen(
        shell_command(sandbox, library, "backup", str(target), "--workers", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=hide_tqdm(tmp_path / "no-tqdm"),
        cwd=tmp_path,
    )
    assert process.stderr is not None

    first_line = process.stderr.readline()
    running_then = process.poll() is None
    saved_then = len(originals(target))
    out, err = process.communicate(timeout=RUN_TIMEOUT)

    assert process.returncode == 0, err
    assert first_line.startswith("backup: ")
    assert f"of {len(library.docs)} documents" in first_line
    assert running_then
    assert saved_then < len(library.docs)
    assert f"{len(library.docs)} saved" in out
