"""Fixtures for running the documentation's examples against a sandbox."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ipernity.sandbox import Sandbox
from tests.run_once import made_once

from .snippets import DOCS, Snippet, python_snippets
from .world import Member, World, build_world, jpeg, rerouted

RunPage = Callable[..., dict[str, Any]]


def build_docs(out: Path) -> None:
    """Build the documentation into ``out`` as ``make docs`` does: ``xml/``, then ``html/``.

    Both builders share one read of the sources (``doctrees/``), and both fail
    on any warning, as ``make docs`` does.
    """
    for builder, extra in (("xml", ["-E"]), ("html", [])):
        built = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", builder, "-W", "--keep-going", "-q",
             *extra, "-d", str(out / "doctrees"), str(DOCS), str(out / builder)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )  # fmt: skip
        if built.returncode != 0:
            pytest.fail(f"sphinx-build -b {builder} failed:\n{built.stderr[-4000:]}")


@pytest.fixture(scope="session")
def built_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation built once for the whole run: ``xml/`` and ``html/`` folders."""
    return made_once(tmp_path_factory, "docs", build_docs)


@pytest.fixture(scope="session")
def rendered(built_docs: Path) -> Path:
    """The documentation built with Sphinx's XML builder: one XML document per page."""
    return built_docs / "xml"


@pytest.fixture
def world() -> Iterator[World]:
    """A served sandbox with the documentation's members, photos and applications.

    A new one for each test: what alice granted in one must not change another.
    """
    sandbox = Sandbox(upload_delay=0.1)
    with sandbox.serve(port=0):
        built = build_world(sandbox)
        with rerouted(built):
            yield built
    sandbox.close()


@pytest.fixture
def alice_at_browser(world: World) -> Member:
    """alice at a browser: she approves whatever she is asked."""
    return Member(world, world.alice)


@pytest.fixture
def reader_setup(
    world: World,
    alice_at_browser: Member,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """What a reader has before running an example: keys, a token, a photo, a browser.

    Returns the names the examples take as given.
    """
    (tmp_path / "sunset.jpg").write_bytes(jpeg())
    monkeypatch.chdir(tmp_path)
    # Examples saved as files (mysite.py) are imported by later ones.
    monkeypatch.syspath_prepend(str(tmp_path))
    # The browser the desktop example opens is alice's; she approves at once,
    # so pressing Enter afterwards finds the approval done.
    monkeypatch.setattr(webbrowser, "open_new", alice_at_browser.approve)
    monkeypatch.setattr(builtins, "input", lambda prompt="": "")
    # A fresh machine: nothing the examples read from the environment is set.
    for name in list(os.environ):
        if name == "SECRET_KEY" or name.startswith(("IPERNITY_", "FLASK_")):
            monkeypatch.delenv(name)
    return {
        "api_key": world.desktop.api_key,
        "api_secret": world.desktop.api_secret,
        "token": world.token,
        "web_key": world.web.api_key,
        "web_secret": world.web.api_secret,
    }


@pytest.fixture
def keys_in_environment(
    reader_setup: dict[str, Any], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader who registered the web application and put its keys in the environment."""
    monkeypatch.setenv("SECRET_KEY", "docs secret")
    monkeypatch.setenv("IPERNITY_API_KEY", world.web.api_key)
    monkeypatch.setenv("IPERNITY_API_SECRET", world.web.api_secret)


def run_test_module(snippet: Snippet) -> None:
    """Run a test module of the docs with pytest, as its reader would; fail if it fails."""
    assert snippet.filename is not None
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", snippet.filename],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{snippet}: pytest {snippet.filename} failed:\n{result.stdout}{result.stderr}"
        )


@pytest.fixture
def run_page(reader_setup: dict[str, Any]) -> RunPage:
    """Run every Python example of a page in order, in one namespace; return it.

    An example captioned with a file name is also saved under that name, in the
    current directory, so that later examples can import it; a test module
    (``test_*.py``) is run with pytest instead, when ``test_modules`` is true
    (the test that every example runs; the others look at what the page's
    code does and leave its test modules alone). A failure points at the
    example's line in the page.
    """

    def run(page: Path, *, test_modules: bool = False) -> dict[str, Any]:
        namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}", **reader_setup}
        for snippet in python_snippets(page):
            if snippet.filename:
                Path(snippet.filename).write_text(snippet.code, encoding="utf-8")
            if snippet.filename and snippet.filename.startswith("test_"):
                if test_modules:
                    run_test_module(snippet)
                continue
            # Padding makes tracebacks give the line number in the page itself.
            source = "\n" * (snippet.line - 1) + snippet.code
            exec(compile(source, str(snippet.path), "exec"), namespace)  # noqa: S102
        return namespace

    return run
