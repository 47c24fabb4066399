"""How Flask-Ipernity 0.1's names say they are deprecated, where a site's author sees it.

Each use warns (a :class:`DeprecationWarning`) at the site's own line: the
first frame outside Flask-Ipernity, Flask, Werkzeug and Jinja, and for a
template, the template's file and line. Python hides these warnings outside
``__main__``, so never under ``flask run`` or a WSGI server: each name is
also logged once per application, as a WARNING on ``app.logger``. A name used
inside an application is logged at once; one used outside any (an import, a
decorator applied when the site's modules load) is logged when the next
application is set up or serves its first request after the use.
"""

from __future__ import annotations

import sys
import warnings
from types import FrameType

from flask import Flask, current_app, has_app_context

# The packages whose frames are never the site's own line.
_LIBRARIES = frozenset({"flask_ipernity", "flask", "werkzeug", "jinja2", "importlib", "blinker"})

# Where each application keeps the names it has logged.
_LOGGED_KEY = "ipernity.deprecations_logged"

# Names used outside any application, waiting for one to log them: name -> message.
_waiting: dict[str, str] = {}


def deprecated(old: str, new: str) -> None:
    """Warn that ``old`` is Flask-Ipernity 0.1's name and ``new`` replaces it, and log it.

    :param old: the 0.1 name, as the site wrote it.
    :param new: what to write now.
    """
    message = f"{old} is Flask-Ipernity 0.1's name; use {new}"
    warn_at_site(message)
    if has_app_context():
        log_once(current_app._get_current_object(), old, message)  # type: ignore[attr-defined]
    else:
        _waiting.setdefault(old, message)


def warn_at_site(message: str) -> None:
    """Warn ``message`` (a :class:`DeprecationWarning`) at the site's line that caused it."""
    frame = site_frame()
    if frame is None:
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        return
    template = frame.f_globals.get("__jinja_template__")
    if template is not None:
        filename = template.filename or template.name or "<template>"
        lineno = template.get_corresponding_lineno(frame.f_lineno)
        module = template.name or filename
    else:
        filename, lineno = frame.f_code.co_filename, frame.f_lineno
        module = frame.f_globals.get("__name__", "<site>")
    warnings.warn_explicit(
        message,
        DeprecationWarning,
        filename,
        lineno,
        module=module,
        registry=frame.f_globals.setdefault("__warningregistry__", {}),
    )


def site_frame() -> FrameType | None:
    """Return the innermost frame of the caller's stack that is not a library's, if any.

    Compiled Jinja templates are the site's: their frames have no module name.
    """
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        package = str(frame.f_globals.get("__name__") or "").partition(".")[0]
        if package not in _LIBRARIES:
            return frame
        frame = frame.f_back
    return None


def log_once(app: Flask, name: str, message: str) -> None:
    """Log ``message`` as a WARNING on ``app.logger``, unless ``name`` was logged already."""
    logged: set[str] = app.extensions.setdefault(_LOGGED_KEY, set())
    if name not in logged:
        logged.add(name)
        app.logger.warning("%s", message)


def init_app(app: Flask) -> None:
    """Log the 0.1 names used so far outside an application, and those used later at the
    next request (a decorator of a view defined after ``init_app``)."""
    _log_waiting(app)
    app.before_request(lambda: _log_waiting(app))


def _log_waiting(app: Flask) -> None:
    # Each waiting name goes to one application: the one starting now.
    for name in list(_waiting):
        message = _waiting.pop(name, None)
        if message is not None:
            log_once(app, name, message)
