"""Faults on demand, persistence, concurrency, hostile input, mounting, the command."""

from __future__ import annotations

import io
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests
from PIL import Image
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from ipernity.sandbox import Sandbox
from ipernity.sandbox.seed import seed_demo
from ipernity.signing import signature


@pytest.fixture
def own() -> Iterator[Sandbox]:
    """A sandbox of its own, serving, for tests that change global behaviour."""
    sb = Sandbox()
    with sb.serve(port=0):
        yield sb
    sb.close()


def get(sb: Sandbox, method: str, **params: str) -> requests.Response:
    return requests.get(f"{sb.api_url}{method}/json", params=params, timeout=10)


# -- faults --------------------------------------------------------------------------


def test_fail_next_answers_an_error_code_once(own: Sandbox) -> None:
    app = own.add_app("F", auth="desktop")
    own.fail_next("test.hello", code=113)
    assert get(own, "test.hello", api_key=app.api_key).json()["api"]["code"] == "113"
    assert get(own, "test.hello", api_key=app.api_key).json()["api"]["status"] == "ok"
    assert [c.fault for c in own.calls] == ["error", None]


def test_fail_next_hits_only_its_method(own: Sandbox) -> None:
    app = own.add_app("F", auth="desktop")
    own.fail_next("test.echo", code=113)
    assert get(own, "test.hello", api_key=app.api_key).json()["api"]["status"] == "ok"
    assert get(own, "test.echo", api_key=app.api_key).json()["api"]["code"] == "113"


def test_fail_next_star_hits_any_method_times_times(own: Sandbox) -> None:
    app = own.add_app("F", auth="desktop")
    own.fail_next("*", code=112, times=2)
    codes = [
        get(own, m, api_key=app.api_key).json()["api"].get("code")
        for m in ("test.hello", "test.echo", "test.hello")
    ]
    assert codes == ["112", "112", None]


def test_an_http_500_fault(own: Sandbox) -> None:
    own.fail_next("test.hello", http_status=500)
    response = get(own, "test.hello")
    assert response.status_code == 500
    assert "text/html" in response.headers["Content-Type"]


def test_an_html_error_page_fault(own: Sandbox) -> None:
    own.fail_next("test.hello", html=True)
    response = get(own, "test.hello")
    assert response.status_code == 502
    assert response.text.lstrip().startswith("<!doctype html>")


def test_a_truncated_answer_fault(own: Sandbox) -> None:
    own.fail_next("test.hello", truncated=True)
    response = get(own, "test.hello")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_a_dropped_connection_fault(own: Sandbox) -> None:
    own.fail_next("test.hello", drop=True)
    with pytest.raises(requests.ConnectionError):
        get(own, "test.hello")
    assert own.calls[-1].fault == "drop"


def test_latency_delays_answers(own: Sandbox) -> None:
    own.latency = 0.2
    started = time.monotonic()
    get(own, "test.hello")
    assert time.monotonic() - started >= 0.2


def test_calls_can_be_cleared(own: Sandbox) -> None:
    get(own, "test.hello")
    own.calls.clear()
    assert own.calls == []


# -- persistence ---------------------------------------------------------------------


def test_state_persists_in_a_database_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    first = Sandbox(db=path)
    app = first.add_app("Kept", auth="desktop")
    alice = first.add_user("alice")
    doc = first.add_doc(alice, title="Kept doc")
    token = first.grant(alice, app, {"doc": "read"})
    cookies = first.signin_cookies(alice)
    first.close()
    second = Sandbox(db=str(path))
    with second.serve(port=0):
        params = {"api_key": app.api_key, "auth_token": token["token"], "doc_id": str(doc.doc_id)}
        assert get(second, "doc.get", **params).json()["doc"]["title"] == "Kept doc"
    assert second.signin_cookies(alice) == cookies
    second.close()


# -- concurrency ---------------------------------------------------------------------


def test_many_threads_calling_at_once_get_their_own_answers(
    sandbox: Sandbox, desktop_app, alice
) -> None:
    token = sandbox.grant(alice, desktop_app, {"doc": "write"})["token"]

    def work(n: int) -> tuple[str, str]:
        with requests.Session() as session:
            params = {"api_key": desktop_app.api_key, "echo": f"call {n}"}
            echoed = session.get(
                sandbox.api_url + "test.echo/json", params=params, timeout=20
            ).json()
            data = {"api_key": desktop_app.api_key, "auth_token": token, "title": f"T{n}"}
            data["api_sig"] = signature(data, desktop_app.api_secret, "album.create")
            album = session.post(
                sandbox.api_url + "album.create/json", data=data, timeout=20
            ).json()
            return echoed["echo"], album["album"]["title"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(work, range(48)))
    assert results == [(f"call {n}", f"T{n}") for n in range(48)]
    count = sandbox.store.scalar(
        "SELECT COUNT(*) FROM albums WHERE owner_id = ?", (alice.user_id,)
    )
    assert count == 48


# -- hostile input -------------------------------------------------------------------


HOSTILE = [
    "' OR '1'='1",
    "1; DROP TABLE docs; --",
    "99999999999999999999999999999999",
    "-1",
    "\x00",
    "é" * 500,
    "%",
    "[]",
    "nan",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "method",
    [
        "doc.get",
        "doc.getList",
        "doc.search",
        "album.get",
        "group.get",
        "user.get",
        "tags.docs.getList",
    ],
)
def test_hostile_values_get_an_envelope(
    sandbox: Sandbox, desktop_app, http, method: str, value: str
) -> None:
    names = ("doc_id", "user_id", "album_id", "group_id", "text", "id", "type", "per_page", "page")
    params = dict.fromkeys((*names, "extra", "thumbsize"), value)
    response = http.get(
        f"{sandbox.api_url}{method}/json", params={"api_key": desktop_app.api_key, **params}
    )
    assert response.status_code == 200
    assert response.json()["api"]["status"] in ("ok", "error")
    assert response.json()["api"].get("code") != "999"


def test_non_utf8_bytes_get_an_envelope(sandbox: Sandbox, desktop_app, http) -> None:
    url = f"{sandbox.api_url}test.echo/json?api_key={desktop_app.api_key}&echo=%ff%fe%c3"
    answer = http.get(url)
    assert answer.status_code == 200
    assert answer.json()["api"]["status"] == "ok"


def test_a_non_utf8_form_body_gets_an_envelope(sandbox: Sandbox, desktop_app, http) -> None:
    body = f"api_key={desktop_app.api_key}&echo=".encode() + b"\xff\xfe"
    answer = http.post(
        f"{sandbox.api_url}test.echo/json",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.json()["api"]["status"] == "ok"


def test_a_malformed_multipart_body_gets_an_envelope(sandbox: Sandbox, desktop_app, http) -> None:
    answer = http.post(
        f"{sandbox.api_url}upload.file/json?api_key={desktop_app.api_key}",
        data=b"--xx\r\ngarbage",
        headers={"Content-Type": "multipart/form-data; boundary=xx"},
    )
    assert answer.status_code == 200
    assert answer.json()["api"]["status"] == "error"


def test_a_handler_bug_answers_999_without_a_traceback(own: Sandbox) -> None:
    app = own.add_app("Bug", auth="desktop")
    alice = own.add_user("alice")
    own.store.execute("DROP TABLE posts")  # every post method now fails inside
    response = get(own, "post.getList", api_key=app.api_key, user_id=str(alice.user_id))
    assert response.status_code == 200
    assert response.json() == {
        "api": {"status": "error", "code": "999", "message": "Internal sandbox error"}
    }


def test_a_media_url_that_is_not_a_file_is_404(sandbox: Sandbox, http) -> None:
    for name in ["x", "1.2.3.4.5", "99999999999999999999.aa.jpg", "1.x.75x.png"]:
        assert http.get(sandbox.base_url + "media/" + name).status_code == 404


# -- mounting ------------------------------------------------------------------------


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_wsgi_app_works_under_a_path_prefix(own: Sandbox) -> None:
    app = own.add_app("Mounted", auth="web", callback="http://127.0.0.1:9/cb")
    alice = own.add_user("alice")
    site = DispatcherMiddleware(lambda e, s: [], {"/ipernity": own.wsgi_app})
    server = make_server("127.0.0.1", 0, site, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_port}/ipernity/"
        echo = requests.get(
            root + "api/test.echo/json", params={"api_key": app.api_key, "echo": "hi"}, timeout=10
        )
        assert echo.json()["echo"] == "hi"
        params = {"api_key": app.api_key, "perm_doc": "read"}
        params["api_sig"] = signature(params, app.api_secret)
        first = requests.get(
            root + "apps/authorize", params=params, allow_redirects=False, timeout=10
        )
        assert first.headers["Location"].startswith("/ipernity/signin?")
        with requests.Session() as browser:
            browser.cookies.update(own.signin_cookies(alice))
            consent = browser.get(root + "apps/authorize", params=params, timeout=10)
            assert "<form name='fa'" in consent.text
        doc = own.add_doc(alice, title="Prefixed")
        own.url = root  # where its pages are, now that it is mounted
        url = requests.get(
            root + "api/doc.get/json",
            params={"api_key": app.api_key, "doc_id": doc.doc_id},
            timeout=10,
        )
        thumb = url.json()["doc"]["thumbs"]["thumb"][0]["url"]
        assert thumb.startswith(root + "media/")
        assert requests.get(thumb, timeout=10).headers["Content-Type"] == "image/jpeg"
    finally:
        server.shutdown()
        server.server_close()


# -- the demo seed and the command ---------------------------------------------------


def test_the_demo_seed_is_deterministic_and_draws_no_picture() -> None:
    sandbox = Sandbox()
    first = seed_demo(sandbox)
    # Pictures are drawn when first asked for: seeding stays quick however many there are.
    assert sandbox.store.scalar("SELECT COUNT(*) FROM blobs") == 0
    assert sandbox.store.scalar("SELECT COUNT(*) FROM thumbnails") == 0
    second = seed_demo(Sandbox())
    assert first == second
    assert first.web_app.callback == "http://127.0.0.1:5000/callback"
    assert [m.username for m in first.members] == ["alice", "bob"]


def test_the_demo_has_a_few_hundred_real_photos(http) -> None:
    sb = Sandbox()
    demo = seed_demo(sb)
    with sb.serve(port=0):
        alice = demo.members[0]
        docs = get(
            sb, "doc.getList", api_key=demo.desktop_app.api_key, user_id=str(alice.user_id)
        ).json()
        assert int(docs["docs"]["total"]) > 100
        url = docs["docs"]["doc"][0]["thumb"]["url"]
        assert http.get(url).content[:3] == b"\xff\xd8\xff"
    assert sb.store.scalar("SELECT COUNT(*) FROM docs") >= 300
    sb.close()


def test_the_demo_photos_are_camera_sized_and_every_size_is_a_real_reduction(
    http: requests.Session,
) -> None:
    sb = Sandbox()
    demo = seed_demo(sb)
    with sb.serve(port=0):
        key = demo.desktop_app.api_key
        alice = demo.members[0]
        listed = get(sb, "doc.getList", api_key=key, user_id=str(alice.user_id)).json()
        first = listed["docs"]["doc"][0]
        # A thumbnail asked for before the original was ever drawn has its size too.
        with Image.open(io.BytesIO(http.get(first["thumb"]["url"], timeout=10).content)) as early:
            assert early.size == (int(first["thumb"]["w"]), int(first["thumb"]["h"]))
        doc_id = first["doc_id"]
        doc = get(sb, "doc.get", api_key=key, doc_id=doc_id).json()["doc"]
        original = doc["original"]
        assert {original["w"], original["h"]} == {"4000", "3000"}
        with Image.open(io.BytesIO(http.get(original["url"], timeout=30).content)) as picture:
            assert picture.size == (int(original["w"]), int(original["h"]))
        assert int(original["bytes"]) == len(http.get(original["url"], timeout=30).content)
        for thumb in doc["thumbs"]["thumb"]:
            size = (int(thumb["w"]), int(thumb["h"]))
            assert max(size) < 4000
            with Image.open(io.BytesIO(http.get(thumb["url"], timeout=10).content)) as picture:
                assert picture.size == size, thumb["label"]
    sb.close()


def test_each_demo_album_has_a_cover_of_its_own() -> None:
    sb = Sandbox()
    seed_demo(sb)
    covers = [row["cover_id"] for row in sb.store.query("SELECT cover_id FROM albums")]
    assert len(covers) > 1
    assert None not in covers
    assert len(set(covers)) == len(covers)
    sb.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_command_serves_the_demo_and_stops_cleanly_on_ctrl_c() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ipernity.sandbox",
            "--port",
            str(port),
            "--allow-host",
            "lap.test",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as a person's terminal delivers it, even when this suite was
        # started in the background with SIGINT ignored (inherited by children).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            line = process.stdout.readline()
            assert line, "the sandbox ended before serving"
            lines.append(line)
        assert lines[1].split()[-1] == f"http://127.0.0.1:{port}/api/"
        answer = requests.get(f"http://127.0.0.1:{port}/api/test.hello/json", timeout=10)
        assert answer.json()["api"]["code"] == "100"
        named = requests.get(
            f"http://127.0.0.1:{port}/", headers={"Host": f"lap.test:{port}"}, timeout=10
        )
        assert named.status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        # Whatever failed above, no sandbox outlives the test.
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "api_secret" in "".join(lines)
    assert "alice (Alice Martin)" in "".join(lines)
    assert "Stopped." in out
    assert "Traceback" not in err
