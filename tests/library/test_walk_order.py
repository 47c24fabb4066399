"""A parallel walk yields its pages in order, however late any page arrives.

The sandbox delays page 2 of the listing, so that page 3 is answered first on
every run; the walk must still yield page 2's items before page 3's.
"""

from __future__ import annotations

from typing import Any

import pytest

from ipernity import IpernityAPI
from ipernity.sandbox import App, Sandbox, User

#: Long enough for page 3 to be answered first on a loaded machine.
LATE = 1.0
PER_PAGE = 2
PAGES = 4


@pytest.fixture
def api(sandbox: Sandbox, desktop_app: App, alice: User) -> IpernityAPI:
    token = sandbox.grant(alice, desktop_app, {"doc": "read"})
    for n in range(PER_PAGE * PAGES):
        sandbox.add_doc(alice, f"Doc {n}")
    return IpernityAPI(desktop_app.api_key, desktop_app.api_secret, token, url=sandbox.api_url)


def pages_answered(sandbox: Sandbox) -> list[str]:
    return [str(call.params["page"]) for call in sandbox.calls if call.method == "doc.getList"]


@pytest.mark.parametrize("workers", [2, 3, PAGES])
def test_a_late_page_2_still_comes_before_page_3(
    sandbox: Sandbox, api: IpernityAPI, workers: int
) -> None:
    in_order = [doc["doc_id"] for doc in api.walk_docs(per_page=PER_PAGE, workers=1)]
    sandbox.calls.clear()
    sandbox.delay_next("doc.getList", LATE, params={"page": "2"})
    walked: list[Any] = [
        doc["doc_id"] for doc in api.walk_docs(per_page=PER_PAGE, workers=workers)
    ]
    answered = pages_answered(sandbox)
    # The delay worked: the sandbox answered page 3 before page 2.
    assert answered.index("3") < answered.index("2"), answered
    assert walked == in_order
    assert len(walked) == PER_PAGE * PAGES


def test_a_delay_hits_only_the_page_it_names(sandbox: Sandbox, api: IpernityAPI) -> None:
    sandbox.delay_next("doc.getList", LATE, params={"page": "9"})
    sandbox.calls.clear()
    list(api.walk_docs(per_page=PER_PAGE, workers=1))
    assert pages_answered(sandbox) == ["1", "2", "3", "4"]
    assert all(call.fault is None for call in sandbox.calls)
    assert sandbox.faults.take("doc.getList", {"page": "9"}) is not None
