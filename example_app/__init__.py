"""Lightbox: a small photo site built on Flask-Ipernity, as we would tell you to build yours.

Run it with ``python -m example_app`` (``make run``) or ``flask --app
example_app run``. With no ``IPERNITY_API_KEY`` in the environment it runs
against the sandbox embedded in Flask-Ipernity, with its demo members; with
``IPERNITY_API_KEY`` and ``IPERNITY_API_SECRET`` it talks to the real Ipernity.
``IPERNITY_AUTH_METHOD=oauth`` logs members in with OAuth instead of frobs.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .errors import register_error_pages
from .extensions import ipernity
from .links import links
from .logout import register_logout_notice
from .security import register_security_headers
from .settings import DEFAULTS, settings_from_environment
from .views import gallery

log = logging.getLogger(__name__)

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the site.

    Settings come from :data:`~example_app.settings.DEFAULTS`, then the
    environment (see :func:`~example_app.settings.settings_from_environment`),
    then ``config``.

    :param config: settings that override the others, e.g. in tests.
    :return: the Flask application, with Flask-Ipernity set up.
    """
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(settings_from_environment(os.environ))
    app.config.update(config or {})
    if _oauth_on_the_embedded_sandbox(app.config):
        # The embedded sandbox, like Ipernity, sends no oauth_verifier, so nothing
        # proves which browser approved an OAuth login. Lightbox's OAuth mode accepts
        # that on the sandbox, to show the flow on `IPERNITY_AUTH_METHOD=oauth make run`;
        # the first callback still burns each login link. With a real key the choice
        # is the operator's: IPERNITY_OAUTH_WITHOUT_VERIFIER=1, or the frob flow.
        app.config.setdefault("IPERNITY_OAUTH_WITHOUT_VERIFIER", True)
    if not app.config.get("SECRET_KEY"):
        # A random key works for one process; sessions end when it stops.
        log.warning(
            "SECRET_KEY is not set: using a random key for this process, so logins end "
            "when it stops and several processes cannot share them; set SECRET_KEY"
        )
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    ipernity.init_app(app)
    app.register_blueprint(gallery)
    app.register_blueprint(links)
    register_security_headers(app)
    register_error_pages(app)
    register_logout_notice(app)
    return app


def _oauth_on_the_embedded_sandbox(config: Mapping[str, Any]) -> bool:
    return (
        config.get("IPERNITY_AUTH_METHOD") == "oauth"
        and not config.get("IPERNITY_API_KEY")
        and config.get("IPERNITY_SANDBOX", True) is not False
    )
