"""The ``backup`` command on a terminal (bars for documents and bytes) and in ``--sandbox``."""

from __future__ import annotations

import re
from pathlib import Path

from ipernity.sandbox import Sandbox, User

from .conftest import Shell, approve, small_world
from .test_terminal import COLOUR, StartTerminal


def test_backup_draws_document_and_byte_bars_then_the_summary(
    shell: Shell, terminal: StartTerminal, sandbox: Sandbox, alice: User, tmp_path: Path
) -> None:
    for n in range(3):
        sandbox.add_doc(alice, f"picture {n}")
    token = str(sandbox.grant(alice, shell.app, {"doc": "read"})["token"])
    term = terminal(*shell.connected(token))
    term.expect("ipernity> ")

    term.send(f"backup {tmp_path / 'b'}\n")
    shown = COLOUR.sub("", term.expect("ipernity> ", timeout=30))

    assert re.search(r"documents: +\d+%.*\d/3", shown)
    assert re.search(r"originals: +\d+%.*[kM]?B", shown)
    assert re.search(r"3 saved, 0 unchanged, 0 failed, 0 albums, [\d.]+ KB in", shown)


def test_sandbox_mode_backs_up_the_member_who_logged_in(shell: Shell, tmp_path: Path) -> None:
    # A small world: the demo's 180 camera-sized originals take half a minute to draw.
    world = tmp_path / "world.db"
    small_world(world)
    target = shell.home / "alice-backup"
    process = shell.start("--sandbox-db", str(world), input=f"login doc=read\nbackup {target}\n")
    [url] = shell.opened_urls(timeout=20)
    approve(url, username="alice")
    result = shell.finish(process)

    assert result.status == 0, result.err
    assert "3 saved, 0 unchanged, 0 failed" in result.out
    photos = [p for p in (target / "documents").rglob("*") if p.suffix == ".jpg"]
    assert len(photos) == 3


def test_without_tqdm_the_terminal_shows_a_status_line_then_the_summary(
    shell: Shell, terminal: StartTerminal, sandbox: Sandbox, alice: User, tmp_path: Path
) -> None:
    for n in range(3):
        sandbox.add_doc(alice, f"picture {n}")
    token = str(sandbox.grant(alice, shell.app, {"doc": "read"})["token"])
    hidden = tmp_path / "no-tqdm"
    hidden.mkdir()
    (hidden / "tqdm.py").write_text("raise ImportError('tqdm is not installed')\n")
    term = terminal(*shell.connected(token), env={"PYTHONPATH": str(hidden)})
    term.expect("ipernity> ")

    term.send(f"backup {tmp_path / 'b'}\n")
    shown = COLOUR.sub("", term.expect("ipernity> ", timeout=30))

    assert re.search(r"\r\x1b\[Kbackup: \d of 3 documents, [\d.]+ (bytes|[kKM]B) of ", shown)
    assert "documents: " not in shown  # no bar
    assert re.search(r"\r\x1b\[K[^\r]*3 saved, 0 unchanged, 0 failed", shown)
