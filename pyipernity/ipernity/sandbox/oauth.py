"""OAuth 1.0 on the sandbox: the request and access steps, and OAuth-signed calls.

Signatures are checked by oauthlib's server side (:class:`OAuthChecker` is an
oauthlib endpoint with a :class:`SandboxValidator`), never by our own HMAC code,
so that the client library's signing is held against a foreign implementation.

Each refusal is one :class:`Refused` naming the problem in the vocabulary of
the OAuth Problem Reporting extension (``signature_invalid``,
``timestamp_refused``, ``nonce_used``, ``token_rejected``, ``token_used``…).
The request and access steps answer it as HTTP 400/401 with a form-encoded
``oauth_problem``; an API call answers the service's shared error code
(101 unknown key, 104 missing signature, 105 invalid signature, stale
timestamp or replayed nonce, 107 unknown or spent token) with the problem in
the message.
"""

from __future__ import annotations

import functools
import hmac
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1 import RequestValidator
from oauthlib.oauth1.rfc5849 import errors
from oauthlib.oauth1.rfc5849.endpoints.base import BaseEndpoint
from werkzeug.sansio.utils import get_current_url
from werkzeug.wrappers import Request, Response

from ipernity.oauth import silence_credential_logs

from . import grants, oauth_tokens
from .records import App
from .settings import Settings
from .store import Row, Store

#: Seconds a request's ``oauth_timestamp`` may differ from the sandbox's clock.
TIMESTAMP_LIFETIME = 600
#: The signature methods accepted; the service documents HMAC-SHA1.
SIGNATURE_METHODS = ("HMAC-SHA1", "HMAC-SHA256")

_FORM = "application/x-www-form-urlencoded"
silence_credential_logs()
# Keys, tokens and nonces: printable ASCII without spaces, of a sane length.
_TEXT = re.compile(r"[\x21-\x7e]{1,128}")

#: Each problem's HTTP status (request and access steps) and API error code.
PROBLEMS: dict[str, tuple[int, int]] = {
    "parameter_absent": (400, 104),
    "parameter_rejected": (400, 105),
    "signature_method_rejected": (400, 105),
    "consumer_key_unknown": (401, 101),
    "timestamp_refused": (401, 105),
    "signature_invalid": (401, 105),
    "nonce_used": (401, 105),
    "verifier_invalid": (401, 105),
    "token_rejected": (401, 107),
    "token_used": (401, 107),
    "permission_unknown": (401, 107),
}


class Refused(Exception):
    """An OAuth-signed request the sandbox refuses.

    :param problem: a key of :data:`PROBLEMS`.
    :param message: what is wrong, fit to show (no secret in it).
    """

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message

    @property
    def code(self) -> int:
        """The API error code an OAuth-signed API call answers."""
        return PROBLEMS[self.problem][1]

    def response(self) -> Response:
        """The request or access step's answer: ``oauth_problem`` and advice."""
        body = urlencode({"oauth_problem": self.problem, "oauth_problem_advice": self.message})
        return Response(body, status=PROBLEMS[self.problem][0], mimetype=_FORM)


@dataclass(frozen=True)
class Signed:
    """A request whose OAuth signature checked out."""

    app: App
    #: The request or access token it carried, if any.
    token: str | None
    #: The ``oauth_callback`` it carried, if any.
    callback: str | None
    #: The grant an access token stands for (an API call's), looked up once.
    grant: Row | None = None


class SandboxValidator(RequestValidator):  # type: ignore[misc]
    """oauthlib's policy hooks, answered from what :class:`OAuthChecker` looked up.

    The checker finds the application and the token's secret before the
    signature is checked and puts them on oauthlib's request object.
    """

    enforce_ssl = False
    allowed_signature_methods = SIGNATURE_METHODS
    timestamp_lifetime = TIMESTAMP_LIFETIME

    def check_client_key(self, client_key: str) -> bool:
        """Any printable key: applications' keys are the consumer keys."""
        return bool(_TEXT.fullmatch(client_key))

    def check_nonce(self, nonce: str) -> bool:
        """Any printable nonce of up to 128 characters."""
        return bool(_TEXT.fullmatch(nonce))

    def get_client_secret(self, client_key: str, request: OAuthRequest) -> str:
        """The application's API secret is its consumer secret."""
        app: App = request.sandbox_app
        return app.api_secret

    def get_request_token_secret(
        self, client_key: str, token: str, request: OAuthRequest
    ) -> str | None:
        """The secret of the request token the checker found."""
        secret: str | None = request.sandbox_token_secret
        return secret

    def get_access_token_secret(
        self, client_key: str, token: str, request: OAuthRequest
    ) -> str | None:
        """The secret of the access token the checker found."""
        secret: str | None = request.sandbox_token_secret
        return secret


class OAuthChecker(BaseEndpoint):  # type: ignore[misc]
    """Checks OAuth-signed requests with oauthlib, refusing with a clear problem.

    It keeps no state of its own between requests (nonces live in
    :func:`.oauth_tokens.seen_nonces`): one checker serves every request.

    :param store: the sandbox's state (applications, tokens, nonces).
    """

    def __init__(self, store: Store) -> None:
        super().__init__(SandboxValidator())
        self.store = store

    def check(self, request: Request, fields: Mapping[str, str], kind: str) -> Signed:
        """Check ``request``'s signature; return who signed it.

        :param fields: the form fields of a POST (also those of a multipart
            body, which are signed as if form-encoded; files are not signed).
        :param kind: ``"consumer"`` (request step: no token), ``"request"``
            (access step: an approved request token) or ``"access"`` (an API
            call: an access token, or none for an anonymous call).
        :raises Refused: for any problem, the first one found.
        """
        oauth_request = self._parse(request, fields)
        self._check_parameters(oauth_request)
        app = grants.app_by_key(self.store, oauth_request.client_key)
        if app is None:
            raise Refused("consumer_key_unknown", "Unknown consumer key")
        oauth_request.sandbox_app = app
        secret, grant = self._token_secret(oauth_request, app, kind)
        oauth_request.sandbox_token_secret = secret
        if not self._check_signature(oauth_request, is_token_request=kind == "request"):
            raise Refused("signature_invalid", "Invalid OAuth signature")
        token = oauth_request.resource_owner_key or None
        if kind == "request":
            # Only once the signature holds: nobody without the token's secret
            # learns anything about its verifier.
            self._check_verifier(oauth_request.verifier, token or "")
        if not oauth_tokens.seen_nonces(self.store).add(
            app.api_key,
            token or "",
            oauth_request.nonce,
            int(oauth_request.timestamp),
            time.time() - TIMESTAMP_LIFETIME,
        ):
            raise Refused("nonce_used", "This OAuth nonce was already used (a replayed request)")
        return Signed(app, token, oauth_request.redirect_uri or None, grant)

    def _parse(self, request: Request, fields: Mapping[str, str]) -> OAuthRequest:
        headers = {}
        if "Authorization" in request.headers:
            headers["Authorization"] = request.headers["Authorization"]
        body = urlencode(dict(fields)) if fields else ""
        if body:
            headers["Content-Type"] = _FORM
        query = request.query_string.decode("latin-1")
        base = _base_url(request.scheme, request.host, request.root_path, request.path)
        uri = base + (f"?{query}" if query else "")
        try:
            parsed: OAuthRequest = self._create_request(uri, request.method, body, headers)
        except (errors.OAuth1Error, ValueError) as error:
            raise Refused("parameter_rejected", _describe(error)) from None
        return parsed

    def _check_parameters(self, request: OAuthRequest) -> None:
        required = ("signature", "client_key", "nonce", "timestamp", "signature_method")
        missing = [name for name in required if not getattr(request, name)]
        if missing:
            names = ", ".join(
                "oauth_" + name.replace("client_key", "consumer_key") for name in missing
            )
            raise Refused("parameter_absent", f"Missing OAuth parameters: {names}")
        stamp = request.timestamp
        if stamp.isdigit() and abs(time.time() - int(stamp)) > TIMESTAMP_LIFETIME:
            raise Refused(
                "timestamp_refused",
                f"The OAuth timestamp is more than {TIMESTAMP_LIFETIME} s away from the "
                "sandbox's clock",
            )
        try:
            self._check_mandatory_parameters(request)
        except errors.InvalidSignatureMethodError:
            raise Refused(
                "signature_method_rejected",
                f"Use one of the signature methods {', '.join(SIGNATURE_METHODS)}",
            ) from None
        except errors.OAuth1Error as error:
            raise Refused("parameter_rejected", _describe(error)) from None

    def _token_secret(
        self, request: OAuthRequest, app: App, kind: str
    ) -> tuple[str | None, Row | None]:
        """The token's secret, and for an access token its grant."""
        token = request.resource_owner_key
        if kind == "consumer":
            if token:
                raise Refused("token_rejected", "The request step takes no token")
            return None, None
        if kind == "request":
            return self._request_token_secret(request, app), None
        if not token:
            return None, None
        found = oauth_tokens.access_grant(self.store, token)
        if found is None or found[0]["app_id"] != app.app_id:
            raise Refused("token_rejected", "Unknown, revoked or spent access token")
        return found[1], found[0]

    def _request_token_secret(self, request: OAuthRequest, app: App) -> str:
        token = request.resource_owner_key
        row = oauth_tokens.find_request_token(self.store, token) if token else None
        if row is None or row["app_id"] != app.app_id:
            raise Refused("token_rejected", "Unknown request token")
        if row["used"]:
            raise Refused("token_used", "This request token was already exchanged")
        if not oauth_tokens.is_live(row):
            raise Refused("token_rejected", "This request token has expired")
        if row["user_id"] is None:
            raise Refused("permission_unknown", "The member has not approved this request token")
        secret: str = row["secret"]
        return secret

    def _check_verifier(self, sent: str | None, token: str) -> None:
        if oauth_tokens.takes_verifier(self.store, token):
            expected = oauth_tokens.verifier_of(self.store, token) or ""
            if not sent:
                raise Refused(
                    "parameter_absent",
                    "Missing OAuth parameters: oauth_verifier (the callback carried it)",
                )
            if not hmac.compare_digest(sent.encode(), expected.encode()):
                raise Refused(
                    "verifier_invalid", "The verifier is not the one the member's approval gave"
                )
            return
        # Without OAuth 1.0a the service sends no verifier; clients that insist
        # send the request token.
        if sent and sent != token:
            raise Refused("verifier_invalid", "The verifier is not this request token")


@functools.lru_cache(maxsize=256)
def _base_url(scheme: str, host: str, root_path: str, path: str) -> str:
    # Werkzeug's ``Request.base_url``, remembered: the same few method URLs over and over.
    return get_current_url(scheme, host, root_path, path)


def _describe(error: Exception) -> str:
    description = getattr(error, "description", None) or str(error)
    return f"Malformed OAuth request: {description}"


def is_oauth_signed(request: Request, params: Mapping[str, str]) -> bool:
    """Tell whether an API call is signed with OAuth rather than ``api_sig``."""
    header = request.headers.get("Authorization", "")
    return header[:6].lower() == "oauth " or "oauth_consumer_key" in params


def body_fields(request: Request, params: Mapping[str, str]) -> dict[str, str]:
    """The fields of ``params`` that came in a POST's body (not the query)."""
    if request.method != "POST":
        return {}
    return {name: value for name, value in params.items() if name not in request.args}


def without_oauth(params: Mapping[str, str]) -> dict[str, str]:
    """``params`` without the OAuth protocol parameters."""
    return {name: value for name, value in params.items() if not name.startswith("oauth_")}


def request_step(store: Store, settings: Settings, request: Request) -> Response:
    """``/apps/oauth/request``: issue a request token to a signed consumer."""
    with store.transaction():
        try:
            signed = OAuthChecker(store).check(request, _form(request), "consumer")
        except Refused as refused:
            return refused.response()
        callback = signed.callback if signed.callback != "oob" else None
        row = oauth_tokens.new_request_token(
            store,
            signed.app.app_id,
            callback,
            settings.frob_ttl,
            with_verifier=settings.oauth_verifier,
        )
        if not settings.oauth_verifier:
            # As Ipernity answers: the token and its secret, nothing more.
            return _answer(oauth_token=row["token"], oauth_token_secret=row["secret"])
        return _answer(
            oauth_token=row["token"],
            oauth_token_secret=row["secret"],
            oauth_callback_confirmed="true",
        )


def access_step(store: Store, request: Request) -> Response:
    """``/apps/oauth/access``: exchange an approved request token, once."""
    with store.transaction():
        try:
            signed = OAuthChecker(store).check(request, _form(request), "request")
        except Refused as refused:
            return refused.response()
        row = oauth_tokens.find_request_token(store, signed.token or "")
        grant = _grant_of(store, row) if row is not None else None
        if row is None or grant is None:
            return Refused("token_rejected", "The authorization was withdrawn").response()
        oauth_tokens.spend_request_token(store, row["token"])
        secret = oauth_tokens.access_token_secret(store, grant)
        return _answer(oauth_token=grant["token"], oauth_token_secret=secret)


def _grant_of(store: Store, row: Row) -> Row | None:
    return grants.find_grant(store, row["user_id"], row["app_id"])


def _form(request: Request) -> dict[str, Any]:
    return {name: request.form.get(name, "") for name in request.form}


def _answer(**values: str) -> Response:
    return Response(urlencode(values), mimetype=_FORM)
