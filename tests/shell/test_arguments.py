"""The shell checks a call's arguments against the catalogue before calling."""

from __future__ import annotations

import json

from ipernity.sandbox import App, Sandbox, User

from .conftest import Shell


def calls_of(sandbox: Sandbox, app: App) -> list[str]:
    """The methods ``app`` called, as the sandbox received them."""
    return [c.method for c in sandbox.calls if c.params.get("api_key") == app.api_key]


def test_a_missing_required_parameter_fails_the_line_before_any_call(
    shell: Shell, sandbox: Sandbox
) -> None:
    result = shell.run(*shell.connected(), input="doc.get\n")
    assert result.status == 1
    assert result.err_lines == ["line 1: doc_id is required (id)"]
    assert calls_of(sandbox, shell.app) == []


def test_a_value_that_cannot_be_a_number_fails_the_line_before_any_call(
    shell: Shell, sandbox: Sandbox
) -> None:
    result = shell.run(*shell.connected(), input="doc.search text=sunset per_page=abc\n")
    assert result.err_lines == ["line 1: per_page must be a number, not 'abc'"]
    assert calls_of(sandbox, shell.app) == []


def test_every_wrong_argument_of_a_line_is_named_in_its_one_line(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="album.docs.getContext album_id=x next=all\n")
    assert result.err_lines == [
        "line 1: album_id must be an id (digits), not 'x'; doc_id is required (id); "
        "next must be a number, not 'all'"
    ]


def test_an_unknown_parameter_is_warned_of_with_the_closest_name_and_sent(
    shell: Shell, sandbox: Sandbox
) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=hi ecko=typo\n")
    assert result.status == 0
    assert result.err_lines == [
        "warning: test.echo has no parameter 'ecko' (did you mean echo?); it is sent as given"
    ]
    assert json.loads(result.out)["echo"] == "hi"
    [call] = [c for c in sandbox.calls if c.params.get("api_key") == shell.app.api_key]
    assert call.params["ecko"] == "typo"


def test_an_unknown_parameter_like_no_other_points_at_the_methods_help(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="doc.search bogus=1\n")
    assert result.err_lines == [
        "warning: doc.search has no parameter 'bogus'; it is sent as given; "
        "help doc.search lists its parameters"
    ]


def test_a_method_whose_parameters_are_not_catalogued_is_sent_as_typed(
    shell: Shell, sandbox: Sandbox
) -> None:
    shell.run(*shell.connected(), input="post.get post_id=1 anything=x\n")
    assert calls_of(sandbox, shell.app) == ["post.get"]


def test_leaving_user_id_to_a_missing_token_points_at_login_before_any_call(
    shell: Shell, sandbox: Sandbox
) -> None:
    result = shell.run(*shell.connected(), input="user.get\n")
    assert result.err_lines[0].startswith("line 1: user.get needs user_id=… or a token")
    assert calls_of(sandbox, shell.app) == []


def test_with_a_token_user_id_may_be_left_out(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    result = shell.run(*shell.connected(token), input="doc.getList per_page=1\n")
    assert result.status == 0, result.err
    assert "docs" in json.loads(result.out)


def test_walk_checks_its_arguments_as_a_call_does(shell: Shell, sandbox: Sandbox) -> None:
    result = shell.run(*shell.connected(), input="walk doc.search text=x per_page=many\n")
    assert result.err_lines == ["line 1: per_page must be a number, not 'many'"]
    assert calls_of(sandbox, shell.app) == []


def test_help_on_a_method_shows_each_parameters_kind_and_the_notes(shell: Shell) -> None:
    lines = shell.run(input="help doc.search\n").out.splitlines()
    assert any(line.split()[:2] == ["per_page", "integer"] for line in lines)
    assert any(line.split()[:2] == ["user_id", "id"] for line in lines)
    assert any(line.split()[:2] == ["lg", "text"] for line in lines)
    assert any(
        line.startswith("  note: You may not combine all search parameters") for line in lines
    )


def test_help_on_a_method_whose_parameters_are_not_catalogued_says_so(shell: Shell) -> None:
    lines = shell.run(input="help post.get\n").out.splitlines()
    assert lines[2] == "  parameters: the catalogue lists none; those given are sent as they are"
