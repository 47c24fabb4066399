"""The edges of what ``next`` accepts: its length limit and its decoding depth."""

from __future__ import annotations

from flask_ipernity.redirects import MAX_NEXT_LENGTH, safe_next


def test_a_next_of_the_maximum_length_is_kept() -> None:
    value = "/" + "a" * (MAX_NEXT_LENGTH - 1)
    assert safe_next(value) == value


def test_a_next_one_character_too_long_is_refused() -> None:
    assert safe_next("/" + "a" * MAX_NEXT_LENGTH) == "/"


def test_a_next_that_leaves_the_site_after_three_decodings_is_refused() -> None:
    # "%25252F" is "/" after three rounds: "//evil.example" once decoded thrice.
    assert safe_next("/%25252Fevil.example") == "/"
