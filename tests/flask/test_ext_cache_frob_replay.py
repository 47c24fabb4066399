"""With the response cache on, a frob already spent never yields a token again.

``auth.getToken`` answers with the member's token: were it cached, a second
browser replaying the first visitor's frob (from a shared link, a proxy log, the
browser history) would be handed that visitor's token.
"""

from __future__ import annotations

import pytest
from sites import SiteFactory, frob_for, session_of

from ipernity.sandbox import Sandbox, User


@pytest.mark.parametrize("cache", ["simple", None])
def test_a_second_browser_replaying_a_spent_frob_gets_no_token(
    make_site: SiteFactory, sandbox: Sandbox, alice: User, cache: str | None
) -> None:
    site = make_site(IPERNITY_CACHE=cache)
    first = site.test_client()
    frob = frob_for(first, sandbox, alice)
    assert first.get(f"/callback?frob={frob}").status_code == 302
    token = session_of(first)["ipernity_token"]

    second = site.test_client()
    second.get("/login")
    answer = second.get(f"/callback?frob={frob}")
    assert answer.status_code == 403
    assert "ipernity_token" not in session_of(second)
    assert str(token["token"]) not in answer.text
    assert second.get("/me").status_code == 302  # still asked to log in
