"""The load test's client: many logged-in visitors hitting a site at once.

Run by ``site_bench.py`` in its own process (``python loadclient.py '<json>'``).
Every visitor is a browser of its own (a ``requests.Session`` with its own
cookies) that logs in through the real flow: the site's ``/login``, the
sandbox's authorization page (already approved: it redirects at once) and the
site's ``/callback``. Then the threads share out the requests, each visitor
asking ``/me`` and checking that the answer names that visitor and nobody else.
Prints one JSON line of figures.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

#: Seconds any single request may take.
TIMEOUT = 30.0


@dataclass
class Visitor:
    """One browser: a member of the sandbox and their cookie jar."""

    username: str
    member_cookies: dict[str, str]
    http: requests.Session = field(default_factory=requests.Session)

    def log_in(self, site: str) -> None:
        """Log in through the site and the sandbox's authorization page."""
        start = self.http.get(f"{site}/login", allow_redirects=False, timeout=TIMEOUT)
        if start.status_code != 302:
            raise RuntimeError(f"/login answered {start.status_code}")
        authorize = self.http.get(
            start.headers["Location"],
            cookies=self.member_cookies,
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        location = authorize.headers.get("Location", "")
        if authorize.status_code != 302 or "frob=" not in location:
            raise RuntimeError(f"the authorization page answered {authorize.status_code}")
        query = location.split("?", 1)[1]
        # Approved at once: a browser's redirect chain keeps the site's page as Referer.
        done = self.http.get(
            f"{site}/callback?{query}",
            headers={"Referer": f"{site}/"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if done.status_code != 302 or done.headers["Location"].endswith("/login/confirm"):
            raise RuntimeError(f"/callback answered {done.status_code}")


@dataclass
class Tally:
    """What the threads saw, added up under a lock."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def hit(site: str, visitor: Visitor, tally: Tally) -> None:
    """One request to ``/me`` as ``visitor``; record its time and what was wrong."""
    start = time.perf_counter()
    error = ""
    foreign = False
    try:
        answer = visitor.http.get(f"{site}/me", allow_redirects=False, timeout=TIMEOUT)
        if answer.status_code != 200:
            error = f"HTTP {answer.status_code}"
        else:
            seen = answer.json()
            foreign = seen != {"member": visitor.username, "user": visitor.username}
    except (requests.RequestException, ValueError) as exc:
        error = type(exc).__name__
    elapsed = time.perf_counter() - start
    with tally.lock:
        tally.latencies.append(elapsed)
        if error:
            tally.errors.append(error)
        tally.foreign += foreign


def run(settings: dict[str, Any]) -> dict[str, Any]:
    """Log every visitor in, then send the requests from ``concurrency`` threads."""
    site = settings["site"].rstrip("/")
    visitors = [Visitor(v["username"], v["cookies"]) for v in settings["visitors"]]
    concurrency = min(settings["concurrency"], len(visitors))
    total = settings["requests"]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda v: v.log_in(site), visitors))
    login_seconds = time.perf_counter() - started

    tally = Tally()

    def worker(index: int) -> None:
        # Thread i plays visitors i, i + concurrency, …: a session is never shared.
        mine = visitors[index::concurrency]
        for turn in range(index, total, concurrency):
            hit(site, mine[(turn // concurrency) % len(mine)], tally)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    seconds = time.perf_counter() - started
    latencies = sorted(tally.latencies)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "visitors": len(visitors),
        "requests": len(latencies),
        "errors": len(tally.errors),
        "error_kinds": sorted(set(tally.errors))[:5],
        "foreign": tally.foreign,
        "login_seconds": login_seconds,
        "seconds": seconds,
        "per_second": len(latencies) / seconds,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
    }


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
