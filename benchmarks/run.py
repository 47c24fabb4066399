"""``make bench``: Flask-Ipernity against PyIpernity 0.3.1, side by side, on one machine.

One run installs (or reuses) the baseline, starts the sandbox under waitress
with the documents the walks need, measures every row of issue 7's table and
the load test, and prints the table with PASS or FAIL per target. It exits
with status 1 when a target is missed. Everything talks to 127.0.0.1 only and
the whole run takes a few minutes at most.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from backup_bench import BackupBench
from baseline import BASELINE_DIR, ensure_baseline
from client_bench import ClientBench, ClientFixture, run_workload
from import_bench import import_row
from ipernity import IpernityAPI
from ipernity.sandbox import Sandbox, User
from oauth_bench import oauth_rows
from oauth_login_bench import oauth_login_rows
from report import Row, render
from serving import RedisServer, ThreadedWaitress
from site_bench import SiteBench
from standin import PER_PAGE, StandInDocs
from upgrade_bench import upgrade_rows

#: Documents of the walk rows.
WALK_DOCS = 5_000
BIG_WALK_DOCS = 100_000
#: The sandbox's worker threads: room for a walk's workers and the load test.
SANDBOX_THREADS = 16


def seed_docs(sandbox: Sandbox, owner: User, count: int) -> None:
    """Give ``owner`` ``count`` documents, each posted a second after the last."""
    start = 1_600_000_000
    for number in range(count):
        sandbox.add_doc(owner, f"{owner.username} {number}", posted_at=start + number)


def seed(sandbox: Sandbox, root_url: str) -> ClientFixture:
    """The members and documents of the client rows; return how to reach them.

    :param root_url: where the sandbox is served.
    """
    app = sandbox.add_app("Benchmark", auth="desktop")
    walker = sandbox.add_user("walker", "Walker")
    seed_docs(sandbox, walker, WALK_DOCS)
    first_doc = sandbox.store.scalar(
        "SELECT MIN(doc_id) FROM docs WHERE owner_id = ?", (walker.user_id,)
    )
    return ClientFixture(
        api_url=root_url + "api/",
        api_key=app.api_key,
        api_secret=app.api_secret,
        tokens={
            "walker": sandbox.grant(walker, app, {"doc": "read"}),
            "walker_oauth": sandbox.grant_oauth(walker, app, {"doc": "read"}),
        },
        doc_id=int(first_doc),
    )


def stand_in(fixture: ClientFixture) -> StandInDocs:
    """The 100,000-document library, its pages cut from a real sandbox page."""
    api = IpernityAPI(
        fixture.api_key, fixture.api_secret, fixture.tokens["walker"], url=fixture.api_url
    )
    with api:
        template = api.doc.getList(per_page=PER_PAGE)
    return StandInDocs(template, BIG_WALK_DOCS)


def step(label: str, measure: Callable[[], Row | list[Row]], rows: list[Row]) -> None:
    """Run one measurement, say how long it took, and keep its rows."""
    print(f"  {label} …", end="", flush=True)
    started = time.perf_counter()
    result = measure()
    rows.extend(result if isinstance(result, list) else [result])
    print(f" {time.perf_counter() - started:.1f} s", flush=True)


def redis_url(stack: ExitStack) -> str | None:
    """Start a private redis-server for the Redis cache row, if one is installed."""
    try:
        return stack.enter_context(RedisServer()).url
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"No Redis row: {exc}")
        return None


def announce_clients(baseline_python: Path) -> None:
    """Say which ``ipernity`` each side imports; refuse to run if they are mixed up."""
    for side, python in (("Flask-Ipernity", sys.executable), ("PyIpernity", baseline_python)):
        found = run_workload(python, "identify", {})
        print(f"{side}: ipernity {found['version']} from {found['file']}")
        if side == "PyIpernity" and not found["file"].startswith(str(BASELINE_DIR)):
            raise RuntimeError("the baseline imports this project's ipernity")
        if side == "Flask-Ipernity" and found["file"].startswith(str(BASELINE_DIR)):
            raise RuntimeError("this project's interpreter imports the baseline")


def main() -> int:
    """Run every benchmark and print the table; 0 if every target is met."""
    started = time.perf_counter()
    baseline_python = ensure_baseline()
    announce_clients(baseline_python)
    rows: list[Row] = []
    step("import time", lambda: import_row(baseline_python), rows)
    with ExitStack() as stack:
        sandbox = stack.enter_context(Sandbox())
        cache_url = redis_url(stack)
        server = stack.enter_context(ThreadedWaitress(sandbox.wsgi_app, SANDBOX_THREADS))
        print(f"Sandbox under waitress at {server.url}; seeding documents …", flush=True)
        fixture = seed(sandbox, server.url)
        clients = ClientBench(sandbox, fixture, baseline_python, cache_url)
        site = SiteBench(sandbox, server.url)
        step("single calls, test.echo", lambda: clients.single_calls("test.echo"), rows)
        step("single calls, doc.get", lambda: clients.single_calls("doc.get"), rows)
        step("OAuth against MD5 signing", lambda: oauth_rows(fixture), rows)
        step("walk 5,000 docs at 20 ms", clients.walk, rows)
        with ThreadedWaitress(stand_in(fixture), threads=4) as big:
            step(
                "walk 100,000 docs, memory",
                lambda: clients.walk_memory(big.url + "api/", BIG_WALK_DOCS),
                rows,
            )
        step("repeated read, cache", clients.cached_read, rows)
        step("login_required view", site.login_required, rows)
        if cache_url:
            step("login_required view, Redis", lambda: site.login_required(cache_url), rows)
        step("OAuth login", lambda: oauth_login_rows(sandbox, server.url), rows)
        step("load test", site.load, rows)
        step("upgrade from 0.1", lambda: upgrade_rows(sandbox, server.url), rows)
        step("backup 1,000 docs at 50 ms", lambda: BackupBench(sandbox, server.url).rows(), rows)
    print()
    print(render(rows))
    failed = [row.what for row in rows if row.passed is False]
    elapsed = time.perf_counter() - started
    print(f"\n{len(rows) - len(failed)} of {len(rows)} rows pass; {elapsed:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
