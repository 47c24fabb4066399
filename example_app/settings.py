"""The site's settings: defaults, and what the environment may set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Settings every instance starts with.
DEFAULTS: dict[str, Any] = {
    # What every login asks for; creating albums asks for more when needed.
    "IPERNITY_PERMISSIONS": {"doc": "read"},
    # Photos shown per page of an album.
    "PHOTOS_PER_PAGE": 24,
    # The largest photo a visitor may upload through the site.
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    # The new-album form acts for the member: another site's form must not post it
    # with their cookie. Ipernity's redirect back to the callback, a GET, still has it.
    "SESSION_COOKIE_SAMESITE": "Lax",
    # The name the embedded sandbox's consent page asks the member about.
    "IPERNITY_SANDBOX_APP_NAME": "Lightbox",
}

#: Environment variables the site reads, each into the setting of the same name.
ENVIRONMENT_KEYS = (
    "SECRET_KEY",
    "IPERNITY_API_KEY",
    "IPERNITY_API_SECRET",
    # Another Ipernity, e.g. a sandbox started with ``python -m ipernity.sandbox``.
    "IPERNITY_API_URL",
    "IPERNITY_AUTH_URL",
    # "oauth" logs members in with OAuth 1.0 instead of frobs ("frob", the default).
    "IPERNITY_AUTH_METHOD",
    "IPERNITY_OAUTH_URL",
    # With OAuth: the site's callback URL, e.g. https://photos.example/callback.
    "IPERNITY_CALLBACK_URL",
    # A sandbox on this machine serves its pictures from 127.0.0.1: name it here
    # (its URL, or host:port; several separated by commas) for the media proxy.
    "IPERNITY_MEDIA_LOCAL_HOSTS",
)

#: Variables holding a list, its items separated by commas.
LIST_KEYS = frozenset({"IPERNITY_MEDIA_LOCAL_HOSTS"})

#: Environment variables read as yes or no ("1", "true", "yes" and "on" are yes).
ENVIRONMENT_FLAGS = (
    # With OAuth: the service sends verifiers (OAuth 1.0a), or the site accepts
    # that Ipernity sends none (see "Frob or OAuth" in the extension's docs).
    "IPERNITY_OAUTH_VERIFIER",
    "IPERNITY_OAUTH_WITHOUT_VERIFIER",
)

_YES = frozenset({"1", "true", "yes", "on"})


def settings_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings ``environ`` provides; empty variables count as unset.

    :param environ: the environment, usually :data:`os.environ`.
    """
    settings: dict[str, Any] = {}
    for name in ENVIRONMENT_KEYS:
        value = environ.get(name)
        if value and name in LIST_KEYS:
            settings[name] = [item.strip() for item in value.split(",") if item.strip()]
        elif value:
            settings[name] = value
    for name in ENVIRONMENT_FLAGS:
        if environ.get(name):
            settings[name] = environ[name].strip().lower() in _YES
    return settings
