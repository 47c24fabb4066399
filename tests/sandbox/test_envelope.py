"""The request checks every method shares, in the service's order, and the envelope."""

from __future__ import annotations

import pytest
import requests

from ipernity.sandbox import App, Call, Sandbox
from ipernity.signing import signature


def test_a_success_is_an_ok_envelope_with_http_200(call, desktop_app) -> None:
    response = call(desktop_app).raw("test.hello")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["api"]["status"] == "ok"
    assert response.json()["hello"] == "hello world!"


def test_an_error_is_an_error_envelope_with_http_200(call, desktop_app) -> None:
    response = call(desktop_app).raw("doc.get", doc_id=1)
    assert response.status_code == 200
    assert response.json() == {
        "api": {"status": "error", "code": "1", "message": "Document not found"}
    }


@pytest.mark.parametrize("fmt", ["php", "soap", "JSON"])
def test_a_format_other_than_json_or_xml_is_102_answered_in_json(
    call, desktop_app, fmt: str
) -> None:
    assert call(desktop_app).answer("test.hello", fmt=fmt)["api"]["code"] == "102"


def test_a_method_without_format_answers_json(sandbox: Sandbox, desktop_app, http) -> None:
    answer = http.get(sandbox.api_url + "test.hello", params={"api_key": desktop_app.api_key})
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json()["hello"] == "hello world!"


def test_an_unknown_method_is_103(call, desktop_app) -> None:
    assert call(desktop_app).error("doc.fly") == 103


def test_the_method_is_checked_before_the_key(sandbox: Sandbox, http) -> None:
    answer = http.get(sandbox.api_url + "doc.fly/json").json()
    assert answer["api"]["code"] == "103"


def test_a_missing_api_key_is_100(sandbox: Sandbox, http) -> None:
    assert http.get(sandbox.api_url + "test.hello/json").json()["api"]["code"] == "100"


def test_an_unknown_api_key_is_101(sandbox: Sandbox, http) -> None:
    answer = http.get(sandbox.api_url + "test.hello/json", params={"api_key": "0" * 32})
    assert answer.json()["api"]["code"] == "101"


def test_a_get_on_a_post_method_is_120(call, desktop_app, alice, sandbox: Sandbox) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    assert call(desktop_app, token).error("doc.set", http="GET", doc_id=1) == 120


def test_a_missing_signature_is_104(call, desktop_app) -> None:
    assert call(desktop_app).error("auth.getFrob", sign=False) == 104


def test_a_wrong_signature_is_105(sandbox: Sandbox, desktop_app, http) -> None:
    params = {"api_key": desktop_app.api_key, "api_sig": "0" * 32}
    answer = http.get(sandbox.api_url + "auth.getFrob/json", params=params).json()
    assert answer["api"]["code"] == "105"


def test_a_signature_made_with_another_secret_is_105(sandbox: Sandbox, desktop_app, http) -> None:
    params = {"api_key": desktop_app.api_key}
    params["api_sig"] = signature(params, "not-the-secret", "auth.getFrob")
    answer = http.get(sandbox.api_url + "auth.getFrob/json", params=params).json()
    assert answer["api"]["code"] == "105"


def test_signing_a_method_that_needs_no_signature_is_harmless(call, desktop_app) -> None:
    assert call(desktop_app).ok("test.echo", sign=True, echo="x")["echo"] == "x"


def test_a_missing_token_is_106(call, desktop_app) -> None:
    assert call(desktop_app).error("account.getQuota") == 106


def test_an_unknown_token_is_107(call, desktop_app) -> None:
    assert call(desktop_app, "1-deadbeef").error("account.getQuota") == 107


def test_an_unknown_token_on_a_method_without_token_is_107_too(call, desktop_app) -> None:
    assert call(desktop_app, "1-deadbeef").error("test.hello") == 107


def test_a_token_only_works_with_its_own_application(
    call, sandbox: Sandbox, desktop_app, web_app, alice
) -> None:
    token = sandbox.grant(alice, web_app, {"doc": "write"})
    assert call(desktop_app, token).error("account.getQuota") == 107


def test_a_revoked_token_is_107(call, sandbox: Sandbox, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    sandbox.revoke(token)
    assert call(desktop_app, token).error("account.getQuota") == 107


def test_revoke_accepts_the_token_string(call, sandbox: Sandbox, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    sandbox.revoke(token["token"])
    assert call(desktop_app, token).error("account.getQuota") == 107


def test_too_few_permissions_is_110(call, sandbox: Sandbox, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "read"})
    assert call(desktop_app, token).error("account.getQuota") == 110


@pytest.mark.parametrize(
    ("verb", "sign", "code"),
    [("GET", False, 120), ("POST", False, 104)],
    ids=["verb-before-signature", "signature-before-token"],
)
def test_checks_run_in_the_service_order(
    call, desktop_app, verb: str, sign: bool, code: int
) -> None:
    assert call(desktop_app).error("doc.delete", http=verb, sign=sign, doc_id=1) == code


def test_every_value_is_a_string(call, sandbox: Sandbox, desktop_app, alice) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    quota = call(desktop_app, token).ok("account.getQuota")["quota"]

    def strings(value: object) -> bool:
        if isinstance(value, dict):
            return all(strings(item) for item in value.values())
        if isinstance(value, list):
            return all(strings(item) for item in value)
        return isinstance(value, str)

    assert strings(quota)


def test_calls_are_recorded_with_secrets_masked(
    call, sandbox: Sandbox, desktop_app, alice
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})
    call(desktop_app, token).ok("test.echo", echo="recorded", sign=True)
    last = own_calls(sandbox, desktop_app)[-1]
    assert last.method == "test.echo"
    assert last.http_method == "GET"
    assert last.params["echo"] == "recorded"
    assert last.params["auth_token"] == "***"
    assert last.params["api_sig"] == "***"
    assert last.user_id == alice.user_id
    assert last.error is None


def test_failed_calls_are_recorded_with_their_code(call, sandbox: Sandbox, desktop_app) -> None:
    call(desktop_app).error("doc.get", doc_id=0)
    assert own_calls(sandbox, desktop_app)[-1].error == 1


def own_calls(sandbox: Sandbox, app: App) -> list[Call]:
    # The sandbox is shared: a request a previous test gave up on may still be
    # answered (and logged) meanwhile.
    return [c for c in sandbox.calls if c.params.get("api_key") == app.api_key]


def test_an_unknown_page_is_a_404_page(sandbox: Sandbox, http) -> None:
    response = http.get(sandbox.base_url + "nowhere")
    assert response.status_code == 404
    assert "text/html" in response.headers["Content-Type"]


def test_the_front_page_tells_where_the_api_is(sandbox: Sandbox, http) -> None:
    assert sandbox.api_url in http.get(sandbox.base_url).text


def test_a_sandbox_that_is_not_serving_has_no_url() -> None:
    with pytest.raises(RuntimeError):
        _ = Sandbox().api_url


def test_a_stopped_sandbox_refuses_connections() -> None:
    sb = Sandbox()
    with sb.serve(port=0):
        url = sb.api_url
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "test.hello/json", timeout=5)
