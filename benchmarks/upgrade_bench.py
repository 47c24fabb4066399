"""The upgrade: an unchanged 0.1 site, logged-in requests per second before and after.

``legacy_site.py`` (Flask-Login, 0.1's request cache, ``ipernity_auth_required``)
runs under waitress with 8 threads twice at once: with Flask-Ipernity 0.1.0 and
PyIpernity 0.3.1 (``benchmarks/.legacy/``, same Flask, Werkzeug, Flask-Login,
waitress and requests as this project's venv), and with this project. 20
members log in to both; ``upgrade_client.py``, in a process of its own, asks
``/me`` as them, each site in turn for a few seconds, the one going first
alternating. Answers come from each site's request cache, so what is compared
is the site's own work per request. Target: the upgraded site serves at least
1.5× the requests per second (the median of the rounds' ratios), 0 errors.

Two more figures come from the same run. The processor time each site's
process used per request, in the same rounds: what the machine's other work
disturbs least. And the same site called in-process, through WSGI with the
members' cookies, without waitress and its threads (``upgrade_inprocess.py``,
one process per side, the sides taking turns): the site's own work alone.

Run it with ``.venv/bin/python benchmarks/upgrade_bench.py`` (``make bench``
runs it too); it builds the legacy venv on first use.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ipernity.sandbox import Sandbox
from legacy import SHARED_PACKAGES, ensure_legacy, wanted_versions
from report import Row, ratio, render
from serving import SiteProcess, ThreadedWaitress, stop_process

HERE = Path(__file__).resolve().parent
MEMBERS = 20
SITE_THREADS = 8
#: Client threads: enough to keep every server thread busy.
CONCURRENCY = 16
#: Rounds measured (after one to warm up), and each site's seconds in a round.
ROUNDS = 7
SECONDS = 3.0
#: The same for the in-process rounds.
IN_PROCESS_ROUNDS = 7
IN_PROCESS_SECONDS = 1.5
TARGET = 1.5
#: What the processor time per request should reach for the target to hold on a quiet machine.
CPU_AIM = 1.6
SIDES = {"0.1": "Flask-Ipernity 0.1.0 + PyIpernity 0.3.1", "ours": "this project"}


def measure(sandbox: Sandbox, sandbox_url: str, legacy_python: Path) -> dict[str, Any]:
    """Serve the site on both sides, log the members in, run the rounds; return the figures."""
    pythons = {"0.1": str(legacy_python), "ours": sys.executable}
    members = [sandbox.add_user(f"upgrader{n:02d}", f"Upgrader {n}") for n in range(MEMBERS)]
    sites: dict[str, str] = {}
    pids: dict[str, int] = {}
    settings: dict[str, dict[str, str]] = {}
    with ExitStack() as stack:
        for side, python in pythons.items():
            web = sandbox.add_app(f"Upgrade site {side}", auth="web", callback="http://x/")
            for member in members:
                sandbox.grant(member, web, {"doc": "read"})
            settings[side] = {
                "SITE_SECRET_KEY": "the upgrade benchmark",
                "SITE_API_KEY": web.api_key,
                "SITE_API_SECRET": web.api_secret,
                "SITE_API_URL": sandbox_url + "api/",
                "SITE_AUTH_URL": sandbox_url + "apps/authorize",
                "SITE_THREADS": str(SITE_THREADS),
            }
            site = stack.enter_context(
                SiteProcess(settings[side], python=python, script=HERE / "legacy_site.py")
            )
            sandbox.update_app(web, callback=f"{site.url}/ipernity/cb")
            sites[side] = site.url
            pids[side] = site.pid
        plan = {
            "sites": sites,
            "pids": pids,
            "members": [
                {"username": m.username, "cookies": sandbox.signin_cookies(m)} for m in members
            ],
            "rounds": ROUNDS + 1,
            "seconds": SECONDS,
            "concurrency": CONCURRENCY,
        }
        command = [sys.executable, "-I", str(HERE / "upgrade_client.py"), json.dumps(plan)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the upgrade client failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    in_process_plans = {
        side: {"settings": settings[side], "members": figures["cookies"][side]} for side in SIDES
    }
    figures["in_process"] = measure_in_process(pythons, in_process_plans)
    return figures


class InProcessSite:
    """One side's ``upgrade_inprocess.py``, run round by round.

    :param python: the side's interpreter.
    :param plan: the site's settings and the members' cookies.
    :param errors: a file for what the process writes to stderr, shown if it fails.
    """

    def __init__(self, python: str, plan: dict[str, Any], errors: IO[str]) -> None:
        self._errors = errors
        self._process = subprocess.Popen(
            [python, str(HERE / "upgrade_inprocess.py"), json.dumps(plan)],
            env={"PATH": "/usr/bin:/bin"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )

    def __enter__(self) -> InProcessSite:
        if self._answer() != "ready":
            self._fail("did not start")
        return self

    def run(self, seconds: float) -> dict[str, float]:
        """Run one round of ``seconds``; return its requests, seconds and processor time."""
        assert self._process.stdin is not None
        self._process.stdin.write(f"run {seconds}\n")
        self._process.stdin.flush()
        answer = self._answer()
        if not answer.startswith("{"):
            self._fail("failed")
        figures: dict[str, float] = json.loads(answer)
        return figures

    def _answer(self) -> str:
        assert self._process.stdout is not None
        return self._process.stdout.readline().strip()

    def _fail(self, what: str) -> None:
        stop_process(self._process)
        self._errors.seek(0)
        raise RuntimeError(f"the in-process site {what}:\n{self._errors.read()[-3000:]}")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stop_process(self._process)


def measure_in_process(
    pythons: dict[str, str], plans: dict[str, dict[str, Any]]
) -> list[dict[str, dict[str, float]]]:
    """Both sides in-process, taking turns round by round (the first one a warm-up)."""
    with ExitStack() as stack:
        sites = {}
        for side in SIDES:
            errors = stack.enter_context(tempfile.TemporaryFile("w+"))
            sites[side] = stack.enter_context(InProcessSite(pythons[side], plans[side], errors))
        names = list(SIDES)
        rounds = []
        for number in range(IN_PROCESS_ROUNDS + 1):
            order = names if number % 2 == 0 else names[::-1]
            rounds.append({side: sites[side].run(IN_PROCESS_SECONDS) for side in order})
    return rounds


def spread(ratios: Sequence[float]) -> str:
    """The median of ``ratios`` and their middle half, as text."""
    middle = statistics.quantiles(ratios, n=4)
    return f"{ratio(statistics.median(ratios))} (middle half {middle[0]:.2f}–{middle[2]:.2f})"


def cpu_per_request(rounds: Sequence[dict[str, Any]]) -> dict[str, list[float]]:
    """Each side's processor seconds per request, round by round."""
    return {side: [r[side]["cpu"] / r[side]["requests"] for r in rounds] for side in SIDES}


def rows(figures: dict[str, Any]) -> list[Row]:
    """The table's rows: requests per second on each side and the ratio; processor time."""
    measured = figures["rounds"][1:]
    rates = {side: [r[side]["requests"] / r[side]["seconds"] for r in measured] for side in SIDES}
    ratios = [ours / old for ours, old in zip(rates["ours"], rates["0.1"], strict=True)]
    # Processor time per request: what the machine's other work disturbs least.
    cpu = cpu_per_request(measured)
    cpu_ratios = [old / ours for ours, old in zip(cpu["ours"], cpu["0.1"], strict=True)]
    alone = cpu_per_request(figures["in_process"][1:])
    alone_ratios = [old / ours for ours, old in zip(alone["ours"], alone["0.1"], strict=True)]
    errors = sum(len(r[side]["errors"]) for r in figures["rounds"] for side in SIDES)
    kinds = sorted({e for r in figures["rounds"] for s in SIDES for e in r[s]["errors"]})[:5]
    median = statistics.median(ratios)
    return [
        Row(
            f"upgrade: unchanged 0.1 site (Flask-Login, request cache, ipernity_auth_required), "
            f"{MEMBERS} members, waitress {SITE_THREADS} threads, {len(measured)} interleaved "
            f"rounds of {SECONDS:.0f} s; {errors} errors {kinds}",
            f"{statistics.median(rates['ours']):.0f} req/s",
            f"0.1.0/0.3.1: {statistics.median(rates['0.1']):.0f} req/s",
            spread(ratios),
            f"≥ {TARGET}×, 0 errors",
            median >= TARGET and errors == 0,
        ),
        Row(
            "  same rounds: processor time per request of each site's process "
            "(ratio: 0.1's over ours)",
            f"{statistics.median(cpu['ours']) * 1000:.2f} ms",
            f"0.1.0/0.3.1: {statistics.median(cpu['0.1']) * 1000:.2f} ms",
            spread(cpu_ratios),
            f"aim ≥ {CPU_AIM}×",
            None,
        ),
        Row(
            f"  the site alone: in-process WSGI, one thread, {len(alone_ratios)} interleaved "
            f"rounds of {IN_PROCESS_SECONDS} s; processor time per request",
            f"{statistics.median(alone['ours']) * 1000:.2f} ms",
            f"0.1.0/0.3.1: {statistics.median(alone['0.1']) * 1000:.2f} ms",
            spread(alone_ratios),
            "",
            None,
        ),
    ]


def upgrade_rows(sandbox: Sandbox, sandbox_url: str) -> list[Row]:
    """Build (or reuse) the legacy venv, measure, and return the rows."""
    return rows(measure(sandbox, sandbox_url, ensure_legacy()))


def main() -> int:
    """Run the upgrade benchmark alone and print its rows; 0 if the target is met."""
    legacy_python = ensure_legacy()
    shared = {name: wanted_versions()[name] for name in SHARED_PACKAGES}
    print("Both sides run " + ", ".join(f"{name} {number}" for name, number in shared.items()))
    with Sandbox() as sandbox, ThreadedWaitress(sandbox.wsgi_app, threads=8) as server:
        result = rows(measure(sandbox, server.url, legacy_python))
    print(render(result))
    return 0 if all(row.passed is not False for row in result) else 1


if __name__ == "__main__":
    sys.exit(main())
