"""Flask-Ipernity 0.1's names say so where the site's author sees it.

Python hides a :class:`DeprecationWarning` raised outside ``__main__``, so
under ``flask run`` or a WSGI server the warnings alone say nothing: each 0.1
name is also logged once per application on ``app.logger``. The warnings
point at the site's own line, and at the template's file and line when a
template uses the name.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, render_template, url_for
from jinja2 import FileSystemLoader
from sites import build_old_site

from flask_ipernity import ipernity, ipernity_auth_required
from flask_ipernity.compat import deprecation
from ipernity.sandbox import App, Sandbox

OldSite = Callable[..., Flask]


@pytest.fixture
def old_site(sandbox: Sandbox, web_app: App) -> OldSite:
    """Build a site configured as for Flask-Ipernity 0.1 (its warnings swallowed)."""

    def build(**config: Any) -> Flask:
        return build_old_site(sandbox, web_app, **config)

    return build


def lines_naming(caplog: pytest.LogCaptureFixture, site: Flask, name: str) -> list[str]:
    """The WARNING lines of the site's logger that name ``name``."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == site.logger.name
        and record.levelno == logging.WARNING
        and name in record.getMessage()
    ]


# -- one log line per name ----------------------------------------------------------------


def test_each_0_1_setting_gets_one_line_on_the_sites_logger_at_set_up(
    old_site: OldSite, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        site = old_site(IPERNITY_CACHE_MAX_AGE=60)
        site.test_client().get("/")
    assert lines_naming(caplog, site, "IPERNITY_APP_KEY") == [
        "IPERNITY_APP_KEY is Flask-Ipernity 0.1's setting; use IPERNITY_API_KEY"
    ]
    assert len(lines_naming(caplog, site, "IPERNITY_APP_SECRET")) == 1
    assert len(lines_naming(caplog, site, "IPERNITY_CACHE_MAX_AGE")) == 1


def test_a_0_1_name_used_in_requests_gets_one_line_however_often_it_is_used(
    old_site: OldSite, caplog: pytest.LogCaptureFixture
) -> None:
    site = old_site()

    @site.route("/token")
    def token() -> Any:
        return {"token": ipernity.session_get("token")}

    client = site.test_client()
    with caplog.at_level(logging.WARNING), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for _ in range(3):
            client.get("/token")
    assert lines_naming(caplog, site, "session_get()") == [
        "session_get() is Flask-Ipernity 0.1's name; "
        "use flask.session, or current_extension().token"
    ]


def test_a_0_1_decorator_applied_before_the_site_is_set_up_is_logged_at_set_up(
    old_site: OldSite, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.warns(DeprecationWarning, match="ipernity_auth_required"):

        @ipernity_auth_required({"doc": "read"})
        def albums() -> str:
            return "albums"

    with caplog.at_level(logging.WARNING):
        site = old_site()
    assert len(lines_naming(caplog, site, "ipernity_auth_required")) == 1


def test_a_0_1_decorator_applied_after_set_up_is_logged_at_the_first_request(
    old_site: OldSite, caplog: pytest.LogCaptureFixture
) -> None:
    site = old_site()
    with pytest.warns(DeprecationWarning, match="ipernity_auth_required"):

        @site.route("/albums")
        @ipernity_auth_required({"doc": "read"})
        def albums() -> str:
            return "albums"

    with caplog.at_level(logging.WARNING):
        site.test_client().get("/albums")
        site.test_client().get("/albums")
    assert len(lines_naming(caplog, site, "ipernity_auth_required")) == 1


def test_under_a_server_the_0_1_names_show_in_the_log(tmp_path: Path) -> None:
    # As under `flask run`: the site is a module of its own, not __main__, and
    # nobody changed the warning filters.
    (tmp_path / "oldsite.py").write_text(
        textwrap.dedent(
            """
            from flask import Flask
            from flask_ipernity import Ipernity, ipernity_auth_required

            app = Flask("oldsite")
            app.config.update(SECRET_KEY="s", IPERNITY_APP_KEY="k", IPERNITY_APP_SECRET="s")
            Ipernity(app)

            @app.route("/albums")
            @ipernity_auth_required({"doc": "read"})
            def albums():
                return "albums"
            """
        ),
        encoding="utf-8",
    )
    serve = "import oldsite; oldsite.app.test_client().get('/albums')"
    done = subprocess.run(
        [sys.executable, "-c", serve],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "DeprecationWarning" not in done.stderr
    assert "IPERNITY_APP_KEY is Flask-Ipernity 0.1's setting" in done.stderr
    assert "ipernity_auth_required is Flask-Ipernity 0.1's name" in done.stderr


# -- once per place ------------------------------------------------------------------------


def deprecations_naming(caught: list[warnings.WarningMessage], name: str) -> list[str]:
    """The messages of the DeprecationWarnings in ``caught`` that name ``name``."""
    return [
        str(w.message)
        for w in caught
        if issubclass(w.category, DeprecationWarning) and name in str(w.message)
    ]


def test_a_0_1_name_used_at_every_request_warns_at_its_first_use_and_logs_once(
    old_site: OldSite, caplog: pytest.LogCaptureFixture
) -> None:
    site = old_site()

    @site.route("/token")
    def token() -> Any:
        return {"token": ipernity.session_get("token")}

    client = site.test_client()
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            client.get("/token")
    assert len(deprecations_naming(caught, "session_get()")) == 1
    assert len(lines_naming(caplog, site, "session_get()")) == 1


def test_the_same_place_warns_again_under_new_warning_filters(old_site: OldSite) -> None:
    site = old_site()

    @site.route("/token")
    def token() -> Any:
        return {"token": ipernity.session_get("token")}

    client = site.test_client()
    for _ in range(2):
        with pytest.warns(DeprecationWarning, match="session_get"):
            client.get("/token")


def test_the_same_place_warns_again_when_the_filters_change_in_place(
    old_site: OldSite,
) -> None:
    site = old_site()

    @site.route("/token")
    def token() -> Any:
        return {"token": ipernity.session_get("token")}

    client = site.test_client()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        client.get("/token")
        warnings.simplefilter("always")
        client.get("/token")
    assert len(deprecations_naming(caught, "session_get()")) == 1


def test_places_are_remembered_up_to_a_bound_past_which_they_warn_again(
    old_site: OldSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Templates compiled at run time are new places each time: memory must not grow.
    monkeypatch.setattr(deprecation, "MAX_CALL_SITES", 2)
    site = old_site()
    with site.test_request_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = lambda: ipernity.session_get("a")  # noqa: E731
        second = lambda: ipernity.session_get("b")  # noqa: E731
        third = lambda: ipernity.session_get("c")  # noqa: E731
        for place in (first, second, third, first):
            place()
    assert len(deprecations_naming(caught, "session_get()")) == 4


# -- url_for with 0.1's endpoints ---------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "new"),
    [
        ("ip_callback.ipernity_callback", "ipernity.callback"),
        ("ip_login.login", "ipernity.login"),
        ("ip_login.logout", "ipernity.logout"),
    ],
)
def test_url_for_a_0_1_endpoint_warns_at_the_sites_line(
    old_site: OldSite, endpoint: str, new: str
) -> None:
    site = old_site(IPERNITY_LOGIN=True)
    with site.test_request_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        url_for(endpoint)
    [warning] = caught
    assert str(warning.message) == (
        f"url_for({endpoint!r}) is Flask-Ipernity 0.1's name; use url_for({new!r})"
    )
    assert warning.filename == __file__


def test_flask_login_sending_visitors_to_the_0_1_login_view_does_not_warn(
    old_site: OldSite,
) -> None:
    from flask_login import login_required

    site = old_site(IPERNITY_LOGIN=True)

    @site.route("/restricted")
    @login_required
    def restricted() -> str:
        return "restricted"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        answer = site.test_client().get("/restricted")
    assert answer.headers["Location"].startswith("/ipernity/login?")


# -- templates ----------------------------------------------------------------------------

PAGE = """<!doctype html>
<p>Hello</p>
<p>{{ ipernity.session_get('token', 'nobody') }}</p>
<a href="{{ url_for('ip_login.login') }}">log in</a>
"""


def test_a_warning_raised_in_a_template_names_its_file_and_line(
    old_site: OldSite, tmp_path: Path
) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    site = old_site(IPERNITY_LOGIN=True)
    site.jinja_loader = FileSystemLoader(str(tmp_path))
    with site.test_request_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_template("page.html")
    where = {str(w.message).split(" is ")[0]: (w.filename, w.lineno) for w in caught}
    page = str(tmp_path / "page.html")
    assert where == {"session_get()": (page, 3), "url_for('ip_login.login')": (page, 4)}
