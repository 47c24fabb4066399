"""HTTP transport: one pooled session, timeouts, retries, and answers checked.

This is the only module that talks HTTP. It turns every failure into an
:class:`~ipernity.exceptions.IpernityError` whose message names the method and
the cause, and never includes a URL (whose query string would hold the token
and the signature).
"""

from __future__ import annotations

import http.cookiejar
import json
import logging
import random
import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from .exceptions import (
    InvalidResponse,
    RateLimited,
    RequestTimeout,
    TransportError,
    error_for,
    redact,
)
from .multipart import MultipartBody, open_upload

if TYPE_CHECKING:
    from requests.auth import AuthBase
    from requests.sessions import _Settings

log = logging.getLogger("ipernity")

#: Seconds to wait for a connection, and for an answer once connected.
DEFAULT_TIMEOUT = (10.0, 60.0)
#: How many times an idempotent call is tried again after a passing failure.
DEFAULT_RETRIES = 3
#: Connections kept open per host; enough for parallel walks and threaded sites.
POOL_SIZE = 32

_RETRY_HTTP = frozenset({429, 500, 502, 503, 504})
_MAX_DELAY = 30.0

Timeout = float | tuple[float, float]
JSON = dict[str, Any]


class PooledSession(requests.Session):
    """A session that reads the environment's proxy and CA settings once per host.

    requests looks through every environment variable (proxies, ``no_proxy``,
    CA bundles) on each request: a fifth of a small call's time. A client's
    process reads them on its first call to each scheme and host instead.
    """

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple[str, str], _Settings] = {}

    def merge_environment_settings(
        self, url: str | bytes | None, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> _Settings:
        """requests' settings for ``url``, remembered per scheme and host."""
        if proxies or stream is not None or verify is not None or cert is not None:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        text = url.decode() if isinstance(url, bytes) else url or ""
        origin = urlsplit(text)[:2]
        settings = self._environment.get(origin)
        if settings is None:
            settings = super().merge_environment_settings(url, {}, None, None, None)
            self._environment[origin] = settings
        # A copy: requests merges each call's own proxies into what it gets.
        return {**settings, "proxies": dict(settings["proxies"])}


class _MaskCredentials(logging.Filter):
    """Masks credentials in urllib3's debug lines, which quote each request's URL.

    A GET carries the token and the signature in its query string, and urllib3
    logs that URL; secrets must not reach any log record.
    """

    _SECRET = re.compile(
        r"\b(auth_token|api_sig|frob|oauth_token|oauth_token_secret|oauth_signature)=[^&\s\"']*"
    )

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and any(isinstance(arg, str) and "=" in arg for arg in record.args):
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(self._mask(arg) for arg in args)
        return True

    def _mask(self, value: object) -> object:
        return self._SECRET.sub(r"\1=***", value) if isinstance(value, str) else value


_URLLIB3_LOG = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, _MaskCredentials) for f in _URLLIB3_LOG.filters):
    _URLLIB3_LOG.addFilter(_MaskCredentials())


def new_session() -> requests.Session:
    """Create a pooled, keep-alive session that stores no cookies.

    Refusing cookies keeps one session safe to share between threads and
    between the visitors of a site.
    """
    session = PooledSession()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=POOL_SIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class Transport:
    """Sends API calls and returns their checked JSON answers.

    :param timeout: seconds, or ``(connect, read)`` seconds, for every request.
    :param retries: extra tries for a GET after a connection error, HTTP 5xx or
        429, or the rate-limit error 113. POSTs are never retried, nor are calls
        whose answer did not come within the read timeout.
    :param backoff: the first retry's delay in seconds; each next one doubles,
        with random jitter.
    :param session: a :class:`requests.Session` to use instead of a new one.
    """

    def __init__(
        self,
        timeout: Timeout = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        session: requests.Session | None = None,
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.session = session if session is not None else new_session()

    def call(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        *,
        post: bool,
        upload: Any = None,
        auth: AuthBase | None = None,
    ) -> JSON:
        """Send one API call and return its parsed answer.

        :param upload: a path or binary file object sent as the streamed,
            unsigned ``file`` part of a multipart POST.
        :param auth: signs each attempt's request (OAuth), if given.
        :raises APIRequestError: (or a subclass) for an error from the service.
        :raises InvalidResponse: for an answer that is not the service's JSON.
        :raises TransportError: when the service cannot be reached in time.
        """
        if log.isEnabledFor(logging.DEBUG):
            log.debug("Calling %s %s", method, redact(params))
        attempt = 0
        while True:
            try:
                return self._send_once(method, url, params, post=post, upload=upload, auth=auth)
            except (TransportError, InvalidResponse, RateLimited) as exc:
                delay = self._retry_delay(exc, attempt, post)
                if delay is None:
                    raise
                log.info("%s failed (%s); trying again in %.1f s", method, exc, delay)
                time.sleep(delay)
                attempt += 1

    def _retry_delay(self, exc: Exception, attempt: int, post: bool) -> float | None:
        if post or attempt >= self.retries:
            return None
        # A slow answer would likely be slow again: the caller has waited long enough.
        if isinstance(exc, RequestTimeout) and not exc.connecting:
            return None
        if isinstance(exc, InvalidResponse) and exc.code not in _RETRY_HTTP:
            return None
        if isinstance(exc, RateLimited) and exc.code != 113:
            return None
        delay = min(_MAX_DELAY, self.backoff * 2.0**attempt) * random.uniform(0.5, 1.5)
        retry_after = exc.retry_after if isinstance(exc, InvalidResponse) else None
        if retry_after is not None:
            delay = max(delay, min(_MAX_DELAY, retry_after))
        return delay

    def _send_once(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        *,
        post: bool,
        upload: Any,
        auth: AuthBase | None = None,
    ) -> JSON:
        host = urlsplit(url).netloc
        try:
            if upload is not None:
                with open_upload(upload) as (filename, fileobj):
                    body = MultipartBody(params, "file", filename, fileobj)
                    headers = {"Content-Type": body.content_type}
                    response = self.session.post(
                        url, data=body, headers=headers, timeout=self.timeout, auth=auth
                    )
            elif post:
                response = self.session.post(url, data=params, timeout=self.timeout, auth=auth)
            else:
                response = self.session.get(url, params=params, timeout=self.timeout, auth=auth)
        except requests.ConnectTimeout:
            raise RequestTimeout(
                f"{method}: could not connect to {host} within {_describe(self.timeout)}",
                method,
                connecting=True,
            ) from None
        except requests.Timeout:
            raise RequestTimeout(
                f"{method}: no answer from {host} within {_describe(self.timeout)}", method
            ) from None
        except requests.RequestException as exc:
            raise TransportError(
                f"{method}: cannot reach {host} ({_cause(exc)})", method
            ) from None
        return parse_answer(method, response, params)

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()


def parse_answer(method: str, response: requests.Response, params: Mapping[str, Any]) -> JSON:
    """Check an HTTP answer and return the service's JSON, or raise the right error."""
    if not 200 <= response.status_code < 300:
        error = InvalidResponse(
            "httperror",
            response.status_code,
            f"HTTP {response.status_code} {response.reason or ''}".strip()
            + " instead of an answer from the Ipernity API",
            method,
            params,
        )
        error.retry_after = _retry_after(response)
        raise error
    try:
        data = json.loads(response.content)
    except ValueError:
        kind = "an HTML page" if b"<html" in response.content[:512].lower() else "not valid JSON"
        raise InvalidResponse(
            "invalid", response.status_code, f"the answer is {kind}", method, params
        ) from None
    envelope = data.get("api") if isinstance(data, dict) else None
    if not isinstance(envelope, dict):
        raise InvalidResponse(
            "invalid", response.status_code, "the answer has no 'api' envelope", method, params
        )
    if envelope.get("status") != "ok":
        raise error_for(
            envelope.get("code", 0), str(envelope.get("message", "Unknown error")), method, params
        )
    result: JSON = data
    return result


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def _describe(timeout: Timeout) -> str:
    if isinstance(timeout, tuple):
        return f"{timeout[0]:g} s (connect) / {timeout[1]:g} s (read)"
    return f"{timeout:g} s"


def _cause(exc: requests.RequestException) -> str:
    # The exception's own text holds the full URL, query (token, signature) included.
    text = repr(exc.args[0]) if exc.args else ""
    for marker, cause in (
        ("Name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("Temporary failure in name resolution", "unknown host"),
        ("Connection refused", "connection refused"),
        ("RemoteDisconnected", "connection closed without an answer"),
        ("Connection reset", "connection reset"),
        ("SSLError", "TLS error"),
        ("IncompleteRead", "answer cut short"),
    ):
        if marker in text:
            return cause
    return type(exc).__name__
