"""JSON on the wire as the service writes it: compact, the answer first, ``api`` last.

Ipernity's own ShellScript API Kit reads values by position in the text
(``tr '"' ' ' | awk '{print $6}'``), which works only on that layout; these
tests read the raw text of real answers, every way a call can come in.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from requests_oauthlib import OAuth1

from ipernity.sandbox import Sandbox
from ipernity.signing import signature
from tests.sandbox.wire import approve_frob, by_position, whitespace_outside_strings

JPEG = b"\xff\xd8\xff\xe0 not really a picture, stored as a file all the same"


def members(response: requests.Response) -> list[str]:
    """The top-level members of a JSON answer, in the order written."""
    return list(json.loads(response.text))


@pytest.fixture
def writer(call, sandbox: Sandbox, desktop_app, alice):
    """Alice's calls with ``doc: write``."""
    return call(desktop_app, sandbox.grant(alice, desktop_app, {"doc": "write"}))


def test_an_answer_has_no_space_after_a_colon_or_a_comma(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Sea, sky: sun")
    text = writer.raw("doc.get", doc_id=doc.doc_id).text
    assert whitespace_outside_strings(text) == ""
    assert '"title":"Sea, sky: sun"' in text


def test_api_is_the_last_member_of_an_answer(writer) -> None:
    assert members(writer.raw("test.echo", echo="x")) == ["echo", "api"]


def test_the_answers_root_member_comes_first(call, desktop_app) -> None:
    text = call(desktop_app).raw("auth.getFrob").text
    assert text.startswith('{"auth":{"frob":"')
    assert text.endswith('"},"api":{"status":"ok","at":"' + json.loads(text)["api"]["at"] + '"}}')


def test_nested_members_follow_the_order_of_the_sample(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Ordered")
    thumb = writer.ok("doc.get", doc_id=doc.doc_id)["doc"]["thumbs"]["thumb"][0]
    # doc.get's sample: label, w, h, url; what it does not show comes after.
    assert list(thumb) == ["label", "w", "h", "url", "ext", "secret"]


def test_an_error_is_compact_with_only_api(call, desktop_app) -> None:
    text = call(desktop_app).raw("doc.get", doc_id=1).text
    assert text == '{"api":{"status":"error","code":"1","message":"Document not found"}}'


@pytest.mark.parametrize("verb", ["GET", "POST"])
@pytest.mark.parametrize("suffix", ["/json", ""], ids=["with-format", "without-format"])
def test_every_way_in_gets_the_same_layout(
    sandbox: Sandbox, http, desktop_app, alice, verb: str, suffix: str
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})["token"]
    params = {"api_key": desktop_app.api_key, "auth_token": token, "echo": "a, b: c"}
    params["api_sig"] = signature(params, desktop_app.api_secret, "test.echo")
    url = f"{sandbox.api_url}test.echo{suffix}"
    sent: dict[str, Any] = {"data": params} if verb == "POST" else {"params": params}
    answer = http.request(verb, url, timeout=30, **sent)
    assert whitespace_outside_strings(answer.text) == ""
    assert members(answer) == ["echo", "api"]


def test_an_oauth_signed_call_gets_the_same_layout(sandbox: Sandbox, http, web_app, alice) -> None:
    token = sandbox.grant_oauth(alice, web_app, {"doc": "read"})
    auth = OAuth1(
        web_app.api_key, web_app.api_secret, token["oauth_token"], token["oauth_token_secret"]
    )
    answer = http.get(sandbox.api_url + "user.get", auth=auth, timeout=30)
    assert whitespace_outside_strings(answer.text) == ""
    assert members(answer) == ["user", "api"]


def test_an_upload_answers_its_ticket_first(writer) -> None:
    text = writer.raw("upload.file", files={"file": ("a.jpg", JPEG)}).text
    assert text.startswith('{"ticket":"')
    assert whitespace_outside_strings(text) == ""
    assert list(json.loads(text)) == ["ticket", "api"]


def test_an_injected_error_gets_the_same_layout(sandbox: Sandbox, call, desktop_app) -> None:
    sandbox.fail_next("test.hello", code=113)
    text = call(desktop_app).raw("test.hello").text
    assert text == '{"api":{"status":"error","code":"113","message":"Injected failure"}}'


def test_the_shell_kit_reads_the_frob_and_the_token_by_position(
    sandbox: Sandbox, call, desktop_app, alice
) -> None:
    program = call(desktop_app)
    got_frob = program.raw("auth.getFrob").text
    frob = by_position(got_frob, 6)
    assert frob == json.loads(got_frob)["auth"]["frob"]
    approve_frob(sandbox, desktop_app, alice, frob)
    got_token = program.raw("auth.getToken", frob=frob).text
    token = by_position(got_token, 6)
    assert token == json.loads(got_token)["auth"]["token"]
    assert call(desktop_app, token).ok("auth.checkToken", auth_token=token)["auth"]["user"][
        "user_id"
    ] == str(alice.user_id)
