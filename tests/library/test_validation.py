"""One check of a call's arguments against the catalogue, and the strict client that uses it."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import pytest

from ipernity import InvalidArguments, IpernityAPI, IpernityError, NotFound, catalogue
from ipernity.catalogue import Method
from ipernity.sandbox import App, Sandbox, User
from ipernity.signing import ParamValue
from ipernity.validation import Reason, UnknownParameterWarning, Verdict, check_arguments


def method(name: str) -> Method:
    found = catalogue.get(name)
    assert found is not None
    return found


def check(name: str, params: Mapping[str, ParamValue], has_token: bool = False) -> Verdict:
    return check_arguments(method(name), params, has_token=has_token)


# -- the check -----------------------------------------------------------------------


def test_correct_arguments_pass() -> None:
    assert check("doc.search", {"text": "sunset", "per_page": 5, "lg": "fr"}) == ((), ())


def test_a_missing_required_parameter_is_an_error() -> None:
    [problem] = check("doc.get", {}).errors
    assert (problem.parameter, problem.reason) == ("doc_id", Reason.MISSING)
    assert problem.message == "doc_id is required (id)"


def test_a_parameter_set_to_none_counts_as_left_out() -> None:
    [problem] = check("doc.get", {"doc_id": None}).errors
    assert problem.reason is Reason.MISSING


def test_a_value_that_cannot_be_of_its_kind_is_an_error_naming_it() -> None:
    [problem] = check("doc.search", {"per_page": "abc"}).errors
    assert problem.reason is Reason.INVALID
    assert problem.message == "per_page must be a number, not 'abc'"


def test_a_long_value_is_cut_short_in_the_message() -> None:
    [problem] = check("doc.get", {"doc_id": "x" * 5000}).errors
    assert len(problem.message) < 100


def test_every_problem_is_reported_at_once() -> None:
    verdict = check("doc.notes.add", {"doc_id": "1", "x": "left", "w": 10})
    assert [p.parameter for p in verdict.errors] == ["content", "x", "y", "h"]


def test_a_token_stands_in_for_a_missing_user_id() -> None:
    assert check("user.get", {}, has_token=True) == ((), ())
    [problem] = check("user.get", {}, has_token=False).errors
    assert problem.reason is Reason.NO_MEMBER


def test_an_unknown_parameter_is_a_warning_naming_the_closest_one() -> None:
    verdict = check("doc.search", {"txet": "sunset"})
    assert verdict.errors == ()
    [warning] = verdict.warnings
    assert (warning.parameter, warning.reason, warning.closest) == ("txet", Reason.UNKNOWN, "text")
    assert warning.message == (
        "doc.search has no parameter 'txet' (did you mean text?); it is sent as given"
    )


def test_an_unknown_parameter_far_from_every_name_has_no_suggestion() -> None:
    [warning] = check("doc.search", {"bogus": "1"}).warnings
    assert warning.closest is None
    assert "did you mean" not in warning.message


def test_parameters_the_client_adds_are_not_unknown() -> None:
    assert check("test.echo", {"echo": "x", "auth_token": "t", "api_key": "k"}) == ((), ())


def test_a_method_whose_parameters_are_not_catalogued_takes_anything() -> None:
    assert check("post.get", {"post_id": "x", "anything": "goes"}) == ((), ())


# -- the strict client, over HTTP ------------------------------------------------------


@pytest.fixture
def strict(sandbox: Sandbox, desktop_app: App, alice: User) -> IpernityAPI:
    """A strict client of alice's, at the sandbox."""
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    return IpernityAPI(
        desktop_app.api_key, desktop_app.api_secret, token, url=sandbox.api_url, strict=True
    )


def calls_of(sandbox: Sandbox, app: App) -> list[str]:
    """The methods ``app`` called, as the sandbox received them."""
    return [c.method for c in sandbox.calls if c.params.get("api_key") == app.api_key]


def test_a_strict_client_refuses_a_missing_parameter_before_sending_anything(
    strict: IpernityAPI, sandbox: Sandbox, desktop_app: App
) -> None:
    with pytest.raises(InvalidArguments) as raised:
        strict.doc.get()
    assert str(raised.value) == "doc.get not sent: doc_id is required (id)"
    assert (raised.value.method, raised.value.problems) == (
        "doc.get",
        ("doc_id is required (id)",),
    )
    assert isinstance(raised.value, IpernityError)
    assert calls_of(sandbox, desktop_app) == []


def test_a_strict_client_refuses_a_value_of_the_wrong_kind_before_sending_anything(
    strict: IpernityAPI, sandbox: Sandbox, desktop_app: App
) -> None:
    with pytest.raises(InvalidArguments, match=r"per_page must be a number, not 'five'"):
        strict.call("doc.search", text="sunset", per_page="five")
    assert calls_of(sandbox, desktop_app) == []


def test_a_strict_client_sends_correct_calls(strict: IpernityAPI, alice: User) -> None:
    assert strict.user.get()["user"]["username"] == alice.username
    assert strict.test.echo(echo="hi", lg="fr")["echo"] == "hi"


def test_a_strict_client_warns_of_an_unknown_parameter_at_the_callers_line_and_sends_it(
    strict: IpernityAPI, sandbox: Sandbox, desktop_app: App
) -> None:
    with pytest.warns(UnknownParameterWarning, match=r"did you mean echo\?") as caught:
        strict.test.echo(echo="hi", ecko="typo")
    assert caught[0].filename == __file__
    [call] = [c for c in sandbox.calls if c.params.get("api_key") == desktop_app.api_key]
    assert call.params["ecko"] == "typo"


def test_a_strict_walk_refuses_a_wrong_page_size_before_sending_anything(
    strict: IpernityAPI, sandbox: Sandbox, desktop_app: App
) -> None:
    with pytest.raises(InvalidArguments, match="per_page must be a number"):
        next(strict.walk_docs(per_page="many"))
    assert calls_of(sandbox, desktop_app) == []


def test_a_default_client_sends_what_it_is_given_as_pyipernity_did(
    sandbox: Sandbox, desktop_app: App
) -> None:
    client = IpernityAPI(desktop_app.api_key, desktop_app.api_secret, url=sandbox.api_url)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NotFound):
            client.doc.get()  # the service answers "Document not found"
        client.test.echo(echo="hi", ecko="typo")
    assert calls_of(sandbox, desktop_app) == ["doc.get", "test.echo"]
    assert client.strict is False
