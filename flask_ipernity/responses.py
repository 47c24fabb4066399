"""The pages and JSON bodies the extension answers with when something fails."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template, request


def wants_json() -> bool:
    """Tell whether the current request prefers JSON to HTML (its ``Accept``)."""
    accepted = request.accept_mimetypes
    return accepted.best_match(["text/html", "application/json"]) == "application/json"


def error_response(status: int, error: str, message: str, **extra: Any) -> Response:
    """Answer a failure with the ``ipernity/error.html`` page or a small JSON body.

    :param status: the HTTP status.
    :param error: a short machine-readable code, e.g. ``"login_timed_out"``.
    :param message: one or two sentences for the visitor; never a secret.
    :param extra: more members for the JSON body and the template
        (``login_url`` adds a "log in" link to the page).
    :return: the response, with ``Cache-Control: no-store``.
    """
    if wants_json():
        response = jsonify(error=error, message=message, **extra)
    else:
        page = render_template(
            "ipernity/error.html", status=status, error=error, message=message, **extra
        )
        response = Response(page, mimetype="text/html")
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
