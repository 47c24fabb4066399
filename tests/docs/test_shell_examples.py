"""The shell sessions the README and the docs show work on the shell's own sandbox.

Each ``ipernity>`` line of a page's examples is piped into ``python -m ipernity
--sandbox``, which must run them all successfully. ``login`` and ``whoami`` are
left out: they need a member approving the login in a browser, which the
shell's own tests drive.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .snippets import DOCS, README, snippets

PROMPT = "ipernity> "
#: Commands that wait for a member to approve a login in a browser.
NEEDS_A_MEMBER = ("login", "whoami")


def shell_lines(page: Path) -> list[str]:
    """The commands typed at the shell's prompt in a page's examples."""
    return [
        line.strip()[len(PROMPT) :]
        for snippet in snippets(page)
        for line in snippet.code.splitlines()
        if line.strip().startswith(PROMPT)
    ]


@pytest.mark.parametrize("page", [README, DOCS / "shell.rst"], ids=lambda page: page.name)
def test_the_shell_commands_of_the_page_run_on_the_sandbox(page: Path) -> None:
    commands = [line for line in shell_lines(page) if not line.startswith(NEEDS_A_MEMBER)]
    assert commands
    result = subprocess.run(
        [sys.executable, "-m", "ipernity", "--sandbox", "--no-color"],
        input="\n".join(commands) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout
