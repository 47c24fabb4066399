"""The OAuth login rows: what an anonymous ``/login`` costs, and a sealed token secret.

In OAuth mode a ``GET /login`` only shows the login button: the request token
is fetched on its POST. The first row sends 200 anonymous GETs, as a script
hammering ``/login`` would, and counts the request tokens the sandbox issued
(Flask-Ipernity 1.0.0 fetched one per GET: 200 upstream calls). The second
times a ``login_required`` view for a member logged in with OAuth, whose
access token's secret the session cookie carries sealed (Fernet), against the
same view for a member logged in with frobs, the two sites taking turns
request by request: the difference is what the sealed secret costs.

Run alone with ``.venv/bin/python benchmarks/oauth_login_bench.py``; ``run.py``
includes the rows.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from typing import Any
from urllib.parse import urlsplit

import requests

from demo_site import create_app
from ipernity.sandbox import App, Sandbox, User
from report import Row, render
from serving import ThreadedWaitress
from site_bench import VIEW_REQUESTS, request_times, site_settings

#: Anonymous GETs of the first row.
ANONYMOUS_GETS = 200
#: The callback the site sends with its request tokens (the benchmark follows it itself).
CALLBACK = "http://localhost/callback"
#: The share of a frob member's rate an OAuth member's login_required request must keep.
TARGET = 0.9


def oauth_login_rows(sandbox: Sandbox, sandbox_url: str) -> list[Row]:
    """Both rows, against ``sandbox`` served at ``sandbox_url``."""
    web = sandbox.add_app("OAuth benchmark site", auth="web", callback=CALLBACK)
    app = create_app(site_settings(sandbox_url, web, SITE_OAUTH_CALLBACK_URL=CALLBACK))
    return [
        anonymous_gets_row(app, sandbox, web),
        sealed_secret_row(app, sandbox, web, sandbox_url),
    ]


def request_tokens(sandbox: Sandbox, web: App) -> int:
    """How many request tokens the sandbox issued to ``web``."""
    count: int = sandbox.store.scalar(
        "SELECT COUNT(*) FROM oauth_request_tokens WHERE app_id = ?", (web.app_id,)
    )
    return count


def anonymous_gets_row(app: Any, sandbox: Sandbox, web: App) -> Row:
    """200 GETs of ``/login`` by visitors who never press the button."""
    before = request_tokens(sandbox, web)
    client = app.test_client()
    began = time.perf_counter()
    for _ in range(ANONYMOUS_GETS):
        if client.get("/login?next=/protected").status_code != 200:
            raise RuntimeError("GET /login did not answer the login page")
    elapsed = time.perf_counter() - began
    fetched = request_tokens(sandbox, web) - before
    return Row(
        f"OAuth: {ANONYMOUS_GETS} anonymous GET /login, request tokens fetched upstream",
        f"{fetched} calls, {elapsed:.2f} s",
        "",
        f"{fetched} calls (1.0.0: {ANONYMOUS_GETS})",
        "0 calls",
        fetched == 0,
    )


def sealed_secret_row(app: Any, sandbox: Sandbox, web: App, sandbox_url: str) -> Row:
    """A login_required view for an OAuth member against the same for a frob member.

    Both sites are called in turns, request by request, each with its member's
    cookie; the OAuth member's cookie carries the sealed secret.
    """
    frob_web = sandbox.add_app("Frob benchmark site", auth="web", callback=CALLBACK)
    frob_app = create_app(site_settings(sandbox_url, frob_web))
    oauth_member = sandbox.add_user("oauth-visitor", "OAuth visitor")
    frob_member = sandbox.add_user("frob-visitor", "Frob visitor")
    sandbox.grant(oauth_member, web, {"doc": "read"})
    sandbox.grant(frob_member, frob_web, {"doc": "read"})
    oauth_client, frob_client = app.test_client(), frob_app.test_client()
    log_in(oauth_client, sandbox, oauth_member)
    log_in(frob_client, sandbox, frob_member)
    sites = {
        "oauth": (app, session_cookie(oauth_client, app)),
        "frob": (frob_app, session_cookie(frob_client, frob_app)),
    }
    upstream = len(sandbox.calls)
    alternate(sites, VIEW_REQUESTS // 10)  # warm up
    times = alternate(sites, VIEW_REQUESTS)
    calls = len(sandbox.calls) - upstream
    oauth = 1 / statistics.median(times["oauth"])
    frob = 1 / statistics.median(times["frob"])
    share = oauth / frob
    return Row(
        f"login_required view, OAuth member (token secret sealed in the cookie) against a "
        f"frob member, in-process WSGI, 1 / median request time ({calls} calls upstream)",
        f"{oauth:.0f} req/s",
        "",
        f"{share:.1%} of the frob member's ({frob:.0f} req/s)",
        f"≥ {TARGET:.0%}, 0 calls",
        share >= TARGET and calls == 0,
    )


def session_cookie(client: Any, app: Any) -> str:
    """The ``Cookie`` header of ``client``'s session on ``app``."""
    session = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert session is not None
    return f"{session.key}={session.value}"


def alternate(sites: dict[str, tuple[Any, str]], rounds: int) -> dict[str, list[float]]:
    """``/protected`` on each site in turn, ``rounds`` times; each request's time."""
    times: dict[str, list[float]] = {name: [] for name in sites}
    for _ in range(rounds):
        for name, (app, cookie) in sites.items():
            times[name].extend(request_times(app, ["/protected"], cookie, 1)["/protected"])
    return times


def log_in(client: Any, sandbox: Sandbox, member: User) -> None:
    """Log in through the site's flow (OAuth: the button's page and its POST first)."""
    start = client.get("/login")
    if start.status_code == 200:
        found = re.search(r'name="csrf_token" value="([^"]+)"', start.get_data(as_text=True))
        if found is None:
            raise RuntimeError("the login page has no CSRF token")
        start = client.post("/login", data={"csrf_token": found.group(1), "next": "/"})
    approval = requests.get(
        start.headers["Location"],
        cookies=sandbox.signin_cookies(member),
        allow_redirects=False,
        timeout=10,
    )
    # What a browser sends coming back from the consent page: its origin, which
    # lets the site store the login at once instead of asking "Continue as …?".
    consent = urlsplit(start.headers["Location"])
    done = client.get(
        f"/callback?{urlsplit(approval.headers['Location']).query}",
        headers={"Referer": f"{consent.scheme}://{consent.netloc}/"},
    )
    if done.status_code != 302 or "/login/confirm" in done.headers["Location"]:
        raise RuntimeError(f"the benchmark's login failed ({done.status_code})")


def main() -> int:
    """Measure both rows against a sandbox under waitress; 0 if both targets are met."""
    with Sandbox() as sandbox, ThreadedWaitress(sandbox.wsgi_app, 4) as server:
        rows = oauth_login_rows(sandbox, server.url)
    print(render(rows))
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
