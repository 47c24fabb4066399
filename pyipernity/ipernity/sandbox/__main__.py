"""``python -m ipernity.sandbox``: serve an offline Ipernity until Ctrl-C.

Prints where the API and the authorization page are, the applications' keys
and secrets, and the members (sign in as any of them, no password needed).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from . import grants
from .sandbox import Sandbox
from .seed import seed_demo

#: The port served on by default (the example app takes 5000).
DEFAULT_PORT = 5050


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m ipernity.sandbox", description="Serve an offline Ipernity."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0: any free one)")
    parser.add_argument("--db", help="SQLite file keeping the state across runs (default: memory)")
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name browsers reach the sandbox by, besides addresses and localhost"
        " (repeatable)",
    )
    parser.add_argument(
        "--seed",
        choices=("demo", "empty"),
        default="demo",
        help="content of a new sandbox (default: demo)",
    )
    parser.add_argument(
        "--oauth-verifier",
        action="store_true",
        help="speak OAuth 1.0a: send an oauth_verifier with each approval and require it "
        "(Ipernity sends none)",
    )
    parser.add_argument(
        "--oauth-drop-callback-port",
        action="store_true",
        help="drop the port of OAuth callback URLs, as Ipernity is reported to do",
    )
    return parser.parse_args(argv)


def describe(sb: Sandbox) -> str:
    """What the command prints once serving: URLs, applications and members."""
    lines = [
        f"Ipernity sandbox serving at {sb.base_url}",
        f"  API URL:           {sb.api_url}",
        f"  Authorization URL: {sb.authorize_url}",
        f"  OAuth URL:         {sb.oauth_url}  (request, authorize, access; "
        f"{'OAuth 1.0a, with verifiers' if sb.settings.oauth_verifier else 'no verifier'})",
        "",
        "Applications:",
    ]
    for row in sb.store.query("SELECT * FROM apps ORDER BY app_id"):
        app = grants.app_from_row(row)
        callback = f", callback {app.callback}" if app.callback else ""
        lines += [
            f"  {app.name} ({app.auth}{callback})",
            f"    api_key    {app.api_key}",
            f"    api_secret {app.api_secret}",
        ]
    members = sb.store.query("SELECT username, realname FROM users ORDER BY user_id")
    names = ", ".join(f"{m['username']} ({m['realname']})" for m in members) or "none yet"
    lines += ["", f"Members: {names}", "", "Press Ctrl-C to stop."]
    return "\n".join(lines)


def _stop_on_sigterm(stop: threading.Event) -> None:
    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status."""
    args = parse_args(argv)
    sb = Sandbox(
        db=args.db,
        oauth_verifier=args.oauth_verifier,
        oauth_drop_callback_port=args.oauth_drop_callback_port,
    )
    sb.settings.allowed_hosts.update(args.allow_host)
    try:
        fresh = sb.store.scalar("SELECT COUNT(*) FROM apps") == 0
        if fresh and args.seed == "demo":
            seed_demo(sb)
        try:
            sb.start(args.host, args.port)
        except OSError as error:
            print(f"Cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
            return 1
        print(describe(sb), flush=True)
        stop = threading.Event()
        _stop_on_sigterm(stop)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        print("\nStopped.")
        return 0
    finally:
        sb.close()


if __name__ == "__main__":
    sys.exit(main())
