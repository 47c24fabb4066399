"""The benchmark's results: one :class:`Row` per figure, printed as a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table.

    :param what: what was measured.
    :param ours: Flask-Ipernity's figure, as text.
    :param baseline: PyIpernity's figure, or ``""`` when there is none.
    :param result: the ratio or figure the target judges, as text.
    :param target: the target, as text.
    :param passed: whether the target is met; ``None`` for a figure with no target.
    """

    what: str
    ours: str
    baseline: str
    result: str
    target: str
    passed: bool | None

    @property
    def verdict(self) -> str:
        """``PASS``, ``FAIL``, or ``info``."""
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FAIL"


HEADERS = ("what", "Flask-Ipernity", "PyIpernity 0.3.1", "result", "target", "")


def render(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (readable as it is in a terminal)."""
    cells = [HEADERS] + [
        (row.what, row.ours, row.baseline, row.result, row.target, row.verdict) for row in rows
    ]
    widths = [max(len(line[col]) for line in cells) for col in range(len(HEADERS))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(cells[0]), rule, *(line(values) for values in cells[1:])])


def ratio(value: float) -> str:
    """A ratio as text, e.g. ``1.42×``."""
    return f"{value:.2f}×" if value < 100 else f"{value:.0f}×"
