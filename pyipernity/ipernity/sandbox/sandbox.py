"""The :class:`Sandbox`: an offline Ipernity a test sets up, serves and inspects."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from ipernity.exceptions import redact_url

from . import content, grants, media, oauth_tokens
from .authorize import MEMBER_COOKIE, member_cookie
from .calllog import DEFAULT_MAX_BYTES, DEFAULT_MAX_CALLS, CallLog
from .faults import Fault, Faults
from .records import Album, App, Doc, Folder, Group, Post, User
from .server import SandboxApp
from .settings import DEFAULT_FROB_TTL, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_UPLOAD_DELAY, Settings
from .store import Store

Target = Doc | Album | Post
log = logging.getLogger("ipernity.sandbox")

#: Seconds :meth:`Sandbox.stop` waits for the requests in flight to finish.
STOP_GRACE = 10.0


class Sandbox:
    """An offline Ipernity: the API, the authorization page and the media files.

    >>> sb = Sandbox()
    >>> web = sb.add_app("My site", auth="web", callback="http://127.0.0.1:5000/callback")
    >>> alice = sb.add_user("alice", realname="Alice")
    >>> token = sb.grant(alice, web, {"doc": "write"})
    >>> with sb.serve(port=0) as base_url:          # doctest: +SKIP
    ...     IpernityAPI(web.api_key, web.api_secret, token, url=sb.api_url)

    :param db: a SQLite file to keep the state in across runs; in memory by default.
    :param frob_ttl: seconds a frob stays exchangeable.
    :param upload_delay: seconds an upload ticket takes to complete.
    :param max_upload_bytes: the largest file accepted (error 2 beyond).
    :param latency: seconds added before each API answer (also :attr:`latency`).
    :param max_calls: how many calls :attr:`calls` keeps (the latest); each keeps
        the first 128 characters of its method name and 256 of its values.
    :param max_call_bytes: how many bytes of text :attr:`calls` keeps at most
        (32 MiB by default): older calls are forgotten to stay below.
    :param oauth_verifier: speak OAuth 1.0a: confirm callbacks, send and require
        an ``oauth_verifier`` (Ipernity sends none; see :class:`.Settings`).
    :param oauth_drop_callback_port: drop the port of OAuth callback URLs, as
        Ipernity is reported to do.
    """

    def __init__(
        self,
        db: str | os.PathLike[str] | None = None,
        *,
        frob_ttl: float = DEFAULT_FROB_TTL,
        upload_delay: float = DEFAULT_UPLOAD_DELAY,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
        latency: float = 0.0,
        max_calls: int = DEFAULT_MAX_CALLS,
        max_call_bytes: int = DEFAULT_MAX_BYTES,
        oauth_verifier: bool = False,
        oauth_drop_callback_port: bool = False,
    ) -> None:
        self.store = Store(os.fspath(db) if db is not None else None)
        media.forget_other_drawings(self.store)
        #: The tunable behaviour; change it at any time.
        self.settings = Settings(
            frob_ttl,
            upload_delay,
            max_upload_bytes,
            latency,
            oauth_verifier=oauth_verifier,
            oauth_drop_callback_port=oauth_drop_callback_port,
        )
        #: Faults queued by :meth:`fail_next`.
        self.faults = Faults()
        #: The latest API calls received, oldest first (clear it at will).
        self.calls = CallLog(max_calls, max_call_bytes)
        #: The key that signs the sign-in cookie (kept in the database).
        self.secret = bytes.fromhex(self.store.setting("cookie_secret", secrets.token_hex(32)))
        #: The WSGI application, to mount in another server.
        self.wsgi_app = SandboxApp(self)
        self._server: _SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    # -- options -------------------------------------------------------------

    @property
    def latency(self) -> float:
        """Seconds added before each API answer."""
        return self.settings.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.settings.latency = seconds

    # -- setting up state ----------------------------------------------------

    def add_app(
        self,
        name: str,
        auth: str = "web",
        callback: str | None = None,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
    ) -> App:
        """Register an application and return it with its key and secret.

        :param auth: ``"web"`` (needs ``callback``) or ``"desktop"``.
        :param api_key: a key to use instead of a random one (32 hex digits).
        :param api_secret: a secret to use instead of a random one (16 hex digits).
        """
        app_id = content.create_app(
            self.store,
            name,
            auth,
            callback,
            api_key or secrets.token_hex(16),
            api_secret or secrets.token_hex(8),
        )
        return self._app(app_id)

    def update_app(self, app: App, *, name: str | None = None, callback: str | None = None) -> App:
        """Rename an application or change its callback (e.g. to a test server's port)."""
        with self.store.transaction():
            if name is not None:
                self.store.execute("UPDATE apps SET name = ? WHERE app_id = ?", (name, app.app_id))
            if callback is not None:
                self.store.execute(
                    "UPDATE apps SET callback = ? WHERE app_id = ?", (callback, app.app_id)
                )
            return self._app(app.app_id)

    def _app(self, app_id: int) -> App:
        row = self.store.one("SELECT * FROM apps WHERE app_id = ?", (app_id,))
        if row is None:
            raise LookupError(f"no application {app_id}")
        return grants.app_from_row(row)

    def apps(self) -> list[App]:
        """Every registered application, in the order they were registered."""
        rows = self.store.query("SELECT * FROM apps ORDER BY app_id")
        return [grants.app_from_row(row) for row in rows]

    def members(self) -> list[User]:
        """Every member, in the order they joined."""
        rows = self.store.query("SELECT * FROM users ORDER BY user_id")
        return [grants.user_from_row(row) for row in rows]

    def add_user(self, username: str, realname: str = "", *, is_pro: bool = False) -> User:
        """Add a member. Usernames are unique (case-insensitively)."""
        user_id = content.create_user(self.store, username, realname, is_pro=is_pro)
        return User(user_id, username, realname)

    def add_doc(
        self,
        owner: User,
        title: str = "",
        *,
        description: str = "",
        is_public: bool = True,
        is_friend: bool = False,
        is_family: bool = False,
        tags: Iterable[str] = (),
        image: bytes | None = None,
        filename: str = "",
        license: int = 0,
        safety: int = 1,
        lat: float | None = None,
        lng: float | None = None,
        taken: str | None = None,
        posted_at: int | None = None,
    ) -> Doc:
        """Add a document of ``owner``.

        :param image: the file's bytes (any kind: a picture Pillow reads is a
            photo, ``filename``'s extension tells video and audio); without it a
            480x360 demo picture is drawn.
        :param tags: keyword tags.
        :param taken: when it was taken, ``YYYY-MM-DD HH:MM:SS``.
        :param posted_at: Unix time it was posted (now by default).
        """
        new = content.NewDoc(
            owner_id=owner.user_id,
            title=title,
            description=description,
            is_public=is_public,
            is_friend=is_friend,
            is_family=is_family,
            license=license,
            safety=safety,
            lat=lat,
            lng=lng,
            created=taken,
            posted_at=posted_at,
            data=image,
            filename=filename,
        )
        with self.store.transaction():
            doc_id = content.create_doc(self.store, new)
            content.add_keywords(self.store, doc_id, owner.user_id, tags)
            title = self.store.scalar("SELECT title FROM docs WHERE doc_id = ?", (doc_id,))
        return Doc(doc_id, owner.user_id, title)

    def add_album(
        self, owner: User, title: str, *, docs: Iterable[Doc] = (), description: str = ""
    ) -> Album:
        """Add an album of ``owner`` holding ``docs`` (the first is the cover)."""
        with self.store.transaction():
            album_id = content.create_album(self.store, owner.user_id, title, description)
            for doc in docs:
                content.add_to_album(self.store, album_id, doc.doc_id)
        return Album(album_id, owner.user_id, title)

    def add_folder(
        self, owner: User, title: str, *, albums: Iterable[Album] = (), description: str = ""
    ) -> Folder:
        """Add a folder of ``owner`` holding ``albums``."""
        with self.store.transaction():
            folder_id = content.create_folder(self.store, owner.user_id, title, description)
            for album in albums:
                content.add_to_folder(self.store, folder_id, album.album_id)
        return Folder(folder_id, owner.user_id, title)

    def add_group(
        self,
        title: str,
        *,
        members: Iterable[User] = (),
        admins: Iterable[User] = (),
        docs: Iterable[Doc] = (),
        description: str = "",
        moderated: bool = False,
    ) -> Group:
        """Add a public group with its members and admins, and documents in it.

        :param moderated: documents added through the API wait for approval.
        """
        with self.store.transaction():
            group_id = content.create_group(self.store, title, description, moderated=moderated)
            for user in members:
                content.join_group(self.store, group_id, user.user_id)
            for user in admins:
                content.join_group(self.store, group_id, user.user_id, "admin")
            for doc in docs:
                content.add_to_group(self.store, group_id, doc.doc_id, doc.owner_id, pending=False)
        return Group(group_id, title)

    def add_relation(
        self, user: User, contact: User, *, friend: bool = False, family: bool = False
    ) -> None:
        """Make ``user`` count ``contact`` as a contact, friend and/or family.

        Relations go one way, as on the service: ``contact`` then sees ``user``'s
        documents shared with friends (or family); add the reverse relation too
        for a mutual one.
        """
        content.relate(self.store, user.user_id, contact.user_id, friend=friend, family=family)

    def add_post(
        self, owner: User, title: str, content_html: str = "", *, is_public: bool = True
    ) -> Post:
        """Add a blog post of ``owner``."""
        post_id = content.create_post(
            self.store, owner.user_id, title, content_html, is_public=is_public
        )
        return Post(post_id, owner.user_id, title)

    def add_comment(self, author: User, target: Doc | Post, text: str) -> int:
        """Comment on a document or post as ``author``; return the comment id."""
        kind, target_id = _target(target)
        return content.add_comment(self.store, kind, target_id, author.user_id, text)

    def add_fave(self, user: User, target: Target) -> None:
        """Add a document, album or post to ``user``'s faves."""
        kind, target_id = _target(target)
        content.add_fave(self.store, kind, target_id, user.user_id)

    # -- authorization -------------------------------------------------------

    def grant(self, user: User, app: App, perms: Mapping[str, str]) -> dict[str, Any]:
        """Grant ``app`` the permissions ``perms`` of ``user``, as if approved in a browser.

        :return: the mapping ``auth.getToken`` answers: ``token``, ``permissions``
            (all five targets) and ``user``.
        """
        with self.store.transaction():
            grant = grants.upgrade(self.store, user.user_id, app.app_id, perms)
            return grants.token_mapping(self.store, grant)

    def grant_oauth(self, user: User, app: App, perms: Mapping[str, str]) -> dict[str, str]:
        """Like :meth:`grant`, as an OAuth access token: the mapping with
        ``oauth_token`` and ``oauth_token_secret`` that ``IpernityAPI(...,
        auth="oauth")`` takes."""
        with self.store.transaction():
            grant = grants.upgrade(self.store, user.user_id, app.app_id, perms)
            secret = oauth_tokens.access_token_secret(self.store, grant)
            return {"oauth_token": grant["token"], "oauth_token_secret": secret}

    def revoke(self, token: str | Mapping[str, Any]) -> None:
        """The member withdraws the application: its token answers 107 from now on."""
        if isinstance(token, str):
            value = token
        else:
            value = str(token["token"] if "token" in token else token["oauth_token"])
        grants.revoke(self.store, value)

    def signin_cookies(self, user: User) -> dict[str, str]:
        """The cookies that sign ``user`` in on the sandbox's pages."""
        return {MEMBER_COOKIE: member_cookie(self.secret, user.user_id)}

    # -- faults --------------------------------------------------------------

    def fail_next(
        self,
        method: str = "*",
        code: int | None = None,
        *,
        http_status: int | None = None,
        html: bool = False,
        drop: bool = False,
        truncated: bool = False,
        times: int = 1,
        params: Mapping[str, str] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"``: any) fail.

        By default they answer error ``code`` (999 when not given) in a normal
        envelope. ``http_status`` answers that HTTP status (with an HTML page
        unless ``code`` is given); ``html`` an HTML error page (502 by default);
        ``drop`` closes the connection without an answer; ``truncated`` sends
        half a JSON document. The method itself does not run. ``method="media"``
        hits the next original or thumbnail files served instead (``"*"`` never does).
        With ``params``, only calls carrying those parameter values are hit
        (``{"page": "2"}``).
        """
        fault = Fault(method, code, http_status, html, drop, truncated, times, params=params or {})
        self.faults.add(fault)

    def delay_next(
        self,
        method: str,
        seconds: float,
        *,
        params: Mapping[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (with ``params``) answer ``seconds`` late.

        The calls are otherwise answered as usual: a test can so make page 2 of
        a walk arrive after page 3 (``params={"page": "2"}``).
        """
        self.faults.add(Fault(method, times=times, delay=seconds, params=params or {}))

    # -- serving -------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve over HTTP in a background thread; return the base URL.

        ``port=0`` picks a free port. Pages are served to requests naming the
        sandbox by an IP address, ``localhost``, ``host``, the host of
        :attr:`url` or a name in ``settings.allowed_hosts``; others get a 400
        page (DNS rebinding). The API and the media files answer any name.
        """
        if self._server is not None:
            raise RuntimeError("the sandbox is already serving")
        server = _SandboxServer(host, port, self.wsgi_app, handler=_RequestLogger)
        # Browsers visiting it by that name are served; other names are refused.
        self.settings.allowed_hosts.add(host)
        self._server = server
        # A short poll interval makes stop() quick.
        self._thread = threading.Thread(
            target=partial(server.serve_forever, poll_interval=0.05),
            name="ipernity-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving (the state stays).

        No new connection is accepted; the requests in flight finish (for up
        to :data:`STOP_GRACE` seconds) and idle connections are closed.
        """
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.finish_requests(STOP_GRACE)
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve for the duration of a ``with`` block, which gets the base URL."""
        base_url = self.start(host, port)
        try:
            yield base_url
        finally:
            self.stop()

    @property
    def base_url(self) -> str:
        """The running server's root URL, e.g. ``http://127.0.0.1:54321/``."""
        if self._server is None:
            raise RuntimeError("the sandbox is not serving; call start() or serve() first")
        return f"http://{self._server.host}:{self._server.port}/"

    @property
    def url(self) -> str:
        """The sandbox's web root: the host its pages are served on, which every
        link in the API's answers names (``doc.link``, ``user.link``, album
        links, thumbnails, icons), whatever host or URL form a call came in on.

        It is :attr:`base_url` while serving, unless set: set it when the
        sandbox is mounted in a server of your own or sits behind a proxy
        (``sb.url = "https://sandbox.example/"``). Mounted and not set, links
        name the root of the call they answer.

        Setting it also lets browsers reach the sandbox's pages by its host name
        (see :meth:`start`).

        :raises RuntimeError: when it is not set and the sandbox is not serving.
        :raises ValueError: (setting) for anything but an ``http(s)://`` URL.
        """
        if self._url is not None:
            return self._url
        return self.base_url

    @url.setter
    def url(self, root: str) -> None:
        parts = urlsplit(root)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("the sandbox's url must be an http:// or https:// URL")
        self._url = root if root.endswith("/") else root + "/"
        # Browsers follow the links to that host: its pages must answer it.
        if parts.hostname:
            self.settings.allowed_hosts.add(parts.hostname)

    @property
    def api_url(self) -> str:
        """What ``IpernityAPI(url=...)`` takes."""
        return self.base_url + "api/"

    @property
    def authorize_url(self) -> str:
        """What ``IpernityAPI(auth_url_base=...)`` takes."""
        return self.base_url + "apps/authorize"

    @property
    def oauth_url(self) -> str:
        """The base of the OAuth 1.0 steps: ``request``, ``authorize`` and ``access``
        hang under it (it ends in ``/apps/oauth/``)."""
        return self.base_url + "apps/oauth/"

    def close(self) -> None:
        """Stop serving, once the requests in flight are answered, and close the database."""
        self.stop()
        self.store.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _SandboxServer(ThreadedWSGIServer):
    """Werkzeug's threaded server, knowing its request threads to end them cleanly.

    Each connection is served by a daemon thread (an unclosed sandbox never
    holds the interpreter), remembered with its socket until it ends.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._connections: dict[threading.Thread, socket.socket] = {}

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection ``request`` in a new thread."""
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="ipernity-sandbox-request",
            daemon=True,
        )
        with self._lock:
            self._connections[thread] = request
        thread.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then forget it."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._connections.pop(threading.current_thread(), None)

    def finish_requests(self, grace: float) -> None:
        """End every connection once its request in flight is answered.

        Call it once :meth:`shutdown` returned: reading is shut on each socket,
        so a connection waiting for its next request ends at once, and one in
        the middle of a request still sends its answer.
        """
        with self._lock:
            connections = dict(self._connections)
        for sock in connections.values():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RD)
        ends = time.monotonic() + grace
        for thread in connections:
            thread.join(max(0.0, ends - time.monotonic()))
            if thread.is_alive():
                log.warning("A sandbox request did not finish within %g s", grace)


class _RequestLogger(WSGIRequestHandler):
    """Logs requests without their query strings, which carry tokens and signatures."""

    # HTTP/1.1 answers (chunked bodies of unknown length). Werkzeug's server still
    # closes every connection after its answer: it reads whatever follows a
    # request to throw away a body the application left unread, which on a kept
    # connection would swallow the next request.
    protocol_version = "HTTP/1.1"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # A request line too long to parse has no path yet; a media file's
        # name holds the document's secret.
        path = redact_url(getattr(self, "path", "").split("?", 1)[0])
        log.debug("%s %s -> %s", self.command, path, code)

    def log_error(self, format: str, *args: Any) -> None:
        # The base class would quote the raw request line, query string included.
        log.debug("HTTP error %s", args[0] if args else "")


def _target(target: Target) -> tuple[str, int]:
    if isinstance(target, Doc):
        return "doc", target.doc_id
    if isinstance(target, Album):
        return "album", target.album_id
    return "post", target.post_id
