"""Each distribution alone in a fresh venv, as a new user installs it."""

from __future__ import annotations

import json

import pytest

from ipernity import IpernityAPI
from ipernity.sandbox import Sandbox

from .conftest import Built, Venv
from .test_upgrade import EMBEDDED_SITE

pytestmark = pytest.mark.timeout(600)


#: Which optional dependencies a bare install of the library pulled in.
ABSENT = """
import importlib.util, json
print(json.dumps({name: importlib.util.find_spec(name) is None
                  for name in ("flask", "werkzeug", "PIL", "tqdm", "oauthlib")}))
"""


def test_the_library_alone_installs_without_flask(library_alone: Venv) -> None:
    venv = library_alone
    absent = json.loads(venv.script(ABSENT))
    assert absent == dict.fromkeys(("flask", "werkzeug", "PIL", "tqdm", "oauthlib"), True)
    assert set(venv.installed()) >= {"pyipernity", "requests"}
    assert "flask" not in venv.installed()


def test_the_library_alone_calls_a_served_sandbox(library_alone: Venv) -> None:
    venv = library_alone
    sandbox = Sandbox()
    tool = sandbox.add_app("Packaging test", auth="desktop")
    alice = sandbox.add_user("alice", realname="Alice")
    token = sandbox.grant(alice, tool, {"doc": "read"})
    with sandbox.serve(port=0):
        code = (
            "from ipernity import IpernityAPI\n"
            f"api = IpernityAPI({tool.api_key!r}, {tool.api_secret!r}, {token!r},"
            f" url={sandbox.api_url!r})\n"
            "print(api.user.get()['user']['username'])\n"
        )
        assert venv.script(code).strip() == "alice"
    assert IpernityAPI  # the same client, imported here, is what the sandbox's tests use


def test_the_library_alone_says_which_extra_the_sandbox_needs(library_alone: Venv) -> None:
    venv = library_alone
    completed = venv.run("-c", "import ipernity.sandbox", check=False)
    assert completed.returncode != 0
    assert "PyIpernity[sandbox]" in completed.stderr


def test_the_library_alone_runs_its_shell(library_alone: Venv) -> None:
    venv = library_alone
    assert "usage" in venv.run("-m", "ipernity", "--help").stdout.lower()


def test_the_extension_alone_brings_flask_and_a_working_embedded_sandbox(
    venv: Venv, built: Built
) -> None:
    # PyIpernity 1.1.0 comes from the built folder, the rest from the package index.
    venv.pip("install", "--find-links", str(built.folder), str(built.wheel("Flask-Ipernity")))
    installed = venv.installed()
    assert {"flask", "pyipernity", "pillow", "werkzeug"} <= set(installed)
    assert "flask-login" not in installed
    assert venv.script(EMBEDDED_SITE).split() == ["302", "200", "text/html", "hi"]
