"""A small site using Flask-Ipernity, measured in-process and under waitress.

Routes:

- ``/open`` and ``/protected``: the same view, bare and behind
  ``login_required``; neither calls the API.
- ``/me``: behind ``login_required``, asks Ipernity who the token belongs to
  (``user.get``) and answers it beside the member the site's storage holds.

Run as a script, it serves under waitress on a free port of 127.0.0.1 and
prints its URL; its settings come from the environment: ``SITE_SECRET_KEY``,
``SITE_API_KEY``, ``SITE_API_SECRET``, ``SITE_API_URL``, ``SITE_AUTH_URL``,
optionally ``SITE_TOKEN_STORAGE``, ``SITE_CACHE``, ``SITE_THREADS`` and
``SITE_OAUTH_CALLBACK_URL`` (OAuth logins, without a verifier, calling back there).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask

from flask_ipernity import Ipernity, api, current_member, login_required


def hello() -> str:
    """A view that needs nothing from Ipernity."""
    return "hello"


def me() -> dict[str, Any]:
    """Who the site thinks the visitor is, and who Ipernity says the token is."""
    member = current_member
    return {
        "member": member.username if member is not None else None,
        "user": api.user.get()["user"]["username"],
    }


def create_app(settings: Mapping[str, str]) -> Flask:
    """The site, configured from ``settings`` (the ``SITE_*`` names above)."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings["SITE_SECRET_KEY"],
        IPERNITY_API_KEY=settings["SITE_API_KEY"],
        IPERNITY_API_SECRET=settings["SITE_API_SECRET"],
        IPERNITY_API_URL=settings["SITE_API_URL"],
        IPERNITY_AUTH_URL=settings["SITE_AUTH_URL"],
        IPERNITY_SANDBOX=False,
    )
    if settings.get("SITE_TOKEN_STORAGE"):
        app.config["IPERNITY_TOKEN_STORAGE"] = settings["SITE_TOKEN_STORAGE"]
    if settings.get("SITE_CACHE"):
        app.config["IPERNITY_CACHE"] = settings["SITE_CACHE"]
    if settings.get("SITE_OAUTH_CALLBACK_URL"):
        app.config.update(
            IPERNITY_AUTH_METHOD="oauth",
            IPERNITY_OAUTH_WITHOUT_VERIFIER=True,
            IPERNITY_CALLBACK_URL=settings["SITE_OAUTH_CALLBACK_URL"],
        )
    Ipernity(app)
    app.add_url_rule("/open", "open", hello)
    app.add_url_rule("/protected", "protected", login_required(hello))
    app.add_url_rule("/me", "me", login_required(me))
    return app


def main() -> int:
    """Serve the site under waitress until terminated; print its URL first."""
    from waitress.server import create_server

    # A full queue is what a load test is for; waitress would warn about it at every request.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    app = create_app(os.environ)
    threads = int(os.environ.get("SITE_THREADS", "8"))
    server = create_server(app, host="127.0.0.1", port=0, threads=threads, connection_limit=1000)
    print(f"http://127.0.0.1:{server.effective_port}", flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
