"""A member with documents, albums and a group on the session's sandbox, a client
with their token, and ways to run the backup: as a function and as the shell.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ipernity import IpernityAPI
from ipernity.sandbox import Album, App, Doc, Sandbox, User, media

#: Seconds a shell run may take before the test fails.
RUN_TIMEOUT = 60.0


@dataclass
class Library:
    """A member's documents and albums, as the sandbox made them."""

    member: User
    app: App
    token: dict[str, Any]
    docs: list[Doc]
    holidays: Album
    empty: Album


@pytest.fixture
def library(sandbox: Sandbox, desktop_app: App, alice: User) -> Library:
    """Four documents of Alice: tags, a note, a place, two in an album, one in a group."""
    docs = [
        sandbox.add_doc(
            alice,
            "Sunset at sea",
            description="Red sky",
            tags=["sunset", "sea"],
            lat=43.3,
            lng=5.4,
            taken="2021-07-14 21:30:00",
        ),
        sandbox.add_doc(alice, "Harbour", taken="2021-07-15 09:00:00", license=9),
        sandbox.add_doc(alice, "Private cat", is_public=False, taken="2022-01-02 12:00:00"),
        sandbox.add_doc(alice, "Notes: a/b?", taken="2023-03-04 05:06:07"),
    ]
    sandbox.add_group(unique_title(sandbox, "Seascapes"), members=[alice], docs=[docs[0]])
    holidays = sandbox.add_album(
        alice, "Holidays", docs=[docs[1], docs[0]], description="Summer 2021"
    )
    empty = sandbox.add_album(alice, "Empty for now")
    token = sandbox.grant(alice, desktop_app, {"doc": "delete"})
    with client(sandbox, desktop_app, token) as api:
        api.doc.notes.add(doc_id=docs[0].doc_id, x=10, y=10, w=40, h=40, content="the sun")
    return Library(alice, desktop_app, token, docs, holidays, empty)


def unique_title(sandbox: Sandbox, title: str) -> str:
    """A group title not used yet in the shared sandbox."""
    count = sandbox.store.scalar("SELECT COUNT(*) FROM groups")
    return f"{title} {count}"


def client(sandbox: Sandbox, app: App, token: Any) -> IpernityAPI:
    """A client of the sandbox (use it with ``with``)."""
    return IpernityAPI(
        app.api_key,
        app.api_secret,
        token,
        url=sandbox.api_url,
        auth_url_base=sandbox.authorize_url,
    )


@pytest.fixture
def api(sandbox: Sandbox, library: Library) -> Iterator[IpernityAPI]:
    """Alice's client, allowed to read and change her documents."""
    with client(sandbox, library.app, library.token) as api:
        yield api


@pytest.fixture(autouse=True)
def _no_media_latency(sandbox: Sandbox) -> Iterator[None]:
    yield
    sandbox.settings.media_latency = 0.0


def sandbox_md5(sandbox: Sandbox, doc: Doc) -> str:
    """The md5 of a document's file, as the sandbox serves it (a demo picture drawn)."""
    row = sandbox.store.one("SELECT * FROM docs WHERE doc_id = ?", (doc.doc_id,))
    assert row is not None
    data = media.original(sandbox.store, row)
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def file_md5(path: Path) -> str:
    """The md5 of a file on disk."""
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def manifest(directory: Path) -> dict[str, Any]:
    """The backup's manifest."""
    data: dict[str, Any] = json.loads((directory / "manifest.json").read_text("utf-8"))
    return data


def saved(directory: Path, doc: Doc) -> tuple[Path, dict[str, Any]]:
    """A document's original and its metadata, found through the manifest."""
    state = manifest(directory)["documents"][str(doc.doc_id)]
    original = directory / state["file"]
    return original, json.loads((directory / state["metadata"]).read_text("utf-8"))


def originals(directory: Path) -> list[Path]:
    """Every file under ``documents/`` that is not metadata."""
    return sorted(
        p for p in (directory / "documents").rglob("*") if p.is_file() and p.suffix != ".json"
    )


@dataclass
class ShellRun:
    """What ``python -m ipernity … backup`` did."""

    status: int
    out: str
    err: str


def shell_command(sandbox: Sandbox, library: Library, *words: str) -> list[str]:
    """The command line running the shell, connected as Alice, with ``words``."""
    return [
        sys.executable,
        "-m",
        "ipernity",
        "--url",
        sandbox.api_url,
        "-k",
        library.app.api_key,
        "-s",
        library.app.api_secret,
        "-t",
        str(library.token["token"]),
        *words,
    ]


def shell_environment(home: Path) -> dict[str, str]:
    """This process's environment, with ``home`` and nothing steering the shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPERNITY_")}
    env["HOME"] = str(home)
    return env


def run_shell(sandbox: Sandbox, library: Library, home: Path, *words: str) -> ShellRun:
    """Run the shell once with ``words`` and wait for it."""
    done = subprocess.run(
        shell_command(sandbox, library, *words),
        capture_output=True,
        text=True,
        env=shell_environment(home),
        cwd=home,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return ShellRun(done.returncode, done.stdout, done.stderr)
