"""The backup rows: 1,000 documents at 50 ms per request, in parallel and one
request at a time, the memory it takes, and a second run with nothing to fetch.

The sandbox serves the documents (999 small photos and one 64 MB file, in ten
albums) with 50 ms added to every API call and every file. Each backup runs in
a fresh process (``python backup_bench.py run '<json settings>'``), which
prints its figures as one JSON line, so that its memory is its own.

Run alone: ``.venv/bin/python benchmarks/backup_bench.py``; ``run.py`` includes it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: Documents backed up, and how many of them are small photos.
DOCUMENTS = 1_000
#: The one large file, which must not grow memory with its size.
LARGE_FILE_BYTES = 64 * 2**20
#: Seconds added to every API call and every file served.
LATENCY = 0.050
ALBUMS = 10
#: Targets: speed-up over one request at a time, memory, second run's share.
SPEEDUP_TARGET = 6.0
MEMORY_TARGET_MB = 50.0
SECOND_RUN_SHARE = 0.1
#: Seconds one backup process may take.
RUN_TIMEOUT = 900


@dataclass
class BackupFixture:
    """How a backup process reaches the sandbox as the member with the documents."""

    api_url: str
    api_key: str
    api_secret: str
    token: dict[str, Any]

    def settings(self, directory: Path, workers: int) -> dict[str, Any]:
        """The settings of one backup process."""
        return {
            "api_url": self.api_url,
            "api_key": self.api_key,
            "api_secret": self.api_secret,
            "token": self.token,
            "directory": str(directory),
            "workers": workers,
        }


def seed(sandbox: Any, root_url: str) -> BackupFixture:
    """Give a new member the documents and albums; return how to reach them."""
    from ipernity.sandbox.media import demo_picture

    app = sandbox.add_app("Backup benchmark", auth="desktop")
    member = sandbox.add_user("archivist", "Archivist")
    start = 1_600_000_000
    docs = [
        sandbox.add_doc(
            member,
            f"Photo {number}",
            image=demo_picture(number, 160, 120),
            filename=f"photo{number}.jpg",
            posted_at=start + number,
            tags=[f"roll{number % 20}"],
        )
        for number in range(DOCUMENTS - 1)
    ]
    docs.append(
        sandbox.add_doc(
            member,
            "Large film",
            image=os.urandom(LARGE_FILE_BYTES),
            filename="film.mp4",
            posted_at=start + DOCUMENTS,
        )
    )
    size = len(docs) // ALBUMS
    for number in range(ALBUMS):
        sandbox.add_album(
            member, f"Album {number}", docs=docs[number * size : (number + 1) * size]
        )
    return BackupFixture(
        api_url=root_url + "api/",
        api_key=app.api_key,
        api_secret=app.api_secret,
        token=sandbox.grant(member, app, {"doc": "read"}),
    )


def run_backup(settings: dict[str, Any]) -> dict[str, Any]:
    """Run one backup in a fresh process and return its figures."""
    command = [sys.executable, "-I", str(Path(__file__).resolve()), "run", json.dumps(settings)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the backup process failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


class BackupBench:
    """Measures the backup rows against a served sandbox."""

    def __init__(self, sandbox: Any, root_url: str) -> None:
        self.sandbox = sandbox
        self.fixture = seed(sandbox, root_url)

    def rows(self) -> list[Any]:
        """The three rows: speed-up, memory, second run."""
        from report import Row, ratio

        with tempfile.TemporaryDirectory(prefix="backup-bench-") as scratch:
            root = Path(scratch)
            self._slow_down(LATENCY)
            try:
                serial = run_backup(self.fixture.settings(root / "serial", 1))
                first = run_backup(self.fixture.settings(root / "parallel", 0))
                second = run_backup(self.fixture.settings(root / "parallel", 0))
            finally:
                self._slow_down(0.0)
        for figures in (serial, first):
            if figures["saved"] != DOCUMENTS or figures["failed"]:
                raise RuntimeError(f"a backup did not save every document: {figures}")
        speedup = serial["seconds"] / first["seconds"]
        share = second["seconds"] / first["seconds"]
        workers = first["workers"]
        return [
            Row(
                f"backup {DOCUMENTS:,} docs at 50 ms: {workers} workers vs 1 request at a time",
                f"{first['seconds']:.1f} s vs {serial['seconds']:.1f} s",
                "",
                ratio(speedup),
                f"≥ {SPEEDUP_TARGET:g}×",
                speedup >= SPEEDUP_TARGET,
            ),
            Row(
                "backup peak memory growth (one 64 MB file among them)",
                f"{first['rss_growth_mb']:.1f} MB RSS",
                "",
                f"{first['rss_growth_mb']:.1f} MB",
                f"< {MEMORY_TARGET_MB:g} MB",
                first["rss_growth_mb"] < MEMORY_TARGET_MB,
            ),
            Row(
                "second backup, nothing changed (0 bytes, 0 doc.get)",
                f"{second['seconds']:.2f} s, {second['bytes']} bytes, "
                f"{second['unchanged']} unchanged",
                "",
                f"{share:.3f} of the first",
                f"< {SECOND_RUN_SHARE:g}",
                share < SECOND_RUN_SHARE
                and second["bytes"] == 0
                and second["saved"] == 0
                and second["unchanged"] == DOCUMENTS,
            ),
        ]

    def _slow_down(self, seconds: float) -> None:
        self.sandbox.latency = seconds
        self.sandbox.settings.media_latency = seconds


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def backup_process(settings: dict[str, Any]) -> dict[str, Any]:
    """One backup, timed, with the growth of the process's peak resident size."""
    from ipernity import IpernityAPI
    from ipernity.backup import DEFAULT_WORKERS, backup

    workers = settings["workers"] or DEFAULT_WORKERS
    api = IpernityAPI(
        settings["api_key"], settings["api_secret"], settings["token"], url=settings["api_url"]
    )
    api.user_info  # noqa: B018 (the token's member, fetched before the clock starts)
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    rss_before = _rss_kib("VmRSS")
    start = time.perf_counter()
    summary = backup(api, settings["directory"], workers=workers)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "workers": workers,
        "saved": len(summary.saved),
        "unchanged": summary.unchanged,
        "failed": [str(failure) for failure in summary.failed],
        "bytes": summary.downloaded,
        "rss_growth_mb": (_rss_kib("VmHWM") - rss_before) / 1024,
    }


def main() -> int:
    """Measure the backup rows alone and print them."""
    from ipernity.sandbox import Sandbox
    from report import render
    from serving import ThreadedWaitress

    with Sandbox() as sandbox, ThreadedWaitress(sandbox.wsgi_app, 16) as server:
        print(f"Seeding {DOCUMENTS:,} documents …", flush=True)
        bench = BackupBench(sandbox, server.url)
        print("Backing up (one request at a time, then in parallel, then again) …", flush=True)
        rows = bench.rows()
    print(render(rows))
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "run":
        print(json.dumps(backup_process(json.loads(sys.argv[2]))))
        sys.exit(0)
    sys.exit(main())
