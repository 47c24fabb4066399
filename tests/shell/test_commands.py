"""Each command of the shell, run from a pipe against the sandbox."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from ipernity import catalogue
from ipernity.api import DEFAULT_URL
from ipernity.sandbox import Sandbox, User

from .conftest import Shell

# -- calling methods ------------------------------------------------------------


def test_a_method_call_prints_the_whole_answer_as_indented_json(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=hi\n")
    answer = json.loads(result.out)
    assert answer["api"]["status"] == "ok"
    assert answer["echo"] == "hi"
    assert result.out == json.dumps(answer, indent=2, ensure_ascii=False) + "\n"


def test_quoted_values_keep_their_spaces(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input='test.echo echo="value with spaces"\n')
    assert json.loads(result.out)["echo"] == "value with spaces"


def test_values_may_contain_equals_signs(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=a=b==c\n")
    assert json.loads(result.out)["echo"] == "a=b==c"


def test_values_may_be_empty(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="test.echo echo=\n")
    assert json.loads(result.out)["echo"] == ""


def test_calls_carry_the_token(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    result = shell.run(*shell.connected(token), input="user.get\n")
    assert json.loads(result.out)["user"]["username"] == alice.username


def test_an_api_error_is_one_line_naming_code_and_method(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="user.get user_id=999999999\n")
    assert result.status == 1
    assert result.err_lines == ["line 1: Error 1 from user.get: User not found"]


# -- help and methods -------------------------------------------------------------


def test_help_lists_every_command(shell: Shell) -> None:
    result = shell.run(input="help\n")
    assert result.status == 0
    commands = ("help", "methods", "login", "whoami", "logout", "save", "walk", "clear", "exit")
    for command in commands:
        assert f"\n  {command}" in result.out
    assert "method.name [param=value" in result.out


def test_help_on_a_method_shows_parameters_permissions_signing_and_http_method(
    shell: Shell,
) -> None:
    method = catalogue.get("doc.get")
    assert method is not None
    result = shell.run(input="help doc.get\n")
    lines = result.out.splitlines()
    assert lines[0] == f"doc.get: {method.title}"
    assert lines[1] == "  GET, not signed, no token needed, permissions: doc=read"
    assert any(line.split()[:2] == ["*", "doc_id"] for line in lines)
    assert any(line.split()[:1] == ["extra"] for line in lines)
    assert "api_key" not in result.out


def test_help_on_a_post_method_that_needs_a_signed_token(shell: Shell) -> None:
    method = catalogue.get("doc.delete")
    assert method is not None
    assert method.post
    assert method.sign
    assert method.token
    result = shell.run(input="help doc.delete\n")
    needs = ", ".join(f"{t}={level}" for t, level in method.permissions.items())
    assert f"  POST, signed, needs a token, permissions: {needs}" in result.out.splitlines()


def test_help_on_a_command_shows_its_usage(shell: Shell) -> None:
    result = shell.run(input="help walk\n")
    assert result.out.startswith("walk method.name [param=value …]\n")


def test_help_on_an_unknown_name_suggests_a_near_one(shell: Shell) -> None:
    result = shell.run(input="help doc.gett\n")
    assert result.status == 1
    assert result.err_lines == [
        "line 1: Unknown method 'doc.gett': it is not in the catalogue (did you mean doc.get?)"
    ]


def test_methods_lists_the_whole_catalogue_with_titles(shell: Shell) -> None:
    result = shell.run(input="methods\n")
    names = [line.split()[0] for line in result.out.splitlines()]
    assert names == catalogue.names()
    assert "Hello world!" in result.out


def test_methods_with_a_prefix_lists_those_methods_only(shell: Shell) -> None:
    result = shell.run(input="methods album.docs\n")
    names = [line.split()[0] for line in result.out.splitlines()]
    assert names == catalogue.names("album.docs")
    assert names


def test_methods_with_a_prefix_nothing_has_fails(shell: Shell) -> None:
    result = shell.run(input="methods zzz\n")
    assert result.status == 1
    assert result.err_lines == ["line 1: No method name starts with 'zzz'"]


# -- whoami, logout --------------------------------------------------------------


def test_a_method_that_needs_a_token_points_at_login_before_calling(
    shell: Shell, sandbox: Sandbox
) -> None:
    before = len(sandbox.calls)
    result = shell.run(*shell.connected(), input="account.getQuota\n")
    assert result.status == 1
    assert result.err_lines == [
        "line 1: account.getQuota needs a token: log in first, e.g. login doc=write"
    ]
    # Only the shell's: the shared sandbox may still answer a previous test's request.
    assert not [c for c in sandbox.calls[before:] if c.params.get("api_key") == shell.app.api_key]


@pytest.mark.parametrize("line", ["user.get", "album.getList", "walk doc.getList"])
def test_leaving_user_id_to_a_token_the_shell_lacks_points_at_login(
    shell: Shell, line: str
) -> None:
    result = shell.run(*shell.connected(), input=line + "\n")
    assert result.status == 1
    [error] = result.err_lines
    method = line.split()[-1]
    assert error == (
        f"line 1: {method} needs user_id=… or a token (then it means you): "
        "give user_id, or log in first, e.g. login doc=read"
    )


def test_with_a_token_a_missing_user_id_means_its_member(
    shell: Shell, sandbox: Sandbox, alice: User
) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    result = shell.run(*shell.connected(token), "user.get")
    assert result.status == 0
    assert json.loads(result.out)["user"]["username"] == alice.username


def test_clear_prints_nothing_into_a_pipe(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="clear\nclear now\n")
    assert result.out == ""
    assert result.err_lines == ["line 2: clear takes no arguments"]


def test_whoami_names_the_member_and_the_permissions_granted(
    shell: Shell, sandbox: Sandbox, alice: User
) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "write", "network": "read"})["token"]
    result = shell.run(*shell.connected(token), input="whoami\n")
    assert result.status == 0
    assert result.out.splitlines() == [
        f"{alice.username} (Alice), user_id {alice.user_id}",
        "permissions: doc=write, network=read",
    ]
    assert token not in result.out


def test_whoami_token_prints_the_token_alone(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    result = shell.run(*shell.connected(token), "whoami", "--token")
    assert (result.status, result.out) == (0, token + "\n")


def test_whoami_without_a_token_fails(shell: Shell) -> None:
    result = shell.run(*shell.connected(), input="whoami\nwhoami --token\n")
    assert result.status == 1
    assert result.err_lines == [
        "line 1: Not logged in: use login to get a token",
        "line 2: Not logged in: use login to get a token",
    ]


def test_whoami_with_a_revoked_token_reports_the_api_error(
    shell: Shell, sandbox: Sandbox, alice: User
) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    sandbox.revoke(token)
    result = shell.run(*shell.connected(token), input="whoami\n")
    assert result.status == 1
    assert len(result.err_lines) == 1
    assert result.err.startswith("line 1: Error 107 from auth.checkToken: ")


def test_logout_forgets_the_token(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    result = shell.run(*shell.connected(token), input="logout\nwhoami\ntest.echo echo=x\n")
    assert result.err_lines[1] == "line 2: Not logged in: use login to get a token"
    echo = [call for call in sandbox.calls if call.method == "test.echo"][-1]
    assert "auth_token" not in echo.params
    assert json.loads(result.out)["echo"] == "x"


# -- save ------------------------------------------------------------------------


def read_config(path: Path) -> str:
    return path.read_text()


def test_save_writes_key_secret_and_token_readable_by_the_owner_only(
    shell: Shell, sandbox: Sandbox, alice: User
) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    result = shell.run(*shell.connected(token), input="save\n")
    path = shell.home / ".ipernity.ini"
    assert result.status == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_config(path).split("\n") == [
        "[ipernity]",
        f"api key = {shell.app.api_key}",
        f"api secret = {shell.app.api_secret}",
        f"api token = {token}",
        f"api url = {shell.sandbox.api_url}",
        f"auth url = {shell.sandbox.authorize_url}",
        "",
        "",
    ]
    assert result.err_lines == [
        f"Saved the key, secret and token to {path}; later runs go to "
        f"{shell.sandbox.api_url} and {shell.sandbox.authorize_url} unless told otherwise"
    ]


def test_saved_credentials_are_used_next_time(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    shell.run(*shell.connected(token), "save")
    result = shell.run(*shell.server_args(), "whoami")
    assert result.out.startswith(f"{alice.username} (Alice)")


def test_a_later_run_without_url_uses_the_saved_servers(
    shell: Shell, sandbox: Sandbox, alice: User
) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    shell.run(*shell.connected(token), "save")
    result = shell.run("whoami")
    assert result.status == 0, result.err
    assert result.out.startswith(f"{alice.username} (Alice)")
    login = shell.run("login", "--timeout", "0.1", "doc=read")
    assert login.status == 1
    assert shell.opened_urls()[0].startswith(sandbox.authorize_url + "?")


def test_the_url_option_wins_over_the_saved_one(shell: Shell) -> None:
    path = shell.home / ".ipernity.ini"
    path.write_text("[ipernity]\napi url = http://127.0.0.1:9/nothing-here/\n")
    result = shell.run(*shell.connected(), "test.echo", "echo=here")
    assert result.status == 0, result.err
    assert json.loads(result.out)["echo"] == "here"


def test_save_for_ipernity_itself_writes_no_url(shell: Shell) -> None:
    path = shell.home / ".ipernity.ini"
    path.write_text("[ipernity]\napi url = http://127.0.0.1:9/api/\n")
    result = shell.run("-k", "key", "-s", "secret", "--url", DEFAULT_URL, "save")
    assert result.status == 0, result.err
    assert "url" not in read_config(path)
    assert result.err_lines == [f"Saved the key and secret (no token) to {path}"]


def test_save_keeps_the_files_other_sections_and_keys(shell: Shell) -> None:
    path = shell.home / "custom.ini"
    path.write_text("[other]\nName = kept\n\n[ipernity]\napi key = old\nCache = yes\n")
    result = shell.run(*shell.connected(), "-c", str(path), "save")
    assert result.status == 0
    text = read_config(path)
    assert "[other]\nName = kept\n" in text
    assert "Cache = yes\n" in text
    assert f"api key = {shell.app.api_key}\n" in text
    assert "old" not in text


@pytest.mark.parametrize(("before", "after"), [(0o644, 0o600), (0o640, 0o600), (0o400, 0o400)])
def test_save_never_makes_an_existing_file_more_readable(
    shell: Shell, before: int, after: int
) -> None:
    path = shell.home / "existing.ini"
    path.write_text("[ipernity]\n")
    path.chmod(before)
    result = shell.run(*shell.connected(), "-c", str(path), "save")
    assert result.status == 0
    assert stat.S_IMODE(path.stat().st_mode) == after
    assert shell.app.api_secret in read_config(path)


def test_save_writes_through_a_symbolic_link(shell: Shell) -> None:
    real = shell.home / "dotfiles.ini"
    real.write_text("")
    real.chmod(0o600)
    link = shell.home / ".ipernity.ini"
    link.symlink_to(real)
    shell.run(*shell.connected(), "save")
    assert link.is_symlink()
    assert shell.app.api_key in real.read_text()


def test_save_after_logout_removes_the_token(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    token = sandbox.grant(alice, shell.app, {"doc": "read"})["token"]
    shell.run(*shell.connected(token), "save")
    result = shell.run(*shell.server_args(), input="logout\nsave\n")
    text = read_config(shell.home / ".ipernity.ini")
    assert result.status == 0
    assert token not in text
    assert shell.app.api_secret in text


def test_save_without_credentials_fails(shell: Shell) -> None:
    result = shell.run("save")
    assert result.status == 1
    assert result.err_lines == ["Nothing to save: there is no API key and secret"]
    assert not (shell.home / ".ipernity.ini").exists()


def test_save_reports_a_file_it_cannot_write(shell: Shell) -> None:
    result = shell.run(*shell.connected(), "-c", str(shell.home / "missing" / "x.ini"), "save")
    assert result.status == 1
    assert len(result.err_lines) == 1
    assert result.err.startswith(f"Cannot write {shell.home / 'missing' / 'x.ini'}: ")


# -- walk ------------------------------------------------------------------------


def test_walk_prints_every_item_as_a_json_line_and_counts_them(
    shell: Shell, sandbox: Sandbox, alice: User
) -> None:
    docs = [sandbox.add_doc(alice, f"picture {n}") for n in range(7)]
    result = shell.run(
        *shell.connected(), input=f"walk doc.getList user_id={alice.user_id} per_page=3\n"
    )
    assert result.status == 0
    items = [json.loads(line) for line in result.out.splitlines()]
    assert sorted(int(item["doc_id"]) for item in items) == sorted(d.doc_id for d in docs)
    assert result.err_lines == ["7 items"]


def test_walk_of_nothing_counts_zero(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    result = shell.run(*shell.connected(), input=f"walk doc.getList user_id={alice.user_id}\n")
    assert (result.status, result.out, result.err_lines) == (0, "", ["0 items"])


def test_walk_starts_at_the_page_given(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    for n in range(5):
        sandbox.add_doc(alice, f"picture {n}")
    result = shell.run(
        *shell.connected(),
        "walk",
        "doc.getList",
        f"user_id={alice.user_id}",
        "per_page=2",
        "page=2",
    )
    assert len(result.out.splitlines()) == 3
    assert result.err_lines == ["3 items"]


def test_a_failing_walk_says_how_far_it_got(shell: Shell, sandbox: Sandbox, alice: User) -> None:
    sandbox.add_doc(alice, "picture")
    sandbox.fail_next("doc.getList", 1)
    result = shell.run(*shell.connected(), "walk", "doc.getList", f"user_id={alice.user_id}")
    assert result.status == 1
    [line] = result.err_lines
    assert line.startswith("Error 1 from doc.getList: ")
    assert line.endswith(" (after 0 items)")
