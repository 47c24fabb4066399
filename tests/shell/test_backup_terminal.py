"""The ``backup`` command on a terminal: bars for documents and bytes, then the summary."""

from __future__ import annotations

import re
from pathlib import Path

from ipernity.sandbox import Sandbox, User

from .conftest import Shell
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
