"""Failure injection: make the next calls fail the way a real network does.

:meth:`Sandbox.fail_next <ipernity.sandbox.Sandbox.fail_next>` queues a
:class:`Fault`; the server takes it when a matching call arrives and answers
with it instead of running the method. A fault may also only delay the calls it
hits (:meth:`Sandbox.delay_next <ipernity.sandbox.Sandbox.delay_next>`), and
hit only calls carrying given parameters (one page of a list). A client's
retries, timeouts, error handling and ordering can so be tested against a real
socket.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from .dispatch import error_envelope
from .envelopes import FORMATS, respond

_HTML_PAGE = """<!doctype html>
<html><head><title>{status}</title></head>
<body><h1>{status}</h1><p>The server is temporarily unable to answer.</p></body></html>
"""


@dataclass
class Fault:
    """One queued failure."""

    #: The method it hits, or ``"*"`` for any method.
    method: str
    #: Answer this API error code (an envelope with HTTP 200 unless ``http_status``).
    code: int | None = None
    #: Answer with this HTTP status.
    http_status: int | None = None
    #: Answer an HTML error page (HTTP 502 unless ``http_status``).
    html: bool = False
    #: Close the connection without answering.
    drop: bool = False
    #: Answer HTTP 200 with a document (JSON or XML) cut in the middle.
    truncated: bool = False
    #: How many calls it hits before it is spent.
    times: int = 1
    #: Seconds to wait before answering; alone, the method then runs as usual.
    delay: float = 0.0
    #: Hit only calls whose parameters include these values (``{"page": "2"}``).
    params: Mapping[str, str] = field(default_factory=dict)

    def hits(self, method: str, params: Mapping[str, str], *, wildcard: bool = True) -> bool:
        """Whether a call of ``method`` with ``params`` is one this fault hits.

        :param wildcard: whether a fault for ``"*"`` hits it.
        """
        if self.method != method and not (wildcard and self.method == "*"):
            return False
        return all(params.get(name) == value for name, value in self.params.items())

    @property
    def kind(self) -> str:
        """What the fault does, as :attr:`Call.fault` records it."""
        if self.drop:
            return "drop"
        if self.truncated:
            return "truncated"
        if self.html or (self.http_status and self.code is None):
            return "html"
        if self.http_status:
            return "http"
        if self.code is None and self.delay:
            return "delay"
        return "error"

    def wait(self) -> None:
        """Sleep for :attr:`delay` seconds (none for most faults)."""
        if self.delay > 0:
            time.sleep(self.delay)

    def response(self, environ: dict[str, Any], method: str, fmt: str = "json") -> Response:
        """The answer sent instead of ``method``'s, in format ``fmt`` where it
        is an API answer (JSON for a format the API does not know)."""
        fmt = fmt if fmt in FORMATS else "json"
        kind = self.kind
        if kind == "drop":
            _close_connection(environ)
            return Response(b"", status=502)
        if kind == "truncated":
            return _truncated(fmt)
        if kind == "html":
            status = self.http_status or 502
            page = _HTML_PAGE.format(status=status)
            return Response(page, status=status, mimetype="text/html")
        envelope = error_envelope(self.code or 999, "Injected failure")
        return respond(envelope, method, fmt, status=self.http_status or 200)


def _truncated(fmt: str) -> Response:
    """An answer cut in the middle, as a connection lost mid-answer leaves it."""
    envelope = {"doc": {"doc_id": "0", "title": ""}, "api": {"status": "ok"}}
    answer = respond(envelope, "doc.get", fmt)
    whole = answer.get_data()
    answer.set_data(whole[: len(whole) // 2])
    return answer


def _close_connection(environ: dict[str, Any]) -> None:
    # Werkzeug's server exposes the client socket; shutting it down makes the
    # client see the connection drop before any byte of an answer.
    sock = environ.get("werkzeug.socket")
    if not isinstance(sock, socket.socket):
        raise ConnectionAbortedError("injected dropped connection")
    sock.shutdown(socket.SHUT_RDWR)


class Faults:
    """The queue of pending faults, safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue ``fault`` behind those already waiting."""
        if fault.times < 1:
            raise ValueError("times must be at least 1")
        if fault.delay < 0:
            raise ValueError("delay must be 0 or more seconds")
        with self._lock:
            self._pending.append(fault)

    def take(
        self, method: str, params: Mapping[str, str] | None = None, *, wildcard: bool = True
    ) -> Fault | None:
        """Return the first fault hitting ``method(params)``, spending one of its times.

        :param wildcard: whether faults for ``"*"`` hit it too (not for media files).
        """
        with self._lock:
            for fault in self._pending:
                if fault.hits(method, params or {}, wildcard=wildcard):
                    fault.times -= 1
                    if fault.times == 0:
                        self._pending.remove(fault)
                    return fault
            return None

    def clear(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self._pending.clear()
