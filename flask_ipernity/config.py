"""The extension's configuration keys and their defaults, in one place.

Every key is read from ``app.config`` when :meth:`Ipernity.init_app
<flask_ipernity.Ipernity.init_app>` runs; a key the application does not set
takes the default below.
"""

from __future__ import annotations

from typing import Any

from ipernity.api import DEFAULT_AUTH_URL, DEFAULT_URL

#: The application's API key, from the application's page on Ipernity.
#: Required unless ``IPERNITY_SANDBOX`` is on (then the embedded sandbox's demo
#: application is used when it is missing).
IPERNITY_API_KEY: str | None = None

#: The application's API secret; it signs every request and never leaves the server.
IPERNITY_API_SECRET: str | None = None

#: The permissions asked at every login, e.g. ``{"doc": "write", "network": "read"}``.
#: :func:`~flask_ipernity.login_required` may ask for more; a login never asks
#: for less than this.
IPERNITY_PERMISSIONS: dict[str, str] = {"doc": "read"}

#: The API's base URL (a proxy or a sandbox in tests).
IPERNITY_API_URL: str = DEFAULT_URL

#: The authorization page members are sent to.
IPERNITY_AUTH_URL: str = DEFAULT_AUTH_URL

#: How members log in: ``"frob"`` (Ipernity's own web flow, the safe one on
#: Ipernity) or ``"oauth"`` (OAuth 1.0; needs ``pip install
#: "Flask-Ipernity[oauth]"`` and, since Ipernity sends no ``oauth_verifier``,
#: ``IPERNITY_OAUTH_WITHOUT_VERIFIER``). See :doc:`/flask` for which to choose.
IPERNITY_AUTH_METHOD: str = "frob"

#: The base of Ipernity's OAuth steps (``request``, ``authorize``, ``access``).
#: By default the ``oauth/`` folder beside ``IPERNITY_AUTH_URL`` (on Ipernity:
#: ``https://www.ipernity.com/apps/oauth/``); the embedded sandbox sets its own.
IPERNITY_OAUTH_URL: str | None = None

#: The service speaks OAuth 1.0a: it confirms each request token's callback
#: and sends an ``oauth_verifier`` with the member's approval, which every
#: OAuth login then requires. Ipernity does not; a sandbox started with
#: ``oauth_verifier=True`` does.
IPERNITY_OAUTH_VERIFIER: bool = False

#: Accept OAuth logins although the service sends no ``oauth_verifier``:
#: nothing then proves which browser approved a login, and a login link an
#: attacker started and a member opened can log him in as that member, unless
#: the member's own browser reaches the callback first (see :doc:`/flask`).
#: Without it (or ``IPERNITY_OAUTH_VERIFIER``), ``"oauth"`` is refused at start-up.
IPERNITY_OAUTH_WITHOUT_VERIFIER: bool = False

#: This site's callback URL as members' browsers reach it, e.g.
#: ``"https://photos.example/callback"``. OAuth logins send it with each request
#: token; it is never taken from a request's ``Host`` header. ``None``: built
#: from ``SERVER_NAME`` (with ``PREFERRED_URL_SCHEME`` and ``APPLICATION_ROOT``);
#: with the embedded sandbox and neither set, from the address the server is bound to.
IPERNITY_CALLBACK_URL: str | None = None

#: Where the ``/login``, ``/callback`` and ``/logout`` routes are mounted; the
#: callback URL registered on Ipernity is this prefix plus ``/callback``.
IPERNITY_URL_PREFIX: str = ""

#: Seconds a started login may take, from ``/login`` until the callback.
IPERNITY_LOGIN_TIMEOUT: float = 600

#: Seconds to connect to Ipernity and to wait for an answer. A visitor waits
#: for these, so they are far shorter than the library's defaults for scripts.
IPERNITY_TIMEOUT: tuple[float, float] = (5.0, 30.0)

#: Extra tries for a read call after a passing failure; few, for the same reason.
IPERNITY_RETRIES: int = 1

#: Without an API key, run against an embedded ``ipernity.sandbox`` seeded with
#: demo data, so that ``flask run`` works with no Ipernity account. Set it to
#: ``False`` in production: a missing key is then an error at startup.
IPERNITY_SANDBOX: bool = True

#: The site's name on the embedded sandbox's consent page ("… would like to
#: access your account"). ``None``: the application's name made readable
#: (``my_site`` reads "My site").
IPERNITY_SANDBOX_APP_NAME: str | None = None

#: Where each visitor's token lives: ``"session"`` (the signed session cookie),
#: a ``redis://host:port/db`` URL (the token on Redis, the cookie holding only an
#: opaque id: for sites on several instances; see
#: :class:`~flask_ipernity.storage.redis.RedisStorage`), or any object with
#: ``get()``, ``set(token)`` and ``delete()`` (see :class:`~flask_ipernity.TokenStorage`).
IPERNITY_TOKEN_STORAGE: Any = "session"  # noqa: S105 -- a backend name, not a secret

#: Cache read-only answers: ``None`` (off), ``"simple"`` (in this process), a
#: ``redis://host:port/db`` URL (shared by every instance, JSON only), or a store
#: of text with ``get``/``set``. Entries are per token (hashed); a write through
#: the site clears every entry of the site, anonymous visitors' included.
IPERNITY_CACHE: Any = None

#: Seconds a cached answer is kept: how long a change made on ipernity.com
#: itself (a document made private there) may go unseen on the site.
IPERNITY_CACHE_TTL: int = 60

#: Serve documents' media through the site at ``<prefix>/media/<doc_id>/<size>``.
IPERNITY_MEDIA_PROXY: bool = True

#: Seconds browsers may keep a proxied media file (``Cache-Control: private``).
IPERNITY_MEDIA_MAX_AGE: int = 3600

#: Seconds a proxied media file may take, from asking the media server until the
#: last byte is passed on; each byte received adds 1/``IPERNITY_MEDIA_MIN_RATE``.
IPERNITY_MEDIA_DEADLINE: float = 30.0

#: The slowest transfer, in bytes a second, that keeps a proxied file going past
#: ``IPERNITY_MEDIA_DEADLINE``: a large original on a slow link still passes, a
#: server (or a visitor) that trickles is cut off.
IPERNITY_MEDIA_MIN_RATE: int = 32 * 1024

#: The largest media file the proxy passes on, in bytes.
IPERNITY_MEDIA_MAX_SIZE: int = 2 * 1024**3

#: The hosts the media proxy fetches files from: a name (``u1.example.com``), a
#: domain with its subdomains (``.example.com``), either with a port when it is
#: not the scheme's own (``media.example.com:8443``). ``None``: the domain of
#: ``IPERNITY_API_URL`` (``.ipernity.com`` for Ipernity). Whatever the host, the
#: addresses it resolves to must be public.
IPERNITY_MEDIA_HOSTS: list[str] | None = None

#: Hosts, with their port (``"127.0.0.1:5123"``, or a URL on them), that the
#: media proxy may fetch from although they are on this machine or its network
#: (loopback, private or link-local addresses): a sandbox serving on this
#: machine. None by default; the embedded sandbox's own address is added by the
#: extension.
IPERNITY_MEDIA_LOCAL_HOSTS: list[str] = []

#: Also log the member into Flask-Login (and out of Ipernity on ``logout_user``).
IPERNITY_FLASK_LOGIN: bool = False

#: Verify a session cookie once, not at every request: with Flask's default
#: session interface, the extension installs
#: :class:`~flask_ipernity.sessions.VerifiedCookieSessions`, which accepts and
#: refuses the same cookies as Flask's but remembers the ones it verified lately
#: (a logged-in request costs about a fifth less). ``False`` leaves Flask's own;
#: a session interface of the site's own is always left alone.
IPERNITY_REUSE_VERIFIED_SESSIONS: bool = True

#: The keys above and their defaults.
DEFAULTS: dict[str, Any] = {
    name: value for name, value in dict(globals()).items() if name.startswith("IPERNITY_")
}

#: Names Flask-Ipernity 0.1 used, and the keys that replace them (the other 0.1
#: keys are in :mod:`flask_ipernity.compat.settings`).
DEPRECATED_ALIASES: dict[str, str] = {
    "IPERNITY_APP_KEY": "IPERNITY_API_KEY",
    "IPERNITY_APP_SECRET": "IPERNITY_API_SECRET",
    "IPERNITY_LOGIN": "IPERNITY_FLASK_LOGIN",
    "IPERNITY_CACHE_MAX_AGE": "IPERNITY_CACHE_TTL",
}
