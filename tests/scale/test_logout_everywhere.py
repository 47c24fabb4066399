"""Ipernity.logout(everywhere=True): the member's logins end in every browser."""

from __future__ import annotations

import pytest
from flask import Flask

from flask_ipernity import current_extension
from flask_ipernity.testing import SandboxLogin
from ipernity.sandbox import App, Sandbox, User

from .test_redis_outage import keyed_site

pytestmark = pytest.mark.redis


def site_with_logout_everywhere(sandbox: Sandbox, web_app: App, **config: object) -> Flask:
    site = keyed_site(sandbox, web_app, **config)

    @site.post("/logout-everywhere")
    def logout_everywhere() -> str:
        current_extension().logout(everywhere=True)
        return "bye"

    return site


def test_logging_out_everywhere_ends_the_members_other_browsers(
    redis_url: str, sandbox: Sandbox, web_app: App, alice: User, ipernity_login: SandboxLogin
) -> None:
    site = site_with_logout_everywhere(
        sandbox, web_app, IPERNITY_TOKEN_STORAGE=redis_url, TESTING=True
    )
    laptop, phone = site.test_client(), site.test_client()
    ipernity_login(laptop, alice, sandbox=sandbox)
    ipernity_login(phone, alice, sandbox=sandbox)
    assert phone.get("/private").status_code == 200
    laptop.post("/logout-everywhere")
    assert phone.get("/private").status_code == 302
    assert laptop.get("/private").status_code == 302


def test_the_session_cookie_cannot_log_out_everywhere(
    sandbox: Sandbox, web_app: App, alice: User, ipernity_login: SandboxLogin
) -> None:
    site = site_with_logout_everywhere(sandbox, web_app, TESTING=True)
    client = site.test_client()
    ipernity_login(client, alice, sandbox=sandbox)
    with pytest.raises(NotImplementedError, match="IPERNITY_TOKEN_STORAGE"):
        client.post("/logout-everywhere")
