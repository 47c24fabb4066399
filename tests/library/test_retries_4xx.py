"""A permanent HTTP error (4xx but 429) is answered at once, never asked again.

Retrying it would only make the caller wait (three more tries over seconds)
and load the service with calls that cannot succeed.
"""

from __future__ import annotations

from typing import Any

import pytest

from ipernity import InvalidResponse, IpernityAPI
from ipernity.sandbox import App, Sandbox

#: Every try the client may make: the first and three retries.
TRIES = 4


def client(sandbox: Sandbox, app: App) -> IpernityAPI:
    return IpernityAPI(app.api_key, app.api_secret, url=sandbox.api_url, retries=TRIES - 1)


def sent(sandbox: Sandbox, method: str) -> int:
    return sum(1 for call in sandbox.calls if call.method == method)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 410, 413, 414, 451])
def test_a_4xx_answer_is_not_retried(sandbox: Sandbox, desktop_app: App, status: int) -> None:
    api = client(sandbox, desktop_app)
    sandbox.fail_next("test.echo", http_status=status, times=TRIES)
    before = sent(sandbox, "test.echo")
    with pytest.raises(InvalidResponse) as caught:
        api.test.echo(echo="once")
    assert caught.value.code == status
    assert sent(sandbox, "test.echo") == before + 1


def test_a_429_answer_is_retried(sandbox: Sandbox, desktop_app: App) -> None:
    api = client(sandbox, desktop_app)
    sandbox.fail_next("test.echo", http_status=429)
    before = sent(sandbox, "test.echo")
    answer: dict[str, Any] = api.test.echo(echo="again")
    assert answer["echo"] == "again"
    assert sent(sandbox, "test.echo") == before + 2
