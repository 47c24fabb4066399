"""Flask-Ipernity 0.1's configuration keys, read into the current ones.

A site that sets any of these keys is *configured the 0.1 way*: it gets 0.1's
defaults for the keys it leaves out (no permission asked by default, the routes
under ``/ipernity``), its keys are copied to their current names, one
:class:`DeprecationWarning` lists every 0.1 key it uses with its replacement,
and the application's logger gets one WARNING per key.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..config import DEPRECATED_ALIASES
from .deprecation import log_once, warn_at_site

#: 0.1's defaults, given to sites configured the 0.1 way.
LEGACY_DEFAULTS: dict[str, Any] = {
    "IPERNITY_CACHE_REQUESTS": False,
    "IPERNITY_CACHE_MAX_AGE": 300,
    "IPERNITY_CALLBACK": True,
    "IPERNITY_CALLBACK_URL_PREFIX": "/ipernity",
    "IPERNITY_LOGIN": False,
    "IPERNITY_LOGIN_URL_PREFIX": "/ipernity",
    "IPERNITY_PERMISSIONS": {},
    "IPERNITY_SESSION_PREFIX": "ipernity_",
}

#: Every 0.1 key and what replaces it, as the deprecation warning says it.
NEW_WAY: dict[str, str] = {
    **DEPRECATED_ALIASES,
    "IPERNITY_CACHE_REQUESTS": 'IPERNITY_CACHE = "simple"',
    "IPERNITY_CALLBACK": "the /callback route (always on)",
    "IPERNITY_CALLBACK_URL_PREFIX": "IPERNITY_URL_PREFIX",
    "IPERNITY_LOGIN_URL_PREFIX": "IPERNITY_URL_PREFIX",
    "IPERNITY_SESSION_PREFIX": "IPERNITY_TOKEN_STORAGE",
}


def apply_legacy_config(app: Flask) -> bool:
    """Read a site's 0.1 keys into the current ones, warning once and logging each key.

    A current key the site sets itself wins over its 0.1 name. The warning
    lists every 0.1 key in use; ``app.logger`` gets one WARNING per key.

    :return: whether the site is configured the 0.1 way.
    """
    config = app.config
    used = [key for key in NEW_WAY if key in config]
    if not used:
        return False
    listed = "; ".join(f"{key} -> {NEW_WAY[key]}" for key in used)
    warn_at_site(
        f"Flask-Ipernity 0.1 settings in use; each still works, but use the new ones: {listed}"
    )
    for key in used:
        log_once(app, key, f"{key} is Flask-Ipernity 0.1's setting; use {NEW_WAY[key]}")
    for key, default in LEGACY_DEFAULTS.items():
        config.setdefault(key, default)
    for old, new in DEPRECATED_ALIASES.items():
        if old in config and not config.get(new):
            config[new] = config[old]
    config.setdefault("IPERNITY_URL_PREFIX", config["IPERNITY_CALLBACK_URL_PREFIX"])
    if "IPERNITY_TOKEN_STORAGE" not in config:
        from ..storage import SessionStorage

        # Where 0.1 kept the token: its members stay logged in across the upgrade.
        config["IPERNITY_TOKEN_STORAGE"] = SessionStorage(
            config["IPERNITY_SESSION_PREFIX"] + "token"
        )
    if config["IPERNITY_CACHE_REQUESTS"] and not config.get("IPERNITY_CACHE"):
        from .request_cache import LegacyRequestCache

        config["IPERNITY_CACHE"] = LegacyRequestCache.simple(int(config["IPERNITY_CACHE_TTL"]))
    return True
