"""The demo members of the sandbox the site runs on when no key is configured."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple


class DemoMember(NamedTuple):
    """A member one can sign in as on the sandbox's sign-in page."""

    username: str
    #: The name the sign-in page shows on the member's button.
    realname: str


@cache
def sandbox_members() -> list[DemoMember]:
    """The demo members of the sandbox embedded in Flask-Ipernity."""
    from ipernity.sandbox import Sandbox
    from ipernity.sandbox.seed import seed_demo

    # The demo seed is deterministic: a fresh copy has the embedded sandbox's members.
    with Sandbox() as copy:
        return [DemoMember(user.username, user.realname) for user in seed_demo(copy).members]
