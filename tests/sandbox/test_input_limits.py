"""Hostile input the security review sent: odd numbers, odd names, odd redirects, huge fields.

Each answer must be the service's own (an envelope, a 404, a redirect home),
never error 999, a 500, or a traceback in the log.
"""

from __future__ import annotations

import logging
import secrets
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from ipernity import catalogue
from ipernity.sandbox import Sandbox
from ipernity.sandbox.methods import registry
from ipernity.signing import encode_params, signature


def unique(name: str) -> str:
    return f"{name}{secrets.token_hex(4)}"


#: Numbers the service cannot take: digits of other scripts, past 64 bits, negative.
ODD_NUMBERS = ["²", "①", "٣", str(2**64), str(-(2**64)), "-5"]
#: Parameters that hold records' ids, and the record each gets when not under attack.
ID_PARAMS = ("doc_id", "album_id", "folder_id", "group_id", "post_id", "comment_id")
PERMS = dict.fromkeys(("doc", "blog", "network", "profile", "group", "post"), "delete")
SKIPPED = {"api_key", "auth_token", "api_sig", "format", "file"}


@pytest.fixture(scope="module")
def world(sandbox: Sandbox) -> dict[str, Any]:
    """A member owning one of everything, a token granting all, valid ids for every method."""
    app = sandbox.add_app(unique("Numbers "), auth="desktop")
    alice = sandbox.add_user(unique("numbers_alice"))
    bob = sandbox.add_user(unique("numbers_bob"))
    doc = sandbox.add_doc(alice, "d")
    album = sandbox.add_album(alice, "a", docs=[doc])
    folder = sandbox.add_folder(alice, "f", albums=[album])
    group = sandbox.add_group(unique("g"), members=[alice], admins=[alice], docs=[doc])
    post = sandbox.add_post(alice, "p", "x")
    comment = sandbox.add_comment(alice, doc, "c")
    ids = [doc.doc_id, album.album_id, folder.folder_id, group.group_id, post.post_id, comment]
    return {
        "app": app,
        "token": sandbox.grant(alice, app, PERMS)["token"],
        "base": dict(zip(ID_PARAMS, map(str, ids), strict=True)) | {"user_id": str(bob.user_id)},
    }


def _call(
    sandbox: Sandbox, world: dict[str, Any], method: catalogue.Method, params: dict[str, str]
) -> requests.Response:
    app = world["app"]
    names = {p.name for p in method.parameters}
    base = {name: value for name, value in world["base"].items() if name in names}
    sent = encode_params({"api_key": app.api_key, "auth_token": world["token"], **base, **params})
    if method.sign:
        sent["api_sig"] = signature(sent, app.api_secret, method.name)
    url = f"{sandbox.api_url}{method.name}/json"
    if method.name.startswith("upload."):
        files = {"file": ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 200, "image/jpeg")}
        return requests.post(url, data=sent, files=files, timeout=30)
    if method.post:
        return requests.post(url, data=sent, timeout=30)
    return requests.get(url, params=sent, timeout=30)


def _numeric_cases() -> Iterator[tuple[str, str]]:
    for name in sorted(registry.registered()):
        method = catalogue.get(name)
        assert method is not None
        for param in method.parameters:
            if param.name not in SKIPPED:
                yield name, param.name


@pytest.mark.parametrize(("method_name", "param"), list(_numeric_cases()))
def test_odd_numbers_in_any_parameter_of_any_method_get_an_answer(
    sandbox: Sandbox, world: dict[str, Any], caplog, method_name: str, param: str
) -> None:
    method = catalogue.get(method_name)
    assert method is not None
    with caplog.at_level(logging.ERROR, logger="ipernity.sandbox"):
        for value in ODD_NUMBERS:
            response = _call(sandbox, world, method, {param: value})
            assert response.status_code == 200, (value, response.text)
            answer = response.json()["api"]
            assert answer["status"] in ("ok", "error")
            assert answer.get("code") != "999", (value, answer)
    assert not [r for r in caplog.records if r.name.startswith("ipernity.sandbox")]


@pytest.mark.parametrize(
    ("method_name", "param", "value"),
    [
        ("doc.search", "license", "²"),
        ("doc.search", "license", "1,①"),
        ("doc.search", "license", str(2**64)),
        ("doc.search", "license", "-1"),
        ("doc.search", "posted_min", "①"),
        ("doc.getList", "per_page", "-5"),
        ("doc.getList", "page", "9" * 30),
        ("upload.file", "created_at", "①"),
        ("upload.file", "created_at", str(2**64)),
        ("upload.file", "license", "²"),
        ("upload.file", "license", "-3"),
    ],
)
def test_a_number_the_service_cannot_take_is_error_3(
    sandbox: Sandbox, world: dict[str, Any], method_name: str, param: str, value: str
) -> None:
    method = catalogue.get(method_name)
    assert method is not None
    answer = _call(sandbox, world, method, {param: value}).json()["api"]
    assert answer == {"status": "error", "code": "3", "message": f"Invalid number for {param}"}


def test_text_that_is_no_number_still_reads_as_zero(
    sandbox: Sandbox, world: dict[str, Any]
) -> None:
    method = catalogue.get("doc.search")
    assert method is not None
    answer = _call(sandbox, world, method, {"license": "cc-by", "per_page": "x"}).json()
    assert answer["api"]["status"] == "ok"
    assert answer["docs"]["per_page"] == "20"


# -- media names ----------------------------------------------------------------------


def test_odd_media_names_are_404(sandbox: Sandbox, world: dict[str, Any]) -> None:
    doc_id = world["base"]["doc_id"]
    names = ["²", "².x.jpg", "①.aa.75x.jpg", f"{doc_id}.é.jpg", f"{doc_id}.é.75x.jpg"]
    names += [f"{doc_id}.x.é", f"{'9' * 40}.aa.jpg", "%00.a.b", "\t.a.b"]
    for name in names:
        response = requests.get(sandbox.base_url + "media/" + name, timeout=10)
        assert response.status_code == 404, name


# -- the sign-in page's next ------------------------------------------------------------

HOSTILE_NEXT = [
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    "\t//evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "//evil.com",
    "///evil.com",
    "https://evil.com/",
    "/\r\nSet-Cookie: owned=1",
    "/é",
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_sends_the_browser_off_the_sandbox(
    sandbox: Sandbox, http: requests.Session, sign_in, target: str
) -> None:
    response = sign_in(http, sandbox, unique("nextuser"), next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "owned" not in response.headers.get("Set-Cookie", "")


def test_sign_in_keeps_a_path_on_the_sandbox(
    sandbox: Sandbox, http: requests.Session, sign_in
) -> None:
    target = "/apps/authorize?api_key=k&perm_doc=read"
    response = sign_in(http, sandbox, unique("nextuser"), next=target)
    assert response.headers["Location"] == target


def _auth_link(sandbox: Sandbox, app: Any) -> str:
    params = {"api_key": app.api_key, "perm_doc": "read"}
    params["api_sig"] = signature(params, app.api_secret)
    return requests.Request("GET", sandbox.authorize_url, params=params).prepare().url or ""


def test_a_member_cookie_that_is_not_ascii_signs_nobody_in(sandbox: Sandbox) -> None:
    app = sandbox.add_app(unique("Cookie "), auth="web", callback="http://127.0.0.1:9/cb")
    cookie = "ipernity_sandbox_member=1.\u00e9\u00e9".encode().decode("latin-1")
    response = requests.get(
        _auth_link(sandbox, app), headers={"Cookie": cookie}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302
    assert "/signin" in response.headers["Location"]


def test_a_consent_nonce_that_is_not_ascii_is_refused(sandbox: Sandbox) -> None:
    app = sandbox.add_app(unique("Nonce "), auth="web", callback="http://127.0.0.1:9/cb")
    member = sandbox.add_user(unique("nonce_member"))
    with requests.Session() as browser:
        browser.cookies.update(sandbox.signin_cookies(member))
        answer = browser.post(
            _auth_link(sandbox, app),
            data={"nonce": "é" * 20, "approve": "1"},
            allow_redirects=False,
            timeout=10,
        )
    assert answer.status_code == 400
    assert "Form expired" in answer.text


def test_a_signature_that_is_not_ascii_is_invalid(sandbox: Sandbox, world: dict[str, Any]) -> None:
    app = world["app"]
    params = {"api_key": app.api_key, "auth_token": world["token"], "api_sig": "é" * 32}
    response = requests.post(
        f"{sandbox.api_url}doc.set/json",
        data={**params, "doc_id": world["base"]["doc_id"], "title": "x"},
        timeout=10,
    )
    assert response.json()["api"]["code"] == "105"


# -- the call log -------------------------------------------------------------------------


def test_the_call_log_cuts_large_values_and_keeps_memory_flat() -> None:
    field = "x" * (5 * 1024 * 1024)
    with Sandbox() as own, own.serve(port=0):
        app = own.add_app("Big", auth="desktop")
        with requests.Session() as http:
            http.post(f"{own.api_url}test.echo/json", data={"api_key": app.api_key, "echo": "a"})
            tracemalloc.start()
            try:
                before = tracemalloc.get_traced_memory()[0]
                for _ in range(60):
                    http.post(
                        f"{own.api_url}test.echo/json",
                        data={"api_key": app.api_key, "echo": field},
                        timeout=30,
                    )
                grown = tracemalloc.get_traced_memory()[0] - before
            finally:
                tracemalloc.stop()
        recorded = own.calls[-1].params["echo"]
    assert recorded.startswith("x" * 256)
    assert recorded.endswith(f"… ({len(field):,} characters)")
    assert grown < 30 * 1024 * 1024


def test_the_call_log_keeps_the_latest_calls_only() -> None:
    with Sandbox(max_calls=10) as own, own.serve(port=0):
        app = own.add_app("Many", auth="desktop")
        for number in range(25):
            requests.get(
                f"{own.api_url}test.echo/json",
                params={"api_key": app.api_key, "echo": str(number)},
                timeout=10,
            )
        assert len(own.calls) == 10
        assert [call.params["echo"] for call in own.calls] == [str(n) for n in range(15, 25)]
        assert own.calls[-2:] == list(own.calls)[-2:]


def test_the_call_log_keeps_at_most_64_parameters_of_a_call() -> None:
    with Sandbox() as own, own.serve(port=0):
        app = own.add_app("Wide", auth="desktop")
        params = {"api_key": app.api_key} | {f"p{n}": "v" for n in range(500)}
        requests.post(f"{own.api_url}test.echo/json", data=params, timeout=10)
        kept = own.calls[-1].params
    assert len(kept) == 65
    assert kept["…"] == "437 more parameters"


def test_the_call_log_keeps_the_beginning_of_a_long_method_name() -> None:
    method = "doc." + "x" * 60_000
    with Sandbox() as own, own.serve(port=0):
        requests.get(f"{own.api_url}{method}/json", timeout=10)
        logged = own.calls[-1].method
    assert logged.startswith(method[:128])
    assert logged.endswith(f"… ({len(method):,} characters)")
    assert len(logged) < 200


def test_the_call_log_stays_within_its_size_in_bytes() -> None:
    bound = 128 * 1024
    # Each call keeps 64 parameters of 256 two-byte characters: about 33 KB of text.
    params = {f"p{n}": "é" * 300 for n in range(63)}
    with Sandbox(max_call_bytes=bound) as own, own.serve(port=0):
        app = own.add_app("Heavy", auth="desktop")
        for number in range(20):
            requests.post(
                f"{own.api_url}test.echo/json",
                data={"api_key": app.api_key, "echo": str(number), **params},
                timeout=10,
            )
        kept = list(own.calls)
        assert own.calls.bytes <= bound
    assert 1 < len(kept) < 20
    assert kept[-1].params["echo"] == "19"
