"""Fixtures shared by every test suite: one running sandbox, fresh records per test.

- ``sandbox``: a :class:`~ipernity.sandbox.Sandbox` serving over HTTP on a free
  port for the whole session. Tests share it, so each one creates what it needs
  with the fixtures below (unique names) and never counts on what others left.
- ``web_app``, ``desktop_app``: newly registered applications.
- ``alice``, ``bob``: newly added members (realnames "Alice" and "Bob").

Faults left queued by a test, and any added latency, are cleared after it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from ipernity.sandbox import App, Sandbox, User

_serial = itertools.count(1)


def unique(name: str) -> str:
    """``name`` made unique within the session (usernames and app names)."""
    return f"{name}{next(_serial)}"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The session's sandbox, serving on 127.0.0.1 (its URLs: ``sandbox.api_url``…)."""
    sb = Sandbox()
    with sb.serve(port=0):
        yield sb
    sb.close()


@pytest.fixture(autouse=True)
def _calm_sandbox(request: pytest.FixtureRequest) -> Iterator[None]:
    # Only for tests that use the shared sandbox: a fault one test queued but did
    # not use must not hit the next test.
    yield
    if "sandbox" in request.fixturenames:
        sb: Sandbox = request.getfixturevalue("sandbox")
        sb.faults.clear()
        sb.latency = 0.0


@pytest.fixture
def web_app(sandbox: Sandbox) -> App:
    """A web application whose callback is on a port nothing listens on."""
    return sandbox.add_app(unique("Web site "), auth="web", callback="http://127.0.0.1:9/callback")


@pytest.fixture
def desktop_app(sandbox: Sandbox) -> App:
    """A desktop application."""
    return sandbox.add_app(unique("Desktop tool "), auth="desktop")


@pytest.fixture
def alice(sandbox: Sandbox) -> User:
    """A new member, realname "Alice"."""
    return sandbox.add_user(unique("alice"), realname="Alice")


@pytest.fixture
def bob(sandbox: Sandbox) -> User:
    """Another new member, realname "Bob"."""
    return sandbox.add_user(unique("bob"), realname="Bob")
