"""The extension object an application configures: :class:`Ipernity`."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin

from flask import Flask, current_app, g, redirect, url_for
from werkzeug.local import LocalProxy
from werkzeug.wrappers import Response

from ipernity import IpernityAPI, catalogue
from ipernity.exceptions import (
    APIRequestError,
    InvalidResponse,
    IpernityError,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestTimeout,
    TokenError,
    TransportError,
)
from ipernity.permissions import link_params, merge, normalize, satisfies
from ipernity.transport import new_session

from . import config, signals
from .callback_url import callback_url
from .callback_url import is_configured as callback_is_configured
from .compat.methods import LegacyMethods
from .csrf import csrf_token
from .login_state import PendingLogins
from .member import Member
from .oauth_claims import LocalRequestTokenClaims, RedisRequestTokenClaims, RequestTokenClaims
from .redirects import current_path
from .responses import error_response, wants_json
from .storage import SessionStorage, StorageUnavailable, TokenMapping, TokenStorage

if TYPE_CHECKING:
    import requests

    from ipernity.cache import CacheBackend
    from ipernity.oauth import OAuthHandler

    from .embedded import EmbeddedSandbox, SandboxSite
    from .media import MediaFetcher

log = logging.getLogger("flask_ipernity")

# Where the current request's client is kept on flask.g, with the token it carries.
_G_CLIENT = "_ipernity_api"


class ConfigurationError(RuntimeError):
    """The application's Ipernity configuration cannot work; the message says why."""


@dataclass
class _AppState:
    """What the extension keeps for one application."""

    api_key: str
    api_secret: str
    api_url: str
    auth_url: str
    #: ``"frob"`` or ``"oauth"``.
    auth_method: str
    oauth_url: str
    #: Whether every OAuth login must come back with an ``oauth_verifier``.
    oauth_verifier: bool
    timeout: float | tuple[float, float]
    retries: int
    permissions: dict[str, str]
    login_timeout: float
    storage: TokenStorage
    #: The one pooled HTTP session every request of the application shares.
    http: requests.Session
    #: The response cache's store shared by every client, if caching is on.
    cache: CacheBackend | None
    cache_ttl: int
    #: The embedded sandbox, when the application runs on it.
    sandbox: EmbeddedSandbox | None
    #: The application's own web application on the embedded sandbox.
    sandbox_site: SandboxSite | None
    #: Where the media proxy fetches from, when it is on.
    media: MediaFetcher | None = None
    #: The record of the request tokens the OAuth logins obtained (OAuth only).
    request_token_claims: RequestTokenClaims | None = None


class Ipernity(LegacyMethods):
    """Ipernity login and API access for a Flask application.

    ``Ipernity(app)`` sets the application up at once; ``Ipernity()`` followed by
    :meth:`init_app` suits the application factory pattern. One object may
    serve several applications: everything it knows is kept per application.

    :param app: the application to set up now, if any.
    """

    def __init__(self, app: Flask | None = None) -> None:
        self._states: weakref.WeakKeyDictionary[Flask, _AppState] = weakref.WeakKeyDictionary()
        #: The site's hook from a member to its own Flask-Login user, if any
        #: (see :meth:`user_for_member`).
        self.site_user_for_member: Callable[[Member], Any] | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Set ``app`` up: read its configuration, add the blueprint and error handlers.

        The ``IPERNITY_*`` keys are documented in :mod:`flask_ipernity.config`.

        :param app: the application.
        :raises ConfigurationError: when the API key or secret is missing (and
            the embedded sandbox is off), when the application has no
            ``SECRET_KEY`` to sign the session with, or when OAuth logins
            cannot be safe: the service sends no verifier and the site did not
            accept that (``IPERNITY_OAUTH_WITHOUT_VERIFIER``), or no callback
            URL is configured.
        """
        legacy = _apply_defaults(app)
        if not app.secret_key:
            raise ConfigurationError(
                "Flask-Ipernity keeps logins in the session: set the application's SECRET_KEY"
            )
        self._states[app] = _make_state(app)
        app.extensions["ipernity"] = self
        # Imported here: the views use current_extension() from this module.
        from .views import create_blueprint

        if legacy:
            # First: where both serve a URL (/ipernity/logout), 0.1's view answers.
            from .compat.routes import init_app as add_legacy_routes

            add_legacy_routes(app)
        if app.config["IPERNITY_MEDIA_PROXY"]:
            from .media import MediaFetcher, MediaLimits

            MediaLimits.from_config(app.config)  # a wrong limit fails here, not per request
            self._states[app].media = MediaFetcher.for_app(app, self._states[app])
        prefix = app.config["IPERNITY_URL_PREFIX"].rstrip("/")
        blueprint = create_blueprint(
            media_proxy=bool(app.config["IPERNITY_MEDIA_PROXY"]),
            oauth=self._states[app].auth_method == "oauth",
        )
        app.register_blueprint(blueprint, url_prefix=prefix or None)
        self._register_error_handlers(app)
        app.context_processor(self._template_context)
        if app.config["IPERNITY_REUSE_VERIFIED_SESSIONS"]:
            from . import sessions

            sessions.install(app)
        if app.config["IPERNITY_FLASK_LOGIN"]:
            from . import login_integration

            login_integration.init_app(app)

    def user_for_member(self, callback: Callable[[Member], Any]) -> Callable[[Member], Any]:
        """Register how a member who logs in maps to the site's own Flask-Login user.

        With ``IPERNITY_FLASK_LOGIN``, each Ipernity login calls ``callback``
        with the :class:`Member`; the user it returns is logged into
        Flask-Login under the site's own id (the site's user loader loads it
        back), and ``None`` logs the member in as a
        :class:`~flask_ipernity.login_integration.LoginUser`, whose id
        (``ipernity:<user id>``) only the extension's loader reads. Use it as
        a decorator.

        :param callback: takes a :class:`Member`, returns the site's user or ``None``.
        :return: ``callback``.
        """
        self.site_user_for_member = callback
        return callback

    # -- clients ---------------------------------------------------------------

    def client(self, token: str | Mapping[str, Any] | None = None) -> IpernityAPI:
        """Return a new client for the current application, sharing its HTTP pool.

        :param token: a token string or mapping, or ``None`` for anonymous calls.
        :return: an :class:`~ipernity.IpernityAPI` using the web authentication
            (or OAuth, with ``IPERNITY_AUTH_METHOD = "oauth"``) and the
            application's URLs and timeouts.
        """
        state = self._state()
        oauth = state.auth_method == "oauth"
        client = IpernityAPI(
            state.api_key,
            state.api_secret,
            token,
            auth=_oauth_handler() if oauth else "web",
            url=state.api_url,
            auth_url_base=state.auth_url,
            timeout=state.timeout,
            retries=state.retries,
            session=state.http,
            cache=state.cache,
            cache_ttl=state.cache_ttl,
        )
        if oauth:
            cast("OAuthHandler", client.auth).oauth_url = state.oauth_url
        return client

    @property
    def auth_url(self) -> str:
        """The authorization page members are sent to (``IPERNITY_AUTH_URL``, or the
        embedded sandbox's)."""
        return self._state().auth_url

    @property
    def auth_method(self) -> str:
        """How members log in: ``"frob"`` or ``"oauth"`` (``IPERNITY_AUTH_METHOD``)."""
        return self._state().auth_method

    @property
    def api(self) -> IpernityAPI:
        """The current request's client, carrying the visitor's token if any.

        Made on first use and kept on :data:`flask.g` with the token mapping it
        was made for: when the visitor's token is another (it was replaced
        during the request, or another request shares the application context,
        as with pytest-flask), a new client is made for it.
        """
        token = self.token
        # Read at every use: the request's globals themselves, not their proxy.
        request_globals = g._get_current_object()
        kept: tuple[TokenMapping | None, IpernityAPI] | None = request_globals.get(_G_CLIENT)
        # The same mapping, or an equal one (a storage may read a new one each time).
        if kept is not None and (kept[0] is token or kept[0] == token):
            return kept[1]
        client = self.client(token)
        setattr(request_globals, _G_CLIENT, (token, client))
        return client

    @property
    def sandbox(self) -> EmbeddedSandbox | None:
        """The embedded sandbox the application runs on, or ``None`` with a real key.

        Its ``members`` are the demo members one can log in as (``username``,
        ``realname``); a site may show them on its pages.
        """
        return self._state().sandbox

    # -- the visitor -------------------------------------------------------------

    @property
    def token(self) -> TokenMapping | None:
        """The visitor's token mapping (``token``, ``permissions``, ``user``), or ``None``."""
        return self._state().storage.get()

    @property
    def is_logged_in(self) -> bool:
        """Whether the visitor is logged in with Ipernity."""
        return self.token is not None

    @property
    def user(self) -> Member | None:
        """The logged-in member, or ``None``; reading it costs no API call."""
        token = self.token
        return Member.from_token(token) if token is not None else None

    @property
    def permissions(self) -> dict[str, str]:
        """The permissions the visitor granted, e.g. ``{"doc": "write"}``; empty if none."""
        token = self.token
        return normalize(token.get("permissions")) if token is not None else {}

    def has_permissions(self, needed: Mapping[str, str] | None = None) -> bool:
        """Tell whether the visitor is logged in and granted at least ``needed``.

        :param needed: permissions, e.g. ``{"doc": "write"}``; ``None`` asks
            only for a login.
        """
        token = self.token
        if token is None:
            return False
        return not needed or satisfies(token.get("permissions"), needed)

    def permissions_to_ask(self, needed: Mapping[str, str] | None = None) -> dict[str, str]:
        """Return what a login should ask: ``needed``, the configured permissions
        and those the visitor already granted, whichever is highest per target.
        """
        return merge(self._state().permissions, self.permissions, needed)

    # -- logging in and out ------------------------------------------------------

    def login_url(
        self, needed: Mapping[str, str] | None = None, next_url: str | None = None
    ) -> str:
        """Return the URL of this site's login view.

        :param needed: permissions the login must obtain (more are added, see
            :meth:`permissions_to_ask`).
        :param next_url: where to go once logged in; the current page by default.
        """
        asked: dict[str, Any] = link_params(self.permissions_to_ask(needed))
        return url_for("ipernity.login", next=next_url or current_path(), **asked)

    def unauthorized(self, needed: Mapping[str, str] | None = None) -> Response:
        """Answer a request that needs a login (or more permissions) it lacks.

        :param needed: the permissions the request needs.
        :return: a redirect to the login view, back to the current page
            afterwards; or, for requests that prefer JSON, a 401 naming the
            login URL.
        """
        login_url = self.login_url(needed)
        if wants_json():
            return error_response(
                401, "login_required", "Log in with Ipernity first.", login_url=login_url
            )
        return redirect(login_url)

    def authorization_url(self, perms: Mapping[str, str]) -> str:
        """Return the signed Ipernity link where the member approves ``perms``.

        With the embedded sandbox, the application's callback URL is fixed by
        its first login (see :meth:`callback_url`) and never moves after.
        """
        state = self._state()
        if state.sandbox_site is not None:
            self.callback_url()
        return self.client().auth.auth_url(perms)

    def callback_url(self) -> str:
        """Return this site's callback URL, never taken from a request's ``Host`` header.

        ``IPERNITY_CALLBACK_URL``, else built from ``SERVER_NAME``. On the
        embedded sandbox without either, the address the server is bound to,
        fixed by the first login as the site's callback there.
        """
        site = self._state().sandbox_site
        if site is None:
            return callback_url()
        site.fix_callback(callback_url())
        return site.callback or callback_url()

    @property
    def oauth_verifier_required(self) -> bool:
        """Whether every OAuth login must come back with an ``oauth_verifier``
        (``IPERNITY_OAUTH_VERIFIER``)."""
        return self._state().oauth_verifier

    @property
    def request_token_claims(self) -> RequestTokenClaims:
        """The record of the request tokens OAuth logins obtained, each spent by
        its first callback (see :mod:`flask_ipernity.oauth_claims`).

        :raises RuntimeError: when the application does not log in with OAuth.
        """
        claims = self._state().request_token_claims
        if claims is None:
            raise RuntimeError("This application does not log members in with OAuth")
        return claims

    @property
    def pending_logins(self) -> PendingLogins:
        """The logins the visitor started and has not completed."""
        return PendingLogins(self._state().login_timeout)

    def log_in(self, token: Mapping[str, Any]) -> Member:
        """Make ``token`` the visitor's login and send :data:`~flask_ipernity.logged_in`.

        :param token: the token mapping from ``auth.getToken``.
        :return: the member now logged in.
        """
        stored = compact_token(token)
        self._state().storage.set(stored)
        g.pop(_G_CLIENT, None)
        member = Member.from_token(stored)
        signals.logged_in.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            member=member,
            permissions=stored["permissions"],
        )
        return member

    def logout(self, everywhere: bool = False) -> bool:
        """Forget the visitor's token and send :data:`~flask_ipernity.logged_out`.

        :param everywhere: also end the member's logins in every other browser
            (needs tokens kept on the server, e.g. ``redis://``; see
            :meth:`TokenStorage.end_sessions <flask_ipernity.TokenStorage.end_sessions>`).
        :return: whether a member was logged in.
        :raises NotImplementedError: with ``everywhere`` on a storage that
            cannot end sessions it does not keep (the session cookie).
        """
        token = self.token
        if token is None:
            return False
        storage = self._state().storage
        if everywhere:
            storage.end_sessions(Member.from_token(token).user_id)
        storage.delete()
        g.pop(_G_CLIENT, None)
        signals.logged_out.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            member=Member.from_token(token),
        )
        return True

    # -- internals ---------------------------------------------------------------

    @property
    def http(self) -> requests.Session:
        """The current application's pooled HTTP session, shared by all its requests."""
        return self._state().http

    @property
    def timeout(self) -> float | tuple[float, float]:
        """The current application's HTTP timeouts (``IPERNITY_TIMEOUT``)."""
        return self._state().timeout

    def _state(self) -> _AppState:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        try:
            return self._states[app]
        except KeyError:
            raise RuntimeError(
                "This Ipernity object was not set up for the current application: "
                "call init_app(app)"
            ) from None

    def _register_error_handlers(self, app: Flask) -> None:
        handlers: dict[type[Exception], Callable[[Any], Response]] = {
            APIRequestError: _on_refusal,
            NotFound: _on_not_found,
            TokenError: self._on_token_error,
            PermissionDenied: self._on_permission_denied,
            TransportError: _on_service_failure,
            InvalidResponse: _on_service_failure,
            RateLimited: _on_service_failure,
            StorageUnavailable: _on_storage_failure,
        }
        app_handlers = app.error_handler_spec[None][None]
        for error_class, handler in handlers.items():
            # A handler the site registered before init_app stays in charge.
            if error_class not in app_handlers:
                app.register_error_handler(error_class, handler)

    def _template_context(self) -> dict[str, Any]:
        token = self.token
        return {
            "current_member": Member.from_token(token) if token is not None else None,
            "ipernity_logged_in": token is not None,
            # A function: only templates with a form put a token in the session.
            "ipernity_csrf_token": csrf_token,
        }

    def _on_token_error(self, error: TokenError) -> Response:
        # A revoked or expired token: forget it and send the visitor to log in again.
        log.info("Ipernity refused the visitor's token (error %s); logging them out", error.code)
        self.logout()
        return self.unauthorized()

    def _on_permission_denied(self, error: PermissionDenied) -> Response:
        method = catalogue.get(error.method or "")
        needed = dict(method.permissions) if method is not None else {}
        # Ask for more only when more is missing, or the member would loop on the login.
        if needed and not self.has_permissions(needed):
            return self.unauthorized(needed)
        return error_response(
            403, "permission_denied", "Ipernity refused this action for your account."
        )


def _on_not_found(error: NotFound) -> Response:
    return error_response(404, "not_found", "Ipernity has no such item, or you may not see it.")


def _on_refusal(error: APIRequestError) -> Response:
    log.warning("Ipernity refused a call: %s", error)
    return error_response(502, "ipernity_refused", "Ipernity refused this request.")


def _on_storage_failure(error: StorageUnavailable) -> Response:
    log.error("Login storage failure: %s", error)
    return error_response(
        503, "storage_unavailable", "Logging in is unavailable right now. Please try again soon."
    )


def _on_service_failure(error: IpernityError) -> Response:
    log.warning("Ipernity could not answer: %s", error)
    if isinstance(error, RequestTimeout):
        return error_response(
            504, "ipernity_timeout", "Ipernity did not answer in time. Please try again shortly."
        )
    if isinstance(error, RateLimited):
        return error_response(
            503, "ipernity_busy", "Ipernity asks this site to slow down. Please try again soon."
        )
    return error_response(
        502, "ipernity_unavailable", "Ipernity cannot be reached right now. Please try again."
    )


def current_extension() -> Ipernity:
    """Return the :class:`Ipernity` object of the current application.

    :raises RuntimeError: when the application has no Flask-Ipernity.
    """
    # Called at every request: the application itself, not a read through its proxy.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    extension = app.extensions.get("ipernity")
    if extension is None:
        raise RuntimeError(
            "Flask-Ipernity is not set up on this application: use Ipernity(app) or init_app(app)"
        )
    return cast(Ipernity, extension)


#: The current request's :class:`~ipernity.IpernityAPI`, with the visitor's token.
api = cast(IpernityAPI, LocalProxy(lambda: current_extension().api))

#: The logged-in :class:`Member`, or ``None``.
current_member = cast("Member | None", LocalProxy(lambda: current_extension().user))


def _apply_defaults(app: Flask) -> bool:
    """Fill in the configuration's defaults; return whether it is Flask-Ipernity 0.1's."""
    from .compat import deprecation
    from .compat.settings import apply_legacy_config

    legacy = apply_legacy_config(app)
    deprecation.init_app(app)
    for name, default in config.DEFAULTS.items():
        app.config.setdefault(name, deepcopy(default))
    return legacy


def _make_state(app: Flask) -> _AppState:
    cfg = app.config
    key, secret = cfg["IPERNITY_API_KEY"], cfg["IPERNITY_API_SECRET"]
    embedded = bool(not key and not secret and cfg["IPERNITY_SANDBOX"])
    # Checked first: a configuration that cannot work fails before anything starts.
    auth_method = _auth_method(cfg["IPERNITY_AUTH_METHOD"])
    if auth_method == "oauth":
        _check_oauth_is_safe(cfg, embedded=embedded)
    sandbox = sandbox_site = None
    if embedded:
        from .embedded import embedded_sandbox, site_name

        sandbox = embedded_sandbox()
        sandbox_site = sandbox.add_site(site_name(app))
        log.warning(
            "%s has no IPERNITY_API_KEY: its logins and API calls go to the embedded "
            "Ipernity sandbox at %s, where the demo members %s can log in. "
            "Set IPERNITY_SANDBOX = False in production.",
            app.name,
            sandbox.sandbox.base_url,
            " and ".join(member.username for member in sandbox.members),
        )
        key, secret = sandbox_site.api_key, sandbox_site.api_secret
        api_url, auth_url = sandbox.api_url, sandbox.auth_url
        oauth_url = sandbox.oauth_url
    elif not key or not secret:
        raise ConfigurationError(
            "Set IPERNITY_API_KEY and IPERNITY_API_SECRET (from your application's page on "
            "Ipernity), or leave both unset with IPERNITY_SANDBOX = True to develop against "
            "the embedded sandbox"
        )
    else:
        api_url, auth_url = cfg["IPERNITY_API_URL"], cfg["IPERNITY_AUTH_URL"]
        oauth_url = cfg["IPERNITY_OAUTH_URL"] or urljoin(auth_url, "oauth/")
    storage = _make_storage(cfg["IPERNITY_TOKEN_STORAGE"])
    login_timeout = float(cfg["IPERNITY_LOGIN_TIMEOUT"])
    http = new_session()
    # The pool lives as long as the application.
    weakref.finalize(app, http.close)
    timeout = cfg["IPERNITY_TIMEOUT"]
    return _AppState(
        api_key=key,
        api_secret=secret,
        api_url=api_url,
        auth_url=auth_url,
        auth_method=auth_method,
        oauth_url=oauth_url if oauth_url.endswith("/") else oauth_url + "/",
        oauth_verifier=bool(cfg["IPERNITY_OAUTH_VERIFIER"]),
        timeout=tuple(timeout) if isinstance(timeout, list | tuple) else float(timeout),
        retries=int(cfg["IPERNITY_RETRIES"]),
        permissions=normalize(cfg["IPERNITY_PERMISSIONS"]),
        login_timeout=login_timeout,
        storage=storage,
        http=http,
        cache=_make_cache(app, cfg["IPERNITY_CACHE"], cfg["IPERNITY_CACHE_TTL"]),
        cache_ttl=int(cfg["IPERNITY_CACHE_TTL"]),
        sandbox=sandbox,
        sandbox_site=sandbox_site,
        request_token_claims=(
            _make_claims(storage, login_timeout) if auth_method == "oauth" else None
        ),
    )


def _auth_method(value: Any) -> str:
    if value == "frob":
        return "frob"
    if value != "oauth":
        raise ConfigurationError("IPERNITY_AUTH_METHOD must be 'frob' or 'oauth'")
    try:
        import cryptography  # noqa: F401
        import requests_oauthlib  # noqa: F401
    except ImportError:
        raise ConfigurationError(
            'IPERNITY_AUTH_METHOD = "oauth" needs requests-oauthlib and cryptography: '
            'pip install "Flask-Ipernity[oauth]"'
        ) from None
    return "oauth"


def _check_oauth_is_safe(cfg: Mapping[str, Any], embedded: bool) -> None:
    """Refuse OAuth web logins that nothing would tie to the browser that approved them."""
    if not cfg["IPERNITY_OAUTH_VERIFIER"] and not cfg["IPERNITY_OAUTH_WITHOUT_VERIFIER"]:
        raise ConfigurationError(
            'IPERNITY_AUTH_METHOD = "oauth" is refused: Ipernity sends no oauth_verifier, so '
            "nothing proves which browser approved a login, and a login link an attacker "
            "started logs him in as the member who opens it (OAuth session fixation). Use the "
            'frob flow (IPERNITY_AUTH_METHOD = "frob", the default), which has no such '
            "weakness; set IPERNITY_OAUTH_VERIFIER = True for a service that sends verifiers "
            "(OAuth 1.0a); or accept the risk with IPERNITY_OAUTH_WITHOUT_VERIFIER = True"
        )
    if not embedded and not callback_is_configured(cfg):
        raise ConfigurationError(
            'IPERNITY_AUTH_METHOD = "oauth" needs this site\'s callback URL: set '
            'IPERNITY_CALLBACK_URL (e.g. "https://photos.example/callback") or SERVER_NAME; '
            "it is never taken from a request's Host header"
        )


def _make_claims(storage: TokenStorage, login_timeout: float) -> RequestTokenClaims:
    # A record outlives its login; on Redis when the tokens are, for every instance to see.
    ttl = max(login_timeout, 1.0)
    try:
        from .storage.redis import RedisStorage
    except ImportError:
        return LocalRequestTokenClaims(ttl)
    if isinstance(storage, RedisStorage):
        return RedisRequestTokenClaims(storage.client, ttl)
    return LocalRequestTokenClaims(ttl)


def _make_storage(value: Any) -> TokenStorage:
    if value == "session":
        return SessionStorage()
    if isinstance(value, str) and value.startswith(("redis://", "rediss://", "unix://")):
        from .storage.redis import RedisStorage

        return RedisStorage(value)
    if all(callable(getattr(value, name, None)) for name in ("get", "set", "delete")):
        return cast(TokenStorage, value)
    # The value is not repeated: a mistyped Redis URL may hold a password.
    raise ConfigurationError(
        "IPERNITY_TOKEN_STORAGE must be 'session', a redis:// URL or an object with get(), "
        "set() and delete()"
    )


def _make_cache(app: Flask, value: Any, ttl: Any) -> CacheBackend | None:
    if value is None or value is False:
        return None
    from .caching import make_cache_backend

    try:
        return make_cache_backend(value, int(ttl), app)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(str(exc)) from None


def compact_token(token: Mapping[str, Any]) -> TokenMapping:
    """Return what the site keeps of a token mapping: what later requests need.

    The token, its permissions and the member's ``user_id``, ``username`` and
    ``realname`` (and an OAuth token's secret): the session cookie must stay small.

    :param token: a token mapping from ``auth.getToken`` (or OAuth's exchange).
    """
    user = token.get("user") or {}
    compact: TokenMapping = {
        "token": str(token["token"]),
        "permissions": normalize(token.get("permissions") or {}),
        "user": {name: str(user.get(name) or "") for name in ("user_id", "username", "realname")},
    }
    # An OAuth token signs nothing without its secret.
    if token.get("oauth_token_secret"):
        compact["oauth_token_secret"] = str(token["oauth_token_secret"])
    return compact


def _oauth_handler() -> type[OAuthHandler]:
    # With or without a token: the handler class, since auth="oauth" needs one.
    from ipernity.oauth import OAuthHandler

    return OAuthHandler
