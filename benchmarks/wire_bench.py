"""What writing the sandbox's answers costs: the service's JSON layout and XML.

The envelope of a large answer (``doc.getList``, 100 documents with every
extra) is written by the sandbox's writers (:mod:`ipernity.sandbox.envelopes`)
and, for comparison, by a plain ``json.dumps`` (what the sandbox wrote before:
``api`` first, spaces, no reordering). Each figure is the median of 15 rounds
of 20 writes, so that a machine busy with other work weighs less; the time the
handler takes to build that answer is shown for scale. No target: figures for
the lead.

Run with ``.venv/bin/python benchmarks/wire_bench.py``.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from ipernity.sandbox import Sandbox
from ipernity.sandbox.dispatch import APIRequest, dispatch
from ipernity.sandbox.envelopes import write_json, write_xml

METHOD = "doc.getList"
ROUNDS = 15
WRITES = 20


def large_page() -> tuple[Sandbox, APIRequest]:
    """A sandbox with 100 documents, and the call for one page of them with every extra."""
    sandbox = Sandbox()
    app = sandbox.add_app("Bench", auth="desktop")
    member = sandbox.add_user("bench")
    for number in range(100):
        sandbox.add_doc(member, f"Document {number}", tags=["bench"], lat=1.0, lng=2.0)
    params = {
        "api_key": app.api_key,
        "user_id": str(member.user_id),
        "per_page": "100",
        "extra": "dates,count,geo,medias,original,owner",
    }
    return sandbox, APIRequest(METHOD, "json", "GET", params, {}, "http://127.0.0.1/")


def median_ms(write: Callable[[], object]) -> float:
    """Median milliseconds of one write, over :data:`ROUNDS` rounds."""
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(WRITES):
            write()
        rounds.append((time.perf_counter() - started) / WRITES * 1000)
    return statistics.median(rounds)


def main() -> None:
    """Print each writer's median time and answer size, and the handler's time."""
    sandbox, request = large_page()
    envelope = dispatch(sandbox.store, sandbox.settings, request).envelope
    plain = {"api": envelope["api"], **{k: v for k, v in envelope.items() if k != "api"}}
    writers: dict[str, Callable[[], bytes]] = {
        "plain json.dumps (before)": lambda: json.dumps(plain).encode(),
        "JSON, the service's layout": lambda: write_json(envelope, METHOD),
        "XML": lambda: write_xml(envelope, METHOD),
    }
    print(f"{METHOD}, 100 documents with every extra")
    for name, write in writers.items():
        print(f"  {name:28} {median_ms(write):7.2f} ms  {len(write()):8,d} bytes")
    answering = median_ms(lambda: dispatch(sandbox.store, sandbox.settings, request))
    print(f"  {'the handler, for scale':28} {answering:7.2f} ms")
    sandbox.close()


if __name__ == "__main__":
    main()
