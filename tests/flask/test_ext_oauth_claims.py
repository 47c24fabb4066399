"""The record of request tokens in one process: each spent by its first callback."""

from __future__ import annotations

import time

import pytest

from flask_ipernity.oauth_claims import Claim, LocalRequestTokenClaims, TooManyLogins


def test_the_first_callback_spends_the_token_for_every_later_one() -> None:
    claims = LocalRequestTokenClaims(ttl=60)
    claims.issue("request-token")
    assert claims.claim("request-token") is Claim.FIRST
    assert claims.claim("request-token") is Claim.SPENT


def test_a_token_this_process_never_obtained_is_unknown_and_costs_no_record() -> None:
    claims = LocalRequestTokenClaims(ttl=60)
    for number in range(100):
        assert claims.claim(f"made-up-{number}") is Claim.UNKNOWN
    assert len(claims) == 0


def test_a_record_is_forgotten_after_its_time() -> None:
    claims = LocalRequestTokenClaims(ttl=0.05)
    claims.issue("request-token")
    deadline = time.monotonic() + 5
    while len(claims) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert claims.claim("request-token") is Claim.UNKNOWN


def test_a_full_store_refuses_a_new_login_rather_than_forget_a_live_one() -> None:
    claims = LocalRequestTokenClaims(ttl=60, max_records=2)
    claims.issue("first")
    claims.issue("second")
    with pytest.raises(TooManyLogins):
        claims.issue("third")
    assert claims.claim("first") is Claim.FIRST


def test_the_record_keeps_no_usable_request_token() -> None:
    claims = LocalRequestTokenClaims(ttl=60)
    claims.issue("request-token")
    assert "request-token" not in repr(vars(claims))


def test_a_time_to_live_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="ttl"):
        LocalRequestTokenClaims(ttl=0)
