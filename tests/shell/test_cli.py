"""The command line: help, options, and where each credential is taken from."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ipernity.sandbox import Sandbox, User

from .conftest import Shell

OPTIONS = [
    "-h, --help",
    "-k KEY, --api-key KEY",
    "-s SECRET, --api-secret SECRET",
    "-t TOKEN, --api-token TOKEN",
    "-c FILE, --config FILE",
    "--url URL",
    "--auth-url URL",
    "--sandbox",
    "--sandbox-db FILE",
    "--as USERNAME",
    "--no-color",
]


def write_config(path: Path, **values: str) -> Path:
    """Write an ``[ipernity]`` section with ``api_key=…`` as ``api key = …``."""
    lines = ["[ipernity]"] + [f"{name.replace('_', ' ')} = {v}" for name, v in values.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_help_explains_every_option(shell: Shell) -> None:
    result = shell.run("-h")
    assert result.status == 0
    for option in OPTIONS:
        assert f"\n  {option}" in result.out
    for variable in ("IPERNITY_API_KEY", "IPERNITY_API_SECRET", "IPERNITY_API_TOKEN"):
        assert variable in result.out
    assert "$HOME/.ipernity.ini" in result.out
    assert "test.echo echo=hi" in result.out


def test_an_unknown_option_is_a_usage_error(shell: Shell) -> None:
    result = shell.run("--frobnicate")
    assert result.status == 2
    assert "unrecognized arguments: --frobnicate" in result.err


@pytest.mark.parametrize("option", [["-k", "x"], ["-s", "x"], ["-t", "x"], ["--url", "http://x/"]])
def test_sandbox_brings_its_own_credentials_and_server(shell: Shell, option: list[str]) -> None:
    result = shell.run("--sandbox", *option, "test.hello")
    assert result.status == 2
    assert f"--sandbox brings its own application and server: drop {option[0]}" in result.err


def test_an_unreadable_config_file_is_reported_in_one_line(shell: Shell) -> None:
    path = shell.home / "broken.ini"
    path.write_text("this is not an ini file\n")
    result = shell.run("-c", str(path), "test.hello")
    assert result.status == 2
    assert len(result.err_lines) == 1
    assert result.err.startswith(f"Cannot read the config file {path}: ")


def test_url_sends_calls_to_that_server(shell: Shell, sandbox: Sandbox) -> None:
    before = len(sandbox.calls)
    result = shell.run(*shell.connected(), "test.echo", "echo=where")
    assert json.loads(result.out)["echo"] == "where"
    mine = [c for c in sandbox.calls[before:] if c.params.get("api_key") == shell.app.api_key]
    assert [c.method for c in mine] == ["test.echo"]


def test_auth_url_is_where_login_sends_the_member(shell: Shell) -> None:
    auth_url = "http://127.0.0.1:9/elsewhere/authorize"
    shell.run(*shell.connected(), "--auth-url", auth_url, "login", "--timeout", "0.1", "doc=read")
    [opened] = shell.opened_urls()
    assert opened.startswith(auth_url + "?")
    assert parse_qs(urlsplit(opened).query)["perm_doc"] == ["read"]


# -- where credentials come from ---------------------------------------------------
#
# "whoami" needs all three: a signed auth.checkToken call (key and secret) about a
# token. A wrong key answers 100/101, a wrong secret 105; tokens of two members
# tell which one was used.

WRONG = {"api_key": "0" * 32, "api_secret": "0" * 16}
OPTION = {"api_key": "-k", "api_secret": "-s", "api_token": "-t"}
VARIABLE = {
    "api_key": "IPERNITY_API_KEY",
    "api_secret": "IPERNITY_API_SECRET",
    "api_token": "IPERNITY_API_TOKEN",
}


class Places:
    """Puts each credential in the command line, the config file or the environment."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.args: list[str] = []
        self.config: dict[str, str] = {}
        self.env: dict[str, str] = {}

    def put(self, where: str, field: str, value: str) -> None:
        if where == "cli":
            self.args += [OPTION[field], value]
        elif where == "config":
            self.config[field] = value
        else:
            self.env[VARIABLE[field]] = value

    def whoami(self) -> str:
        write_config(self.shell.home / ".ipernity.ini", **self.config)
        result = self.shell.run(*self.shell.server_args(), *self.args, "whoami", env=self.env)
        return result.out + result.err


@pytest.fixture
def places(shell: Shell) -> Places:
    return Places(shell)


@pytest.fixture
def tokens(sandbox: Sandbox, shell: Shell, alice: User, bob: User) -> dict[str, str]:
    return {
        name: str(sandbox.grant(member, shell.app, {"doc": "read"})["token"])
        for name, member in (("alice", alice), ("bob", bob))
    }


@pytest.mark.parametrize("field", ["api_key", "api_secret"])
@pytest.mark.parametrize(
    ("first", "second"), [("cli", "config"), ("cli", "env"), ("config", "env")]
)
def test_a_higher_place_wins_for_key_and_secret(
    places: Places, tokens: dict[str, str], field: str, first: str, second: str
) -> None:
    right = getattr(places.shell.app, field)
    other = "api_secret" if field == "api_key" else "api_key"
    places.put("cli", other, getattr(places.shell.app, other))
    places.put("cli", "api_token", tokens["alice"])
    places.put(first, field, right)
    places.put(second, field, WRONG[field])
    assert "(Alice)" in places.whoami()


@pytest.mark.parametrize("field", ["api_key", "api_secret"])
@pytest.mark.parametrize(
    ("first", "second"), [("cli", "config"), ("cli", "env"), ("config", "env")]
)
def test_a_wrong_value_in_a_higher_place_is_not_skipped(
    places: Places, tokens: dict[str, str], field: str, first: str, second: str
) -> None:
    other = "api_secret" if field == "api_key" else "api_key"
    places.put("cli", other, getattr(places.shell.app, other))
    places.put("cli", "api_token", tokens["alice"])
    places.put(first, field, WRONG[field])
    places.put(second, field, getattr(places.shell.app, field))
    expected = "Error 100" if field == "api_key" else "Error 105"
    assert expected in places.whoami().replace("Error 101", "Error 100")


@pytest.mark.parametrize(
    ("first", "second"), [("cli", "config"), ("cli", "env"), ("config", "env")]
)
def test_a_higher_place_wins_for_the_token(
    places: Places, tokens: dict[str, str], first: str, second: str
) -> None:
    places.put("cli", "api_key", places.shell.app.api_key)
    places.put("cli", "api_secret", places.shell.app.api_secret)
    places.put(first, "api_token", tokens["bob"])
    places.put(second, "api_token", tokens["alice"])
    assert "(Bob)" in places.whoami()


@pytest.mark.parametrize("where", ["cli", "config", "env"])
def test_each_place_alone_is_enough(places: Places, tokens: dict[str, str], where: str) -> None:
    places.put(where, "api_key", places.shell.app.api_key)
    places.put(where, "api_secret", places.shell.app.api_secret)
    places.put(where, "api_token", tokens["alice"])
    assert "(Alice)" in places.whoami()


def test_each_value_comes_from_its_own_best_place(places: Places, tokens: dict[str, str]) -> None:
    app = places.shell.app
    places.put("cli", "api_key", app.api_key)
    places.put("config", "api_key", WRONG["api_key"])
    places.put("config", "api_secret", app.api_secret)
    places.put("env", "api_secret", WRONG["api_secret"])
    places.put("env", "api_token", tokens["bob"])
    assert "(Bob)" in places.whoami()


def test_the_token_is_optional(places: Places) -> None:
    places.put("config", "api_key", places.shell.app.api_key)
    places.put("config", "api_secret", places.shell.app.api_secret)
    assert "Not logged in" in places.whoami()


def test_config_option_reads_another_file(shell: Shell, tokens: dict[str, str]) -> None:
    write_config(shell.home / ".ipernity.ini", api_token=tokens["alice"])
    other = write_config(
        shell.home / "other.ini",
        api_key=shell.app.api_key,
        api_secret=shell.app.api_secret,
        api_token=tokens["bob"],
    )
    result = shell.run(*shell.server_args(), "-c", str(other), "whoami")
    assert "(Bob)" in result.out


def test_a_secret_with_a_percent_sign_is_read_as_written(shell: Shell) -> None:
    write_config(shell.home / ".ipernity.ini", api_key="k", api_secret="50%off")
    result = shell.run(*shell.server_args(), "test.hello")
    # The call went out (with a key the sandbox does not know): the file was read.
    assert re.fullmatch(r"Error 10[01] from test\.hello: .*\n", result.err)


def test_a_credential_that_is_not_utf8_is_named_in_one_line(shell: Shell) -> None:
    # "\udcff" is how Python carries the byte 0xff of an environment variable.
    result = shell.run(*shell.server_args(), "test.hello", env={"IPERNITY_API_KEY": "key\udcff"})
    assert result.status == 2
    assert result.err_lines == ["The api key is not valid UTF-8 text"]
