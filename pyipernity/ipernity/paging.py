"""Walking paged answers: every item of every page, one page in memory at a time.

After the first page, the following pages are fetched ahead by a small pool of
threads while the caller consumes the current one; items still come out in
exactly the order of a page-by-page walk. Closing the walk early (``break``,
``close()``, an exception in the loop) cancels what was not sent yet and waits
for what was, so no thread outlives the walk.

A walk does not trust the page count an answer announces: it also ends on an
empty page or one that brings no item it has not seen, and it fails with
:class:`~ipernity.WalkLimitReached` past its caps of pages and items, so that a
broken or hostile server cannot keep it going forever.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Generator, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from . import catalogue
from .exceptions import (
    InvalidResponse,
    IpernityError,
    RateLimited,
    UnknownMethod,
    WalkLimitReached,
)

if TYPE_CHECKING:
    from .api import IpernityAPI
    from .signing import ParamValue

log = logging.getLogger("ipernity")

#: Pages fetched at once by a walk unless ``workers=`` says otherwise.
DEFAULT_WORKERS = 4
#: Times one page is asked again after the rate-limit error 113 before the walk fails.
RATE_LIMIT_TRIES = 8
#: Pages a walk fetches at most unless ``max_pages=`` says otherwise.
DEFAULT_MAX_PAGES = 20_000
#: Items a walk receives at most unless ``max_items=`` says otherwise.
DEFAULT_MAX_ITEMS = 1_000_000
#: HTTP statuses after which a read is worth sending again.
_PASSING_HTTP = frozenset({429, 500, 502, 503, 504})
#: The longest pause before a page is asked again, in seconds.
_MAX_PAUSE = 30.0

Page = dict[str, Any]


def item_path(method_name: str, elem_name: str | None) -> tuple[str, ...]:
    """Where the items of ``method_name``'s answer are.

    ``elem_name`` may name them: ``"album.docs.doc"`` is the full path, a plain
    ``"doc"`` means ``("docs", "doc")``. Otherwise the catalogue's sample answer
    tells, and failing that the method's name (``x.getList`` lists ``xs.x``).
    """
    if elem_name:
        names = tuple(elem_name.split("."))
        return names if len(names) > 1 else (names[0] + "s", names[0])
    method = catalogue.get(method_name)
    if method is not None and method.item_path:
        return method.item_path
    parts = method_name.split(".")
    if len(parts) == 2:
        return (parts[0] + "s", parts[0])
    return (*parts[:-1], parts[-2].removesuffix("s"))


def page_count(listing: Mapping[str, Any], per_page: int | None, method: str | None = None) -> int:
    """Number of pages an answer announces, computed from ``total`` when needed.

    :param method: the method that answered, named in the error.
    :raises InvalidResponse: when ``pages``, ``total`` or ``per_page`` is not a
        whole number (a broken or hostile server).
    """
    if "pages" in listing:
        return _whole_number(listing, "pages", method)
    if "total" not in listing:
        return 1
    size = per_page or 0
    for name in ("per_page", "perpage"):
        if listing.get(name):
            size = _whole_number(listing, name, method)
            break
    total = _whole_number(listing, "total", method)
    return math.ceil(total / size) if size > 0 else 1


def _whole_number(listing: Mapping[str, Any], name: str, method: str | None) -> int:
    value = listing[name]
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    # At most 18 digits: int() refuses (ValueError) strings of thousands of digits.
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    raise InvalidResponse(
        "invalid", 200, f"the answer's {name} is not a whole number: {shown}", method
    )


def worth_retrying(error: IpernityError) -> bool:
    """Whether a read that failed with ``error`` may succeed if sent again.

    It may after no connection, no answer in time, a cut or garbled answer, or
    HTTP 5xx or 429; not after an error of the service (no such document, no
    permission…), which would come again.
    """
    # A call was made, so requests and these classes are loaded already.
    from .network_errors import TransportError

    if isinstance(error, TransportError):
        return True
    if not isinstance(error, InvalidResponse):
        return False
    return error.status == "invalid" or error.code in _PASSING_HTTP


def retry_pause(error: IpernityError, attempt: int) -> float:
    """Seconds to wait before sending again a read that failed with ``error``.

    None after an answer that did not come in time (it was waited for already);
    else half a second, doubling with each ``attempt`` (from 0), 30 s at most.
    """
    from .network_errors import RequestTimeout

    if isinstance(error, RequestTimeout) and not error.connecting:
        return 0.0
    return min(_MAX_PAUSE, 0.5 * 2.0**attempt)


class _Throttle:
    """Shared pause for a walk's workers after the service says "too fast" (113)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resume_at = 0.0

    def wait(self) -> None:
        with self._lock:
            delay = self._resume_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def slow_down(self, attempt: int) -> None:
        self.pause(min(_MAX_PAUSE, 0.5 * 2.0**attempt))

    def pause(self, pause: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + pause)


class _Bounds:
    """What a walk has received, checked against its caps.

    The answers' ``pages`` and ``total`` only bound a walk from above: a walk
    also ends on a page with no item, or with no item it has not seen before
    (a server repeating itself), and fails past its caps. Items are told apart
    by their id (``doc_id`` for ``doc`` items…), else by their whole content;
    only a hash of each is kept, so memory grows by a few dozen bytes an item.
    """

    def __init__(self, method: str, item_name: str, max_pages: int, max_items: int) -> None:
        self._method = method
        self._id_key = f"{item_name}_id"
        self.max_pages = max_pages
        self.max_items = max_items
        self.pages = 0
        self.items = 0
        self._seen: set[int] = set()

    def check_next_page(self) -> None:
        """Raise before a page past :attr:`max_pages` is asked for."""
        if self.pages >= self.max_pages:
            raise WalkLimitReached(
                self._method,
                f"the walk stopped at max_pages={self.max_pages} pages while the answers "
                "announce more; pass a higher max_pages to go further",
            )

    def admit(self, page: int, items: list[dict[str, Any]]) -> bool:
        """Count a page; ``False`` when it ends the walk (empty, or nothing new).

        :raises WalkLimitReached: past :attr:`max_items` items.
        """
        self.pages += 1
        self.items += len(items)
        if self.items > self.max_items:
            raise WalkLimitReached(
                self._method,
                f"the walk stopped past max_items={self.max_items} items; "
                "pass a higher max_items to go further",
            )
        before = len(self._seen)
        self._seen.update(self._identity(item) for item in items)
        if len(self._seen) > before:
            return True
        if items:
            log.info("%s page %d brings no new item; the walk ends", self._method, page)
        return False

    def _identity(self, item: Any) -> int:
        key = item.get(self._id_key) if isinstance(item, Mapping) else None
        if key is None:
            key = json.dumps(item, sort_keys=True, default=str)
        return hash(str(key))


class Walk:
    """One walk over a paged method; iterate it to get the items, or
    :meth:`pages` to get them page by page.

    :param api: the client that calls.
    :param method_name: the paged method.
    :param elem_name: where the items are, if the catalogue cannot tell (see
        :func:`item_path`).
    :param workers: pages fetched at once.
    :param params: the method's parameters (``page`` sets the first page).
    :param max_pages: pages fetched at most: past it, while the answers
        announce more, :class:`~ipernity.WalkLimitReached` is raised.
    :param max_items: items received at most, likewise.
    :param retries: times a page is asked again after a passing failure (no
        connection, no answer in time, HTTP 5xx or 429) before the walk fails;
        the error 113 ("too fast") is always asked again, up to
        :data:`RATE_LIMIT_TRIES` times.
    """

    def __init__(
        self,
        api: IpernityAPI,
        method_name: str,
        elem_name: str | None,
        workers: int,
        params: dict[str, ParamValue],
        *,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        retries: int = 0,
    ) -> None:
        method = catalogue.get(method_name)
        if method is None:
            raise UnknownMethod(method_name)
        if workers < 1:
            raise ValueError("workers must be 1 or more")
        if max_pages < 1 or max_items < 1:
            raise ValueError("max_pages and max_items must be 1 or more")
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        if api.strict:
            # Checked as its pages' calls would be, before page and per_page are read.
            from .validation import enforce

            enforce(method, params, has_token=api.token is not None)
        self._api = api
        self._method = method_name
        self._path = item_path(method_name, elem_name)
        self._workers = workers
        start = params.pop("page", None) or 1
        if not isinstance(start, int | str):
            raise TypeError("page must be a number")
        self._start = int(start)
        limits = method.per_page_limits
        if params.get("per_page") is None and limits is not None:
            params["per_page"] = limits[1]
        per_page = params.get("per_page")
        self._per_page = int(per_page) if isinstance(per_page, int | str) else None
        self._params = params
        self._retries = retries
        self._throttle = _Throttle()
        self._bounds = _Bounds(method_name, self._path[-1], max_pages, max_items)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for items in self.pages():
            yield from items

    def pages(self) -> Generator[list[dict[str, Any]], None, None]:
        """Yield the items page by page (a page that ends the walk is not yielded)."""
        listing = self._fetch(self._start)
        pages = page_count(listing, self._per_page, self._method)
        items = self._items(listing)
        if not self._bounds.admit(self._start, items):
            return
        yield items
        if self._workers == 1:
            yield from self._sequential(pages)
        else:
            yield from self._prefetching(pages)

    def _last_allowed(self, pages: int) -> int:
        return min(pages, self._start + self._bounds.max_pages - 1)

    def _sequential(self, pages: int) -> Iterator[list[dict[str, Any]]]:
        page = self._start + 1
        while page <= pages:
            self._bounds.check_next_page()
            listing = self._fetch(page)
            pages = page_count(listing, self._per_page, self._method)
            items = self._items(listing)
            if not self._bounds.admit(page, items):
                return
            yield items
            page += 1

    def _prefetching(self, pages: int) -> Iterator[list[dict[str, Any]]]:
        pool = ThreadPoolExecutor(self._workers, thread_name_prefix="ipernity-walk")
        ahead: dict[int, Future[Page]] = {}
        page = next_page = self._start + 1
        try:
            while page <= pages:
                self._bounds.check_next_page()
                # Never ahead past the cap: those pages would be asked for in vain.
                while next_page <= self._last_allowed(pages) and len(ahead) < self._workers:
                    ahead[next_page] = pool.submit(self._fetch, next_page)
                    next_page += 1
                listing = ahead.pop(page).result()
                # As a page-by-page walk would, trust the latest answer's page count.
                pages = page_count(listing, self._per_page, self._method)
                items = self._items(listing)
                if not self._bounds.admit(page, items):
                    return
                yield items
                page += 1
        finally:
            for future in ahead.values():
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def _fetch(self, page: int) -> Page:
        limited = failed = 0
        while True:
            self._throttle.wait()
            try:
                answer = self._api.call(self._method, page=page, **self._params)
            except RateLimited as exc:
                if exc.code != 113 or limited + 1 >= RATE_LIMIT_TRIES:
                    raise
                log.info("%s page %d rate limited; slowing the walk down", self._method, page)
                self._throttle.slow_down(limited)
                limited += 1
                continue
            except IpernityError as exc:
                if failed >= self._retries or not worth_retrying(exc):
                    raise
                log.info("%s page %d failed (%s); asking again", self._method, page, exc)
                self._throttle.pause(retry_pause(exc, failed))
                failed += 1
                continue
            return self._listing(answer)

    def _listing(self, answer: Mapping[str, Any]) -> Page:
        node: Any = answer
        for key in self._path[:-1]:
            if not isinstance(node, Mapping) or key not in node:
                raise InvalidResponse(
                    "invalid", 200, f"the answer has no '{key}' list", self._method, self._params
                )
            node = node[key]
        if not isinstance(node, dict):
            raise InvalidResponse("invalid", 200, "the answer's list is malformed", self._method)
        return node

    def _items(self, listing: Page) -> list[dict[str, Any]]:
        items = listing.get(self._path[-1]) or []
        # A single item may come as an object rather than a list of one.
        return [items] if isinstance(items, dict) else list(items)


def walk(
    api: IpernityAPI,
    method_name: str,
    elem_name: str | None,
    workers: int,
    params: Mapping[str, ParamValue],
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Iterator[dict[str, Any]]:
    """Yield every item of a paged method's answers; see :meth:`IpernityAPI.walk_data`.

    A generator, as PyIpernity's walkers were: the method and arguments are
    checked on the first ``next()`` (an unknown method raises then), and pages
    are fetched as the caller iterates. ``max_pages`` and ``max_items`` are
    :class:`Walk`'s caps.
    """
    yield from Walk(
        api,
        method_name,
        elem_name,
        workers,
        dict(params),
        max_pages=max_pages,
        max_items=max_items,
    )
