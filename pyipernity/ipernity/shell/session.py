"""The state of one run of the shell: credentials, the client, where to print."""

from __future__ import annotations

from ipernity.api import IpernityAPI

from .config import Credentials
from .errors import CommandError
from .output import Console

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
    def api(self) -> IpernityAPI:
        """The client, made on first use.

        :raises CommandError: when there is no API key or secret.
        """
        if self._api is None:
            key, secret, token = self._credentials
            if not key or not secret:
                raise CommandError(
                    "No API key and secret: give -k and -s, put them in the config file "
                    "or the environment, or start with --sandbox"
                )
            self._api = IpernityAPI(
                key, secret, token, url=self._url, auth_url_base=self._auth_url, retries=RETRIES
            )
        return self._api

    @property
    def credentials(self) -> Credentials:
        """The key, the secret and the current token."""
        return self._credentials._replace(token=self.token)

    @property
    def token(self) -> str | None:
        """The member's token, if there is one."""
        if self._api is None:
            return self._credentials.token
        return self._api.token

    def forget_token(self) -> None:
        """Drop the token: calls are made without one from now on."""
        self._credentials = self._credentials._replace(token=None)
        if self._api is not None:
            self._api.token = None

    def redact(self, text: str) -> str:
        """Return ``text`` with the secret and the token masked, whatever it is."""
        for secret in (self._credentials.api_secret, self.token):
            # Real secrets and tokens are long; masking a short one would garble words.
            if secret and len(secret) >= MIN_SECRET_LENGTH:
                text = text.replace(secret, "***")
        return text

    def close(self) -> None:
        """Close the client's connections."""
        if self._api is not None:
            self._api.close()
