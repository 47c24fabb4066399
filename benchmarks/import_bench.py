"""How long ``import ipernity`` takes in a fresh interpreter (issue 2: well under 100 ms)."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from report import Row

#: Fresh interpreters started; the median is judged.
ROUNDS = 15
#: Milliseconds the import may take.
TARGET_MS = 100.0

_PROBE = (
    "import time; started = time.perf_counter(); import ipernity; "
    "print((time.perf_counter() - started) * 1000)"
)


def import_time(python: str | Path) -> float:
    """Median milliseconds ``import ipernity`` takes for ``python``."""
    times = [
        float(
            subprocess.run(
                [str(python), "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60
            ).stdout
        )
        for _ in range(ROUNDS)
    ]
    return statistics.median(times)


def import_row(baseline_python: Path) -> Row:
    """The row: our import against PyIpernity's (which imports requests at once)."""
    ours = import_time(sys.executable)
    theirs = import_time(baseline_python)
    return Row(
        what="import ipernity (median of fresh interpreters)",
        ours=f"{ours:.0f} ms",
        baseline=f"{theirs:.0f} ms",
        result=f"{ours:.0f} ms",
        target=f"< {TARGET_MS:.0f} ms",
        passed=ours < TARGET_MS,
    )
