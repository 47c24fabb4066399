"""HTTP transport: one pooled session, timeouts, retries, and answers checked.

This is the only module that talks HTTP. It turns every failure into an
:class:`~ipernity.IpernityError` whose message names the method and
the cause, and never includes a URL (whose query string would hold the token
and the signature).
"""

from __future__ import annotations

import datetime
import email.utils
import http.cookiejar
import json
import logging
import random
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from .deadline import Deadline, DeadlineAdapter, Watch
from .exceptions import (
    InvalidResponse,
    IpernityError,
    RateLimited,
    RequestTimeout,
    TransportError,
    error_for,
    redact,
    redact_url,
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
#: The largest answer accepted, in bytes: the API's real answers are far smaller.
MAX_ANSWER_SIZE = 32 * 1024 * 1024
#: The slowest upload speed, in bytes a second, an upload's deadline allows for.
MIN_UPLOAD_RATE = 32 * 1024

_RETRY_HTTP = frozenset({429, 500, 502, 503, 504})
_MAX_DELAY = 30.0
_CHUNK_SIZE = 64 * 1024

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
        if proxies or verify is not None or cert is not None:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        text = url.decode() if isinstance(url, bytes) else url or ""
        origin = urlsplit(text)[:2]
        settings = self._environment.get(origin)
        if settings is None:
            settings = super().merge_environment_settings(url, {}, None, None, None)
            self._environment[origin] = settings
        # A copy: requests merges each call's own proxies into what it gets. The
        # environment says nothing about streaming: every call of ours streams.
        merged: _Settings = {**settings, "proxies": dict(settings["proxies"])}
        if stream is not None:
            merged["stream"] = stream
        return merged


class _MaskCredentials(logging.Filter):
    """Masks credentials in urllib3's debug lines, which quote each request's URL.

    A GET carries the token and the signature in its query string, a media
    file's URL the document's secret, and urllib3 logs those URLs; secrets
    must not reach any log record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_url(record.msg)
        if isinstance(record.args, Mapping):
            # One mapping argument, for a message that names its fields: "%(url)s".
            record.args = {k: _redacted(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(a) for a in record.args)
        return True


def _redacted(value: object) -> object:
    return redact_url(value) if isinstance(value, str) else value


_URLLIB3_LOG = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, _MaskCredentials) for f in _URLLIB3_LOG.filters):
    _URLLIB3_LOG.addFilter(_MaskCredentials())


def new_session() -> requests.Session:
    """Create a pooled, keep-alive session that stores no cookies.

    Refusing cookies keeps one session safe to share between threads and
    between the visitors of a site. Its connections are watched by call
    deadlines from the moment a request is sent (see :mod:`ipernity.deadline`).
    """
    session = PooledSession()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = DeadlineAdapter(pool_connections=4, pool_maxsize=POOL_SIZE)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class Transport:
    """Sends API calls and returns their checked JSON answers.

    :param timeout: seconds, or ``(connect, read)`` seconds, for every request.
    :param retries: extra tries for a GET after a connection error, HTTP 5xx or
        429, or the rate-limit error 113. POSTs are never retried, nor are calls
        whose answer did not come within the read timeout or the deadline.
    :param backoff: the first retry's delay in seconds; each next one doubles,
        with random jitter.
    :param session: a :class:`requests.Session` to use instead of a new one.
    :param deadline: seconds a whole call may take, its retries and the reading
        of its answer included; by default :func:`default_deadline` of
        ``timeout``. An upload gets one more second per :data:`MIN_UPLOAD_RATE`
        bytes of its file.
    :param max_answer_size: the largest answer accepted, in bytes; a larger one
        raises :class:`~ipernity.InvalidResponse` before it is read.
    """

    def __init__(
        self,
        timeout: Timeout = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        session: requests.Session | None = None,
        *,
        deadline: float | None = None,
        max_answer_size: int = MAX_ANSWER_SIZE,
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        if deadline is not None and not deadline > 0:
            raise ValueError("deadline must be more than 0 seconds")
        if max_answer_size < 1:
            raise ValueError("max_answer_size must be at least 1 byte")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.session = session if session is not None else new_session()
        #: Seconds a call may take; ``None`` derives it from :attr:`timeout`.
        self.deadline = deadline
        self.max_answer_size = max_answer_size

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
        :raises InvalidResponse: for an answer that is not the service's JSON,
            or one larger than :attr:`max_answer_size`.
        :raises TransportError: when the service cannot be reached;
            :class:`~ipernity.RequestTimeout` when the call is not done in time.
        """
        if log.isEnabledFor(logging.DEBUG):
            log.debug("Calling %s %s", method, redact(params))
        deadline = self._new_deadline()
        attempt = 0
        while True:
            try:
                _, content = self._send_once(
                    method, url, params, deadline, post=post, upload=upload, auth=auth
                )
                return parse_content(method, content, params)
            except (TransportError, InvalidResponse, RateLimited) as exc:
                delay = self._retry_delay(exc, attempt, post)
                # A wait that would end past the deadline only delays the failure.
                if delay is None or delay >= deadline.remaining():
                    raise
                log.info("%s failed (%s); trying again in %.1f s", method, exc, delay)
                time.sleep(delay)
                attempt += 1

    def fetch(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        *,
        post: bool,
        upload: Any = None,
        auth: AuthBase | None = None,
    ) -> requests.Response:
        """Send one call once and return its HTTP answer, read but not checked.

        For PyIpernity 0.3's ``do_request`` and the OAuth token steps: no
        retries, any HTTP status, but the same deadline and answer size limit
        as :meth:`call`.

        :param auth: signs the request (OAuth), if given.

        :raises InvalidResponse: for an answer larger than :attr:`max_answer_size`.
        :raises TransportError: when the service cannot be reached;
            :class:`~ipernity.RequestTimeout` when the call is not done in time.
        """
        response, content = self._send_once(
            method,
            url,
            params,
            self._new_deadline(),
            post=post,
            upload=upload,
            auth=auth,
            check=False,
        )
        # Where requests itself keeps a body it has read.
        response._content = bytes(content)
        return response

    def _new_deadline(self) -> Deadline:
        return Deadline(default_deadline(self.timeout) if self.deadline is None else self.deadline)

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
        deadline: Deadline,
        *,
        post: bool,
        upload: Any,
        auth: AuthBase | None = None,
        check: bool = True,
    ) -> tuple[requests.Response, bytearray]:
        if upload is None:
            return self._exchange(method, url, params, deadline, post=post, auth=auth, check=check)
        with open_upload(upload) as (filename, fileobj):
            body = MultipartBody(params, "file", filename, fileobj)
            deadline.extend(len(body) / MIN_UPLOAD_RATE)
            return self._exchange(
                method, url, params, deadline, post=True, body=body, auth=auth, check=check
            )

    def _exchange(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        deadline: Deadline,
        *,
        post: bool,
        body: MultipartBody | None = None,
        auth: AuthBase | None = None,
        check: bool = True,
    ) -> tuple[requests.Response, bytearray]:
        """Send the request and read its answer within ``deadline``.

        :param auth: signs the request (OAuth), if given.
        :param check: raise for an HTTP status other than 2xx before reading.
        """
        host = urlsplit(url).netloc
        failure: IpernityError | None = None
        with Watch(deadline) as watch:
            try:
                with self._request(url, params, post, body, auth, deadline) as response:
                    # Another session's connection: watched from its headers on.
                    watch.watch_answer(response.raw)
                    if check:
                        check_status(method, response, params)
                    content = self._read_body(method, host, response, params, deadline)
            except IpernityError:
                # Ours already (they are also requests' exceptions): never rewrapped.
                raise
            except requests.RequestException as exc:
                late = watch.expired or deadline.passed()
                failure = self._failure(exc, method, host, deadline, late=late)
            # The watchdog shut the connection: what was read may be cut short.
            if failure is None and watch.expired:
                failure = _late(method, host, deadline)
        if failure is not None:
            # Raised outside the except clause: requests' exception, whose text
            # names the URL with its signature, is not even its __context__.
            raise failure
        return response, content

    def _failure(
        self,
        exc: requests.RequestException,
        method: str,
        host: str,
        deadline: Deadline,
        *,
        late: bool,
    ) -> IpernityError:
        """The error a call that failed with requests' ``exc`` raises: it names no URL."""
        if late:
            return _late(method, host, deadline)
        if isinstance(exc, requests.ConnectTimeout):
            return RequestTimeout(
                f"{method}: could not connect to {host} within {_describe(self.timeout)}",
                method,
                connecting=True,
            )
        if isinstance(exc, requests.Timeout) or _read_timed_out(exc):
            return RequestTimeout(
                f"{method}: no answer from {host} within {_describe(self.timeout)}", method
            )
        return TransportError(f"{method}: cannot reach {host} ({_cause(exc)})", method)

    def _request(
        self,
        url: str,
        params: Mapping[str, str],
        post: bool,
        body: MultipartBody | None,
        auth: AuthBase | None,
        deadline: Deadline,
    ) -> requests.Response:
        # Streamed, so the answer's size and the deadline are checked as it arrives.
        timeout = _within(self.timeout, deadline)
        if body is not None:
            headers = {"Content-Type": body.content_type}
            return self.session.post(
                url, data=body, headers=headers, timeout=timeout, stream=True, auth=auth
            )
        if post:
            return self.session.post(url, data=params, timeout=timeout, stream=True, auth=auth)
        return self.session.get(url, params=params, timeout=timeout, stream=True, auth=auth)

    def _read_body(
        self,
        method: str,
        host: str,
        response: requests.Response,
        params: Mapping[str, str],
        deadline: Deadline,
    ) -> bytearray:
        limit = self.max_answer_size
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise _too_large(method, params, limit)
        content = bytearray()
        for chunk in response.iter_content(_CHUNK_SIZE):
            content += chunk
            if len(content) > limit:
                raise _too_large(method, params, limit)
            if deadline.passed():
                raise _late(method, host, deadline)
        return content

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()


def default_deadline(timeout: Timeout) -> float:
    """The deadline a call gets unless one is set: connect, then twice the read timeout.

    The answer may take the read timeout to begin and as long again to arrive.
    """
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    return connect + 2 * read


def check_status(method: str, response: requests.Response, params: Mapping[str, Any]) -> None:
    """Raise :class:`~ipernity.InvalidResponse` for an HTTP status other than 2xx."""
    if 200 <= response.status_code < 300:
        return
    error = InvalidResponse(
        "httperror",
        response.status_code,
        f"HTTP {response.status_code} {response.reason or ''}".strip()
        + " instead of an answer from the Ipernity API",
        method,
        params,
    )
    error.retry_after = retry_after(response.headers.get("Retry-After", ""))
    raise error


def parse_answer(method: str, response: requests.Response, params: Mapping[str, Any]) -> JSON:
    """Check an HTTP answer read whole and return the service's JSON, or raise the right error."""
    check_status(method, response, params)
    return parse_content(method, response.content, params)


def parse_content(method: str, content: bytes | bytearray, params: Mapping[str, Any]) -> JSON:
    """Return the service's JSON answer in ``content``, or raise the right error."""
    try:
        data = json.loads(content)
    except ValueError:
        kind = "an HTML page" if b"<html" in content[:512].lower() else "not valid JSON"
        raise InvalidResponse("invalid", 200, f"the answer is {kind}", method, params) from None
    envelope = data.get("api") if isinstance(data, dict) else None
    if not isinstance(envelope, dict):
        raise InvalidResponse("invalid", 200, "the answer has no 'api' envelope", method, params)
    if envelope.get("status") != "ok":
        raise error_for(
            envelope.get("code", 0), str(envelope.get("message", "Unknown error")), method, params
        )
    result: JSON = data
    return result


def retry_after(value: str) -> float | None:
    """Seconds a ``Retry-After`` header value asks to wait, or ``None`` if it means nothing.

    The value is a number of seconds or an HTTP date; anything else is ignored.
    """
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


def _too_large(method: str, params: Mapping[str, str], limit: int) -> InvalidResponse:
    return InvalidResponse(
        "invalid", 200, f"the answer is larger than the {limit:,} bytes accepted", method, params
    )


def _late(method: str, host: str, deadline: Deadline) -> RequestTimeout:
    return RequestTimeout(
        f"{method}: no complete answer from {host} within {deadline.seconds:g} s", method
    )


def _within(timeout: Timeout, deadline: Deadline) -> tuple[float, float]:
    """``timeout`` as ``(connect, read)``, connecting for no longer than ``deadline`` leaves.

    The watchdog cannot end a connection that is not made yet: the connect
    timeout has to.
    """
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    return min(connect, deadline.remaining()), read


def _read_timed_out(exc: requests.RequestException) -> bool:
    # requests reports a read timeout in the body as a ConnectionError.
    return any(isinstance(arg, ReadTimeoutError) for arg in exc.args)


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
