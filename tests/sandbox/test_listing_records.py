"""What a sandbox holds, listed: its applications and its members (``--sandbox-db`` reads them)."""

from __future__ import annotations

from ipernity.sandbox import Sandbox


def test_apps_lists_every_application_in_the_order_registered() -> None:
    with Sandbox() as sb:
        site = sb.add_app("Site", auth="web", callback="http://127.0.0.1:9/callback")
        tool = sb.add_app("Tool", auth="desktop")
        assert sb.apps() == [site, tool]


def test_members_lists_every_member_in_the_order_they_joined() -> None:
    with Sandbox() as sb:
        alice = sb.add_user("alice", "Alice")
        bob = sb.add_user("bob")
        assert sb.members() == [alice, bob]


def test_a_new_sandbox_has_no_applications_and_no_members() -> None:
    with Sandbox() as sb:
        assert sb.apps() == []
        assert sb.members() == []
