"""``login --oauth``: OAuth 1.0, the member's approval received by a local server.

The shell serves one page on a free port of 127.0.0.1, asks for a request
token with that page as the callback, and opens the authorization page. Once
the member approves, the browser comes back to the local page with the request
token, and the shell exchanges it for the access token: nothing to copy. The
wait ends with the approval, the timeout or Ctrl-C, and the server is closed
whatever happens. Each connection to the local page is served in a thread of
its own for at most :data:`CONNECTION_TIME` seconds (and never past the
login's timeout), so a slow or silent client holds neither the browser's
callback nor the login; connections still open when the login ends are cut.
"""

from __future__ import annotations

import contextlib
import hmac
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from ipernity.api import IpernityAPI
from ipernity.deadline import Deadline, Watch
from ipernity.oauth import OAuthHandler

from .errors import CommandError
from .session import Session

#: The path of the local callback page.
CALLBACK_PATH = "/callback"
#: Seconds between two looks at the clock while waiting (also Ctrl-C's latency).
TICK = 0.5
#: Seconds one connection to the local page may last: a browser needs far less.
CONNECTION_TIME = 10.0

_APPROVED_PAGE = (
    "<!doctype html><meta charset='utf-8'><title>Logged in</title>"
    "<div class='ok'><h1>The shell is logged in</h1>"
    "<p>You may close this window and go back to the shell.</p></div>"
)
_OTHER_PAGE = (
    "<!doctype html><meta charset='utf-8'><title>Not this login</title>"
    "<p>This is not the login the shell is waiting for.</p>"
)


class _CallbackServer(ThreadingMixIn, HTTPServer):
    """Serves the callback page until the expected request token comes back.

    Each connection has a thread of its own; :meth:`server_close` cuts those
    still open and waits for their threads.
    """

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CallbackPage)
        #: The request token the callback must carry.
        self.expected = ""
        #: Set once the callback with the expected request token was answered.
        self.approved = threading.Event()
        #: The ``oauth_verifier`` the callback carried (OAuth 1.0a services send one).
        self.verifier: str | None = None
        #: When the login gives up; set when the wait begins.
        self.deadline = Deadline(0)
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection ``request`` in a new thread, remembering it until it ends."""
        with self._lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Close a connection served, and forget it."""
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Stop listening, cut the connections still open, and wait for their threads."""
        with self._lock:
            still_open = list(self._open)
        for sock in still_open:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        super().server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Print nothing: a client cut off at the deadline is no error to show."""

    @property
    def callback_url(self) -> str:
        """The local page's URL, given as the OAuth callback."""
        return f"http://127.0.0.1:{self.server_port}{CALLBACK_PATH}"


class _Connection:
    """A served socket, in the shape :class:`~ipernity.deadline.Watch` shuts."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock


class _CallbackPage(BaseHTTPRequestHandler):
    # Each read waits this long at most; the connection's deadline bounds them all.
    timeout = 10

    def handle(self) -> None:
        """Serve the connection until it ends, its time is up or the login's is."""
        server = cast(_CallbackServer, self.server)
        deadline = Deadline(min(CONNECTION_TIME, server.deadline.remaining()))
        with Watch(deadline) as watch:
            watch.watch(_Connection(self.connection))
            super().handle()

    def do_GET(self) -> None:
        """Accept the callback that carries the expected request token."""
        server = cast(_CallbackServer, self.server)
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        token = query.get("oauth_token", [""])[0]
        if parts.path != CALLBACK_PATH or not token or not server.expected:
            self._answer(404, _OTHER_PAGE)
            return
        if not hmac.compare_digest(token.encode(), server.expected.encode()):
            self._answer(404, _OTHER_PAGE)
            return
        server.verifier = query.get("oauth_verifier", [None])[0]
        try:
            self._answer(200, _APPROVED_PAGE)
        finally:
            # Only now: once approved, the login closes the server, cutting connections.
            server.approved.set()

    def _answer(self, status: int, page: str) -> None:
        body = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: the request line holds the request token."""


def authorize_with_oauth(session: Session, perms: dict[str, str], timeout: float) -> IpernityAPI:
    """Run the OAuth flow for ``perms``; return a client holding the access token.

    :raises CommandError: when the member does not approve within ``timeout`` seconds.
    """
    from .login import show_link

    client = session.new_client(oauth=True)
    handler = cast(OAuthHandler, client.auth)
    with _CallbackServer() as server:
        request_token = handler.fetch_request_token(callback=server.callback_url)
        server.expected = request_token["oauth_token"]
        show_link(session, handler.auth_url(perms, request_token, server.callback_url))
        session.console.paragraph("Waiting for approval (Ctrl-C to give up)…")
        _wait_for_callback(server, timeout)
    handler.fetch_access_token(request_token, verifier=server.verifier)
    return client


def _wait_for_callback(server: _CallbackServer, timeout: float) -> None:
    server.deadline = Deadline(timeout)
    while not server.approved.is_set():
        remaining = server.deadline.remaining()
        if remaining <= 0:
            raise CommandError(f"Not approved within {timeout:g} s; run login --oauth again")
        server.timeout = min(TICK, remaining)
        server.handle_request()
