"""OAuth 1.0: calls signed with OAuth, and the three steps that obtain a token.

``IpernityAPI(api_key, api_secret, token, auth="oauth")`` signs every call with
OAuth 1.0 (HMAC-SHA1, in the ``Authorization`` header) with oauthlib's
signature functions, and runs the token steps through
`requests-oauthlib <https://requests-oauthlib.readthedocs.io/>`_: install both
with ``pip install "PyIpernity[oauth]"``. The application's API key and secret
are the consumer key and secret; ``token`` is the mapping with ``oauth_token``
and ``oauth_token_secret`` the access step answered (``auth="oauth"`` without
it is a ``ValueError``, as in PyIpernity 0.3). Everything else is as with
the frob flows: the pooled session, timeouts and retries, the cache, parallel
walks, uploads with tickets.

Obtaining a token takes three steps, each a method of the handler ``api.auth``::

    api = IpernityAPI(key, secret, auth=OAuthHandler)
    request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:8080/")
    url = api.auth.auth_url({"doc": "write"}, request_token)
    # ... the member approves at url; the browser comes back to the callback
    # with ?oauth_token=<the request token> (and, from an OAuth 1.0a service,
    # &oauth_verifier=...) ...
    api.auth.fetch_access_token(request_token, verifier)  # the callback's, or None; sets api.token

Ipernity sends no ``oauth_verifier``. A service that does (OAuth 1.0a, such as
the sandbox with ``oauth_verifier=True``) says so by confirming the callback
(``oauth_callback_confirmed=true``) at the request step; the request token's
mapping then holds that answer, and :meth:`OAuthHandler.fetch_access_token`
refuses to go on without the verifier the callback carried.

Uploads are signed as the service expects: the multipart POST's text fields
as if they were a form-encoded body, the ``file`` part left out.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin

# Imported with the handler only, once the client has loaded requests anyway.
import requests
from requests.auth import AuthBase

from . import catalogue, permissions
from .auth import AuthHandler
from .exceptions import IpernityError
from .signing import encode_params

if TYPE_CHECKING:
    from .api import IpernityAPI

#: The service's OAuth base: ``request``, ``authorize`` and ``access`` hang under it.
DEFAULT_OAUTH_URL = "https://www.ipernity.com/apps/oauth/"

_FORM = "application/x-www-form-urlencoded"


class _DropDebug(logging.Filter):
    """Drops debug records: oauthlib's quote base strings, tokens and signatures."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


#: The loggers of oauthlib and requests-oauthlib that quote credentials.
CHATTY_LOGGERS = (
    "oauthlib.oauth1.rfc5849",
    "oauthlib.oauth1.rfc5849.signature",
    "oauthlib.oauth1.rfc5849.endpoints.base",
    "requests_oauthlib.oauth1_auth",
)


def silence_credential_logs() -> None:
    """Keep oauthlib's debug records, which quote tokens and signatures, out of logs."""
    for name in CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropDebug) for f in logger.filters):
            logger.addFilter(_DropDebug())


silence_credential_logs()


class OAuthError(IpernityError):
    """An OAuth step failed: refused by the service, or its answer is unusable.

    :param problem: the service's ``oauth_problem`` (e.g. ``signature_invalid``,
        ``token_rejected``), or ``None`` when it gave none.
    """

    def __init__(self, message: str, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem


def _oauth1() -> Any:
    try:
        from requests_oauthlib import OAuth1
    except ImportError:
        raise OAuthError(
            'OAuth needs requests-oauthlib: install it with pip install "PyIpernity[oauth]"'
        ) from None
    return OAuth1


class OAuthHandler(AuthHandler):
    """Signs every call with OAuth 1.0 and runs the OAuth flow.

    :attr:`oauth_url` is the base of the three steps; by default the ``oauth/``
    folder beside the client's authorization page (the service's own, or a
    sandbox's :attr:`~ipernity.sandbox.Sandbox.oauth_url`).

    :raises OAuthError: if requests-oauthlib is not installed.
    """

    def __init__(self, api: IpernityAPI) -> None:
        super().__init__(api)
        self._OAuth1 = _oauth1()
        #: The base URL of the ``request``, ``authorize`` and ``access`` steps.
        self.oauth_url = urljoin(api.auth_url_base, "oauth/")
        #: Whether the service confirmed the callback of the latest request
        #: token (OAuth 1.0a: its approval then comes with a verifier);
        #: ``None`` before any request token.
        self.callback_confirmed: bool | None = None

    # -- signing calls -----------------------------------------------------------

    def send(self, url: str, method_name: str, method_args: Mapping[str, Any]) -> dict[str, Any]:
        """Send a call signed with OAuth; return the checked answer.

        No ``api_key``, ``api_sig`` or ``auth_token`` is sent: the OAuth
        signature names the application and the token. The parameters are
        signed whether they travel in the query, a form body or, for an
        upload, the text parts of a multipart body.
        """
        method = catalogue.get(method_name)
        post = bool(method and method.post)
        args = dict(method_args)
        upload = args.pop("file", None)
        params = encode_params(args)
        api = self._api
        auth = CallSigner(api.api_key, api.api_secret, api.token, api.token_secret, params)
        return api._transport.call(method_name, url, params, post=post, upload=upload, auth=auth)

    # -- the flow --------------------------------------------------------------

    def fetch_request_token(self, callback: str | None = None) -> dict[str, str]:
        """Step 1: get a request token, signed with the application's key and secret.

        :param callback: where the service sends the browser once the member
            approved (``?oauth_token=`` is added, and ``&oauth_verifier=`` by
            an OAuth 1.0a service); without one, the member sees a
            confirmation page instead.
        :return: ``{"oauth_token": …, "oauth_token_secret": …}``, plus
            ``"oauth_callback_confirmed": "true"`` when the service confirmed
            the callback (OAuth 1.0a; also :attr:`callback_confirmed`). Keep
            the secret on your side: it signs step 3.
        """
        api = self._api
        auth = self._OAuth1(api.api_key, api.api_secret, callback_uri=callback)
        answer = self._token_step("request", auth)
        token = _token_of(answer, "request")
        self.callback_confirmed = answer.get("oauth_callback_confirmed") == "true"
        if self.callback_confirmed:
            token["oauth_callback_confirmed"] = "true"
        return token

    def auth_url(  # type: ignore[override]
        self,
        perms: Mapping[str, str],
        request_token: str | Mapping[str, str],
        callback: str | None = None,
    ) -> str:
        """Step 2: the page where the member approves ``perms`` for a request token.

        :param perms: e.g. ``{"doc": "write"}`` (keys may also be ``perm_doc``).
        :param request_token: the token (or the whole mapping) from step 1.
        :param callback: sent along on the link too, as public clients do.
        """
        token = request_token if isinstance(request_token, str) else request_token["oauth_token"]
        params = {"oauth_token": token, **permissions.link_params(perms)}
        if callback:
            params["oauth_callback"] = callback
        return f"{self.oauth_url}authorize?{urlencode(params)}"

    def fetch_access_token(
        self,
        request_token: Mapping[str, str],
        store_token: bool = True,
        verifier: str | None = None,
    ) -> dict[str, str]:
        """Step 3: exchange the approved request token for an access token, once.

        :param request_token: the mapping from step 1 (token and secret).
        :param store_token: also make the access token the client's own.
        :param verifier: the ``oauth_verifier`` the callback carried; required
            when the service confirmed the callback (OAuth 1.0a), sent
            whenever given.
        :return: ``{"oauth_token": …, "oauth_token_secret": …}``.
        :raises OAuthError: e.g. ``permission_unknown`` before the member
            approved, ``token_used`` for a second exchange,
            ``verifier_invalid`` for a wrong verifier; ``parameter_absent``,
            before any request, for a confirmed callback without a verifier.
        """
        if not verifier and request_token.get("oauth_callback_confirmed") == "true":
            raise OAuthError(
                "The service confirmed the callback (OAuth 1.0a): pass the oauth_verifier "
                "the callback carried, fetch_access_token(request_token, verifier=...)",
                "parameter_absent",
            )
        api = self._api
        auth = self._OAuth1(
            api.api_key,
            api.api_secret,
            request_token["oauth_token"],
            request_token["oauth_token_secret"],
            verifier=verifier or None,
        )
        token = _token_of(self._token_step("access", auth), "access")
        if store_token:
            api.token = token
        return token

    def _token_step(self, step: str, auth: AuthBase) -> dict[str, str]:
        # Through the transport: its deadline and answer size limit hold here too.
        response = self._api._transport.fetch(
            f"OAuth {step}", self.oauth_url + step, {}, post=True, auth=auth
        )
        body = response.content
        answer = dict(parse_qsl(body.decode("utf-8", "replace")))
        if response.status_code != 200:
            problem = answer.get("oauth_problem")
            reason = f" ({problem})" if problem else ""
            raise OAuthError(
                f"The OAuth {step} step was refused: HTTP {response.status_code}{reason}",
                problem,
            )
        return answer

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.oauth_url}>"


def _token_of(answer: Mapping[str, str], step: str) -> dict[str, str]:
    """The token and its secret from a token step's answer."""
    if not answer.get("oauth_token") or not answer.get("oauth_token_secret"):
        raise OAuthError(f"The OAuth {step} step's answer holds no token")
    return {
        "oauth_token": answer["oauth_token"],
        "oauth_token_secret": answer["oauth_token_secret"],
    }


class CallSigner(AuthBase):
    """Signs one API call with OAuth 1.0 (HMAC-SHA1, ``Authorization`` header).

    The call's parameters are known before requests encodes them, so the
    signature base string is built from them with oauthlib's functions
    directly: the same rule as requests-oauthlib's, in one pass instead of
    re-parsing the prepared request. Each request (each retry too) gets a new
    nonce and timestamp.

    :param params: the call's parameters, wherever they travel; the ``file``
        part of an upload is not one of them.
    """

    def __init__(
        self,
        client_key: str,
        client_secret: str,
        token: str | None,
        token_secret: str | None,
        params: Mapping[str, str],
    ) -> None:
        self._key = client_key
        self._token = token
        self._params = list(params.items())
        # The names oauthlib's signing functions read the secrets by.
        self.client_secret = client_secret
        self.resource_owner_secret = token_secret or ""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        common, parameters, signature = _oauthlib()
        oauth = [
            ("oauth_nonce", common.generate_nonce()),
            ("oauth_timestamp", common.generate_timestamp()),
            ("oauth_version", "1.0"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_consumer_key", self._key),
        ]
        if self._token:
            oauth.append(("oauth_token", self._token))
        base = signature.signature_base_string(
            request.method or "GET",
            _base_string_uri(_without_query(request.url or "")),
            signature.normalize_parameters(self._params + oauth),
        )
        oauth.append(("oauth_signature", signature.sign_hmac_sha1_with_client(base, self)))
        request.headers.update(parameters.prepare_headers(oauth))
        return request


@functools.cache
def _oauthlib() -> tuple[ModuleType, ModuleType, ModuleType]:
    # Imported on the first signature (oauthlib is an optional dependency),
    # then kept: each call of a signer would otherwise run three imports.
    from oauthlib import common
    from oauthlib.oauth1.rfc5849 import parameters, signature

    return common, parameters, signature


def _without_query(url: str) -> str:
    """``url`` without its query and fragment, which the base string URI leaves out."""
    return url.split("?", 1)[0].split("#", 1)[0]


@functools.lru_cache(maxsize=256)
def _base_string_uri(url: str) -> str:
    # The same few method URLs over and over: oauthlib normalizes each once.
    from oauthlib.oauth1.rfc5849 import signature

    result: str = signature.base_string_uri(url)
    return result
