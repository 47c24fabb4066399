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
from collections.abc import Callable
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
#: Seconds per round and side for the login_required row; rounds alternate the views.
VIEW_SECONDS = 1.0
VIEW_ROUNDS = 5
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


def wsgi_rate(app: Callable[..., Any], path: str, cookie: str, seconds: float) -> float:
    """Requests per second of ``app`` answering ``path`` with 200, called directly."""
    environ = EnvironBuilder(path=path, headers={"Cookie": cookie}).get_environ()
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        body = app(dict(environ), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()
        done += 1
    elapsed = time.perf_counter() - start
    if set(statuses) != {"200 OK"}:
        raise RuntimeError(f"{path} answered {sorted(set(statuses))}")
    return done / elapsed


class SiteBench:
    """Measures the site rows against ``sandbox``, served at ``sandbox_url``."""

    def __init__(self, sandbox: Sandbox, sandbox_url: str) -> None:
        self.sandbox = sandbox
        self.sandbox_url = sandbox_url

    def login_required(self) -> Row:
        """A login_required view for a logged-in visitor, against the same view bare."""
        sandbox = self.sandbox
        web = sandbox.add_app("Benchmark site", auth="web", callback="http://localhost/callback")
        member = sandbox.add_user("visitor", "Visitor")
        sandbox.grant(member, web, {"doc": "read"})
        app = create_app(site_settings(self.sandbox_url, web))
        client = app.test_client()
        self._log_in(client, member)
        session = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        assert session is not None
        cookie = f"{session.key}={session.value}"
        upstream = len(sandbox.calls)
        bare: list[float] = []
        guarded: list[float] = []
        for _ in range(VIEW_ROUNDS):
            bare.append(wsgi_rate(app, "/open", cookie, VIEW_SECONDS))
            guarded.append(wsgi_rate(app, "/protected", cookie, VIEW_SECONDS))
        calls = len(sandbox.calls) - upstream
        share = statistics.median(guarded) / statistics.median(bare)
        return Row(
            f"login_required view, logged-in visitor ({calls} calls upstream)",
            f"{statistics.median(guarded):.0f} req/s",
            "",
            f"{share:.1%} of bare ({statistics.median(bare):.0f} req/s)",
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
        done = client.get(f"/callback?{query}")
        if done.status_code != 302:
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
