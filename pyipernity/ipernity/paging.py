"""Walking paged answers: every item of every page, one page in memory at a time.

After the first page, the following pages are fetched ahead by a small pool of
threads while the caller consumes the current one; items still come out in
exactly the order of a page-by-page walk. Closing the walk early (``break``,
``close()``, an exception in the loop) cancels what was not sent yet and waits
for what was, so no thread outlives the walk.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from . import catalogue
from .exceptions import InvalidResponse, RateLimited, UnknownMethod

if TYPE_CHECKING:
    from .api import IpernityAPI
    from .signing import ParamValue

log = logging.getLogger("ipernity")

#: Pages fetched at once by a walk unless ``workers=`` says otherwise.
DEFAULT_WORKERS = 4
#: Times one page is asked again after the rate-limit error 113 before the walk fails.
RATE_LIMIT_TRIES = 8

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
        pause = min(30.0, 0.5 * 2.0**attempt)
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + pause)


class Walk:
    """One walk over a paged method; iterate it to get the items."""

    def __init__(
        self,
        api: IpernityAPI,
        method_name: str,
        elem_name: str | None,
        workers: int,
        params: dict[str, ParamValue],
    ) -> None:
        method = catalogue.get(method_name)
        if method is None:
            raise UnknownMethod(method_name)
        if workers < 1:
            raise ValueError("workers must be 1 or more")
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
        self._throttle = _Throttle()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        listing = self._fetch(self._start)
        pages = page_count(listing, self._per_page, self._method)
        yield from self._items(listing)
        if self._workers == 1:
            yield from self._sequential(pages)
        else:
            yield from self._prefetching(pages)

    def _sequential(self, pages: int) -> Iterator[dict[str, Any]]:
        page = self._start + 1
        while page <= pages:
            listing = self._fetch(page)
            pages = page_count(listing, self._per_page, self._method)
            yield from self._items(listing)
            page += 1

    def _prefetching(self, pages: int) -> Iterator[dict[str, Any]]:
        pool = ThreadPoolExecutor(self._workers, thread_name_prefix="ipernity-walk")
        ahead: dict[int, Future[Page]] = {}
        page = next_page = self._start + 1
        try:
            while page <= pages:
                while next_page <= pages and len(ahead) < self._workers:
                    ahead[next_page] = pool.submit(self._fetch, next_page)
                    next_page += 1
                listing = ahead.pop(page).result()
                # As a page-by-page walk would, trust the latest answer's page count.
                pages = page_count(listing, self._per_page, self._method)
                yield from self._items(listing)
                page += 1
        finally:
            for future in ahead.values():
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def _fetch(self, page: int) -> Page:
        attempt = 0
        while True:
            self._throttle.wait()
            try:
                answer = self._api.call(self._method, page=page, **self._params)
            except RateLimited as exc:
                if exc.code != 113 or attempt + 1 >= RATE_LIMIT_TRIES:
                    raise
                log.info("%s page %d rate limited; slowing the walk down", self._method, page)
                self._throttle.slow_down(attempt)
                attempt += 1
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
) -> Iterator[dict[str, Any]]:
    """Yield every item of a paged method's answers; see :meth:`IpernityAPI.walk_data`.

    A generator, as PyIpernity's walkers were: the method and arguments are
    checked on the first ``next()`` (an unknown method raises then), and pages
    are fetched as the caller iterates.
    """
    yield from Walk(api, method_name, elem_name, workers, dict(params))
