"""The sandbox's API with some fields of its answers replaced: an Ipernity turned hostile.

For the tests that show what a site does with links and pictures it did not
write (``doc.link = "javascript:…"``). Everything else is the sandbox's own
answer, so logins and pages work as usual.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import make_server

from ipernity.sandbox import Sandbox


class RewritingAPI:
    """A WSGI application passing calls to ``sandbox``, with ``fields`` replaced in answers.

    :param sandbox: the sandbox that answers.
    :param fields: field name -> value, put wherever the name appears in a JSON answer.
    """

    def __init__(self, sandbox: Sandbox, fields: Mapping[str, str]) -> None:
        self.sandbox = sandbox
        self.fields = dict(fields)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        answered: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answered.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(self.sandbox.wsgi_app(environ, keep))
        headers = answered["headers"]
        if any(name == "Content-Type" and "json" in value for name, value in headers):
            body = json.dumps(self._replace(json.loads(body))).encode()
            headers = [(n, v) for n, v in headers if n != "Content-Length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(answered["status"], headers)
        return [body]

    def _replace(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: self.fields[key] if key in self.fields else self._replace(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self._replace(item) for item in value]
        return value


@contextmanager
def hostile_api(sandbox: Sandbox, fields: Mapping[str, str]) -> Iterator[str]:
    """Serve :class:`RewritingAPI` on a free port of 127.0.0.1; yield its API URL."""
    server = make_server("127.0.0.1", 0, RewritingAPI(sandbox, fields), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
