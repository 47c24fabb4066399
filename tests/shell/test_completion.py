"""What tab offers, word by word (the terminal tests show it reaches readline)."""

from __future__ import annotations

import pytest

from ipernity import catalogue
from ipernity.shell.commands import COMMANDS
from ipernity.shell.completion import candidates, holds_secret


def complete(line: str) -> list[str]:
    """Complete the last word of ``line``, as readline would ask."""
    begidx = len(line) - len(line.split(" ")[-1])
    return candidates(line, begidx, line[begidx:])


def test_the_first_word_offers_commands_and_methods() -> None:
    assert complete("wh") == ["whoami "]
    assert complete("test.") == ["test.echo ", "test.hello "]
    assert len(complete("")) == len(catalogue.names()) + len(COMMANDS)


def test_a_method_offers_its_parameters_but_not_api_key() -> None:
    assert complete("doc.get ") == ["doc_id=", "extra="]


def test_parameters_already_given_are_not_offered_again() -> None:
    assert complete("doc.get doc_id=1 ") == ["extra="]


def test_walk_offers_paged_methods_then_their_parameters() -> None:
    assert "doc.getList " in complete("walk doc.")
    assert complete("walk doc.getList per") == ["per_page="]


def test_help_offers_commands_and_methods() -> None:
    assert complete("help lo") == ["login ", "logout "]
    assert complete("help test.h") == ["test.hello "]


def test_methods_offers_prefixes() -> None:
    assert complete("methods al") == ["album"]


def test_login_offers_targets_then_levels() -> None:
    assert complete("login ") == ["blog=", "doc=", "network=", "post=", "profile="]
    assert complete("login doc=w") == ["doc=write "]
    assert complete("login doc=read n") == ["network="]


def test_whoami_offers_its_option() -> None:
    assert complete("whoami -") == ["--token "]


def test_an_unknown_method_offers_nothing() -> None:
    assert complete("nosuch.method ") == []


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("auth.checkToken auth_token=abc", True),
        ("auth.getToken frob=abc", True),
        ("test.echo echo=token", False),
        ("test.echo mytoken=1", False),
        ("doc.get doc_id=1", False),
    ],
)
def test_lines_passing_credentials_are_recognised(line: str, secret: bool) -> None:
    assert holds_secret(line) is secret
