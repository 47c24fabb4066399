"""An unchanged Flask-Ipernity 0.1 site: Flask-Login, request cache, ``ipernity_auth_required``.

The same file runs in both venvs of the upgrade benchmark: with Flask-Ipernity
0.1.0 and PyIpernity 0.3.1 (``benchmarks/.legacy/``), and with this project's.
Its one page, ``/me``, is what a logged-in member asks most: behind
``ipernity_auth_required``, it reads ``current_user`` and calls ``user.get``,
which 0.1's request cache answers after the first time.

Run as a script, it serves under waitress (``SITE_THREADS`` threads, 8 by
default) on a free port of 127.0.0.1 and prints its URL. Settings come from
the environment: ``SITE_SECRET_KEY``, ``SITE_API_KEY``, ``SITE_API_SECRET``,
``SITE_API_URL`` and ``SITE_AUTH_URL`` (the sandbox's).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify
from flask_login import LoginManager, current_user

from flask_ipernity import Ipernity, ipernity, ipernity_auth_required


def create_app(settings: Mapping[str, str]) -> Flask:
    """The site, as a 0.1 site is written, configured from ``settings``."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings["SITE_SECRET_KEY"],
        IPERNITY_APP_KEY=settings["SITE_API_KEY"],
        IPERNITY_APP_SECRET=settings["SITE_API_SECRET"],
        IPERNITY_LOGIN=True,
        IPERNITY_CACHE_REQUESTS=True,
        # 0.1 always talks to ipernity.com; see main() for its way to the sandbox.
        IPERNITY_API_URL=settings["SITE_API_URL"],
        IPERNITY_AUTH_URL=settings["SITE_AUTH_URL"],
    )
    LoginManager(app)
    Ipernity(app)

    @app.route("/me")
    @ipernity_auth_required()
    def me() -> Any:
        return jsonify(
            member=current_user.username, user=ipernity.api.user.get()["user"]["username"]
        )

    return app


def point_legacy_client_at(settings: Mapping[str, str]) -> None:
    """Send PyIpernity 0.3.1's calls to the sandbox: 0.1 never passes it a URL.

    The harness's stand-in for the DNS record a real site resolves: the
    defaults of ``IpernityAPI(url=…, auth_url_base=…)``, nothing the site runs.
    """
    import flask_ipernity
    from ipernity import IpernityAPI

    if not flask_ipernity.__version__.startswith("0."):
        return
    init = IpernityAPI.__init__
    defaults = list(init.__defaults__ or ())
    defaults[-2:] = [settings["SITE_API_URL"], settings["SITE_AUTH_URL"]]
    init.__defaults__ = tuple(defaults)


def main() -> int:
    """Serve the site under waitress until terminated; print its URL first."""
    import warnings

    from waitress.server import create_server

    # A full queue is what a load test is for; waitress would warn about it at every request.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # The upgraded side warns once about each 0.1 name: the site is 0.1's on purpose.
    warnings.simplefilter("ignore", DeprecationWarning)
    point_legacy_client_at(os.environ)
    app = create_app(os.environ)
    threads = int(os.environ.get("SITE_THREADS", "8"))
    server = create_server(app, host="127.0.0.1", port=0, threads=threads, connection_limit=1000)
    print(f"http://127.0.0.1:{server.effective_port}", flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
