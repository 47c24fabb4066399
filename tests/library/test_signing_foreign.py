"""Signing held against implementations that are not ours.

The sandbox checks signatures with the library's own function, so a mistake in
``ipernity.signing`` would be shared by both ends and pass unseen. Here the
signature is computed in the test from the rule written in PROTOCOL.md, and the
original PyIpernity 0.3.1 (from the package index, in a throwaway virtual
environment) calls the sandbox with a token.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import venv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import requests

from ipernity.sandbox import App, Sandbox, User
from ipernity.signing import signature

KEY = "6fa87ba500002712bd4eed6020f3bd72"
SECRET = "e9a599f0cf6ce193"
TOKEN = "12345-6789abcdef0123456789"

#: The original client's release, installed from the package index.
ORIGINAL_VERSION = "0.3.1"
CACHE = Path.home() / ".cache" / "flask-ipernity-tests"
#: Seconds to build the throwaway environment (pip from the index).
INSTALL_TIMEOUT = 300
#: Seconds the original client may take for its calls.
RUN_TIMEOUT = 60
HTTP_TIMEOUT = 10


def rule(params: Mapping[str, str], secret: str, method: str | None) -> str:
    """PROTOCOL.md's rule, written out: sorted name+value (no api_sig, no file),
    then the method name, then the secret; MD5 of its UTF-8 bytes, lowercase hex."""
    text = ""
    for name in sorted(params):
        if name not in ("api_sig", "file"):
            text += name + params[name]
    text += (method or "") + secret
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


# -- vectors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("doc.getPerms", {"api_key": KEY, "auth_token": TOKEN, "doc_id": "42"}),
        (
            "doc.set",
            {
                "api_key": KEY,
                "auth_token": TOKEN,
                "doc_id": "7",
                "title": "Été à Zürich – 東京 🌄",
            },
        ),
        (
            "upload.file",
            {"api_key": KEY, "auth_token": TOKEN, "title": "Tischdecke", "file": "a.jpg"},
        ),
        (None, {"api_key": KEY, "frob": "9-abc", "perm_doc": "write"}),
    ],
    ids=["token", "unicode", "file-part", "link"],
)
def test_the_signature_follows_the_written_rule(
    method: str | None, params: dict[str, str]
) -> None:
    assert signature(params, SECRET, method) == rule(params, SECRET, method)


def test_the_token_changes_the_signature() -> None:
    params = {"api_key": KEY, "doc_id": "42"}
    with_token = {**params, "auth_token": TOKEN}
    assert signature(with_token, SECRET, "doc.get") != signature(params, SECRET, "doc.get")
    # Written out by hand: auth_token sorts before doc_id.
    text = f"api_key{KEY}auth_token{TOKEN}doc_id42doc.get{SECRET}"
    expected = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
    assert signature(with_token, SECRET, "doc.get") == expected


# -- the sandbox accepts what the rule signs -------------------------------------


@pytest.fixture
def granted(sandbox: Sandbox, desktop_app: App, alice: User) -> dict[str, Any]:
    return sandbox.grant(alice, desktop_app, {"doc": "delete"})


def signed(app: App, token: str, method: str, **params: str) -> dict[str, str]:
    """Parameters of a call signed by the rule, not by the library."""
    full = {"api_key": app.api_key, "auth_token": token, **params}
    return {**full, "api_sig": rule(full, app.api_secret, method)}


def test_the_sandbox_accepts_a_token_call_signed_by_the_rule(
    sandbox: Sandbox, desktop_app: App, alice: User, granted: dict[str, Any]
) -> None:
    doc = sandbox.add_doc(alice, "Private", is_public=False)
    params = signed(desktop_app, granted["token"], "doc.getPerms", doc_id=str(doc.doc_id))
    answer = requests.get(f"{sandbox.api_url}doc.getPerms/json", params, timeout=HTTP_TIMEOUT)
    assert answer.json()["api"]["status"] == "ok", answer.text


def test_the_sandbox_refuses_a_token_call_signed_without_its_token(
    sandbox: Sandbox, desktop_app: App, alice: User, granted: dict[str, Any]
) -> None:
    doc = sandbox.add_doc(alice, "Private", is_public=False)
    unsigned = {"api_key": desktop_app.api_key, "doc_id": str(doc.doc_id)}
    params = {
        **unsigned,
        "auth_token": granted["token"],
        "api_sig": rule(unsigned, desktop_app.api_secret, "doc.getPerms"),
    }
    answer = requests.get(f"{sandbox.api_url}doc.getPerms/json", params, timeout=HTTP_TIMEOUT)
    assert answer.json()["api"]["code"] == "105"


def test_the_sandbox_accepts_unicode_values_signed_by_the_rule(
    sandbox: Sandbox, desktop_app: App, alice: User, granted: dict[str, Any]
) -> None:
    doc = sandbox.add_doc(alice, "Before")
    title = "Été à Zürich – 東京 🌄"
    params = signed(desktop_app, granted["token"], "doc.set", doc_id=str(doc.doc_id), title=title)
    answer = requests.post(f"{sandbox.api_url}doc.set/json", data=params, timeout=HTTP_TIMEOUT)
    assert answer.json()["api"]["status"] == "ok", answer.text
    assert sandbox.store.scalar("SELECT title FROM docs WHERE doc_id = ?", (doc.doc_id,)) == title


def test_the_sandbox_accepts_an_upload_whose_file_part_is_not_signed(
    sandbox: Sandbox, desktop_app: App, granted: dict[str, Any]
) -> None:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(picture, "JPEG")
    params = signed(desktop_app, granted["token"], "upload.file", title="Tischdecke")
    answer = requests.post(
        f"{sandbox.api_url}upload.file/json",
        data=params,
        files={"file": ("tischdecke.jpg", picture.getvalue(), "image/jpeg")},
        timeout=HTTP_TIMEOUT,
    )
    assert answer.json()["api"]["status"] == "ok", answer.text


# -- the original PyIpernity 0.3.1 -------------------------------------------------


def pip_install(env: Path) -> list[str | Path]:
    return [
        env / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]


@pytest.fixture(scope="session")
def original_python() -> Path:
    """The Python of a virtual environment holding PyIpernity 0.3.1, built once."""
    home = CACHE / f"pyipernity-{ORIGINAL_VERSION}"
    python = home / "bin" / "python"
    if python.exists():
        return python
    CACHE.mkdir(parents=True, exist_ok=True)
    building = CACHE / f"pyipernity-{ORIGINAL_VERSION}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    venv.create(building, with_pip=True, symlinks=True)
    install = subprocess.run(
        [*pip_install(building), f"PyIpernity=={ORIGINAL_VERSION}"],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    if install.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        pytest.fail(f"cannot install PyIpernity {ORIGINAL_VERSION}:\n{install.stderr[-2000:]}")
    # Renamed only when complete, so a broken build is never taken for a cached one.
    try:
        building.rename(home)
    except OSError:  # another session finished first
        shutil.rmtree(building, ignore_errors=True)
    return python


#: Run by the original client: a signed GET and a signed POST, both with a token.
ORIGINAL_SCRIPT = """
import json, sys
import ipernity
from ipernity import IpernityAPI

job = json.loads(sys.stdin.read())
assert ipernity.__file__.startswith(sys.prefix), ipernity.__file__
api = IpernityAPI(job["key"], job["secret"], job["token"], url=job["url"])
perms = api.doc.getPerms(doc_id=job["doc_id"])
api.doc.tags.add(doc_id=job["doc_id"], keywords=job["keyword"])
print(json.dumps({"perms": perms, "version": ipernity.__version__}))
"""


def test_the_original_pyipernity_calls_the_sandbox_with_a_token(
    sandbox: Sandbox,
    desktop_app: App,
    alice: User,
    granted: dict[str, Any],
    original_python: Path,
) -> None:
    doc = sandbox.add_doc(alice, "Private", is_public=False)
    job = {
        "key": desktop_app.api_key,
        "secret": desktop_app.api_secret,
        "token": granted["token"],
        "url": sandbox.api_url,
        "doc_id": str(doc.doc_id),
        "keyword": "Zürich東京",
    }
    # Outside this project's folder, so that nothing of ours can be imported.
    run = subprocess.run(
        [original_python, "-I", "-c", ORIGINAL_SCRIPT],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        cwd=original_python.parent,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout)
    assert result["version"] == ORIGINAL_VERSION
    assert result["perms"]["api"]["status"] == "ok"
    assert result["perms"]["visibility"]["ispublic"] == "0"
    tagged = sandbox.store.scalar(
        "SELECT COUNT(*) FROM doc_tags JOIN tags USING (tag_id) WHERE doc_id = ? AND keyword = ?",
        (doc.doc_id, "zürich東京"),
    )
    assert tagged == 1
