"""The site rows: what ``login_required`` costs, and the site under load.

``login_required`` is measured in-process, calling the WSGI application
directly with a logged-in visitor's cookie, so that nothing but Flask and the
extension is timed. The load test runs the demo site under waitress in its own
process, the sandbox under waitress in this one, and the visitors in a third.
"""

from __future__ import annotations

import json
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from werkzeug.test import EnvironBuilder

from demo_site import create_app
from ipernity.sandbox import App, Sandbox, User
from report import Row
from serving import SiteProcess

HERE = Path(__file__).resolve().parent
#: The sites of one run sign their sessions with the same fresh key.
SECRET_KEY = secrets.token_hex(16)
#: Requests per view for the login_required row, the views taking turns.
VIEW_REQUESTS = 5000
#: The load test's shape.
LOAD_VISITORS = 200
LOAD_REQUESTS = 10_000
LOAD_CONCURRENCY = 32
SITE_THREADS = 8


def site_settings(sandbox_url: str, app: App, **extra: str) -> dict[str, str]:
    """The demo site's settings for ``app`` on the sandbox served at ``sandbox_url``."""
    return {
        "SITE_SECRET_KEY": SECRET_KEY,
        "SITE_API_KEY": app.api_key,
        "SITE_API_SECRET": app.api_secret,
        "SITE_API_URL": sandbox_url + "api/",
        "SITE_AUTH_URL": sandbox_url + "apps/authorize",
        **extra,
    }


def request_times(
    app: Callable[..., Any], paths: Sequence[str], cookie: str, rounds: int
) -> dict[str, list[float]]:
    """Call ``app`` directly for each of ``paths`` in turn, ``rounds`` times; time each call.

    Taking turns request by request, the views share whatever else the machine
    does at the time. Every answer must be 200.
    """
    environs = {
        path: EnvironBuilder(path=path, headers={"Cookie": cookie}).get_environ() for path in paths
    }
    times: dict[str, list[float]] = {path: [] for path in paths}
    statuses: set[str] = set()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.add(status)
        return lambda data: None

    for _ in range(rounds):
        for path in paths:
            began = time.perf_counter()
            body = app(dict(environs[path]), start_response)
            b"".join(body)
            getattr(body, "close", lambda: None)()
            times[path].append(time.perf_counter() - began)
    if statuses != {"200 OK"}:
        raise RuntimeError(f"{paths} answered {sorted(statuses)}")
    return times


class SiteBench:
    """Measures the site rows against ``sandbox``, served at ``sandbox_url``."""

    def __init__(self, sandbox: Sandbox, sandbox_url: str) -> None:
        self.sandbox = sandbox
        self.sandbox_url = sandbox_url

    def login_required(self, token_storage: str = "") -> Row:
        """A login_required view for a logged-in visitor, against the same view bare.

        :param token_storage: ``IPERNITY_TOKEN_STORAGE`` (a ``redis://`` URL)
            for an informative row; the default session storage is the target's.
        """
        sandbox = self.sandbox
        web = sandbox.add_app("Benchmark site", auth="web", callback="http://localhost/callback")
        member = sandbox.add_user("redis-visitor" if token_storage else "visitor", "Visitor")
        sandbox.grant(member, web, {"doc": "read"})
        app = create_app(site_settings(self.sandbox_url, web, SITE_TOKEN_STORAGE=token_storage))
        client = app.test_client()
        self._log_in(client, member)
        session = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        assert session is not None
        cookie = f"{session.key}={session.value}"
        upstream = len(sandbox.calls)
        request_times(app, ["/open", "/protected"], cookie, VIEW_REQUESTS // 10)  # warm up
        times = request_times(app, ["/open", "/protected"], cookie, VIEW_REQUESTS)
        calls = len(sandbox.calls) - upstream
        bare = 1 / statistics.median(times["/open"])
        guarded = 1 / statistics.median(times["/protected"])
        share = guarded / bare
        if token_storage:
            return Row(
                "  same, tokens on Redis (GETEX and generation GET, one round trip)",
                f"{guarded:.0f} req/s",
                "",
                f"{share:.1%} of bare ({bare:.0f} req/s)",
                "",
                None,
            )
        return Row(
            f"login_required view, logged-in visitor, in-process WSGI, 1 / median request "
            f"time ({calls} calls upstream)",
            f"{guarded:.0f} req/s",
            "",
            f"{share:.1%} of bare ({bare:.0f} req/s)",
            "≥ 85 %, 0 calls",
            share >= 0.85 and calls == 0,
        )

    def _log_in(self, client: Any, member: User) -> None:
        start = client.get("/login")
        authorize = requests.get(
            start.headers["Location"],
            cookies=self.sandbox.signin_cookies(member),
            allow_redirects=False,
            timeout=10,
        )
        query = urlsplit(authorize.headers["Location"]).query
        # Approved at once: a browser's redirect chain keeps the site's page as Referer.
        done = client.get(f"/callback?{query}", headers={"Referer": "http://localhost/"})
        if done.status_code != 302 or done.headers["Location"].endswith("/login/confirm"):
            raise RuntimeError(f"the benchmark's login failed ({done.status_code})")

    def load(self) -> Row:
        """200 logged-in visitors, 10,000 requests at once, through real servers."""
        sandbox = self.sandbox
        web = sandbox.add_app("Load site", auth="web", callback="http://127.0.0.1:9/callback")
        visitors = []
        for number in range(LOAD_VISITORS):
            user = sandbox.add_user(f"load{number:03d}", f"Load visitor {number}")
            sandbox.grant(user, web, {"doc": "read"})
            visitors.append({"username": user.username, "cookies": sandbox.signin_cookies(user)})
        settings = site_settings(self.sandbox_url, web, SITE_THREADS=str(SITE_THREADS))
        with SiteProcess(settings) as site:
            sandbox.update_app(web, callback=f"{site.url}/callback")
            plan = {
                "site": site.url,
                "visitors": visitors,
                "requests": LOAD_REQUESTS,
                "concurrency": LOAD_CONCURRENCY,
            }
            command = [sys.executable, "-I", str(HERE / "loadclient.py"), json.dumps(plan)]
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=300, check=False
            )
        if done.returncode != 0:
            raise RuntimeError(f"the load client failed:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.splitlines()[-1])
        errors, foreign = figures["errors"], figures["foreign"]
        return Row(
            f"load: {figures['visitors']} visitors, {figures['requests']} × /me "
            f"(login_required + user.get), {LOAD_CONCURRENCY} clients, waitress "
            f"{SITE_THREADS} threads; {errors} errors {figures['error_kinds']}, "
            f"{foreign} answers naming another visitor",
            f"{figures['per_second']:.0f} req/s, p50 {figures['p50_ms']:.1f} ms, "
            f"p95 {figures['p95_ms']:.1f} ms",
            "",
            f"{errors} errors, {foreign} foreign",
            "0 errors, 0 foreign",
            errors == 0 and foreign == 0 and figures["requests"] == LOAD_REQUESTS,
        )
