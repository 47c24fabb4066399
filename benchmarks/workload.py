"""The client side of the benchmarks: one workload, run in its own process.

``run.py`` starts this script with one interpreter or the other, so the same
code measures Flask-Ipernity's client (``.venv/bin/python``) and the PyIpernity
baseline (``benchmarks/.baseline/bin/python``); both packages are named
``ipernity``, and each process only ever imports its own. It uses nothing but
the standard library, the two clients' common surface and, for the bare-session
row, ``requests`` (which both clients need).

Usage: ``python workload.py <workload> '<json settings>'``; it prints one JSON
line with the figures.
"""

from __future__ import annotations

import gc
import hashlib
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import ipernity
from ipernity import IpernityAPI

Settings = dict[str, Any]
Figures = dict[str, Any]


def make_client(settings: Settings, **options: Any) -> Any:
    """A client of the benchmark's sandbox, with the member's token."""
    if "auth" in settings:
        # Only this project's client is asked to sign otherwise (oauth_bench.py).
        options["auth"] = settings["auth"]
    return IpernityAPI(
        settings["api_key"],
        settings["api_secret"],
        settings["token"],
        url=settings["api_url"],
        **options,
    )


def identify(settings: Settings) -> Figures:
    """Which ``ipernity`` this interpreter imports, and its version."""
    return {"file": str(Path(ipernity.__file__).resolve()), "version": ipernity.__version__}


def call_of(api: Any, settings: Settings) -> Callable[[], Any]:
    """The call ``settings["method"]`` names: ``test.echo``, ``doc.get`` or
    (this project's client only) ``doc.getPerms``."""
    if settings["method"] == "test.echo":
        return lambda: api.test.echo(echo="benchmark")
    doc_id = settings["doc_id"]
    if settings["method"] == "doc.getPerms":
        return lambda: api.doc.getPerms(doc_id=doc_id)
    return lambda: api.doc.get(doc_id=doc_id)


def bare_call_of(settings: Settings) -> Callable[[], Any]:
    """The call ``settings["method"]`` names (``test.echo`` or ``doc.get``), made
    with nothing but a keep-alive :class:`requests.Session`.

    It does what any correct client must and nothing more: add the key and the
    token, sign (the MD5 rule of PROTOCOL.md, computed here for each call), send
    with a timeout, parse the JSON and check its status.
    """
    import requests

    session = requests.Session()
    method = settings["method"]
    url = f"{settings['api_url']}{method}/json"
    given = {"echo": "benchmark"} if method == "test.echo" else {"doc_id": str(settings["doc_id"])}
    base = {"api_key": settings["api_key"], "auth_token": settings["token"]["token"]}

    def one() -> Any:
        params = {**base, **given}
        text = "".join(name + params[name] for name in sorted(params))
        params["api_sig"] = hashlib.md5(
            (text + method + settings["api_secret"]).encode(), usedforsecurity=False
        ).hexdigest()
        answer = session.get(url, params=params, timeout=(10, 60)).json()
        if answer["api"]["status"] != "ok":
            raise RuntimeError(f"{method} failed: {answer['api']}")
        return answer

    return one


def calls(settings: Settings) -> Figures:
    """Single calls, one after the other, for ``seconds``, with the client.

    Each call is timed: the median call time says what the client costs even
    on a machine busy with other work, which only stretches some of the calls.
    """
    return timed_calls(call_of(make_client(settings), settings), settings)


def timed_calls(one: Callable[[], Any], settings: Settings) -> Figures:
    """Call ``one`` (after ``warmup`` calls) for ``seconds``, timing each call."""
    for _ in range(settings["warmup"]):
        one()
    durations = []
    start = time.perf_counter()
    deadline = start + settings["seconds"]
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        one()
        durations.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    return {
        "calls": len(durations),
        "per_second": len(durations) / elapsed,
        "median_seconds": statistics.median(durations),
    }


def paired_calls(settings: Settings) -> Figures:
    """Two clients of this project taking turns call by call, for ``seconds``.

    The first signs as ``settings`` say; the second is the same but for
    ``other`` (e.g. another token and ``auth``). Figures: each side's median
    call time (see :func:`take_turns`).
    """
    other = {**settings, **settings["other"]}
    first = call_of(make_client(settings), settings)
    return take_turns(first, call_of(make_client(other), other), settings)


def against_bare(settings: Settings) -> Figures:
    """This project's client and a bare ``requests.Session`` taking turns call by call.

    Figures: the client's median call time, and the bare session's as
    ``other_median_seconds`` (see :func:`take_turns`).
    """
    return take_turns(call_of(make_client(settings), settings), bare_call_of(settings), settings)


def take_turns(first: Callable[[], Any], second: Callable[[], Any], settings: Settings) -> Figures:
    """Call ``first`` and ``second`` in turns for ``seconds``, timing each call.

    Which goes first alternates, and both meet the same moments of a busy
    machine. Figures: the number of turns, and each side's median call time.
    """
    for _ in range(settings["warmup"]):
        first()
        second()
    durations: tuple[list[float], list[float]] = ([], [])
    sides = ((first, durations[0]), (second, durations[1]))
    deadline = time.perf_counter() + settings["seconds"]
    turn = 0
    while time.perf_counter() < deadline:
        for one, times in sides if turn % 2 == 0 else reversed(sides):
            began = time.perf_counter()
            one()
            times.append(time.perf_counter() - began)
        turn += 1
    return {
        "calls": turn,
        "median_seconds": statistics.median(durations[0]),
        "other_median_seconds": statistics.median(durations[1]),
    }


def digest_items(items: Iterable[dict[str, Any]]) -> tuple[int, str, list[str]]:
    """Count items and hash them in order; also keep the first and last ids."""
    sha = hashlib.sha256()
    count = 0
    ends: list[str] = []
    last = ""
    for item in items:
        sha.update(json.dumps(item, sort_keys=True).encode())
        sha.update(b"\n")
        last = str(item.get("doc_id"))
        if count == 0:
            ends.append(last)
        count += 1
    ends.append(last)
    return count, sha.hexdigest(), ends


def walk(settings: Settings) -> Figures:
    """Walk the member's documents with ``walk_docs``; time it, then hash the items."""
    api = make_client(settings)
    params = {"per_page": settings["per_page"]} if settings.get("per_page") else {}
    start = time.perf_counter()
    items = list(api.walk_docs(**params))
    seconds = time.perf_counter() - start
    count, digest, ends = digest_items(items)
    return {"seconds": seconds, "count": count, "digest": digest, "ends": ends}


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def walk_memory(settings: Settings) -> Figures:
    """Walk every document, keeping none, and measure how far memory grows.

    The documents must come numbered 1, 2, 3, … (as the stand-in numbers them).

    Python's allocations are traced (``tracemalloc``: peak during the walk
    minus what was allocated before it); the process's peak resident size
    (``VmHWM``, reset just before the walk) is reported beside them.
    """
    api = make_client(settings)
    api.test.echo(echo="warm up the connection pool")
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    rss_before = _rss_kib("VmRSS")
    start = time.perf_counter()
    count = 0
    in_order = True
    for doc in api.walk_docs():
        count += 1
        in_order = in_order and doc["doc_id"] == str(count)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "count": count,
        "in_order": in_order,
        "traced_growth_mb": (peak - before) / 2**20,
        "rss_growth_mb": (_rss_kib("VmHWM") - rss_before) / 1024,
    }


def _timed(call: Callable[[], Any], times: int) -> list[float]:
    durations = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        durations.append(time.perf_counter() - start)
    return durations


def cached_read(settings: Settings) -> Figures:
    """The same read (``doc.get``) again and again, with or without a cache.

    Without ``cache`` every read goes to the server; with ``"simple"`` (an
    in-process cachelib cache) or a ``redis://`` URL the first read fills the
    cache and the others should not leave the process (or reach Redis only).
    """
    options: dict[str, Any] = {}
    if settings["cache"] == "simple":
        from cachelib import SimpleCache

        options["cache"] = SimpleCache()
    elif settings["cache"]:
        import redis

        from ipernity.cache import RedisStore

        options["cache"] = RedisStore(redis.Redis.from_url(settings["cache"]))
    api = make_client(settings, **options)
    api.test.echo(echo="warm up the connection pool")
    doc_id = settings["doc_id"]
    durations = _timed(lambda: api.doc.get(doc_id=doc_id), settings["reads"] + 1)
    first, repeats = durations[0], durations[1:]
    return {
        "first_seconds": first,
        "repeat_median_seconds": statistics.median(repeats),
        "total_seconds": sum(durations),
    }


WORKLOADS: dict[str, Callable[[Settings], Figures]] = {
    "identify": identify,
    "calls": calls,
    "against_bare": against_bare,
    "paired_calls": paired_calls,
    "walk": walk,
    "walk_memory": walk_memory,
    "cached_read": cached_read,
}


def main(argv: list[str]) -> int:
    """Run the workload named by ``argv[1]`` with the JSON settings ``argv[2]``."""
    workload = WORKLOADS[argv[1]]
    settings = json.loads(argv[2]) if len(argv) > 2 else {}
    print(json.dumps(workload(settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
