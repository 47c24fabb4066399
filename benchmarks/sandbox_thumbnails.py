"""Thumbnails on a fresh sandbox: how long an album page of 24 photos takes to complete.

Each round starts a fresh demo sandbox, as ``python -m ipernity.sandbox`` and the
example site's embedded sandbox do (``Sandbox()``, ``seed_demo``, served by
``Sandbox.start``), so that no picture has been drawn yet, and loads one page
as a browser does: the page, then its pictures over 6 keep-alive connections
at once. The time runs from asking for the page to the last picture's last byte.

- **sandbox album page**: the sandbox's own page of alice's album
  (``/doc/<owner>/album/<id>``, its link in the API's answers), 24 thumbnails
  straight from the sandbox's ``/media/``;
- **example site album page**: the example site's ``/albums/<id>`` for alice,
  logged in through the real flow, 24 thumbnails through Flask-Ipernity's media
  proxy (a ``doc.getMedias`` call, then the file, for each).

Target: under 1 s for both, on this machine.
Run: ``.venv/bin/python benchmarks/sandbox_thumbnails.py``.
"""

from __future__ import annotations

import logging
import os
import re
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from example_app import create_app  # noqa: E402
from ipernity.pytest_plugin import approve  # noqa: E402
from ipernity.sandbox import Sandbox, User  # noqa: E402
from ipernity.sandbox.seed import seed_demo  # noqa: E402

#: Fresh sandboxes per page; the median and the worst are reported.
ROUNDS = 5
#: The connections a browser opens to one host at once.
CONNECTIONS = 6
#: The photos on one album page, on the sandbox and on the example site.
PAGE_SIZE = 24
#: Seconds within which the page and its pictures must be complete.
TARGET = 1.0
TIMEOUT = 30.0

# The example site's server would log each of its requests.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

_IMG = re.compile(r"<img src=['\"]([^'\"]+)['\"]")


@dataclass(frozen=True)
class Load:
    """One page loaded as a browser loads it."""

    seconds: float
    #: CPU seconds the whole process spent (the servers run in it): a figure
    #: other work on a shared machine does not stretch.
    cpu: float
    pictures: int


def load_page(url: str, cookies: dict[str, str], keep: Callable[[str], bool]) -> Load:
    """Load ``url`` and the pictures ``keep`` selects, :data:`CONNECTIONS` at a time."""
    local = threading.local()

    def fetch(src: str) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.cookies.update(cookies)
        answer = local.session.get(src, timeout=TIMEOUT)
        answer.raise_for_status()
        assert answer.content[:3] == b"\xff\xd8\xff", src
        return len(answer.content)

    started, cpu = time.perf_counter(), time.process_time()
    with requests.Session() as browser:
        browser.cookies.update(cookies)
        page = browser.get(url, timeout=TIMEOUT)
        page.raise_for_status()
    base = url.split("/", 3)
    origin = f"{base[0]}//{base[2]}"
    sources = [origin + src for src in _IMG.findall(page.text) if keep(src)]
    if len(sources) != PAGE_SIZE:
        raise RuntimeError(f"{url} shows {len(sources)} pictures, not {PAGE_SIZE}")
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        list(pool.map(fetch, sources))
    return Load(time.perf_counter() - started, time.process_time() - cpu, len(sources))


@contextmanager
def fresh_demo() -> Iterator[tuple[Sandbox, User, int]]:
    """A fresh demo sandbox, serving; alice and her first album of a full page or more."""
    sandbox = Sandbox()
    demo = seed_demo(sandbox)
    sandbox.start()
    alice = demo.members[0]
    album_id = sandbox.store.scalar(
        "SELECT album_id FROM album_docs JOIN albums USING (album_id) WHERE owner_id = ?"
        " GROUP BY album_id HAVING COUNT(*) >= ? ORDER BY album_id LIMIT 1",
        (alice.user_id, PAGE_SIZE),
    )
    try:
        yield sandbox, alice, int(album_id)
    finally:
        sandbox.close()


def sandbox_album_page() -> Load:
    """The sandbox's own page of an album, alice signed in on the sandbox."""
    with fresh_demo() as (sandbox, alice, album_id):
        url = f"{sandbox.base_url}doc/{alice.user_id}/album/{album_id}"
        return load_page(url, sandbox.signin_cookies(alice), lambda src: "/media/" in src)


@contextmanager
def example_site(sandbox: Sandbox) -> Iterator[str]:
    """The example site on ``sandbox``'s demo web application, in a threaded server."""
    row = sandbox.store.one("SELECT * FROM apps WHERE auth = 'web' ORDER BY app_id LIMIT 1")
    assert row is not None
    site = create_app(
        {
            "SECRET_KEY": "benchmark",
            "IPERNITY_API_KEY": row["api_key"],
            "IPERNITY_API_SECRET": row["api_secret"],
            "IPERNITY_API_URL": sandbox.api_url,
            "IPERNITY_AUTH_URL": sandbox.authorize_url,
            # The sandbox is on this machine: the media proxy may fetch from it.
            "IPERNITY_MEDIA_LOCAL_HOSTS": [sandbox.base_url],
        }
    )
    server = make_server("127.0.0.1", 0, site, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    sandbox.store.execute(
        "UPDATE apps SET callback = ? WHERE app_id = ?", (f"{url}/callback", row["app_id"])
    )
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def example_site_album_page() -> Load:
    """The example site's page of an album, alice logged in through the real flow."""
    with fresh_demo() as (sandbox, alice, album_id), example_site(sandbox) as site:
        with requests.Session() as browser:
            start = browser.get(f"{site}/login", allow_redirects=False, timeout=TIMEOUT)
            callback = approve(sandbox, alice, start.headers["Location"])
            # Approved on the consent page: the browser comes from the sandbox's page.
            done = browser.get(
                callback,
                headers={"Referer": sandbox.base_url},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            if done.status_code != 302 or done.headers["Location"].endswith("/login/confirm"):
                raise RuntimeError(f"the benchmark's login failed ({done.status_code})")
            cookies = browser.cookies.get_dict()
        return load_page(f"{site}/albums/{album_id}", cookies, lambda src: "/media/" in src)


def measure(name: str, run: Callable[[], Load]) -> bool:
    """Run ``run`` :data:`ROUNDS` times; print the median and the worst; tell if on target."""
    loads = [run() for _ in range(ROUNDS)]
    seconds = [load.seconds for load in loads]
    median, worst = statistics.median(seconds), max(seconds)
    cpu = statistics.median(load.cpu for load in loads)
    pictures = {load.pictures for load in loads}
    verdict = "PASS" if median < TARGET else "FAIL"
    print(
        f"{name:<26} {pictures.pop():>3} pictures  median {median:.2f} s  worst {worst:.2f} s"
        f"  CPU {cpu:.2f} s  (target < {TARGET:.0f} s)  {verdict}",
        flush=True,
    )
    return median < TARGET


def main() -> int:
    """Measure both pages; exit 1 if one misses the target."""
    # Wall times stretch with other work on a shared machine; the CPU column does not.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    results = [
        measure("sandbox album page", sandbox_album_page),
        measure("example site album page", example_site_album_page),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
