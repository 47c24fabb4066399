"""OAuth-signed calls per second against MD5-signed ones: same client, server and run.

Both sides are this project's client, each in a fresh process (``workload.py
calls``), taking turns for short rounds against the same sandbox: one signs
with ``api_sig`` (MD5), the other with OAuth 1.0 (HMAC-SHA1 through
requests-oauthlib, checked on the sandbox by oauthlib). The target: OAuth keeps
at least 0.8× of the MD5 rate.

Run alone with ``.venv/bin/python benchmarks/oauth_bench.py``; ``run.py``
includes the row.
"""

from __future__ import annotations

import statistics
import sys
from typing import Any

from client_bench import CALL_SECONDS, ClientFixture, run_workload
from ipernity.sandbox import Sandbox
from report import Row, ratio, render
from serving import ThreadedWaitress

#: The share of the MD5-signed rate OAuth-signed calls must keep.
TARGET = 0.8
#: Paired rounds: more than the other call rows, the two sides being this close.
ROUNDS = 11


def oauth_row(fixture: ClientFixture, method: str = "doc.get") -> Row:
    """Time ``method`` signed both ways, in paired rounds; compare the median call times.

    :param fixture: needs the tokens ``walker`` (frob) and ``walker_oauth``.
    """
    common: dict[str, Any] = {"method": method, "seconds": CALL_SECONDS, "warmup": 30}
    md5_settings = fixture.settings("walker", **common)
    oauth_settings = fixture.settings("walker_oauth", auth="oauth", **common)
    md5: list[dict[str, Any]] = []
    oauth: list[dict[str, Any]] = []
    for _ in range(ROUNDS):
        md5.append(run_workload(sys.executable, "calls", md5_settings))
        oauth.append(run_workload(sys.executable, "calls", oauth_settings))
    share = statistics.median(
        plain["median_seconds"] / signed["median_seconds"]
        for plain, signed in zip(md5, oauth, strict=True)
    )
    md5_rate = 1 / statistics.median(run["median_seconds"] for run in md5)
    oauth_rate = 1 / statistics.median(run["median_seconds"] for run in oauth)
    return Row(
        f"OAuth-signed {method} calls/s against MD5-signed, same client and server "
        f"({ROUNDS} paired rounds)",
        f"{oauth_rate:.0f}/s OAuth",
        "",
        f"{ratio(share)} of MD5 ({md5_rate:.0f}/s)",
        f"≥ {TARGET:.2f}×",
        share >= TARGET,
    )


def oauth_fixture(sandbox: Sandbox, root_url: str) -> ClientFixture:
    """A member with one document, and both kinds of token for one application."""
    app = sandbox.add_app("OAuth benchmark", auth="desktop")
    member = sandbox.add_user("signer", "Signer")
    doc = sandbox.add_doc(member, "Signed")
    return ClientFixture(
        api_url=root_url + "api/",
        api_key=app.api_key,
        api_secret=app.api_secret,
        tokens={
            "walker": sandbox.grant(member, app, {"doc": "read"}),
            "walker_oauth": sandbox.grant_oauth(member, app, {"doc": "read"}),
        },
        doc_id=doc.doc_id,
    )


def main() -> int:
    """Measure the row on a sandbox of its own; 0 if the target is met."""
    with Sandbox() as sandbox, ThreadedWaitress(sandbox.wsgi_app, 8) as server:
        row = oauth_row(oauth_fixture(sandbox, server.url))
    print(render([row]))
    return 0 if row.passed else 1


if __name__ == "__main__":
    sys.exit(main())
