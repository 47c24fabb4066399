"""No secret reaches any log, every logger at DEBUG: a backup, OAuth calls and token steps.

Media URLs carry each document's secret (``/<doc_id>.<secret>.<label>.jpg``);
OAuth requests carry the token, and their answers the token secret. urllib3
quotes every request line at DEBUG, and the sandbox logs the paths it serves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipernity import IpernityAPI
from ipernity.backup import backup
from ipernity.oauth import CHATTY_LOGGERS, OAuthHandler, _DropDebug, silence_credential_logs
from ipernity.sandbox import Sandbox, User


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of every logger, at DEBUG, while the test runs."""
    # caplog sets (and afterwards restores) the root logger's level; set first,
    # it would otherwise remember DEBUG as the level to restore.
    caplog.set_level(logging.DEBUG)
    manager = logging.Logger.manager
    loggers = [
        logger for logger in manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield caplog
    for logger, level in levels.items():
        logger.setLevel(level)


@pytest.fixture
def served() -> Iterator[Sandbox]:
    sandbox = Sandbox()
    with sandbox.serve():
        yield sandbox
    sandbox.close()


@pytest.fixture
def alice(served: Sandbox) -> User:
    return served.add_user("alice", realname="Alice")


def doc_secrets(sandbox: Sandbox) -> list[str]:
    return [row[0] for row in sandbox.store.query("SELECT secret FROM docs")]


def assert_no_secret(text: str, secrets: list[str]) -> None:
    assert text  # the capture saw the traffic
    for secret in secrets:
        assert secret not in text
    # Signatures differ per request: no value may follow their names.
    assert not re.search(r"(api_sig|oauth_signature)=(?!\*\*\*)", text)
    assert not re.search(r'oauth_signature="', text)


def test_a_backup_logs_no_media_secret_token_or_signature(
    served: Sandbox, alice: User, every_log: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    app = served.add_app("Backup", auth="desktop")
    for title in ("Sunset", "Harbour", "Cat"):
        served.add_doc(alice, title)
    token = served.grant(alice, app, {"doc": "read"})
    with IpernityAPI(app.api_key, app.api_secret, token, url=served.api_url) as api:
        assert backup(api, tmp_path, workers=2).ok
    assert "GET /media/" in every_log.text or '"GET /media/' in every_log.text
    assert_no_secret(every_log.text, [app.api_secret, token["token"], *doc_secrets(served)])


def test_oauth_calls_and_token_steps_log_no_token_secret_or_signature(
    served: Sandbox, alice: User, every_log: pytest.LogCaptureFixture
) -> None:
    app = served.add_app("Site", auth="web", callback="http://127.0.0.1:1/cb")
    served.add_doc(alice, "Sunset")
    access = served.grant_oauth(alice, app, {"doc": "read"})
    options = {"url": served.api_url, "auth_url_base": served.authorize_url, "auth": "oauth"}
    with IpernityAPI(app.api_key, app.api_secret, access, **options) as api:  # type: ignore[arg-type]
        api.doc.search(user_id=alice.user_id)
        api.doc.getMedias(doc_id=served.store.scalar("SELECT MAX(doc_id) FROM docs"))
        request_token = api.auth.fetch_request_token(callback="http://127.0.0.1:1/cb")  # type: ignore[attr-defined]
    assert "oauth" in every_log.text
    secrets = [
        app.api_secret,
        access["oauth_token"],
        access["oauth_token_secret"],
        request_token["oauth_token"],
        request_token["oauth_token_secret"],
    ]
    assert_no_secret(every_log.text, secrets)


@pytest.fixture
def unsilenced_oauthlib() -> Iterator[None]:
    """oauthlib's loggers as they are before :func:`silence_credential_logs` (restored after)."""
    loggers = [logging.getLogger(name) for name in CHATTY_LOGGERS]
    filters = {logger: list(logger.filters) for logger in loggers}
    for logger in loggers:
        logger.filters = [f for f in logger.filters if not isinstance(f, _DropDebug)]
    yield
    for logger, kept in filters.items():
        logger.filters = kept


@pytest.mark.usefixtures("unsilenced_oauthlib")
def test_silencing_keeps_oauthlibs_quotes_of_a_token_step_out_of_the_logs(
    served: Sandbox, every_log: pytest.LogCaptureFixture
) -> None:
    app = served.add_app("Tool", auth="desktop")
    silence_credential_logs()
    options = {"url": served.api_url, "auth_url_base": served.authorize_url}
    with IpernityAPI(app.api_key, app.api_secret, auth=OAuthHandler, **options) as api:  # type: ignore[arg-type]
        request_token = api.auth.fetch_request_token()  # type: ignore[attr-defined]
    quoting = [r for r in every_log.records if r.name in CHATTY_LOGGERS]
    assert quoting == []
    assert_no_secret(every_log.text, [app.api_secret, request_token["oauth_token_secret"]])
