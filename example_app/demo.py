"""The demo members of the sandbox the site runs on when no key is configured."""

from __future__ import annotations

from functools import cache


@cache
def sandbox_members() -> list[str]:
    """The usernames to sign in as on the embedded sandbox's sign-in page."""
    from ipernity.sandbox.seed import seed_demo

    from ipernity.sandbox import Sandbox

    # The demo seed is deterministic: a fresh copy has the embedded sandbox's members.
    with Sandbox() as copy:
        return [member.username for member in seed_demo(copy).members]
