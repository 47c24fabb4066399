"""How the example site is configured: the environment, defaults, and the sandbox."""

from __future__ import annotations

import logging

import pytest

from example_app import create_app
from example_app.settings import ENVIRONMENT_KEYS, settings_from_environment

#: A key and secret the site accepts at startup (no call is made with them).
KEYS = {"IPERNITY_API_KEY": "0123456789abcdef", "IPERNITY_API_SECRET": "fedcba98"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting of the machine running the tests leaks into them."""
    for name in ENVIRONMENT_KEYS:
        monkeypatch.delenv(name, raising=False)


def test_the_environment_provides_the_key_the_secret_and_the_urls() -> None:
    environ = {
        "IPERNITY_API_KEY": "key",
        "IPERNITY_API_SECRET": "secret",
        "IPERNITY_API_URL": "http://127.0.0.1:8080/api/",
        "IPERNITY_AUTH_URL": "http://127.0.0.1:8080/apps/authorize",
        "SECRET_KEY": "s3cret",
        "HOME": "/root",
    }
    assert settings_from_environment(environ) == {
        name: value for name, value in environ.items() if name != "HOME"
    }


def test_the_environment_names_a_local_sandbox_for_the_media_proxy_as_a_list() -> None:
    environ = {"IPERNITY_MEDIA_LOCAL_HOSTS": "http://127.0.0.1:8080/, localhost:8081"}
    assert settings_from_environment(environ) == {
        "IPERNITY_MEDIA_LOCAL_HOSTS": ["http://127.0.0.1:8080/", "localhost:8081"]
    }


def test_empty_environment_variables_count_as_unset() -> None:
    assert settings_from_environment({"IPERNITY_API_KEY": "", "SECRET_KEY": ""}) == {}


def test_the_site_reads_its_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["IPERNITY_API_KEY"] == KEYS["IPERNITY_API_KEY"]


def test_settings_given_to_the_factory_override_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", "from the environment")
    app = create_app({**KEYS, "SECRET_KEY": "from the test"})
    assert app.config["SECRET_KEY"] == "from the test"


def test_without_a_secret_key_each_process_gets_a_random_one_and_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="example_app"):
        first, second = create_app(KEYS), create_app(KEYS)
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert "SECRET_KEY is not set" in caplog.text


def test_without_a_key_the_home_page_says_it_runs_on_the_sandbox_and_whom_to_sign_in_as() -> None:
    app = create_app({"SECRET_KEY": "x"})
    page = app.test_client().get("/").text
    assert "Running on the sandbox" in page
    assert "IPERNITY_API_KEY" in page
    from ipernity.sandbox import Sandbox
    from ipernity.sandbox.seed import seed_demo

    with Sandbox() as demo:
        members = seed_demo(demo).members
    assert members
    for member in members:
        assert f"<strong>{member.realname}</strong> ({member.username})" in page


def test_the_session_cookie_is_kept_off_other_sites_forms() -> None:
    answer = create_app({**KEYS, "SECRET_KEY": "x"}).test_client().get("/login")
    assert "SameSite=Lax" in answer.headers["Set-Cookie"]
