"""The edges of what ``next`` accepts: its length limit and its decoding depth."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from flask_ipernity.redirects import MAX_NEXT_LENGTH, safe_next


@pytest.fixture
def in_request(app: Flask) -> Iterator[None]:
    """A request to the site: ``next`` is judged against its routes."""
    with app.test_request_context("/"):
        yield


@pytest.mark.usefixtures("in_request")
def test_a_next_of_the_maximum_length_is_kept() -> None:
    value = "/" + "a" * (MAX_NEXT_LENGTH - 1)
    assert safe_next(value) == value


@pytest.mark.usefixtures("in_request")
def test_a_next_one_character_too_long_is_refused() -> None:
    assert safe_next("/" + "a" * MAX_NEXT_LENGTH) == "/"


@pytest.mark.usefixtures("in_request")
def test_a_next_that_leaves_the_site_after_three_decodings_is_refused() -> None:
    # "%25252F" is "/" after three rounds: "//evil.example" once decoded thrice.
    assert safe_next("/%25252Fevil.example") == "/"
