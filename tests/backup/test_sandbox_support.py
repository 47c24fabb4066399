"""What the sandbox gives a backup: honest ``modified_at`` dates, slow and failing media."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from ipernity import IpernityAPI
from ipernity.sandbox import Sandbox

from .conftest import Library


def modified_at(api: IpernityAPI, doc_id: int) -> int:
    for item in api.walk_docs(extra="dates"):
        if item["doc_id"] == str(doc_id):
            return int(item["dates"]["modified_at"])
    raise AssertionError(f"document {doc_id} is not listed")


CHANGES: dict[str, Any] = {
    "tag added": lambda api, doc, other: api.doc.tags.add(doc_id=doc, keywords="new"),
    "note added": lambda api, doc, other: api.doc.notes.add(
        doc_id=doc, x=1, y=1, w=20, h=20, content="n"
    ),
    "put in an album": lambda api, doc, other: api.album.docs.add(album_id=other, doc_id=doc),
    "privacy changed": lambda api, doc, other: api.doc.setPerms(doc_id=doc, is_public=0),
    "license changed": lambda api, doc, other: api.doc.setLicense(doc_id=doc, license=11),
    "title changed": lambda api, doc, other: api.doc.set(doc_id=doc, title="Another"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_moves_modified_at_forward_even_within_a_second(
    api: IpernityAPI, library: Library, change: str
) -> None:
    doc_id = library.docs[3].doc_id
    before = modified_at(api, doc_id)

    CHANGES[change](api, doc_id, library.empty.album_id)

    assert modified_at(api, doc_id) > before


def test_reading_a_document_does_not_change_it(api: IpernityAPI, library: Library) -> None:
    doc_id = library.docs[3].doc_id
    before = modified_at(api, doc_id)

    api.doc.get(doc_id=doc_id, extra="md5")

    assert modified_at(api, doc_id) == before


def test_media_latency_delays_files(sandbox: Sandbox, api: IpernityAPI, library: Library) -> None:
    url = api.doc.get(doc_id=library.docs[0].doc_id)["doc"]["original"]["url"]
    sandbox.settings.media_latency = 0.5

    started = time.monotonic()
    requests.get(url, timeout=10)

    assert time.monotonic() - started >= 0.5


def test_media_faults_hit_files_and_wildcard_faults_do_not(
    sandbox: Sandbox, api: IpernityAPI, library: Library
) -> None:
    url = api.doc.get(doc_id=library.docs[0].doc_id)["doc"]["original"]["url"]
    sandbox.fail_next("*", code=999)

    assert requests.get(url, timeout=10).status_code == 200
    sandbox.faults.clear()
    sandbox.fail_next("media", http_status=404)
    assert requests.get(url, timeout=10).status_code == 404
    assert requests.get(url, timeout=10).status_code == 200


def test_a_file_request_a_client_gave_up_on_does_not_spend_a_later_fault(
    sandbox: Sandbox, api: IpernityAPI, library: Library
) -> None:
    # A slow file's request is still asleep on the server when its client has
    # given up; a fault queued afterwards belongs to the next request, not to it
    # (else a test's fault is spent by the test before it, as a CI run showed).
    url = api.doc.get(doc_id=library.docs[0].doc_id)["doc"]["original"]["url"]
    sandbox.settings.media_latency = 0.6
    with pytest.raises(requests.Timeout):
        requests.get(url, timeout=(5, 0.1))
    sandbox.fail_next("media", http_status=404)
    time.sleep(0.8)  # the abandoned request wakes and is answered meanwhile
    sandbox.settings.media_latency = 0.0

    assert requests.get(url, timeout=10).status_code == 404
