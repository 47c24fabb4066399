"""The client rows: single calls, walks, memory and the cache, side by side.

Each figure comes from ``workload.py`` run in a fresh process, with this
project's interpreter or the baseline's, against the same sandbox.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipernity.sandbox import Sandbox
from report import Row, ratio, render

HERE = Path(__file__).resolve().parent
#: Seconds each side spends on single calls, per round; rounds alternate the sides.
CALL_SECONDS = 0.6
CALL_ROUNDS = 7
#: The server latency of the walk and cache rows.
LATENCY = 0.020
#: Reads after the first in the cache rows.
REPEATED_READS = 30
#: Single calls: how many times as fast as PyIpernity 0.3.1, and as a bare requests.Session.
BASELINE_TARGET = 1.4
BARE_TARGET = 1.0


@dataclass
class ClientFixture:
    """What the workloads need to reach the sandbox as one member or another."""

    api_url: str
    api_key: str
    api_secret: str
    #: Token mappings by member: ``"walker"`` owns the 5,000 documents.
    tokens: dict[str, dict[str, Any]]
    #: A document of ``walker`` that ``doc.get`` reads.
    doc_id: int

    def settings(self, member: str, **extra: Any) -> dict[str, Any]:
        """The settings a workload gets, acting as ``member``."""
        return {
            "api_url": self.api_url,
            "api_key": self.api_key,
            "api_secret": self.api_secret,
            "token": self.tokens[member],
            "doc_id": self.doc_id,
            **extra,
        }


def run_workload(
    python: Path | str, name: str, settings: dict[str, Any], timeout: float = 120
) -> dict[str, Any]:
    """Run one workload in a fresh, isolated process and return its figures."""
    # -I: no PYTHONPATH, no user site, no script directory on sys.path.
    command = [str(python), "-I", str(HERE / "workload.py"), name, json.dumps(settings)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"workload {name} failed under {python}:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


def _share(top: list[dict[str, Any]], bottom: list[dict[str, Any]], figure: str) -> float:
    """The median over paired rounds of ``top[i][figure] / bottom[i][figure]``."""
    return statistics.median(
        upper[figure] / lower[figure] for upper, lower in zip(top, bottom, strict=True)
    )


def _rate(runs: list[dict[str, Any]]) -> str:
    """Calls per second: one over the median of the runs' median call times."""
    return f"{1 / statistics.median(run['median_seconds'] for run in runs):.0f}/s"


@contextmanager
def latency(sandbox: Sandbox, seconds: float) -> Iterator[None]:
    """Make the sandbox answer each API call ``seconds`` late, for a while."""
    sandbox.latency = seconds
    try:
        yield
    finally:
        sandbox.latency = 0.0


class ClientBench:
    """Measures the client rows.

    :param sandbox: the sandbox all workloads talk to.
    :param fixture: how to reach it.
    :param baseline_python: the interpreter of the PyIpernity virtualenv.
    :param redis_url: a Redis server for the shared-cache row, if any.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        fixture: ClientFixture,
        baseline_python: Path,
        redis_url: str | None,
    ) -> None:
        self.sandbox = sandbox
        self.fixture = fixture
        self.ours = sys.executable
        self.baseline = baseline_python
        self.redis_url = redis_url

    def single_calls(self, method: str) -> list[Row]:
        """Calls per second, one after the other, each side in its own process.

        This project's client and PyIpernity 0.3.1 take turns for short rounds,
        each in a process of its own (both packages are named ``ipernity``);
        in each round, one more process has the client and a bare keep-alive
        ``requests.Session`` (doing only what a correct call needs) take turns
        call by call. The rate is one over the median call time, and each
        ratio the median of the rounds' ratios: on a machine busy with other
        work, that work stretches some calls of every side rather than
        shifting the comparison.
        """
        settings = self.fixture.settings("walker", method=method, seconds=CALL_SECONDS, warmup=30)
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        paired: list[dict[str, Any]] = []
        for _ in range(CALL_ROUNDS):
            ours.append(run_workload(self.ours, "calls", settings))
            theirs.append(run_workload(self.baseline, "calls", settings))
            # One process, the two taking turns call by call: the same moments of a busy machine.
            paired.append(run_workload(self.ours, "against_bare", settings))
        label = "signed doc.get" if method == "doc.get" else method
        against_baseline = _share(theirs, ours, "median_seconds")
        against_bare = statistics.median(
            run["other_median_seconds"] / run["median_seconds"] for run in paired
        )
        bare = [{"median_seconds": run["other_median_seconds"]} for run in paired]
        return [
            Row(
                f"single calls/s, {label} (1 / median call time; {CALL_ROUNDS} paired rounds; "
                f"by plain throughput {ratio(_share(ours, theirs, 'per_second'))})",
                _rate(ours),
                _rate(theirs),
                ratio(against_baseline),
                f"≥ {BASELINE_TARGET:.2f}×",
                against_baseline >= BASELINE_TARGET,
            ),
            Row(
                f"  same calls against a bare keep-alive requests.Session, taking turns in "
                f"one process ({_rate(bare)})",
                _rate(paired),
                "",
                ratio(against_bare),
                f"≥ {BARE_TARGET:.2f}×",
                against_bare >= BARE_TARGET,
            ),
        ]

    def walk(self) -> list[Row]:
        """Walk 5,000 documents from a server answering after 20 ms."""
        settings = self.fixture.settings("walker")
        with latency(self.sandbox, LATENCY):
            ours = [run_workload(self.ours, "walk", settings) for _ in range(3)]
            theirs = run_workload(self.baseline, "walk", settings)
            same_page_size = run_workload(self.baseline, "walk", {**settings, "per_page": 100})
        mine = statistics.median(run["seconds"] for run in ours)
        same = all(
            (run["count"], run["digest"]) == (theirs["count"], theirs["digest"]) for run in ours
        )
        speedup = theirs["seconds"] / mine
        detail = f"{theirs['count']} items, {'same order' if same else 'ITEMS DIFFER'}"
        return [
            Row(
                f"walk_docs 5,000 docs, 20 ms latency ({detail})",
                f"{mine:.2f} s",
                f"{theirs['seconds']:.2f} s",
                ratio(speedup) + " faster",
                "≥ 10× faster, same items",
                speedup >= 10 and same and theirs["count"] == 5000,
            ),
            Row(
                "  same walk, PyIpernity asked for per_page=100",
                f"{mine:.2f} s",
                f"{same_page_size['seconds']:.2f} s",
                ratio(same_page_size["seconds"] / mine) + " faster",
                "",
                None,
            ),
        ]

    def walk_memory(self, api_url: str, total: int) -> list[Row]:
        """Walk ``total`` documents served at ``api_url`` and see how far memory grows."""
        settings = {**self.fixture.settings("walker"), "api_url": api_url}
        figures = run_workload(self.ours, "walk_memory", settings, 300)
        traced, rss = figures["traced_growth_mb"], figures["rss_growth_mb"]
        complete = figures["count"] == total and figures["in_order"]
        return [
            Row(
                f"walk_docs {total:,} docs, peak memory growth ({figures['count']} items"
                f"{', in order' if figures['in_order'] else ', OUT OF ORDER'}, "
                f"{figures['seconds']:.1f} s; sandbox-shaped pages from a stand-in)",
                f"{traced:.1f} MB traced",
                "",
                f"{traced:.1f} MB",
                "≤ 20 MB",
                traced <= 20 and complete,
            ),
            Row(
                "  same walk, peak resident size growth (VmHWM)",
                f"{rss:.1f} MB RSS",
                "",
                f"{rss:.1f} MB",
                "≤ 20 MB",
                rss <= 20,
            ),
        ]

    def cached_read(self) -> list[Row]:
        """The same ``doc.get`` again and again at 20 ms, without and with the cache.

        Figures are median read times of the repeated reads (the first fills the cache).
        """
        rows = []
        with latency(self.sandbox, LATENCY):
            plain = self._read(None)
            uncached = plain["repeat_median_seconds"]
            caches = [("in-process SimpleCache", "simple")]
            if self.redis_url:
                caches.append(("RedisStore", self.redis_url))
            for label, cache in caches:
                cached = self._read(cache)
                share = cached["repeat_median_seconds"] / uncached
                rows.append(
                    Row(
                        f"repeated doc.get, 20 ms latency, {label} "
                        f"({cached['upstream']} of {REPEATED_READS + 1} reads upstream)",
                        f"{cached['repeat_median_seconds'] * 1000:.3f} ms/read",
                        "",
                        f"{share:.1%} of uncached ({uncached * 1000:.1f} ms)",
                        "≤ 5 %",
                        share <= 0.05 and cached["upstream"] == 1,
                    )
                )
        return rows

    def _read(self, cache: str | None) -> dict[str, Any]:
        before = self._doc_gets()
        figures = run_workload(
            self.ours,
            "cached_read",
            self.fixture.settings("walker", cache=cache, reads=REPEATED_READS),
        )
        figures["upstream"] = self._doc_gets() - before
        return figures

    def _doc_gets(self) -> int:
        return sum(1 for call in list(self.sandbox.calls) if call.method == "doc.get")


def main() -> int:
    """Measure the import and single-call rows alone; 0 if every target is met.

    ``make bench`` measures them with the others; this is the quick look after a
    change to the client's call path (a minute or two).
    """
    from baseline import ensure_baseline
    from import_bench import import_row
    from oauth_bench import oauth_fixture
    from serving import ThreadedWaitress

    baseline_python = ensure_baseline()
    rows = [import_row(baseline_python)]
    with Sandbox() as sandbox, ThreadedWaitress(sandbox.wsgi_app, 8) as server:
        clients = ClientBench(sandbox, oauth_fixture(sandbox, server.url), baseline_python, None)
        rows += clients.single_calls("test.echo") + clients.single_calls("doc.get")
    print(render(rows))
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
