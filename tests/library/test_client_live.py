"""The client against the sandbox over a real socket: calls, errors, retries, walks."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cachelib import SimpleCache
from PIL import Image

from ipernity import (
    APIRequestError,
    InvalidAPIKey,
    InvalidResponse,
    IpernityAPI,
    NotFound,
    PermissionDenied,
    RequestTimeout,
    SignatureError,
    TokenError,
    TransportError,
    UploadError,
    UploadTimeout,
)
from ipernity.sandbox import Sandbox
from ipernity.upload import wait_for_ticket


def make_client(sandbox: Sandbox, app: Any, token: Any = None, **options: Any) -> IpernityAPI:
    return IpernityAPI(
        app.api_key,
        app.api_secret,
        token,
        url=sandbox.api_url,
        auth_url_base=sandbox.authorize_url,
        **options,
    )


@pytest.fixture
def token(sandbox: Sandbox, desktop_app: Any, alice: Any) -> dict[str, Any]:
    return sandbox.grant(alice, desktop_app, {"doc": "delete", "network": "read"})


@pytest.fixture
def api(sandbox: Sandbox, desktop_app: Any, token: dict[str, Any]) -> Iterator[IpernityAPI]:
    with make_client(sandbox, desktop_app, token, retries=2) as client:
        yield client


def calls_to(sandbox: Sandbox, method: str) -> list[Any]:
    return [call for call in sandbox.calls if call.method == method]


def jpeg_bytes(color: str = "orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


# -- calling --------------------------------------------------------------------


def test_the_answer_is_the_complete_parsed_json(api: IpernityAPI) -> None:
    answer = api.test.echo(echo="hi")
    assert answer["api"]["status"] == "ok"
    assert answer["echo"] == "hi"
    again = api.call("test.echo", echo="hi")
    # Everything but the time of the answer, which may fall in the next second.
    assert {**again, "api": {}} == {**answer, "api": {}}
    assert again["api"].keys() == answer["api"].keys() == {"status", "at"}


def test_user_get_without_user_id_describes_the_caller(api: IpernityAPI, alice: Any) -> None:
    user = api.user.get()["user"]
    assert user["user_id"] == str(alice.user_id)
    assert user["username"] == alice.username


def test_a_token_string_is_described_once_by_check_token(
    sandbox: Sandbox, desktop_app: Any, token: dict[str, Any], alice: Any
) -> None:
    api = make_client(sandbox, desktop_app, token["token"])
    before = len(calls_to(sandbox, "auth.checkToken"))
    assert api.user_info is not None
    assert api.user_info["username"] == alice.username
    assert api.permissions is not None
    assert api.permissions["doc"] == "delete"
    assert api.has_permissions({"perm_doc": "write"})
    assert len(calls_to(sandbox, "auth.checkToken")) == before + 1


def test_post_methods_are_posted_and_unicode_round_trips(
    api: IpernityAPI, sandbox: Sandbox, alice: Any
) -> None:
    doc = sandbox.add_doc(alice, title="Before")
    api.doc.set(doc_id=doc.doc_id, title="Été à Zürich — 東京")
    assert api.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "Été à Zürich — 東京"


def test_numbers_and_booleans_are_sent_as_the_service_expects(
    api: IpernityAPI, sandbox: Sandbox, alice: Any
) -> None:
    doc = sandbox.add_doc(alice, title="Private soon", is_public=True)
    api.doc.setPerms(doc_id=int(doc.doc_id), is_public=False, is_friend=True, is_family=None)
    visibility = api.doc.get(doc_id=doc.doc_id)["doc"]["visibility"]
    assert visibility["ispublic"] == "0"
    assert visibility["isfriend"] == "1"


# -- errors ---------------------------------------------------------------------


def test_a_missing_document_raises_not_found(api: IpernityAPI) -> None:
    with pytest.raises(NotFound) as caught:
        api.doc.get(doc_id=999_999_999)
    error = caught.value
    assert (error.code, error.method, error.status) == (1, "doc.get", "error")
    assert str(error).startswith("Error 1 from doc.get: ")
    assert error.params == {"doc_id": 999_999_999}


def test_a_wrong_secret_is_a_signature_error(sandbox: Sandbox, desktop_app: Any) -> None:
    api = IpernityAPI(desktop_app.api_key, "wrong-secret", url=sandbox.api_url)
    with pytest.raises(SignatureError) as caught:
        api.auth.getFrob()
    assert caught.value.code == 105
    assert "wrong-secret" not in str(caught.value) + repr(caught.value.params)


def test_an_unknown_key_is_an_api_key_error(sandbox: Sandbox) -> None:
    api = IpernityAPI("0" * 32, "secret", url=sandbox.api_url)
    with pytest.raises(InvalidAPIKey) as caught:
        api.test.hello()
    assert caught.value.code == 101


def test_a_revoked_token_is_a_token_error(
    sandbox: Sandbox, api: IpernityAPI, token: dict[str, Any]
) -> None:
    sandbox.revoke(token)
    with pytest.raises(TokenError) as caught:
        api.account.getQuota()
    assert caught.value.code == 107
    assert token["token"] not in str(caught.value) + repr(caught.value.params)


def test_a_missing_permission_is_permission_denied(
    sandbox: Sandbox, desktop_app: Any, alice: Any
) -> None:
    reader = make_client(sandbox, desktop_app, sandbox.grant(alice, desktop_app, {"doc": "read"}))
    doc = sandbox.add_doc(alice, title="Keep me")
    with pytest.raises(PermissionDenied) as caught:
        reader.doc.delete(doc_id=doc.doc_id)
    assert caught.value.code == 110


def test_a_refused_connection_is_a_transport_error(
    desktop_app: Any, closed_port_url: str, token: dict[str, Any]
) -> None:
    api = IpernityAPI(
        desktop_app.api_key, desktop_app.api_secret, token, url=closed_port_url, retries=0
    )
    with pytest.raises(TransportError) as caught:
        api.doc.getList()
    message = str(caught.value)
    assert message.startswith("doc.getList: cannot reach 127.0.0.1:")
    assert "connection refused" in message
    assert token["token"] not in message
    assert caught.value.__cause__ is None


def test_an_unknown_host_is_a_transport_error() -> None:
    api = IpernityAPI("k", "s", url="http://nonexistent.invalid/api/", retries=0, timeout=5)
    with pytest.raises(TransportError, match="unknown host"):
        api.test.hello()


def test_a_server_that_never_answers_times_out(silent_server: str) -> None:
    api = IpernityAPI("k", "s", url=silent_server, timeout=(1, 0.3), retries=0)
    started = time.monotonic()
    with pytest.raises(RequestTimeout, match=r"test\.hello: no answer from .* within"):
        api.test.hello()
    assert time.monotonic() - started < 5


def test_an_html_error_page_is_an_invalid_response(sandbox: Sandbox, api: IpernityAPI) -> None:
    sandbox.fail_next("test.hello", http_status=502, html=True, times=3)
    with pytest.raises(InvalidResponse) as caught:
        api.test.hello()
    assert caught.value.code == 502
    assert caught.value.status == "httperror"
    assert "test.hello" in str(caught.value)
    assert isinstance(caught.value, APIRequestError)


def test_truncated_json_is_an_invalid_response(sandbox: Sandbox, api: IpernityAPI) -> None:
    sandbox.fail_next("test.hello", truncated=True)
    with pytest.raises(InvalidResponse, match="not valid JSON"):
        api.test.hello()


# -- retries --------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        {"http_status": 500},
        {"http_status": 502, "html": True},
        {"http_status": 429},
        {"code": 113},
        {"drop": True},
    ],
    ids=["500", "html-502", "429", "rate-limit-113", "dropped-connection"],
)
def test_gets_are_retried_after_passing_failures(
    sandbox: Sandbox, api: IpernityAPI, fault: dict[str, Any]
) -> None:
    sandbox.fail_next("test.echo", **fault)
    before = len(calls_to(sandbox, "test.echo"))
    assert api.test.echo(echo="again")["echo"] == "again"
    assert len(calls_to(sandbox, "test.echo")) - before >= 1


def test_posts_are_never_retried(sandbox: Sandbox, api: IpernityAPI, alice: Any) -> None:
    doc = sandbox.add_doc(alice, title="Once")
    sandbox.fail_next("doc.set", http_status=500)
    before = len(calls_to(sandbox, "doc.set"))
    with pytest.raises(InvalidResponse):
        api.doc.set(doc_id=doc.doc_id, title="Twice?")
    assert len(calls_to(sandbox, "doc.set")) - before <= 1


def test_retries_give_up_after_the_configured_number(
    sandbox: Sandbox, desktop_app: Any, token: dict[str, Any]
) -> None:
    api = make_client(sandbox, desktop_app, token, retries=1)
    sandbox.fail_next("test.hello", code=113, times=5)
    with pytest.raises(APIRequestError) as caught:
        api.test.hello()
    assert caught.value.code == 113


# -- secrets --------------------------------------------------------------------


def test_no_secret_reaches_the_logs(
    sandbox: Sandbox,
    api: IpernityAPI,
    desktop_app: Any,
    token: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    api.test.echo(echo="x")
    api.auth.checkToken(token["token"])
    sandbox.fail_next("test.hello", http_status=500)
    api.test.hello()
    with pytest.raises(NotFound):
        api.doc.get(doc_id=987_654_321)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "test.echo" in text
    assert desktop_app.api_secret not in text
    assert token["token"] not in text
    assert not re.search(r"api_sig=[0-9a-f]{32}", text)


# -- sharing --------------------------------------------------------------------


def test_one_client_can_be_shared_between_threads(api: IpernityAPI) -> None:
    results: dict[int, str] = {}

    def work(n: int) -> None:
        results[n] = api.test.echo(echo=f"thread-{n}")["echo"]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: f"thread-{n}" for n in range(24)}


# -- walking --------------------------------------------------------------------


@pytest.fixture
def library(sandbox: Sandbox, alice: Any) -> list[str]:
    """230 documents of alice's, newest first as doc.getList lists them."""
    return [sandbox.add_doc(alice, title=f"Doc {n}").doc_id for n in range(230)]


def test_walk_docs_yields_every_document_in_order(api: IpernityAPI, library: list[str]) -> None:
    walked = [doc["doc_id"] for doc in api.walk_docs()]
    sequential = [doc["doc_id"] for doc in api.walk_docs(workers=1)]
    assert walked == sequential
    assert sorted(walked) == sorted(str(d) for d in library)


def test_walks_ask_for_the_largest_page(
    sandbox: Sandbox, api: IpernityAPI, library: list[str]
) -> None:
    sandbox.calls.clear()
    assert len(list(api.walk_docs())) == 230
    pages = calls_to(sandbox, "doc.getList")
    assert len(pages) == 3
    assert {call.params["per_page"] for call in pages} == {"100"}


def test_a_caller_may_choose_the_page_size_and_start(api: IpernityAPI, library: list[str]) -> None:
    everything = [doc["doc_id"] for doc in api.walk_docs(per_page=50)]
    from_page_3 = [doc["doc_id"] for doc in api.walk_docs(per_page=50, page=3)]
    assert len(everything) == 230
    assert from_page_3 == everything[100:]


def test_stopping_a_walk_early_leaves_no_thread_behind(
    api: IpernityAPI, library: list[str]
) -> None:
    walk = api.walk_docs(per_page=10)
    for n, _ in enumerate(walk):
        if n == 15:
            break
    walk.close()  # type: ignore[attr-defined]
    assert not [t for t in threading.enumerate() if t.name.startswith("ipernity-walk")]


def test_an_exception_in_the_loop_stops_the_walk_and_its_threads(
    api: IpernityAPI, library: list[str]
) -> None:
    def consume() -> None:
        for n, _ in enumerate(api.walk_docs(per_page=10)):
            if n == 15:
                raise KeyError("the caller's own failure")

    with pytest.raises(KeyError):
        consume()
    assert not [t for t in threading.enumerate() if t.name.startswith("ipernity-walk")]


def test_a_break_alone_stops_the_walk_and_what_it_had_not_sent(
    sandbox: Sandbox, api: IpernityAPI, library: list[str]
) -> None:
    before = len(calls_to(sandbox, "doc.getList"))
    for n, _ in enumerate(api.walk_docs(per_page=10, workers=2)):
        if n == 3:
            break
    assert not [t for t in threading.enumerate() if t.name.startswith("ipernity-walk")]
    # The first page, and at most the two pages fetched ahead; not all 23.
    assert len(calls_to(sandbox, "doc.getList")) - before <= 3


def test_rate_limits_slow_a_walk_down_instead_of_failing_it(
    sandbox: Sandbox, desktop_app: Any, token: dict[str, Any], library: list[str]
) -> None:
    api = make_client(sandbox, desktop_app, token, retries=0)
    sandbox.fail_next("doc.getList", code=113, times=3)
    assert len(list(api.walk_docs(per_page=50))) == 230


def test_answers_without_pages_are_walked_from_total(
    api: IpernityAPI, sandbox: Sandbox, alice: Any
) -> None:
    titles = {f"Folder {n}" for n in range(7)}
    for title in titles:
        sandbox.add_folder(alice, title=title)
    # folder.getList answers carry total and per_page, but no pages.
    assert "pages" not in api.folder.getList(empty=1, per_page=3)["folders"]
    assert {folder["title"] for folder in api.walk_folders(per_page=3, empty=1)} == titles


def test_album_folder_and_search_walkers(api: IpernityAPI, sandbox: Sandbox, alice: Any) -> None:
    docs = [sandbox.add_doc(alice, title=f"Heron {n}", is_public=True) for n in range(5)]
    album = sandbox.add_album(alice, title="Birds", docs=docs)
    folder = sandbox.add_folder(alice, title="Nature", albums=[album])
    assert {d["doc_id"] for d in api.walk_album_docs(album.album_id)} == {
        str(d.doc_id) for d in docs
    }
    assert [a["album_id"] for a in api.walk_folder_albums(folder.folder_id)] == [
        str(album.album_id)
    ]
    assert str(folder.folder_id) in {f["folder_id"] for f in api.walk_folders()}
    found = {d["doc_id"] for d in api.walk_doc_search(text="Heron", user_id=alice.user_id)}
    assert found == {str(d.doc_id) for d in docs}


def test_an_empty_listing_walks_to_nothing(api: IpernityAPI, sandbox: Sandbox) -> None:
    loner = sandbox.add_user(f"loner{time.monotonic_ns()}")
    assert list(api.walk_docs(user_id=loner.user_id)) == []


# -- uploads --------------------------------------------------------------------


def test_upload_file_from_a_path_returns_the_new_doc_id(api: IpernityAPI, tmp_path: Path) -> None:
    path = tmp_path / "sunset.jpg"
    path.write_bytes(jpeg_bytes())
    doc_id = api.upload_file(path, title="Sunset", is_public=True)
    doc = api.doc.get(doc_id=doc_id, extra="md5")["doc"]
    assert doc["title"] == "Sunset"
    assert doc["md5"] == hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def test_upload_file_from_a_file_object(api: IpernityAPI) -> None:
    doc_id = api.upload_file(io.BytesIO(jpeg_bytes("teal")), title="From memory")
    assert api.doc.get(doc_id=doc_id)["doc"]["title"] == "From memory"


def test_replace_file_keeps_the_doc_id(api: IpernityAPI, tmp_path: Path) -> None:
    first = tmp_path / "a.jpg"
    first.write_bytes(jpeg_bytes("red"))
    doc_id = api.upload_file(first)
    second = tmp_path / "b.jpg"
    second.write_bytes(jpeg_bytes("blue"))
    assert api.replace_file(second, doc_id) == doc_id


def test_an_upload_error_names_the_file(api: IpernityAPI, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(APIRequestError) as caught:
        api.upload_file(empty)
    assert caught.value.method == "upload.file"
    assert caught.value.code == 1


# -- caching --------------------------------------------------------------------


def test_cached_reads_are_not_sent_again(
    sandbox: Sandbox, desktop_app: Any, token: dict[str, Any], alice: Any
) -> None:
    api = make_client(sandbox, desktop_app, token, cache=SimpleCache())
    doc = sandbox.add_doc(alice, title="Cached")
    first = api.doc.get(doc_id=doc.doc_id)
    before = len(calls_to(sandbox, "doc.get"))
    assert api.doc.get(doc_id=doc.doc_id) == first
    assert len(calls_to(sandbox, "doc.get")) == before


def test_a_write_invalidates_that_tokens_cached_reads(
    sandbox: Sandbox, desktop_app: Any, token: dict[str, Any], alice: Any
) -> None:
    api = make_client(sandbox, desktop_app, token, cache=SimpleCache())
    doc = sandbox.add_doc(alice, title="Old title")
    assert api.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "Old title"
    api.doc.set(doc_id=doc.doc_id, title="New title")
    assert api.doc.get(doc_id=doc.doc_id)["doc"]["title"] == "New title"


def test_errors_are_not_cached(
    sandbox: Sandbox, api: IpernityAPI, desktop_app: Any, token: dict[str, Any]
) -> None:
    cached = make_client(sandbox, desktop_app, token, cache=SimpleCache())
    with pytest.raises(NotFound):
        cached.doc.get(doc_id=123_456_789)
    before = len(calls_to(sandbox, "doc.get"))
    with pytest.raises(NotFound):
        cached.doc.get(doc_id=123_456_789)
    assert len(calls_to(sandbox, "doc.get")) == before + 1


def test_cache_keys_never_hold_the_token(
    sandbox: Sandbox, desktop_app: Any, token: dict[str, Any]
) -> None:
    store = SimpleCache()
    api = make_client(sandbox, desktop_app, token, cache=store)
    api.test.echo(echo="x")
    keys = list(store._cache)
    assert keys
    assert not any(token["token"] in key for key in keys)


def test_different_tokens_do_not_share_cached_answers(
    sandbox: Sandbox, desktop_app: Any, alice: Any, bob: Any
) -> None:
    store = SimpleCache()
    as_alice = make_client(
        sandbox, desktop_app, sandbox.grant(alice, desktop_app, {"doc": "read"}), cache=store
    )
    as_bob = make_client(
        sandbox, desktop_app, sandbox.grant(bob, desktop_app, {"doc": "read"}), cache=store
    )
    assert as_alice.user.get()["user"]["username"] == alice.username
    assert as_bob.user.get()["user"]["username"] == bob.username


def test_a_slow_answer_is_not_asked_again(silent_server: str) -> None:
    api = IpernityAPI("k", "s", url=silent_server, timeout=(1, 0.3), retries=3)
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        api.test.hello()
    # One read timeout, not four: a visitor would otherwise wait four times as long.
    assert time.monotonic() - started < 1.2


def test_parameters_may_share_names_with_the_clients_arguments(api: IpernityAPI) -> None:
    assert api.test.echo(echo="hi", method_name="x")["echo"] == "hi"
    assert api.call("test.echo", echo="hi", method_name="x")["echo"] == "hi"


def test_an_invalid_ticket_is_an_upload_error(api: IpernityAPI) -> None:
    with pytest.raises(UploadError, match=r"sunset\.jpg.*ticket invalid") as caught:
        wait_for_ticket(api, "987654321", "sunset.jpg", timeout=5)
    assert caught.value.ticket == "987654321"
    assert caught.value.filename == "sunset.jpg"


def test_an_upload_gives_up_after_its_deadline(sandbox: Sandbox, api: IpernityAPI) -> None:
    api.upload_timeout = 0.6
    sandbox.settings.upload_delay = 30
    try:
        started = time.monotonic()
        with pytest.raises(UploadTimeout, match=r"not done after 0\.6 s"):
            api.upload_file(io.BytesIO(jpeg_bytes()), title="Slow")
        assert time.monotonic() - started < 3
    finally:
        sandbox.settings.upload_delay = 0


def test_an_upload_waits_for_its_ticket_as_the_eta_says(
    sandbox: Sandbox, api: IpernityAPI
) -> None:
    sandbox.settings.upload_delay = 1
    try:
        started = time.monotonic()
        doc_id = api.upload_file(io.BytesIO(jpeg_bytes()), title="Patience")
        assert time.monotonic() - started >= 0.9
    finally:
        sandbox.settings.upload_delay = 0
    assert api.doc.get(doc_id=doc_id)["doc"]["title"] == "Patience"
    polls = [call for call in sandbox.calls if call.method == "upload.checkTickets"]
    assert polls


def test_the_environments_proxy_settings_are_read_once_per_host(
    api: IpernityAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reading them on every call cost a third of a small call's time.
    assert api.test.echo(echo="first")["echo"] == "first"
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    assert api.test.echo(echo="second")["echo"] == "second"
