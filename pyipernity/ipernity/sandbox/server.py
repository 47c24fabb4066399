"""``SandboxApp``: the sandbox as a WSGI application.

URL layout (relative to wherever it is mounted, ``SCRIPT_NAME`` respected):

- ``/api/<method>/<format>``: the API (what ``IpernityAPI(url=...)`` calls),
  in JSON or XML; also ``/api/<method>``, which answers in the ``format``
  parameter's format, JSON by default;
- ``/apps/authorize``: the authorization page; ``/signin``: its sign-in page;
- ``/apps/oauth/request``, ``/apps/oauth/authorize``, ``/apps/oauth/access``:
  the OAuth 1.0 steps (see :mod:`.oauth`);
- ``/media/<doc_id>.<secret>.<label>.jpg``: thumbnails, and
  ``/media/<doc_id>.<secret>.<ext>``: original files;
- ``/doc/<owner_id>/<doc_id>``, ``/doc/<owner_id>/album/<album_id>``,
  ``/home/<alias>``: the pages the API's links lead to (see :mod:`.website`);
  ``/signout``: signing out;
- ``/``: a front page saying where everything is.

Pages asked for under another host's name are refused (the API, the OAuth
steps programs call and the media files answer any name), and no HTML page
may be framed (see :mod:`.webguard`).
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import authorize, media, oauth, oauth_authorize, pages, webguard, website
from .calllog import loggable
from .dispatch import APIRequest, Outcome, dispatch, failure
from .envelopes import respond
from .records import Call

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .sandbox import Sandbox

log = logging.getLogger("ipernity.sandbox")

#: The "method" name of :meth:`Sandbox.fail_next` whose faults hit media files.
MEDIA_FAULT = "media"
#: Room for the form fields around an uploaded file.
FORM_SLACK = 1024 * 1024


def _id(name: str) -> str:
    """A URL part that is an id: digits, at most the service's 64-bit integers."""
    return f"<int(max={2**63 - 1}):{name}>"


_URLS = Map(
    [
        Rule("/", endpoint="home"),
        Rule("/api/<method>/<fmt>", endpoint="api", methods=["GET", "POST"]),
        Rule("/api/<method>", endpoint="api", defaults={"fmt": ""}, methods=["GET", "POST"]),
        Rule("/apps/authorize", endpoint="authorize", methods=["GET", "POST"]),
        Rule("/signin", endpoint="signin", methods=["GET", "POST"]),
        Rule("/apps/oauth/request", endpoint="oauth_request", methods=["GET", "POST"]),
        Rule("/apps/oauth/authorize", endpoint="oauth_authorize", methods=["GET", "POST"]),
        Rule("/apps/oauth/access", endpoint="oauth_access", methods=["GET", "POST"]),
        Rule("/media/<name>", endpoint="media"),
        Rule("/icons/<any(user, group):kind>/<int:record_id>.jpg", endpoint="icon"),
        Rule("/signout", endpoint="signout", methods=["POST"]),
        Rule(f"/doc/{_id('owner_id')}/{_id('doc_id')}", endpoint="doc_page"),
        Rule(
            f"/doc/{_id('owner_id')}/{_id('doc_id')}/in/album/{_id('album_id')}",
            endpoint="doc_page",
        ),
        Rule(f"/doc/{_id('owner_id')}/album/{_id('album_id')}", endpoint="album_page"),
        Rule("/home/<alias>", endpoint="member_page"),
    ]
)


class SandboxApp:
    """The WSGI application serving a :class:`~ipernity.sandbox.Sandbox`.

    Mount it in any WSGI server, under any path prefix; ``Sandbox.serve``
    runs it in Werkzeug's threaded server.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        # Built once: oauthlib's endpoint and validator hold no per-request state.
        self._oauth = oauth.OAuthChecker(sandbox.store)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        # The pages' forms are small; an upload's size is checked separately.
        request.max_form_memory_size = FORM_SLACK
        allowed = self.sandbox.settings.allowed_hosts
        try:
            if webguard.is_for_programs(request.path) or webguard.host_is_allowed(
                environ.get("HTTP_HOST"), allowed
            ):
                response = self._route(request)
            else:
                response = webguard.refused_host()
            webguard.forbid_framing(response)
            return response(environ, start_response)
        finally:
            # An upload's file, spooled to disk past 500 kB, is closed now, not
            # whenever the garbage collector finds it (with a ResourceWarning).
            request.close()

    def _route(self, request: Request) -> Response:
        adapter = _URLS.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except HTTPException as error:
            return Response(
                pages.error_page("Not found", "There is no such page on the sandbox."),
                status=error.code or 404,
                mimetype="text/html",
            )
        sandbox = self.sandbox
        if endpoint == "api":
            # The format is optional and defaults to JSON, as on the service.
            return self.api(request, args["method"], args["fmt"])
        if endpoint == "authorize":
            return authorize.authorize(sandbox.store, sandbox.settings, sandbox.secret, request)
        if endpoint == "oauth_request":
            return oauth.request_step(sandbox.store, sandbox.settings, request)
        if endpoint == "oauth_authorize":
            return oauth_authorize.authorize(
                sandbox.store, sandbox.settings, sandbox.secret, request
            )
        if endpoint == "oauth_access":
            return oauth.access_step(sandbox.store, request)
        if endpoint == "signin":
            return authorize.signin(sandbox.store, sandbox.secret, request)
        if endpoint == "media":
            return self.media(args["name"], request.environ)
        if endpoint == "icon":
            return _file(media.icon(args["kind"], args["record_id"]), "image/jpeg")
        if endpoint == "signout":
            return authorize.signout(sandbox.secret, request)
        if endpoint == "doc_page":
            return website.doc_page(sandbox.store, sandbox.secret, request, **args)
        if endpoint == "album_page":
            return website.album_page(sandbox.store, sandbox.secret, request, **args)
        if endpoint == "member_page":
            return website.member_page(sandbox.store, sandbox.secret, request, args["alias"])
        return self.home(request)

    def home(self, request: Request) -> Response:
        """The front page: where the API is, and the members' homes."""
        store, secret = self.sandbox.store, self.sandbox.secret
        rows = store.query("SELECT username, realname, alias FROM users ORDER BY user_id")
        root = request.url_root
        members = [(m["username"], m["realname"], f"{root}home/{m['alias']}") for m in rows]
        seen = authorize.visit(store, secret, request)
        page = pages.home_page(root + "api/", root + "apps/authorize", members, seen.header)
        return seen.respond(request, page)

    # -- the API -------------------------------------------------------------

    def api(self, request: Request, method: str, fmt: str) -> Response:
        """Answer one API call (or the fault queued for it).

        :param fmt: the format the URL names (empty when it names none).
        """
        sandbox = self.sandbox
        try:
            params, files = self._read(request)
        except RequestEntityTooLarge:
            code = 2 if method.startswith("upload.") else 1
            outcome = failure(code, "The request is too large")
            self._record(method, request, {}, outcome)
            response = respond(outcome.envelope, method, answer_format(fmt, request.args))
            # The body was not read: the connection cannot carry another request.
            response.headers["Connection"] = "close"
            return response
        fmt = answer_format(fmt, params)
        signed = None
        # OAuth is checked before any fault, as a service checks a request
        # before it fails: a retry's nonce must differ from the first attempt's.
        if oauth.is_oauth_signed(request, params):
            try:
                fields = oauth.body_fields(request, params)
                signed = self._oauth.check(request, fields, "access")
            except oauth.Refused as refused:
                outcome = failure(refused.code, refused.message)
                self._record(method, request, params, outcome)
                return respond(outcome.envelope, method, fmt)
        fault = sandbox.faults.take(method, params)
        if fault is not None:
            fault.wait()
        if fault is not None and fault.kind != "delay":
            call = Call(method, request.method, loggable(params), None, fault.code, fault.kind)
            sandbox.calls.append(call)
            return fault.response(request.environ, method, fmt)
        if sandbox.settings.latency > 0:
            time.sleep(sandbox.settings.latency)
        if signed is not None:
            params = oauth.without_oauth(params)
        api_request = APIRequest(
            method, fmt, request.method, params, files, self._web_root(request), oauth=signed
        )
        outcome = dispatch(sandbox.store, sandbox.settings, api_request)
        self._record(method, request, params, outcome)
        return respond(outcome.envelope, method, fmt)

    def _web_root(self, request: Request) -> str:
        """The root the links in answers name: :attr:`Sandbox.url`."""
        try:
            return self.sandbox.url
        except RuntimeError:
            # Mounted in another server with no url set: the call's own root is all there is.
            return request.url_root

    def _read(self, request: Request) -> tuple[dict[str, str], dict[str, FileStorage]]:
        limit = self.sandbox.settings.max_upload_bytes + FORM_SLACK
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()
        # A chunked body has no length: Werkzeug stops reading it past the limit.
        request.max_content_length = limit
        params = {name: request.args.get(name, "") for name in request.args}
        if request.method != "POST":
            return params, {}
        if request.mimetype == "application/x-www-form-urlencoded":
            # Werkzeug drops a whole form over one byte that is not UTF-8;
            # the service reads what it can.
            body = request.get_data(cache=False).decode("utf-8", "replace")
            form: dict[str, str] = {}
            for name, value in parse_qsl(body, keep_blank_values=True, errors="replace"):
                form.setdefault(name, value)
            return params | form, {}
        params.update({name: request.form.get(name, "") for name in request.form})
        return params, dict(request.files.items())

    def _record(
        self, method: str, request: Request, params: dict[str, str], outcome: Outcome
    ) -> None:
        call = Call(method, request.method, loggable(params), outcome.user_id, outcome.error)
        self.sandbox.calls.append(call)
        log.debug("%s %s -> %s", request.method, method, outcome.error or "ok")

    # -- media ---------------------------------------------------------------

    def media(self, name: str, environ: WSGIEnvironment) -> Response:
        """Serve a thumbnail or an original file named as the API's URLs name them."""
        # Only faults queued for "media" by name: "*" means any API method. The
        # fault is taken as the request arrives, before any latency: a request
        # still sleeping from an earlier moment (a client that gave up) must not
        # spend a fault queued after it came.
        fault = self.sandbox.faults.take(MEDIA_FAULT, wildcard=False)
        if self.sandbox.settings.media_latency > 0:
            time.sleep(self.sandbox.settings.media_latency)
        if fault is not None:
            fault.wait()
        if fault is not None and fault.kind != "delay":
            return fault.response(environ, MEDIA_FAULT)
        parts = name.split(".")
        # ASCII only: int() reads "²" badly and compare_digest refuses other text.
        if not name.isascii() or len(parts) not in (3, 4) or not parts[0].isdigit():
            return _not_found()
        if len(parts[0]) > 18:
            return _not_found()
        store = self.sandbox.store
        doc = store.one("SELECT * FROM docs WHERE doc_id = ?", (int(parts[0]),))
        if doc is None or not hmac.compare_digest(parts[1], doc["secret"]):
            return _not_found()
        if len(parts) == 3:
            if parts[2] != doc["ext"]:
                return _not_found()
            return _file(media.original(store, doc), doc["mime"])
        if parts[2] not in media.LABELS or parts[3] != "jpg":
            return _not_found()
        return _file(media.thumbnail(store, doc, parts[2]), "image/jpeg")


def answer_format(fmt: str, params: Mapping[str, str]) -> str:
    """The format to answer in: the URL's, else the ``format`` parameter's, else JSON."""
    return fmt or params.get("format", "") or "json"


def _file(data: bytes, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _not_found() -> Response:
    error = NotFound()
    return Response(
        pages.error_page("Not found", "There is no such file."),
        status=error.code,
        mimetype="text/html",
    )
