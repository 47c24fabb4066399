"""OAuth-signed calls per second against MD5-signed ones: same client, server and run.

Both sides are this project's client, against the same sandbox: one signs
with ``api_sig`` (MD5), the other with OAuth 1.0 (HMAC-SHA1 through oauthlib,
checked on the sandbox by oauthlib's endpoint). Each round is a fresh process
(``workload.py paired_calls``) in which the two clients take turns call by
call, the one going first alternating, so that both meet the same moments of
a machine busy with other work. The target: OAuth keeps at least 0.8× of the
MD5 rate on ``doc.get``.

``doc.get`` needs no ``api_sig`` (the service and the sandbox do not check the
one sent), while every OAuth signature is checked; an information row repeats
the comparison on ``doc.getPerms``, whose MD5 signature the sandbox checks too.

Run alone with ``.venv/bin/python benchmarks/oauth_bench.py``; ``run.py``
includes the rows.
"""

from __future__ import annotations

import statistics
import sys

from client_bench import ClientFixture, run_workload
from ipernity.sandbox import Sandbox
from report import Row, ratio, render
from serving import ThreadedWaitress

#: The share of the MD5-signed rate OAuth-signed calls must keep.
TARGET = 0.8
#: Rounds, each a fresh process: more than the other call rows, the two sides being this close.
ROUNDS = 11
#: Seconds of each round, both sides' calls taking turns.
ROUND_SECONDS = 1.2
#: A method whose ``api_sig`` the sandbox checks, for the information row.
CHECKED_METHOD = "doc.getPerms"


def oauth_rows(fixture: ClientFixture) -> list[Row]:
    """The target row on ``doc.get``, and the information row on :data:`CHECKED_METHOD`."""
    return [oauth_row(fixture), oauth_row(fixture, CHECKED_METHOD, target=False)]


def oauth_row(fixture: ClientFixture, method: str = "doc.get", target: bool = True) -> Row:
    """Time ``method`` signed both ways, calls taking turns; compare the median call times.

    :param fixture: needs the tokens ``walker`` (frob) and ``walker_oauth``.
    :param target: judge the figure against :data:`TARGET`, or only show it.
    """
    settings = fixture.settings(
        "walker",
        method=method,
        seconds=ROUND_SECONDS,
        warmup=30,
        other={"token": fixture.tokens["walker_oauth"], "auth": "oauth"},
    )
    rounds = [run_workload(sys.executable, "paired_calls", settings) for _ in range(ROUNDS)]
    md5 = [run["median_seconds"] for run in rounds]
    oauth = [run["other_median_seconds"] for run in rounds]
    shares = [plain / signed for plain, signed in zip(md5, oauth, strict=True)]
    share = statistics.median(shares)
    # The middle half of the rounds' ratios: how steady the figure is.
    low, _, high = statistics.quantiles(shares, n=4)
    md5_rate = 1 / statistics.median(md5)
    oauth_rate = 1 / statistics.median(oauth)
    checked = "" if target else ", both signatures checked"
    return Row(
        f"OAuth-signed {method} calls/s against MD5-signed, same client and server "
        f"(calls taking turns, {ROUNDS} rounds{checked})",
        f"{oauth_rate:.0f}/s OAuth",
        "",
        f"{ratio(share)} of MD5 ({md5_rate:.0f}/s; middle half {low:.2f}–{high:.2f})",
        f"≥ {TARGET:.2f}×" if target else "",
        share >= TARGET if target else None,
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
        rows = oauth_rows(oauth_fixture(sandbox, server.url))
    print(render(rows))
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
