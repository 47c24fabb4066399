"""One instance of a small Flask-Ipernity site, run as its own process by the scale tests.

``python instance_app.py`` serves it under waitress (8 threads) on a free port
of 127.0.0.1 and prints its URL once it listens. Settings come from the
environment: ``SITE_SECRET_KEY``, ``SITE_API_KEY``, ``SITE_API_SECRET``,
``SITE_API_URL``, ``SITE_AUTH_URL``, and optionally ``SITE_TOKEN_STORAGE``
and ``SITE_CACHE`` (given to ``IPERNITY_TOKEN_STORAGE`` and ``IPERNITY_CACHE``
as they are: e.g. ``redis://127.0.0.1:6379/0``), and ``SITE_OAUTH_CALLBACK_URL``
(OAuth logins, without a verifier, calling back there).

Routes: ``/me`` (who the site's storage and Ipernity say the visitor is) and
``/docs`` (a read-only call, to see the cache at work), both behind
``login_required``; the extension adds ``/login``, ``/callback`` and ``/logout``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask
from waitress.server import create_server

from flask_ipernity import Ipernity, api, current_member, login_required


def create_app() -> Flask:
    """The site, configured from the environment."""
    env = os.environ
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=env["SITE_SECRET_KEY"],
        IPERNITY_API_KEY=env["SITE_API_KEY"],
        IPERNITY_API_SECRET=env["SITE_API_SECRET"],
        IPERNITY_API_URL=env["SITE_API_URL"],
        IPERNITY_AUTH_URL=env["SITE_AUTH_URL"],
        IPERNITY_SANDBOX=False,
    )
    if env.get("SITE_TOKEN_STORAGE"):
        app.config["IPERNITY_TOKEN_STORAGE"] = env["SITE_TOKEN_STORAGE"]
    if env.get("SITE_CACHE"):
        app.config["IPERNITY_CACHE"] = env["SITE_CACHE"]
    if env.get("SITE_OAUTH_CALLBACK_URL"):
        app.config.update(
            IPERNITY_AUTH_METHOD="oauth",
            IPERNITY_OAUTH_WITHOUT_VERIFIER=True,
            IPERNITY_CALLBACK_URL=env["SITE_OAUTH_CALLBACK_URL"],
        )
    Ipernity(app)

    @app.get("/me")
    @login_required
    def me() -> dict[str, Any]:
        member = current_member
        return {
            "member": member.username if member is not None else None,
            "user": api.user.get()["user"]["username"],
        }

    @app.get("/docs")
    @login_required
    def docs() -> dict[str, Any]:
        listing = api.doc.getList(per_page=5)["docs"]
        return {"total": listing["total"], "titles": [d["title"] for d in listing.get("doc", [])]}

    return app


def main() -> None:
    """Serve until terminated."""
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = create_server(
        create_app(), host="127.0.0.1", port=0, threads=8, connection_limit=1000
    )
    print(f"http://127.0.0.1:{server.effective_port}", flush=True)
    server.run()


if __name__ == "__main__":
    main()
