"""A stand-in for ``doc.getList`` that serves a huge library cheaply.

The sandbox stores 100,000 documents in seconds, but builds each answer from
SQLite row by row: walking them all takes it a minute or more. The memory row
only needs pages of the right shape, so this WSGI application answers every
page with a real sandbox page (100 documents, as ``doc.getList`` renders them)
renumbered for that page: same sizes, same shape, any number of documents.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

#: The page size ``walk_docs`` asks for.
PER_PAGE = 100


class StandInDocs:
    """A WSGI application answering ``doc.getList`` for ``total`` documents.

    :param template: one page of ``doc.getList`` as the sandbox answers it.
    :param total: how many documents the library holds.
    """

    def __init__(self, template: dict[str, Any], total: int) -> None:
        self.docs: list[dict[str, Any]] = template["docs"]["doc"]
        if len(self.docs) != PER_PAGE:
            raise ValueError(f"the template page must hold {PER_PAGE} documents")
        self.total = total
        self.pages = math.ceil(total / PER_PAGE)

    def page(self, number: int) -> dict[str, Any]:
        """Page ``number``: the template's documents, numbered for that page."""
        first = (number - 1) * PER_PAGE
        docs = []
        for offset in range(min(PER_PAGE, max(0, self.total - first))):
            doc = copy.copy(self.docs[offset])
            doc["doc_id"] = str(first + offset + 1)
            docs.append(doc)
        listing = {
            "total": str(self.total),
            "page": str(number),
            "per_page": str(PER_PAGE),
            "pages": str(self.pages),
            "doc": docs,
        }
        return {"api": {"status": "ok"}, "docs": listing}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Answer ``/api/doc.getList/json?page=N``."""
        query = parse_qs(environ.get("QUERY_STRING", ""))
        number = int(query.get("page", ["1"])[0])
        body = json.dumps(self.page(number)).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]
