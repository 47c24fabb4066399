"""XML answers: ``/api/<method>/xml`` (or ``format=xml``), as the live service gives them.

Every method of the catalogue is held against its sample in
``test_catalogue_xml.py``; these tests show the rules one at a time.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests
from requests_oauthlib import OAuth1

from ipernity.sandbox import Sandbox
from ipernity.signing import signature
from tests.sandbox.wire import approve_frob, parse_xml


def xml_of(response: requests.Response) -> ET.Element:
    """The parsed XML answer, which must say it is XML."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    return parse_xml(response.content)


@pytest.fixture
def writer(call, sandbox: Sandbox, desktop_app, alice):
    """Alice's calls with ``doc: write``."""
    return call(desktop_app, sandbox.grant(alice, desktop_app, {"doc": "write"}))


def test_an_answer_is_inside_an_ok_api_element(call, desktop_app) -> None:
    root = xml_of(call(desktop_app).raw("test.hello", fmt="xml"))
    assert (root.tag, root.get("status")) == ("api", "ok")
    assert root.get("at", "").isdigit()
    assert [(child.tag, child.text) for child in root] == [("hello", "hello world!")]


def test_the_format_parameter_asks_for_xml(sandbox: Sandbox, http, desktop_app) -> None:
    params = {"api_key": desktop_app.api_key, "format": "xml"}
    root = xml_of(http.get(sandbox.api_url + "test.hello", params=params, timeout=30))
    assert root.findtext("hello") == "hello world!"


def test_the_format_parameter_of_a_post_asks_for_xml(sandbox: Sandbox, http, desktop_app) -> None:
    params = {"api_key": desktop_app.api_key, "format": "xml"}
    root = xml_of(http.post(sandbox.api_url + "test.hello", data=params, timeout=30))
    assert root.findtext("hello") == "hello world!"


def test_the_format_the_url_names_wins_over_the_parameter(
    sandbox: Sandbox, http, desktop_app
) -> None:
    params = {"api_key": desktop_app.api_key, "format": "xml"}
    answer = http.get(sandbox.api_url + "test.hello/json", params=params, timeout=30)
    assert answer.json()["hello"] == "hello world!"


def test_an_error_is_an_empty_api_element_with_code_and_message(call, desktop_app) -> None:
    root = xml_of(call(desktop_app).raw("doc.get", fmt="xml", doc_id=1))
    assert root.attrib == {"status": "error", "code": "1", "message": "Document not found"}
    assert list(root) == []


@pytest.mark.parametrize(
    ("method", "api_key", "code"),
    [("doc.fly", "yes", "103"), ("test.hello", "", "100"), ("auth.getFrob", "yes", "104")],
    ids=["unknown-method", "no-key", "no-signature"],
)
def test_the_shared_errors_answer_in_xml(
    sandbox: Sandbox, http, desktop_app, method: str, api_key: str, code: str
) -> None:
    params = {"api_key": desktop_app.api_key} if api_key else {}
    root = xml_of(http.get(f"{sandbox.api_url}{method}/xml", params=params, timeout=30))
    assert (root.get("status"), root.get("code")) == ("error", code)


def test_the_frob_and_token_helpers_get_their_values_as_element_text(
    sandbox: Sandbox, call, desktop_app, alice
) -> None:
    program = call(desktop_app)
    frob = xml_of(program.raw("auth.getFrob", fmt="xml")).findtext("auth/frob")
    assert frob
    approve_frob(sandbox, desktop_app, alice, frob)
    auth = xml_of(program.raw("auth.getToken", fmt="xml", frob=frob)).find("auth")
    assert auth is not None
    token = auth.findtext("token")
    assert token == sandbox.grant(alice, desktop_app, {})["token"]
    assert auth.find("permissions").get("doc") == "read"  # type: ignore[union-attr]
    assert auth.find("user").attrib == {  # type: ignore[union-attr]
        "user_id": str(alice.user_id),
        "username": alice.username,
        "realname": "Alice",
    }


def test_text_is_utf8_and_escaped(writer, sandbox: Sandbox, alice) -> None:
    title = "<b>\"Tom\" & 'Jerry'</b> à l'été 🌅"
    doc = sandbox.add_doc(alice, title=title, description="Line one\nline <two>")
    response = writer.raw("doc.get", fmt="xml", doc_id=doc.doc_id)
    assert "à l'été 🌅".encode() in response.content
    found = xml_of(response).find("doc")
    assert found is not None
    assert found.get("title") == title
    assert found.findtext("description") == "Line one\nline <two>"


def test_characters_xml_cannot_carry_become_replacement_characters(
    writer, sandbox: Sandbox, alice
) -> None:
    doc = sandbox.add_doc(alice, title="bell\x07 and nul\x00")
    found = xml_of(writer.raw("doc.get", fmt="xml", doc_id=doc.doc_id)).find("doc")
    assert found is not None
    assert found.get("title") == "bell\ufffd and nul\ufffd"


def test_lists_are_repeated_elements(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="In both")
    for title in ("First", "Second"):
        sandbox.add_album(alice, title, docs=[doc])
    albums = xml_of(writer.raw("album.getList", fmt="xml")).find("albums")
    assert albums is not None
    assert albums.get("total") == "2"
    assert sorted(album.get("title", "") for album in albums.findall("album")) == [
        "First",
        "Second",
    ]


def test_a_note_holds_its_words_as_its_own_text(writer, sandbox: Sandbox, alice) -> None:
    doc = sandbox.add_doc(alice, title="Noted")
    box = {"x": 1, "y": 1, "w": 5, "h": 5}
    writer.ok("doc.notes.add", doc_id=doc.doc_id, content="Nice & sharp", **box)
    root = xml_of(writer.raw("doc.get", fmt="xml", doc_id=doc.doc_id, extra="notes"))
    note = root.find("doc/notes/note")
    assert note is not None
    assert (note.text, note.get("x"), note.find("content")) == ("Nice & sharp", "1", None)


def test_a_method_without_sample_has_its_content_as_element_text(
    call, sandbox: Sandbox, desktop_app, alice
) -> None:
    post = sandbox.add_post(alice, "Diary", "<p>Dear diary</p>")
    root = xml_of(call(desktop_app).raw("post.get", fmt="xml", post_id=post.post_id))
    found = root.find("post")
    assert found is not None
    assert (found.get("title"), found.findtext("content")) == ("Diary", "<p>Dear diary</p>")
    assert found.find("owner").get("user_id") == str(alice.user_id)  # type: ignore[union-attr]


def test_echo_leaves_out_parameters_whose_names_are_no_xml_names(call, desktop_app) -> None:
    sent = {"echo": "kept", "two words": "left out", "1st": "left out", "a:b": "left out"}
    root = xml_of(call(desktop_app).raw("test.echo", fmt="xml", **sent))
    assert [(child.tag, child.text) for child in root] == [("echo", "kept")]


def test_an_injected_error_answers_in_xml(sandbox: Sandbox, call, desktop_app) -> None:
    sandbox.fail_next("test.hello", code=113)
    root = xml_of(call(desktop_app).raw("test.hello", fmt="xml"))
    assert (root.get("status"), root.get("code")) == ("error", "113")


def test_a_truncated_xml_answer_does_not_parse(sandbox: Sandbox, call, desktop_app) -> None:
    sandbox.fail_next("test.hello", truncated=True)
    response = call(desktop_app).raw("test.hello", fmt="xml")
    assert response.headers["Content-Type"].startswith("text/xml")
    with pytest.raises(ET.ParseError):
        parse_xml(response.content)


def test_an_oauth_refusal_answers_in_xml(sandbox: Sandbox, http, web_app, alice) -> None:
    token = sandbox.grant_oauth(alice, web_app, {"doc": "read"})
    auth = OAuth1(web_app.api_key, "not-the-secret", token["oauth_token"], "nor-this-one")
    root = xml_of(http.get(sandbox.api_url + "user.get/xml", auth=auth, timeout=30))
    assert (root.get("status"), root.get("code")) == ("error", "105")


def test_a_signed_xml_call_is_signed_like_any_other(sandbox: Sandbox, http, desktop_app) -> None:
    params = {"api_key": desktop_app.api_key, "format": "xml"}
    params["api_sig"] = signature(params, desktop_app.api_secret, "auth.getFrob")
    root = xml_of(http.get(sandbox.api_url + "auth.getFrob", params=params, timeout=30))
    assert root.findtext("auth/frob")


def test_a_value_member_is_its_elements_own_text(call, desktop_app) -> None:
    root = xml_of(call(desktop_app).raw("api.methods.get", fmt="xml", method="test.echo"))
    notes = root.find("method/notes")
    assert notes is not None
    assert (notes.text or "").startswith("This method echoes")
    assert "_value" not in notes.attrib
