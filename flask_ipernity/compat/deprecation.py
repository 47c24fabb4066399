"""How Flask-Ipernity 0.1's names say they are deprecated, where a site's author sees it.

Each use warns (a :class:`DeprecationWarning`) at the site's own line: the
first frame outside Flask-Ipernity, Flask, Werkzeug and Jinja, and for a
template, the template's file and line. Python hides these warnings outside
``__main__``, so never under ``flask run`` or a WSGI server: each name is
also logged once per application, as a WARNING on ``app.logger``. A name used
inside an application is logged at once; one used outside any (an import, a
decorator applied when the site's modules load) is logged when the next
application is set up or serves its first request after the use.

A place in the site's code that uses a 0.1 name at every request warns at its
first use only, for as long as the warning filters stay as they are: its later
uses cost a lookup, not a new warning, which Python's default filters would not
show anyway. New filters (``warnings.catch_warnings()``, ``pytest.warns()``)
make it warn again.
"""

from __future__ import annotations

import sys
import warnings
from types import CodeType, FrameType

from flask import Flask, current_app, has_app_context

# The packages whose frames are never the site's own line.
_LIBRARIES = frozenset({"flask_ipernity", "flask", "werkzeug", "jinja2", "importlib", "blinker"})

# Where each application keeps the names it has logged.
_LOGGED_KEY = "ipernity.deprecations_logged"

# Names used outside any application, waiting for one to log them: name -> message.
_waiting: dict[str, str] = {}

#: Call sites remembered as having warned; past this many (templates compiled at
#: run time are new sites), they are forgotten and warn once more.
MAX_CALL_SITES = 1024

# A call site (its code's id, instruction, 0.1 name) -> its code (kept, so that the
# id stays its own), the filters list it warned under, and that list's entries.
_warned: dict[tuple[int, int, str], tuple[CodeType | None, object, tuple[object, ...]]] = {}


def deprecated(old: str, new: str) -> None:
    """Warn that ``old`` is Flask-Ipernity 0.1's name and ``new`` replaces it, and log it.

    :param old: the 0.1 name, as the site wrote it.
    :param new: what to write now.
    """
    frame = site_frame()
    if _first_use_under_these_filters(frame, old):
        _warn_at(frame, _message(old, new))
    if not has_app_context():
        _waiting.setdefault(old, _message(old, new))
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if old not in app.extensions.get(_LOGGED_KEY, ()):
        log_once(app, old, _message(old, new))


def _message(old: str, new: str) -> str:
    return f"{old} is Flask-Ipernity 0.1's name; use {new}"


def warn_at_site(message: str) -> None:
    """Warn ``message`` (a :class:`DeprecationWarning`) at the site's line that caused it."""
    _warn_at(site_frame(), message)


def _warn_at(frame: FrameType | None, message: str) -> None:
    if frame is None:
        warnings.warn(message, DeprecationWarning, stacklevel=3)
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


def _first_use_under_these_filters(frame: FrameType | None, name: str) -> bool:
    """Tell whether ``name`` used at ``frame``'s line has not warned under the current filters.

    The filters are told apart by their list, which each ``catch_warnings()``
    replaces, and by its entries, which ``simplefilter()`` changes in place.
    """
    # By the code's id and the instruction's offset: hashing a code object hashes
    # its constants, and a frame works its line number out at each f_lineno.
    code = frame.f_code if frame is not None else None
    site = (id(code), frame.f_lasti if frame is not None else 0, name)
    filters = warnings.filters
    entries = tuple(filters)
    seen = _warned.get(site)
    if seen is not None and seen[0] is code and seen[1] is filters and seen[2] == entries:
        return False
    if len(_warned) >= MAX_CALL_SITES:
        _warned.clear()
    _warned[site] = (code, filters, entries)
    return True


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
    logged: set[str] | None = app.extensions.get(_LOGGED_KEY)
    if logged is None:
        logged = app.extensions.setdefault(_LOGGED_KEY, set())
    if name not in logged:
        logged.add(name)
        app.logger.warning("%s", message)


def init_app(app: Flask) -> None:
    """Log the 0.1 names used so far outside an application, and those used later at the
    next request (a decorator of a view defined after ``init_app``)."""
    _log_waiting(app)
    app.before_request(_log_names_waiting)


def _log_names_waiting() -> None:
    # At every request of every application: a name seldom waits.
    if _waiting:
        _log_waiting(current_app._get_current_object())  # type: ignore[attr-defined]


def _log_waiting(app: Flask) -> None:
    # Each waiting name goes to one application: the one starting now.
    for name in list(_waiting):
        message = _waiting.pop(name, None)
        if message is not None:
            log_once(app, name, message)
