"""The media proxy never hands one visitor's private document to another.

Order matters: the owner views the document first, so anything remembered from
that view (a media URL, a cached ``doc.getMedias`` answer) would be there for
the stranger who asks next.
"""

from __future__ import annotations

import pytest
from sites import Login, SiteFactory

from ipernity.sandbox import Sandbox, User


@pytest.mark.parametrize("cache", [None, "simple"])
@pytest.mark.parametrize("size", ["240", "original"])
def test_owner_first_then_a_stranger(
    make_site: SiteFactory,
    login: Login,
    sandbox: Sandbox,
    alice: User,
    bob: User,
    cache: str | None,
    size: str,
) -> None:
    site = make_site(IPERNITY_CACHE=cache)
    doc = sandbox.add_doc(alice, "Private", is_public=False)
    owner = site.test_client()
    login(owner, alice)
    assert owner.get(f"/media/{doc.doc_id}/{size}").status_code == 200

    anonymous = site.test_client()
    assert anonymous.get(f"/media/{doc.doc_id}/{size}").status_code == 404
    stranger = site.test_client()
    login(stranger, bob)
    answer = stranger.get(f"/media/{doc.doc_id}/{size}")
    assert answer.status_code == 404
    assert answer.mimetype != "image/jpeg"
    # And the owner still sees it: the refusals above were not a broken proxy.
    assert owner.get(f"/media/{doc.doc_id}/{size}").status_code == 200
