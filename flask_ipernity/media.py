"""The document proxy: a document's media served through the site.

``<prefix>/media/<doc_id>/<size>`` asks Ipernity, with the visitor's token, for
the document's media URLs (``doc.getMedias``), picks the one labelled ``size``
(a thumbnail label such as ``240``, a media label, or ``original``) and streams
its bytes. The only URLs ever fetched are those the API returned for that
document: nothing in the request can name another. And those only on the
media hosts allowed, at public addresses (:mod:`flask_ipernity.media_hosts`):
an answer cannot send the proxy into the site's own network.

A file is shown inline only when its ``Content-Type`` is exactly one media
type of a picture, a video or a sound, sent on in its canonical form; anything
else (HTML, SVG, a list of types…) is a download.

Each file is held to an overall deadline (``IPERNITY_MEDIA_DEADLINE``, extended
by every byte received at ``IPERNITY_MEDIA_MIN_RATE``) and a size bound
(``IPERNITY_MEDIA_MAX_SIZE``): a trickling or endless media server cannot hold
one of the site's workers. The library's deadline watchdog
(:mod:`ipernity.deadline`) shuts the connection when the deadline passes.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from flask import Flask, Response, current_app, request

from ipernity.deadline import Deadline, Watch

from .extension import ConfigurationError, current_extension
from .media_hosts import MediaHosts, MediaRefused, MediaUnreachable, new_media_session
from .responses import error_response

if TYPE_CHECKING:
    from .extension import _AppState

log = logging.getLogger("flask_ipernity")

#: Bytes read from Ipernity and sent to the visitor at a time.
CHUNK_SIZE = 64 * 1024

_DOC_ID = re.compile(r"[0-9A-Za-z_-]{1,40}")
_LABEL = re.compile(r"[0-9A-Za-z_]{1,20}")
# Answer headers passed on from the media server.
_PASSED_HEADERS = ("Content-Length", "ETag", "Last-Modified")
# Request headers passed on, so that Ipernity can answer 304 Not Modified.
_CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")
# Content shown inline; anything else (HTML, SVG, …) is a download, so that an
# uploaded file can never run as a page of this site.
_INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_INLINE_KINDS = frozenset({"video", "audio"})
# RFC 9110's media type: type "/" subtype, both tokens, then parameters only.
_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(
    rf"\s*({_TCHARS})/({_TCHARS})\s*(?:;\s*{_TCHARS}=(?:{_TCHARS}|\"[^\"\\]*\")\s*)*"
)


def media(doc_id: str, size: str) -> Response:
    """Stream the ``size`` media of document ``doc_id``, as the visitor may see it.

    :return: the bytes with the media server's type, length, ``ETag`` and
        ``Last-Modified``, and ``Cache-Control: private``; 404 for an unknown
        document or size; 502/504 when the media server fails.
    """
    if not _DOC_ID.fullmatch(doc_id) or not _LABEL.fullmatch(size):
        return _not_found()
    extension = current_extension()
    # An unknown document raises NotFound, which the application answers with a 404.
    answer = extension.api.doc.getMedias(doc_id=doc_id)
    url = media_urls(answer).get(size)
    if url is None:
        return _not_found()
    headers = {
        name: request.headers[name] for name in _CONDITIONAL_HEADERS if name in request.headers
    }
    limits = MediaLimits.from_config(current_app.config)
    deadline = Deadline(limits.deadline)
    fetcher = extension._state().media
    if fetcher is None:  # the route exists only when the proxy is on
        return _not_found()
    try:
        target = fetcher.hosts.pin(url, min(_connect_timeout(extension.timeout), limits.deadline))
    except MediaRefused as refusal:
        # The host only: the URL holds the document's secret.
        log.warning("The media proxy refused a URL from Ipernity's answer: %s", refusal)
        return _media_failed(502, "The media file is not on a server this site fetches from.")
    except MediaUnreachable:
        return _media_failed(502, "The media server cannot be reached.")
    headers["Host"] = target.host_header
    watch = Watch(deadline)
    try:
        with watch:
            upstream = fetcher.session.get(
                target.url,
                headers=headers,
                stream=True,
                timeout=extension.timeout,
                allow_redirects=False,
            )
    except requests.RequestException as exc:
        if watch.expired or isinstance(exc, requests.Timeout):
            return _media_failed(504, "The media server did not answer in time.")
        return _media_failed(502, "The media server cannot be reached.")
    return _relay(upstream, deadline, limits)


@dataclass(frozen=True)
class MediaFetcher:
    """What one application's media proxy fetches from, and its pool of connections.

    :param hosts: the hosts and addresses allowed.
    :param session: the HTTP session media files are fetched with.
    """

    hosts: MediaHosts
    session: requests.Session

    @classmethod
    def for_app(cls, app: Flask, state: _AppState) -> MediaFetcher:
        """The fetcher ``IPERNITY_MEDIA_HOSTS`` and ``IPERNITY_MEDIA_LOCAL_HOSTS`` describe.

        Without ``IPERNITY_MEDIA_HOSTS``, the hosts of the service at the API
        URL; the embedded sandbox's own address is added to the local hosts.

        :raises ConfigurationError: for a setting that is not a list of hosts.
        """
        allowed = _host_list(app.config, "IPERNITY_MEDIA_HOSTS")
        local = _host_list(app.config, "IPERNITY_MEDIA_LOCAL_HOSTS") or []
        if state.sandbox is not None:
            local.append(state.sandbox.api_url)
        try:
            hosts = (
                MediaHosts.for_service(state.api_url, local)
                if allowed is None
                else MediaHosts(allowed, local)
            )
        except ValueError as exc:
            raise ConfigurationError(f"IPERNITY_MEDIA_HOSTS: {exc}") from None
        session = new_media_session()
        # The pool lives as long as the application.
        weakref.finalize(app, session.close)
        return cls(hosts, session)


def _host_list(config: Mapping[str, Any], key: str) -> list[str] | None:
    value = config.get(key)
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(entry, str) for entry in value):
        raise ConfigurationError(f"{key} must be a list of hosts, e.g. ['u1.example.com']")
    return list(value)


def _connect_timeout(timeout: float | tuple[float, float]) -> float:
    return timeout[0] if isinstance(timeout, tuple) else timeout


@dataclass(frozen=True)
class MediaLimits:
    """How long, how slowly and how much one proxied media file may take.

    :param deadline: seconds for the whole file, before the bytes received extend it.
    :param min_rate: bytes a second: each byte received adds ``1 / min_rate`` seconds.
    :param max_size: the largest file passed on, in bytes.
    """

    deadline: float
    min_rate: float
    max_size: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MediaLimits:
        """The limits set by ``IPERNITY_MEDIA_DEADLINE``, ``_MIN_RATE`` and ``_MAX_SIZE``.

        :raises ConfigurationError: when one of them is not a number above 0.
        """
        values = []
        for name, kind in (("DEADLINE", float), ("MIN_RATE", float), ("MAX_SIZE", int)):
            key = f"IPERNITY_MEDIA_{name}"
            try:
                value = kind(config[key])
            except (TypeError, ValueError, OverflowError):
                value = 0
            if not value > 0:
                raise ConfigurationError(f"{key} must be a number above 0")
            values.append(value)
        deadline, min_rate, max_size = values
        return cls(float(deadline), float(min_rate), int(max_size))


def media_urls(answer: Mapping[str, Any]) -> dict[str, str]:
    """Return the media URLs of a ``doc.getMedias`` (or ``doc.get``) answer by label.

    Thumbnails and media are keyed by their ``label``, the original file by
    ``"original"``. URLs that are not ``http``/``https`` are left out.
    """
    root = answer.get("doc", answer)
    found: dict[str, str] = {}
    for group, item in (("thumbs", "thumb"), ("medias", "media")):
        for entry in (root.get(group) or {}).get(item) or []:
            found[str(entry.get("label"))] = str(entry.get("url", ""))
    original = root.get("original")
    if isinstance(original, Mapping):
        found["original"] = str(original.get("url", ""))
    return {label: url for label, url in found.items() if _is_web_url(url)}


def inline_type(content_type: str) -> str | None:
    """The canonical media type to show ``content_type`` inline as, or ``None``.

    Only one well-formed media type (``type/subtype``, then parameters) of a
    picture (JPEG, PNG, GIF, WebP), a video or a sound qualifies, in lower
    case and without its parameters. Anything else, such as
    ``image/jpeg, text/html``, ``image/svg+xml`` or ``text/html``, is ``None``:
    a download.
    """
    match = _MEDIA_TYPE.fullmatch(content_type)
    if match is None:
        return None
    kind, subtype = match.group(1).lower(), match.group(2).lower()
    canonical = f"{kind}/{subtype}"
    if canonical in _INLINE_IMAGES or kind in _INLINE_KINDS:
        return canonical
    return None


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _relay(upstream: requests.Response, deadline: Deadline, limits: MediaLimits) -> Response:
    if upstream.status_code == 304:
        upstream.close()
        return _with_caching(Response(status=304), upstream)
    if upstream.status_code in (404, 410):
        upstream.close()
        return _not_found()
    if upstream.status_code != 200:
        upstream.close()
        log.warning("The media server answered HTTP %s", upstream.status_code)
        return _media_failed(502, "The media server gave an unexpected answer.")
    declared = upstream.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limits.max_size:
        upstream.close()
        log.warning("A media file was larger than IPERNITY_MEDIA_MAX_SIZE")
        return _media_failed(502, "The media file is larger than this site passes on.")
    response = Response(_chunks(upstream, deadline, limits), direct_passthrough=True)
    for name in _PASSED_HEADERS:
        if name in upstream.headers:
            response.headers[name] = upstream.headers[name]
    if "Content-Encoding" in upstream.headers:
        # requests decodes the body, so the encoded length would be wrong.
        del response.headers["Content-Length"]
    inline = inline_type(upstream.headers.get("Content-Type", ""))
    if inline is None:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    else:
        response.headers["Content-Type"] = inline
    response.call_on_close(upstream.close)
    return _with_caching(response, upstream)


def _with_caching(response: Response, upstream: requests.Response) -> Response:
    max_age = int(current_app.config["IPERNITY_MEDIA_MAX_AGE"])
    # Private: what a visitor may see depends on their token.
    response.headers["Cache-Control"] = f"private, max-age={max_age}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    for name in ("ETag", "Last-Modified"):
        if name in upstream.headers:
            response.headers[name] = upstream.headers[name]
    return response


def _chunks(
    upstream: requests.Response, deadline: Deadline, limits: MediaLimits
) -> Iterator[bytes]:
    received = 0
    watch = Watch(deadline)
    try:
        with watch:
            # The exchange's first watch ended with the view: watch the connection again.
            connection = getattr(upstream.raw, "connection", None)
            if connection is not None:
                watch.watch(connection)
            for chunk in upstream.iter_content(CHUNK_SIZE):
                received += len(chunk)
                if received > limits.max_size:
                    log.warning("A media file was larger than IPERNITY_MEDIA_MAX_SIZE; cut off")
                    return
                deadline.extend(len(chunk) / limits.min_rate)
                yield chunk
    except requests.RequestException:
        # The visitor already has the headers: all that can be done is to stop.
        if watch.expired:
            log.warning("A media file came slower than IPERNITY_MEDIA_MIN_RATE; cut off")
        else:
            log.warning("The media server broke off while sending a file")
    finally:
        upstream.close()


def _not_found() -> Response:
    return error_response(404, "not_found", "There is no such document or size.")


def _media_failed(status: int, message: str) -> Response:
    return error_response(status, "media_unavailable", message)
