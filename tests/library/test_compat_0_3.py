"""Programs written for PyIpernity 0.3 keep working: its names, calls and habits."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import requests

import ipernity
import ipernity.auth
from ipernity import (
    APIRequestError,
    IpernityAPI,
    IpernityError,
    RequestTimeout,
    TransportError,
    UnknownMethod,
    compat,
)
from ipernity.auth import AUTH_HANDLERS, AuthHandler, DesktopAuthHandler
from ipernity.sandbox import Sandbox
from ipernity.signing import signature

KEY, SECRET = "6fa87ba500002712bd4eed6020f3bd72", "e9a599f0cf6ce193"
TOKEN = "1234-secret-token"
USER = {"user_id": "7", "username": "seven"}


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each deprecated name warns once per process; each test starts afresh.
    monkeypatch.setattr(compat, "_warned", set())


@pytest.fixture
def api(sandbox: Sandbox, desktop_app: Any, alice: Any) -> Iterator[IpernityAPI]:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    with IpernityAPI(
        desktop_app.api_key, desktop_app.api_secret, token, url=sandbox.api_url, retries=0
    ) as client:
        yield client


def deprecations(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, DeprecationWarning)]


# -- keyword arguments under their 0.3 names ------------------------------------


def test_call_takes_the_method_by_its_0_3_keyword(api: IpernityAPI) -> None:
    with pytest.warns(DeprecationWarning, match=r"call\('test.echo', \.\.\.\)"):
        answer = api.call(method_name="test.echo", echo="hi")
    assert answer["echo"] == "hi"


def test_method_name_is_an_api_parameter_once_the_method_comes_first(api: IpernityAPI) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        answer = api.call("test.echo", method_name="sent along")
    assert answer["method_name"] == "sent along"


def test_a_call_naming_no_method_is_a_clear_type_error(api: IpernityAPI) -> None:
    with pytest.raises(TypeError, match="needs a method name"):
        api.call(echo="hi")


def test_walk_data_takes_the_method_by_its_0_3_keyword(
    api: IpernityAPI, sandbox: Sandbox, alice: Any
) -> None:
    docs = {str(sandbox.add_doc(alice, f"Walked {n}").doc_id) for n in range(3)}
    with pytest.warns(DeprecationWarning, match="walk_data"):
        walked = {doc["doc_id"] for doc in api.walk_data(method_name="doc.getList", per_page=2)}
    assert walked == docs


def test_has_permissions_takes_its_0_3_keyword() -> None:
    api = IpernityAPI(KEY, SECRET, {"token": TOKEN, "permissions": {"doc": "write"}, "user": USER})
    with pytest.warns(DeprecationWarning, match=r"has_permissions\(perms=\.\.\.\)"):
        assert api.has_permissions(permissions={"doc": "read"})
    assert not api.has_permissions(permissions={"doc": "delete"})
    assert api.has_permissions(perms={"doc": "write"})


def test_a_deprecated_name_warns_once(recwarn: pytest.WarningsRecorder) -> None:
    api = IpernityAPI(KEY, SECRET, {"token": TOKEN, "permissions": {"doc": "write"}, "user": USER})
    warnings.simplefilter("always")
    for _ in range(3):
        api.has_permissions(permissions={"doc": "read"})
    assert len(deprecations(recwarn.list)) == 1


# -- module names -----------------------------------------------------------------


def test_auth_methods_is_the_handler_table_under_its_0_3_name() -> None:
    with pytest.warns(DeprecationWarning, match="AUTH_HANDLERS"):
        assert ipernity.auth.auth_methods is AUTH_HANDLERS


def test_the_0_3_names_imported_from_ipernity_api_are_there() -> None:
    from ipernity.api import APIRequestError as ApiError
    from ipernity.api import UnknownMethod as Unknown
    from ipernity.api import UploadError

    assert (ApiError, Unknown, UploadError) == (
        APIRequestError,
        UnknownMethod,
        ipernity.UploadError,
    )
    with pytest.warns(DeprecationWarning, match="AUTH_HANDLERS"):
        assert ipernity.api.auth_methods is AUTH_HANDLERS  # type: ignore[attr-defined]


def test_api_request_error_keeps_its_0_3_defaults() -> None:
    error = APIRequestError()
    assert (error.status, error.code, error.message, error.method) == (
        "error",
        0,
        "Unspecified Error",
        None,
    )


def test_other_missing_module_attributes_are_still_attribute_errors() -> None:
    with pytest.raises(AttributeError):
        ipernity.auth.no_such_name  # noqa: B018
    with pytest.raises(AttributeError):
        ipernity.api.no_such_name  # noqa: B018


def test_the_version_module_of_0_3_is_there() -> None:
    from ipernity import _version

    assert _version.__version__ == ipernity.__version__
    assert _version.__version_tuple__ == ipernity.__version_tuple__ == (1, 1, 0)


def test_ipernity_error_needs_no_argument() -> None:
    error = IpernityError()
    assert str(error) == error.message
    assert error.message


# -- errors of the network ----------------------------------------------------------


def test_a_dead_service_is_a_transport_error_and_a_requests_connection_error(
    closed_port_url: str,
) -> None:
    api = IpernityAPI(KEY, SECRET, TOKEN, url=closed_port_url, retries=0)
    with pytest.raises(requests.ConnectionError) as caught:
        api.call("user.get", user_id=1)
    error = caught.value
    assert isinstance(error, TransportError)
    assert isinstance(error, requests.RequestException)
    assert error.request is None
    shown = f"{error} {error!r} {error.args}"
    assert TOKEN not in shown
    assert "api_sig" not in shown


def test_a_silent_service_is_a_request_timeout_and_a_requests_timeout(silent_server: str) -> None:
    api = IpernityAPI(KEY, SECRET, TOKEN, url=silent_server, retries=0, timeout=(2.0, 0.3))
    with pytest.raises(requests.Timeout) as caught:
        api.call("user.get", user_id=1)
    assert isinstance(caught.value, RequestTimeout)
    assert TOKEN not in f"{caught.value} {caught.value!r}"


def test_network_errors_are_still_ipernity_errors() -> None:
    assert issubclass(RequestTimeout, TransportError)
    assert issubclass(TransportError, IpernityError)
    assert ipernity.exceptions.TransportError is TransportError


# -- walkers are generators -----------------------------------------------------------


def test_walkers_are_generators(api: IpernityAPI) -> None:
    assert inspect.isgenerator(api.walk_docs())
    assert inspect.isgenerator(api.walk_data("doc.getList"))
    assert inspect.isgenerator(api.walk_album_docs(1))


def test_a_walker_on_an_unknown_method_fails_on_the_first_next(api: IpernityAPI) -> None:
    walker = api.walk_data("doc.fly")
    with pytest.raises(UnknownMethod):
        next(walker)


# -- the method catalogue -----------------------------------------------------------


def test_methods_have_the_shape_of_0_3(api: IpernityAPI) -> None:
    assert IpernityAPI.__methods__["doc.get"] == {
        "about": "http://www.ipernity.com/help/api/method/doc.get",
        "authentication": {"post": "0", "sign": "0", "token": "0"},
        "modified_at": "1283378400",
        "name": "doc.get",
        "permissions": {"doc": "read"},
        "service": "doc",
        "title": "Get details about document.",
    }
    assert IpernityAPI.__methods__["album.getVisitors"]["service"] == "doc"
    assert IpernityAPI.__methods__["test.hello"]["permissions"] == []


def test_the_method_list_of_the_sandbox_is_the_same_catalogue(api: IpernityAPI) -> None:
    listed = api.api.methods.getList()["methods"]["method"]
    echo = next(entry for entry in listed if entry["name"] == "test.echo")
    # The service leaves an empty permission set out of its JSON.
    expected = {k: v for k, v in IpernityAPI.__methods__["test.echo"].items() if v != []}
    assert echo == expected


# -- authentication handlers -----------------------------------------------------------


def test_do_request_returns_the_raw_response(api: IpernityAPI) -> None:
    url = api._url + "doc.get/json"
    with pytest.warns(DeprecationWarning, match=r"AuthHandler\.send"):
        response = api.auth.do_request(url, "doc.get", {"doc_id": 1})
    assert isinstance(response, requests.Response)
    assert response.ok
    # As in 0.3, the service's error is in the answer, not raised.
    assert response.json()["api"] == {
        "status": "error",
        "code": "1",
        "message": "Document not found",
    }


def test_do_request_errors_are_network_errors_without_secrets(closed_port_url: str) -> None:
    api = IpernityAPI(KEY, SECRET, TOKEN, url=closed_port_url)
    with (
        pytest.raises(requests.RequestException) as caught,
        pytest.warns(DeprecationWarning, match="do_request"),
    ):
        api.auth.do_request(closed_port_url + "user.get/json", "user.get", {"user_id": 1})
    assert isinstance(caught.value, TransportError)
    assert TOKEN not in f"{caught.value} {caught.value!r}"


@pytest.mark.filterwarnings("ignore:AuthHandler.do_request:DeprecationWarning")
def test_a_0_3_handler_overriding_do_request_sends_every_call(
    sandbox: Sandbox, desktop_app: Any
) -> None:
    sent: list[str] = []

    with pytest.warns(DeprecationWarning, match="an override of send") as record:

        class CountingHandler(DesktopAuthHandler):
            def do_request(
                self, url: str, method_name: str, method_args: Mapping[str, Any]
            ) -> requests.Response:
                sent.append(method_name)
                return super().do_request(url, method_name, method_args)

    # The warning points at the program's class, not at the class machinery.
    assert [w.filename for w in record] == [__file__]
    api = IpernityAPI(
        desktop_app.api_key, desktop_app.api_secret, url=sandbox.api_url, auth=CountingHandler
    )
    assert api.test.echo(echo="through")["echo"] == "through"
    with pytest.raises(APIRequestError) as caught:
        api.doc.get(doc_id=1)
    assert caught.value.code == 1
    assert sent == ["test.echo", "doc.get"]


def test_a_handler_whose_do_request_returns_the_answer_is_used_as_it_is(
    sandbox: Sandbox, desktop_app: Any
) -> None:
    with pytest.warns(DeprecationWarning, match="an override of send"):

        class AnsweringHandler(DesktopAuthHandler):
            # Release 0.2's do_request returned the checked answer.
            def do_request(
                self, url: str, method_name: str, method_args: Mapping[str, Any]
            ) -> Any:
                return {**AuthHandler.send(self, url, method_name, method_args), "via": "me"}

    api = IpernityAPI(
        desktop_app.api_key, desktop_app.api_secret, url=sandbox.api_url, auth=AnsweringHandler
    )
    answer = api.test.hello()
    assert (answer["hello"], answer["via"]) == ("hello world!", "me")


def test_sign_request_signs_as_0_3_did() -> None:
    api = IpernityAPI(KEY, SECRET)
    signed = api.auth._sign_request("doc.tags.add", doc_id=1234, keywords="easy")
    assert signed["api_sig"] == "a269b218feb341ef03bc093a0f2c8078"
    link = api.auth._build_url("https://example.org/authorize", a="1", b="x y")
    assert link == "https://example.org/authorize?a=1&b=x+y"


# -- private attributes 0.3 users read ------------------------------------------------


def test_perm_and_user_are_what_the_token_mapping_gave() -> None:
    api = IpernityAPI(KEY, SECRET, {"token": TOKEN})
    assert api._perm is None
    assert api._user is None
    api.token = {"token": TOKEN, "permissions": {"doc": "read"}, "user": {"user_id": "7"}}
    assert api._perm == {"doc": "read"}
    assert api._user == {"user_id": "7"}
    assert api._permission_values == ["none", "read", "write", "delete"]


def test_check_token_fetches_the_member_and_permissions(
    sandbox: Sandbox, desktop_app: Any, alice: Any
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "read"})["token"]
    api = IpernityAPI(desktop_app.api_key, desktop_app.api_secret, token, url=sandbox.api_url)
    api._check_token()
    assert (api._perm or {}).get("doc") == "read"
    assert (api._user or {}).get("user_id") == str(alice.user_id)


def test_the_published_signature_vector_holds_for_links() -> None:
    assert signature({"api_key": KEY, "perm_network": "read"}, SECRET) == (
        "da183021cd39461108770b822fcd9398"
    )
