"""A site running PyIpernity 0.3.1 and Flask-Ipernity 0.1.0 upgrades with pip alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.run_once import made_once

from .conftest import Built, Venv, upgrade_from_the_originals

pytestmark = pytest.mark.timeout(600)

#: Files (from every distribution's RECORD) that more than one distribution claims.
SHARED_FILES = """
import collections, importlib.metadata as metadata, json
owners = collections.defaultdict(set)
for dist in metadata.distributions():
    for path in dist.files or ():
        owners[str(path)].add(dist.metadata["Name"])
print(json.dumps({path: sorted(names) for path, names in owners.items() if len(names) > 1}))
"""

#: Everything a site and a script import, with the versions they see.
IMPORTS = """
import json
import ipernity, ipernity.auth, ipernity.sandbox, ipernity.shell
import flask_ipernity, flask_ipernity.embedded
from ipernity.sandbox import Sandbox
print(json.dumps({
    "ipernity": [ipernity.__version__, list(ipernity.__version_tuple__), ipernity.__file__],
    "flask_ipernity": [flask_ipernity.__version__, flask_ipernity.__file__],
}))
"""

#: A site set up the new way, on the embedded sandbox: /login leads to a live sign-in page.
EMBEDDED_SITE = """
import requests
from flask import Flask
from flask_ipernity import Ipernity
from ipernity import IpernityAPI

app = Flask("site")
app.config["SECRET_KEY"] = "a packaging test"
ext = Ipernity(app)
answer = app.test_client().get("/login")
page = requests.get(answer.headers["Location"], timeout=30)
with app.app_context():
    sandbox = ext.sandbox
    client = IpernityAPI(sandbox.api_key, sandbox.api_secret, url=sandbox.api_url)
    echo = client.test.echo(echo="hi")["echo"]
print(answer.status_code, page.status_code, page.headers["Content-Type"].split(";")[0], echo)
"""


@pytest.fixture(scope="session")
def upgraded(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Venv:
    """One venv upgraded from the originals, for read-only checks (copy it to change it)."""

    def upgrade(folder: Path) -> None:
        upgrade_from_the_originals(Venv(folder / "venv"), built)

    return Venv(made_once(tmp_path_factory, "upgraded", upgrade) / "venv", create=False)


def test_the_upgrade_replaces_both_originals(upgraded: Venv) -> None:
    installed = upgraded.installed()
    assert installed["pyipernity"] == "1.1.0"
    assert installed["flask-ipernity"] == "1.1.0"


def test_pip_check_finds_nothing_after_the_upgrade(upgraded: Venv) -> None:
    completed = upgraded.run("-m", "pip", "check", check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_no_file_is_owned_by_two_distributions(upgraded: Venv) -> None:
    assert json.loads(upgraded.script(SHARED_FILES)) == {}


def test_everything_imports_after_the_upgrade(upgraded: Venv) -> None:
    seen = json.loads(upgraded.script(IMPORTS))
    assert seen["ipernity"][:2] == ["1.1.0", [1, 1, 0]]
    assert seen["flask_ipernity"][0] == "1.1.0"
    assert str(upgraded.path) in seen["ipernity"][2]
    assert str(upgraded.path) in seen["flask_ipernity"][1]


def test_the_embedded_sandbox_works_after_the_upgrade(upgraded: Venv) -> None:
    assert upgraded.script(EMBEDDED_SITE).split() == ["302", "200", "text/html", "hi"]


def test_the_shell_starts_after_the_upgrade(upgraded: Venv) -> None:
    completed = upgraded.run("-m", "ipernity", "--help")
    assert "usage" in completed.stdout.lower()


def test_uninstalling_the_extension_leaves_the_library_whole(
    upgraded: Venv, tmp_path: Path
) -> None:
    venv = upgraded.copy(tmp_path / "venv")
    venv.pip("uninstall", "--yes", "Flask-Ipernity")
    assert venv.script("import ipernity; print(ipernity.__version__)").strip() == "1.1.0"
