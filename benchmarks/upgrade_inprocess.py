"""The upgrade benchmark's in-process side: ``legacy_site.py`` called through WSGI, no server.

Run by ``upgrade_bench.py`` once per side, with that side's interpreter
(``python upgrade_inprocess.py '<json>'``): the site's settings and the
logged-in members' cookies, taken from the served site, whose secret key
this process shares. It answers each member's ``/me`` once (a first answer
fills the request cache), prints ``ready``, then runs a round for each
``run <seconds>`` line it reads: the members' ``/me`` in turn, their cookies
kept up to date from the answers as a browser keeps them, for that many
seconds. Each round prints one JSON line: requests, seconds and the
processor time this process used meanwhile. Every answer must be 200 and
name its own member.

What it measures is the site's own work per request, without waitress's
and the other threads'.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from werkzeug.test import EnvironBuilder

from legacy_site import create_app, point_legacy_client_at


class Member:
    """One logged-in member's browser, talking straight to the WSGI application.

    :param app: the site's WSGI application.
    :param username: the member's username, which ``/me`` must name.
    :param cookies: the site's cookies for the member, by name.
    """

    def __init__(self, app: Callable[..., Any], username: str, cookies: Mapping[str, str]) -> None:
        self.app = app
        self.username = username
        self.cookies = dict(cookies)
        # Built once: the benchmark times the site, not the making of requests. The
        # address is the one the served site saw, which Flask-Login's protection compares.
        self._environ = EnvironBuilder(
            path="/me", environ_base={"REMOTE_ADDR": "127.0.0.1"}
        ).get_environ()
        self._cookie_header = self._joined_cookies()
        self._status = ""
        self._set_cookies: list[str] = []

    def ask(self) -> None:
        """Ask ``/me``; raise if the answer is not this member's page."""
        environ = {**self._environ, "HTTP_COOKIE": self._cookie_header}
        body_parts = self.app(environ, self._start_response)
        try:
            body = b"".join(body_parts)
        finally:
            getattr(body_parts, "close", lambda: None)()
        if self._set_cookies:
            # 0.1 sends the session cookie again after every cached answer.
            for set_cookie in self._set_cookies:
                name, _, rest = set_cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            self._cookie_header = self._joined_cookies()
        if self._status != "200 OK":
            raise RuntimeError(f"/me answered {self._status} for {self.username}")
        if json.loads(body) != {"member": self.username, "user": self.username}:
            raise RuntimeError(f"/me did not name {self.username}")

    def _joined_cookies(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _start_response(self, status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        self._status = status
        self._set_cookies = [value for name, value in headers if name.lower() == "set-cookie"]
        return lambda data: None


def run_round(members: list[Member], seconds: float) -> dict[str, float]:
    """Ask ``/me`` as each member in turn for ``seconds``; count requests and processor time."""
    answered = 0
    started, cpu_before = time.perf_counter(), time.process_time()
    ends = started + seconds
    while time.perf_counter() < ends:
        members[answered % len(members)].ask()
        answered += 1
    return {
        "requests": answered,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu_before,
    }


def main(plan: dict[str, Any]) -> int:
    """Set the site up, answer every member once, then run the rounds asked on stdin."""
    import warnings

    # The upgraded side warns once about each 0.1 name: the site is 0.1's on purpose.
    warnings.simplefilter("ignore", DeprecationWarning)
    point_legacy_client_at(plan["settings"])
    app = create_app(plan["settings"])
    members = [Member(app, m["username"], m["cookies"]) for m in plan["members"]]
    for member in members:
        member.ask()
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, seconds = line.partition(" ")
        if command != "run":
            break
        print(json.dumps(run_round(members, float(seconds))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
