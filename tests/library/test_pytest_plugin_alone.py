"""The pytest plugin installed with the package must not break library-only projects."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: What a project that installs the library alone does not have.
EXTRAS = ("flask", "werkzeug", "PIL", "itsdangerous", "blinker")


def test_a_project_without_flask_or_the_sandbox_runs_its_tests(tmp_path: Path) -> None:
    # Modules that fail to import stand in for the missing extras.
    missing = tmp_path / "missing"
    missing.mkdir()
    for name in EXTRAS:
        (missing / f"{name}.py").write_text(f"raise ImportError('no module named {name}')\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_script.py").write_text(
        "import ipernity\n\ndef test_it_works():\n    assert ipernity.IpernityAPI\n"
    )
    env = {**os.environ, "PYTHONPATH": str(missing)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
