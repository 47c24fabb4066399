"""A tiny HTTP server on a real socket that answers as a test scripts it.

For the tests that replay hostile servers (trickled, endless, huge or odd
answers) against the transport and the media proxy.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

#: Writes the answer on the connection; the event is set when the test ends.
Handler = Callable[[socket.socket, threading.Event], None]


class ScriptedServer:
    """Serves each connection in a thread of its own and counts them.

    :meth:`answer` reads the request's head, then ``handler`` writes the
    answer; a subclass may answer otherwise. :meth:`close` ends every thread.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0
        self.stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    @property
    def base_url(self) -> str:
        """The server's address, without a trailing slash."""
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    @property
    def api_url(self) -> str:
        """The server's address as the client's API URL."""
        return self.base_url + "/api/"

    def answer(self, conn: socket.socket) -> None:
        """Answer one connection: read the request's head, then let the handler write."""
        read_request_head(conn)
        self.handler(conn, self.stop)

    def close(self) -> None:
        """Stop accepting, end every connection's thread and close the socket."""
        self.stop.set()
        self._accepting.join()
        for thread in self._threads:
            thread.join()
        self._listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        # The client going away is no failure: what the test checks is on its side.
        with conn, contextlib.suppress(OSError):
            self.answer(conn)


def read_request_head(conn: socket.socket) -> bytes:
    """Read up to the end of a request's head and return what was read.

    :raises OSError: when the client closes the connection first.
    """
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data
