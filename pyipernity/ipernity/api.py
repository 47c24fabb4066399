"""The client: :class:`IpernityAPI`, the whole API in one object."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from . import catalogue, compat, permissions
from .auth import AUTH_HANDLERS, AuthHandler
from .exceptions import APIRequestError, UnknownMethod, redact
from .exceptions import UploadError as UploadError  # 0.3 programs import it from here
from .paging import DEFAULT_MAX_ITEMS, DEFAULT_MAX_PAGES, DEFAULT_WORKERS, walk
from .signing import ParamValue, encode_params
from .upload import upload_and_wait

if TYPE_CHECKING:
    import requests

    # Type checkers see every namespace and method of the catalogue, typed; at
    # run time the method tree reaches any name (ipernity.method).
    from ._methods import MethodTree
    from .cache import CacheBackend, ResponseCache
    from .transport import Timeout, Transport
else:
    from .method import MethodTree

log = logging.getLogger("ipernity")

DEFAULT_URL = "https://api.ipernity.com/api/"
DEFAULT_AUTH_URL = "https://www.ipernity.com/apps/authorize"

Answer = dict[str, Any]


class IpernityAPI(compat.LegacyClient, MethodTree):
    """A client of the Ipernity API.

    Every method of the service is reachable in two ways, which are the same
    call: ``api.call("user.get", user_id=4711)`` and ``api.user.get(user_id=4711)``.
    Requests are signed, carry the token when there is one, and return the
    complete parsed JSON answer; errors raise :class:`~ipernity.IpernityError`.

    :param api_key: the application's API key.
    :param api_secret: the application's secret, used to sign requests.
    :param token: a token string, or the mapping ``auth.getToken`` returns (then
        :attr:`user_info` and :attr:`permissions` are known without a call).
    :param auth: ``"desktop"``, ``"web"``, ``"oauth"`` (see :mod:`ipernity.oauth`;
        ``token`` is then the mapping with ``oauth_token`` and
        ``oauth_token_secret``), or an :class:`~ipernity.auth.AuthHandler` subclass.
    :param url: the API's base URL (a sandbox, a proxy, …).
    :param auth_url_base: the authorization page's URL.
    :param timeout: seconds, or ``(connect, read)`` seconds, for each request;
        by default 10 s to connect and 60 s to read.
    :param retries: extra tries for idempotent calls after passing failures (3).
    :param deadline: seconds a whole call may take, retries and the reading of
        the answer included; by default the connect timeout plus twice the read
        timeout (130 s). Uploads get more time for their file.
    :param max_answer_size: the largest answer accepted, in bytes (32 MiB).
    :param session: a :class:`requests.Session` to send requests with; by
        default the client makes its own pooled, keep-alive session.
    :param cache: a store (``get``/``set``) for read-only answers: a cachelib
        ``SimpleCache``, or an :class:`ipernity.cache.RedisStore` to share them.
    :param cache_ttl: seconds a cached answer is kept (60): how long a change
        made on ipernity.com itself may go unseen.
    :param upload_timeout: seconds :meth:`upload_file` waits for the document.
    :param strict: check every call's arguments against the catalogue first: a
        missing required parameter, or a value that cannot be of its kind,
        raises :class:`~ipernity.InvalidArguments` and nothing is sent; a
        parameter the method does not list is sent with an
        :class:`~ipernity.validation.UnknownParameterWarning`. Off by default,
        as in PyIpernity 0.3: the client sends what it is given.

    A client may be shared between threads.
    """

    #: The method catalogue: method name to the service's description of it.
    __methods__: Mapping[str, Mapping[str, Any]] = catalogue.LazyCatalogue()

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        token: str | Mapping[str, Any] | None = None,
        auth: str | type[AuthHandler] = "desktop",
        url: str = DEFAULT_URL,
        auth_url_base: str = DEFAULT_AUTH_URL,
        *,
        timeout: Timeout | None = None,
        retries: int | None = None,
        deadline: float | None = None,
        max_answer_size: int | None = None,
        session: requests.Session | None = None,
        cache: CacheBackend | None = None,
        cache_ttl: int = 60,
        upload_timeout: float = 600.0,
        strict: bool = False,
    ) -> None:
        # requests is imported here, not with the package: it costs ~100 ms.
        from .transport import DEFAULT_RETRIES, DEFAULT_TIMEOUT, MAX_ANSWER_SIZE, Transport

        self._api_key = api_key
        self._api_secret = api_secret
        self._url = url if url.endswith("/") else url + "/"
        self._auth_url_base = auth_url_base
        self._lock = threading.Lock()
        self._token: str | None = None
        self._token_secret: str | None = None
        self._user: dict[str, Any] | None = None
        self._perms: dict[str, str] | None = None
        self.token = token
        self._auth = _make_handler(auth, self)
        self._transport: Transport = Transport(
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            retries=DEFAULT_RETRIES if retries is None else retries,
            session=session,
            deadline=deadline,
            max_answer_size=MAX_ANSWER_SIZE if max_answer_size is None else max_answer_size,
        )
        self._owns_session = session is None
        self._cache: ResponseCache | None = None
        if cache is not None:
            from .cache import ResponseCache

            self._cache = ResponseCache(cache, cache_ttl)
        self.upload_timeout = upload_timeout
        #: Whether calls are checked against the catalogue before they are sent.
        self.strict = strict

    def __repr__(self) -> str:
        state = "with token" if self._token else "without token"
        return f"<IpernityAPI key={self._api_key[:8]}… {state}>"

    # -- credentials ---------------------------------------------------------

    @property
    def auth(self) -> AuthHandler:
        """The authentication handler; also reaches the ``auth.*`` methods."""
        return self._auth

    @property
    def api_key(self) -> str:
        """The application's API key. Assigning a new one drops the token."""
        return self._api_key

    @api_key.setter
    def api_key(self, value: str) -> None:
        self._api_key = value
        self.token = None

    @property
    def api_secret(self) -> str:
        """The application's API secret. Assigning a new one drops the token."""
        return self._api_secret

    @api_secret.setter
    def api_secret(self, value: str) -> None:
        self._api_secret = value
        self.token = None

    @property
    def auth_url_base(self) -> str:
        """The URL of the authorization page."""
        return self._auth_url_base

    @property
    def token(self) -> str | None:
        """The token string, or ``None``.

        Assign a string, the mapping ``auth.getToken`` returns (its ``user`` and
        ``permissions`` are kept), or ``None``.
        """
        return self._token

    @token.setter
    def token(self, value: str | Mapping[str, Any] | None) -> None:
        with self._lock:
            # An OAuth token mapping names the token oauth_token and has a secret.
            self._token_secret = (
                value.get("oauth_token_secret") if isinstance(value, Mapping) else None
            )
            if isinstance(value, Mapping):
                self._token = str(value["token"] if "token" in value else value["oauth_token"])
                self._user = dict(value["user"]) if value.get("user") else None
                perms = value.get("permissions")
                self._perms = permissions.normalize(perms) if perms is not None else None
            else:
                self._token = value or None
                self._user = None
                self._perms = None

    @property
    def token_secret(self) -> str | None:
        """The OAuth token's secret (``auth="oauth"``), or ``None``; never shown."""
        return self._token_secret

    @property
    def user_info(self) -> dict[str, Any] | None:
        """The member the token belongs to (fetched once with ``auth.checkToken``)."""
        self._load_token_info()
        return self._user

    @property
    def permissions(self) -> dict[str, str] | None:
        """The token's permissions, e.g. ``{"doc": "write", …}``, or ``None``."""
        self._load_token_info()
        return self._perms

    @compat.renamed_keywords(permissions="perms")
    def has_permissions(self, perms: Mapping[str, str] | None) -> bool:
        """Tell whether the token grants at least ``perms``.

        Keys may be ``doc`` or ``perm_doc``; levels are ``none < read < write
        < delete``. Without a token the answer is ``False``.
        """
        if self._token is None:
            return False
        return permissions.satisfies(self.permissions, perms)

    def _load_token_info(self) -> None:
        token = self._token
        if token is None or (self._user is not None and self._perms is not None):
            return
        info = self._auth.checkToken(token)["auth"]
        with self._lock:
            if self._token == token:
                self._user = dict(info.get("user") or {})
                self._perms = permissions.normalize(info.get("permissions") or {})

    # -- calling -------------------------------------------------------------

    def call(self, method_name: str | None = None, /, **params: ParamValue) -> Answer:
        """Call the API method ``method_name`` with ``params``.

        Any name is an API parameter, ``method_name`` too once the method is
        given first; PyIpernity 0.3's ``call(method_name="doc.get")`` still
        works (deprecated).

        :return: the complete parsed answer.
        :raises UnknownMethod: if the catalogue has no such method (nothing is sent).
        :raises InvalidArguments: with ``strict=True``, if the arguments cannot
            be what the catalogue says (nothing is sent).
        :raises APIRequestError: for an error from the service (see its subclasses).
        :raises TransportError: when the service cannot be reached in time.
        """
        if method_name is None:
            method_name = compat.method_name_keyword(params, "call")
        method = catalogue.get(method_name)
        if method is None:
            raise UnknownMethod(method_name)
        if self.strict:
            from .validation import enforce

            enforce(method, params, has_token=self._token is not None)
        try:
            return self._call(method, params)
        except APIRequestError as error:
            # Show the caller's own parameters, as PyIpernity did, secrets masked.
            error.params = redact(params)
            raise

    def _call(self, method: catalogue.Method, params: dict[str, ParamValue]) -> Answer:
        method_name = method.name
        url = f"{self._url}{method_name}/json"
        if self._cache is None:
            return self._auth.send(url, method_name, params)
        identity = self._cache.identity(self._url, self._api_key, self._token)
        if not method.read_only:
            answer = self._auth.send(url, method_name, params)
            if method.post:
                self._cache.invalidate(identity)
            return answer
        key = self._cache.key(identity, method_name, encode_params(params))
        if key is None:
            return self._auth.send(url, method_name, params)
        cached = self._cache.get(key)
        if cached is not None:
            log.debug("Cached answer for %s", method_name)
            return cached
        answer = self._auth.send(url, method_name, params)
        self._cache.put(key, answer)
        return answer

    # -- walking paged answers -----------------------------------------------

    def walk_data(
        self,
        method_name: str | None = None,
        /,
        elem_name: str | None = None,
        *,
        workers: int = DEFAULT_WORKERS,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        **params: ParamValue,
    ) -> Iterator[dict[str, Any]]:
        """Yield every item of a paged method, page after page, lazily.

        Asks for the largest ``per_page`` the method allows unless ``per_page``
        is given; ``page`` sets the first page.

        :param elem_name: where the items are, if the catalogue cannot tell:
            ``"doc"`` means ``answer["docs"]["doc"]``; a dotted
            ``"album.docs.doc"`` is the full path.
        :param workers: pages fetched at once (1: one after the other).
        :param max_pages: pages fetched at most; past it, while the answers
            announce more, :class:`~ipernity.WalkLimitReached` is raised (every
            walker takes it).
        :param max_items: items received at most, likewise.

        The walk also ends on an empty page or one that brings no new item,
        whatever page count the answers announce. Like every walker, it is a
        generator: nothing is checked or sent before the first item is asked
        for. PyIpernity 0.3's ``method_name=`` keyword still works (deprecated).
        """
        if method_name is None:
            method_name = compat.method_name_keyword(params, "walk_data")
        return walk(
            self, method_name, elem_name, workers, params, max_pages=max_pages, max_items=max_items
        )

    def walk_albums(
        self,
        *,
        workers: int = DEFAULT_WORKERS,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        **params: ParamValue,
    ) -> Iterator[dict[str, Any]]:
        """Yield a member's albums (``album.getList``)."""
        return walk(
            self, "album.getList", None, workers, params, max_pages=max_pages, max_items=max_items
        )

    def walk_album_docs(
        self,
        album_id: int | str,
        *,
        workers: int = DEFAULT_WORKERS,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        **params: ParamValue,
    ) -> Iterator[dict[str, Any]]:
        """Yield the documents of an album (``album.docs.getList``)."""
        params = {**params, "album_id": album_id}
        return walk(
            self,
            "album.docs.getList",
            None,
            workers,
            params,
            max_pages=max_pages,
            max_items=max_items,
        )

    def walk_doc_search(
        self,
        *,
        workers: int = DEFAULT_WORKERS,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        **params: ParamValue,
    ) -> Iterator[dict[str, Any]]:
        """Yield the documents a search finds (``doc.search``)."""
        return walk(
            self, "doc.search", None, workers, params, max_pages=max_pages, max_items=max_items
        )

    def walk_docs(
        self,
        *,
        workers: int = DEFAULT_WORKERS,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        **params: ParamValue,
    ) -> Iterator[dict[str, Any]]:
        """Yield a member's documents (``doc.getList``)."""
        return walk(
            self, "doc.getList", None, workers, params, max_pages=max_pages, max_items=max_items
        )

    def walk_folders(
        self,
        *,
        workers: int = DEFAULT_WORKERS,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        **params: ParamValue,
    ) -> Iterator[dict[str, Any]]:
        """Yield a member's folders (``folder.getList``)."""
        return walk(
            self, "folder.getList", None, workers, params, max_pages=max_pages, max_items=max_items
        )

    def walk_folder_albums(
        self,
        folder_id: int | str,
        *,
        workers: int = DEFAULT_WORKERS,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_items: int = DEFAULT_MAX_ITEMS,
        **params: ParamValue,
    ) -> Iterator[dict[str, Any]]:
        """Yield the albums of a folder (``folder.albums.getList``)."""
        params = {**params, "folder_id": folder_id}
        return walk(
            self,
            "folder.albums.getList",
            None,
            workers,
            params,
            max_pages=max_pages,
            max_items=max_items,
        )

    # -- uploads -------------------------------------------------------------

    def upload_file(self, filename: Any, **fields: ParamValue) -> str:
        """Upload a file and wait until it is a document.

        :param filename: a path, or a binary file object; it is streamed.
        :param fields: further ``upload.file`` fields (``title``, ``is_public``, …).
        :return: the new document's ``doc_id``.
        :raises UploadError: if the ticket turns invalid; :class:`UploadTimeout`
            if it is not done within :attr:`upload_timeout` seconds.
        """
        return upload_and_wait(self, "upload.file", filename, self.upload_timeout, **fields)

    def replace_file(self, filename: Any, doc_id: int | str, **fields: ParamValue) -> str:
        """Replace a document's file and wait until done; return its ``doc_id``."""
        return upload_and_wait(
            self, "upload.replace", filename, self.upload_timeout, doc_id=doc_id, **fields
        )

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        """Close the client's pooled connections (not those of a given session)."""
        if self._owns_session:
            self._transport.close()

    def __enter__(self) -> IpernityAPI:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _make_handler(auth: str | type[AuthHandler], api: IpernityAPI) -> AuthHandler:
    if isinstance(auth, type) and issubclass(auth, AuthHandler):
        return auth(api)
    if auth == "oauth":
        # PyIpernity 0.3 refused auth="oauth" with a ValueError, and its own suite
        # checks that: the name stands for an OAuth-signed client of a member, so
        # it needs the member's token; the flow starts from the handler class.
        if api.token_secret is None:
            raise ValueError(
                "auth='oauth' signs with a member's OAuth token: pass the mapping "
                "{'oauth_token': …, 'oauth_token_secret': …}; to obtain one, start "
                "with auth=ipernity.oauth.OAuthHandler and run its three steps"
            )
        # Imported on demand: OAuth needs the optional requests-oauthlib.
        from .oauth import OAuthHandler

        return OAuthHandler(api)
    if isinstance(auth, str) and auth in AUTH_HANDLERS:
        return AUTH_HANDLERS[auth](api)
    raise ValueError(
        f"Authentication method {auth!r} is not supported: use 'desktop', 'web', "
        "'oauth' or an AuthHandler subclass"
    )


def __getattr__(name: str) -> Any:
    # 0.3's ipernity.api also had the handler table under its old name.
    if name == "auth_methods":
        compat.deprecated(f"{__name__}.{name}", "ipernity.auth.AUTH_HANDLERS")
        return AUTH_HANDLERS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
