"""Flask-Ipernity 0.1's module of the extension, kept for its import path.

``from flask_ipernity.ext import Ipernity, ipernity, ipernity_auth_required``
still works, with a warning to import them from :mod:`flask_ipernity`.
"""

from __future__ import annotations

from typing import Any

from .compat.deprecation import deprecated

# Each name and the way to write it now: not a name that is 0.1's itself.
_NEW_WAY = {
    "Ipernity": "flask_ipernity.Ipernity",
    "ipernity": "flask_ipernity.api and flask_ipernity.current_extension()",
    "ipernity_auth_required": "flask_ipernity.login_required",
    "default_flask_options": "flask_ipernity.config",
}


def __getattr__(name: str) -> Any:
    new = _NEW_WAY.get(name)
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    deprecated(f"flask_ipernity.ext.{name}", new)
    if name == "default_flask_options":
        from .compat.settings import LEGACY_DEFAULTS

        return LEGACY_DEFAULTS
    import flask_ipernity

    return getattr(flask_ipernity, name)
