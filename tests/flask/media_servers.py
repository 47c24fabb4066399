"""Stand-ins for Ipernity whose answers a test chooses, for the media proxy's tests.

Imported by the tests as ``media_servers``: an API answering ``doc.getMedias``
with the URLs a test lists, and a file server beside it, served over HTTP (or
HTTPS) on a free port of 127.0.0.1.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


@dataclass
class FakeIpernity:
    """An API answering doc.getMedias with chosen URLs, and a file server beside it."""

    url: str = ""
    #: label -> media URL the API lists for every document.
    thumbs: dict[str, str] = field(default_factory=dict)
    #: path -> (status, headers, body) the file server answers.
    files: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    #: seconds the file server waits before answering.
    delay: float = 0.0
    #: (path, headers) of every file request received.
    fetched: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path.startswith("/api/"):
            thumbs = [{"label": label, "url": url} for label, url in self.thumbs.items()]
            answer = {"api": {"status": "ok"}, "thumbs": {"thumb": thumbs}}
            response = Response(json.dumps(answer), mimetype="application/json")
        else:
            self.fetched.append((request.path, dict(request.headers)))
            time.sleep(self.delay)
            status, headers, body = self.files.get(request.path, (404, {}, b"missing"))
            response = Response(body, status=status, headers=headers)
        return response(environ, start_response)


Served = TypeVar("Served", bound=FakeIpernity)


@contextmanager
def serving(fake: Served, tls: ssl.SSLContext | None = None) -> Iterator[Served]:
    """Serve ``fake`` on a free port of 127.0.0.1 (over TLS with ``tls``); set its ``url``."""
    server = make_server("127.0.0.1", 0, fake, threaded=True, ssl_context=tls)
    scheme = "https" if tls is not None else "http"
    fake.url = f"{scheme}://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
