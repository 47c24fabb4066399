"""The upgrade benchmark's visitors: the same members logged in to both sites, in turns.

Run by ``upgrade_bench.py`` in its own process (``python upgrade_client.py
'<json>'``). Each member logs in to each site through 0.1's routes — the
site's ``/ipernity/login``, the sandbox's authorization page (already approved:
it redirects at once) and the site's ``/ipernity/cb`` — with a browser (a
``requests.Session``) per site. Then the rounds: each site in turn, the one
going first alternating, gets ``concurrency`` threads asking ``/me`` for
``seconds``; every answer must be 200 and name its own member. The processor
time each site's process used meanwhile is read from ``/proc``. Prints one
JSON line of figures, and each member's cookies on each site at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

#: Seconds any single request may take.
TIMEOUT = 30.0


@dataclass
class Visitor:
    """One member's browser on one site."""

    site: str
    username: str
    member_cookies: dict[str, str]
    browser: requests.Session = field(default_factory=requests.Session)
    #: The site's cookies once logged in, kept up to date by its answers.
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def log_in(self) -> None:
        """Log in through 0.1's routes and the sandbox's authorization page."""
        start = self.browser.get(
            f"{self.site}/ipernity/login?next=/me", allow_redirects=False, timeout=TIMEOUT
        )
        if start.status_code != 302:
            raise RuntimeError(f"{self.site}/ipernity/login answered {start.status_code}")
        authorize = self.browser.get(
            start.headers["Location"],
            cookies=self.member_cookies,
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        location = authorize.headers.get("Location", "")
        if authorize.status_code != 302 or "frob=" not in location:
            raise RuntimeError(f"the authorization page answered {authorize.status_code}")
        # A browser coming back from Ipernity's page names its origin, as the callback checks.
        page = urlsplit(start.headers["Location"])
        referer = f"{page.scheme}://{page.netloc}/"
        done = self.browser.get(
            location, headers={"Referer": referer}, allow_redirects=False, timeout=TIMEOUT
        )
        if done.status_code != 302:
            raise RuntimeError(f"{self.site}'s callback answered {done.status_code}")
        self.cookies = {cookie.name: cookie.value or "" for cookie in self.browser.cookies}

    def ask(self) -> str:
        """Ask ``/me``; return what was wrong with the answer, or ``""``.

        Through a kept-alive ``http.client`` connection with the browser's
        cookies: far less of the machine's time than ``requests``, which the
        sites share it with.
        """
        if self.connection is None:
            parts = urlsplit(self.site)
            self.connection = http.client.HTTPConnection(
                parts.hostname or "", parts.port, timeout=TIMEOUT
            )
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            self.connection.request("GET", "/me", headers={"Cookie": cookie})
            answer = self.connection.getresponse()
            body = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.connection = None
            return type(exc).__name__
        for set_cookie in answer.headers.get_all("Set-Cookie") or []:
            # The site's session cookie, rewritten by 0.1 on every cached answer.
            name, _, rest = set_cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if answer.status != 200:
            return f"HTTP {answer.status}"
        if json.loads(body) != {"member": self.username, "user": self.username}:
            return "foreign"
        return ""


def cpu_seconds(pid: int) -> float:
    """The processor time process ``pid`` has used so far (user and system), from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_side(
    visitors: list[Visitor], seconds: float, concurrency: int, pid: int
) -> dict[str, Any]:
    """``concurrency`` threads ask ``/me`` as ``visitors`` for ``seconds``; count the answers.

    :param pid: the site's process, whose processor time the run uses is measured too.
    """
    answered = [0] * concurrency
    errors: list[str] = []
    lock = threading.Lock()
    ends = time.perf_counter() + seconds

    def worker(index: int) -> None:
        # Thread i plays visitors i, i + concurrency, …: a browser is never shared.
        mine = visitors[index::concurrency]
        turn = 0
        while time.perf_counter() < ends:
            problem = mine[turn % len(mine)].ask()
            turn += 1
            answered[index] += 1
            if problem:
                with lock:
                    errors.append(problem)

    started, cpu_before = time.perf_counter(), cpu_seconds(pid)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    return {"requests": sum(answered), "seconds": elapsed, "cpu": cpu, "errors": errors}


def run(plan: dict[str, Any]) -> dict[str, Any]:
    """Log every member in to every site, then run the rounds."""
    sides: dict[str, list[Visitor]] = {
        name: [Visitor(url.rstrip("/"), m["username"], m["cookies"]) for m in plan["members"]]
        for name, url in plan["sites"].items()
    }
    for visitors in sides.values():
        for visitor in visitors:
            visitor.log_in()
            # The first answer fills the request cache; every later one comes from it.
            if visitor.ask():
                raise RuntimeError(f"{visitor.site}/me failed for {visitor.username}")
    concurrency = min(plan["concurrency"], len(plan["members"]))
    names = list(sides)
    rounds: list[dict[str, Any]] = []
    for number in range(plan["rounds"]):
        order = names if number % 2 == 0 else names[::-1]
        results = {
            name: run_side(sides[name], plan["seconds"], concurrency, plan["pids"][name])
            for name in order
        }
        rounds.append(results)
    # The members' cookies as they stand, for the in-process rounds.
    cookies = {
        name: [{"username": v.username, "cookies": v.cookies} for v in visitors]
        for name, visitors in sides.items()
    }
    return {"rounds": rounds, "cookies": cookies}


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
