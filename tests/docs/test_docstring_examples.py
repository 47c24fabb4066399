"""The ``>>>`` examples the API reference shows from the docstrings run.

They are run as a reader would type them, line after line in one namespace,
including lines their authors marked ``+SKIP`` for plain doctest (those need a
running service: here the sandbox stands in for it). Their printed output is
not compared: the examples show calls, not answers.
"""

from __future__ import annotations

import doctest
from pathlib import Path
from typing import Any

import pytest

from ipernity import IpernityAPI
from ipernity.sandbox import Sandbox

from .test_coverage import rendered_doctests


def test_the_api_reference_shows_docstring_examples(rendered: Path) -> None:
    assert rendered_doctests(rendered)


def test_every_docstring_example_of_the_api_reference_runs(
    rendered: Path, reader_setup: dict[str, Any]
) -> None:
    parser = doctest.DocTestParser()
    for text in rendered_doctests(rendered):
        # The names the docstrings' modules provide, as doctest's globals would.
        namespace: dict[str, Any] = {
            **reader_setup,
            "IpernityAPI": IpernityAPI,
            "Sandbox": Sandbox,
        }
        for example in parser.get_examples(text):
            try:
                exec(example.source, namespace)  # noqa: S102
            except Exception as error:
                pytest.fail(f"{example.source.strip()!r} of\n{text}\nraised {error!r}")
