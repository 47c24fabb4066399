"""The state of one run of the shell: credentials, the client, where to print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipernity.api import DEFAULT_AUTH_URL, DEFAULT_URL, IpernityAPI
from ipernity.auth import AuthHandler

from .config import Credentials, Servers
from .errors import CommandError
from .output import Console

if TYPE_CHECKING:
    import requests

    from ipernity.transport import Timeout

#: Extra tries after a passing network failure. Someone is waiting at the
#: prompt: one quick retry, then say what went wrong.
RETRIES = 1
#: Credentials shorter than this are not masked in messages (see :meth:`Session.redact`).
MIN_SECRET_LENGTH = 6


class Session:
    """What the commands of one shell run share.

    :param console: where to print.
    :param credentials: the application's key and secret, and maybe a token.
    :param url: the API's base URL.
    :param auth_url: the authorization page's URL.
    :param config_path: the file ``save`` writes to.
    :param sandbox: whether the server is the embedded sandbox (whose
        credentials are not worth saving).
    """

    def __init__(
        self,
        console: Console,
        credentials: Credentials,
        *,
        url: str,
        auth_url: str,
        config_path: str,
        sandbox: bool = False,
    ) -> None:
        self.console = console
        self.config_path = config_path
        self.sandbox = sandbox
        self._credentials = credentials
        self._url = url
        self._auth_url = auth_url
        self._api: IpernityAPI | None = None

    @property
    def url(self) -> str:
        """The API's base URL."""
        return self._url

    @property
    def servers(self) -> Servers:
        """The session's URLs as ``save`` keeps them: ``None`` for Ipernity's own."""
        return Servers(
            None if self._url == DEFAULT_URL else self._url,
            None if self._auth_url == DEFAULT_AUTH_URL else self._auth_url,
        )

    @property
    def api(self) -> IpernityAPI:
        """The client, made on first use.

        :raises CommandError: when there is no API key or secret.
        """
        if self._api is None:
            token, token_secret = self._credentials.token, self._credentials.token_secret
            if token and token_secret:
                oauth_token = {"oauth_token": token, "oauth_token_secret": token_secret}
                self._api = self.new_client(oauth=True, token=oauth_token)
            else:
                self._api = self.new_client(token=token)
        return self._api

    def new_client(
        self,
        *,
        oauth: bool = False,
        token: Any = None,
        timeout: Timeout | None = None,
        deadline: float | None = None,
        retries: int = RETRIES,
        http: requests.Session | None = None,
    ) -> IpernityAPI:
        """A client with the session's key, secret and URLs (for a login to fill in).

        :param oauth: sign with OAuth rather than ``api_sig``.
        :param timeout: the connect and read timeouts of each request (the
            library's by default).
        :param deadline: seconds a whole call may take (derived from ``timeout``
            by default).
        :param retries: extra tries after a passing network failure.
        :param http: the HTTP session to send with (the client's own by default).
        :raises CommandError: when there is no API key or secret.
        """
        key, secret = self._credentials.api_key, self._credentials.api_secret
        if not key or not secret:
            raise CommandError(
                "No API key and secret: give -k and -s, put them in the config file "
                "or the environment, or start with --sandbox"
            )
        return IpernityAPI(
            key,
            secret,
            token,
            auth=_oauth_handler() if oauth else "desktop",
            url=self._url,
            auth_url_base=self._auth_url,
            timeout=timeout,
            deadline=deadline,
            retries=retries,
            session=http,
        )

    def use_client(self, client: IpernityAPI) -> None:
        """Make ``client`` (and its token) the session's, after a login."""
        if self._api is not None and self._api is not client:
            self._api.close()
        self._api = client
        self._credentials = self._credentials._replace(
            token=client.token, token_secret=client.token_secret
        )

    @property
    def credentials(self) -> Credentials:
        """The key, the secret and the current token."""
        if self._api is None:
            return self._credentials
        return self._credentials._replace(
            token=self._api.token, token_secret=self._api.token_secret
        )

    @property
    def token(self) -> str | None:
        """The member's token, if there is one."""
        if self._api is None:
            return self._credentials.token
        return self._api.token

    def forget_token(self) -> None:
        """Drop the token: calls are made without one from now on."""
        self._credentials = self._credentials._replace(token=None, token_secret=None)
        if self._api is not None:
            # The next call makes a new client: an OAuth one has nothing to sign with.
            self._api.close()
            self._api = None

    def redact(self, text: str) -> str:
        """Return ``text`` with the secret and the token masked, whatever it is."""
        for secret in (self._credentials.api_secret, self.token, self.credentials.token_secret):
            # Real secrets and tokens are long; masking a short one would garble words.
            if secret and len(secret) >= MIN_SECRET_LENGTH:
                text = text.replace(secret, "***")
        return text

    def close(self) -> None:
        """Close the client's connections."""
        if self._api is not None:
            self._api.close()


def _oauth_handler() -> type[AuthHandler]:
    # The handler class works with and without a token; auth="oauth" needs one.
    from ipernity.oauth import OAuthHandler

    return OAuthHandler
