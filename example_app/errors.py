"""Friendly pages for what can go wrong: unknown pages, failed logins, Ipernity down.

Flask-Ipernity answers failed logins (and media it cannot fetch) with its
``ipernity/error.html`` template, which this site overrides with its own look
in ``templates/ipernity/error.html``. The handlers below cover the rest.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

import ipernity
from flask_ipernity import login_failed

log = logging.getLogger(__name__)


def register_error_pages(app: Flask) -> None:
    """Install the site's error pages and its login-failure log on ``app``."""
    app.register_error_handler(404, not_found)
    app.register_error_handler(ipernity.NotFound, not_found)
    app.register_error_handler(ipernity.TransportError, ipernity_unreachable)
    app.register_error_handler(500, server_error)
    login_failed.connect(log_failed_login, app)


def not_found(error: Exception) -> ResponseReturnValue:
    """An unknown page, or an album or photo Ipernity does not show this member."""
    return render_template("errors/not_found.html"), 404


def ipernity_unreachable(error: ipernity.TransportError) -> ResponseReturnValue:
    """Ipernity did not answer (refused, unknown host, timeout): say so, offer a retry."""
    log.warning("Ipernity is unreachable: %s", error)
    timed_out = isinstance(error, ipernity.RequestTimeout)
    return render_template("errors/unreachable.html", timed_out=timed_out), 503


def server_error(error: HTTPException | Exception) -> ResponseReturnValue:
    """A bug of ours: apologise without showing any detail."""
    return render_template("errors/server_error.html"), 500


def log_failed_login(app: Flask, **extra: Any) -> None:
    """Tell the operator why a login failed; the visitor sees the error page."""
    log.warning("A login with Ipernity failed: %s", extra.get("reason", "unknown reason"))
