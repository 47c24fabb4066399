"""Links in answers name the sandbox's web root, :attr:`Sandbox.url`, never the API host.

On the service, ``doc.link``, ``user.link`` and album links are on
``www.ipernity.com`` whatever API host was called; the sandbox's pages are at
its ``url``, so every link names it, whatever host or URL form a call used.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from ipernity.sandbox import App, Sandbox, User
from ipernity.signing import encode_params, signature


class _Quiet(WSGIRequestHandler):
    def log(self, *args: Any) -> None:
        """Say nothing: a test's requests are no news."""


def links(
    api_url: str, app: App, owner: User, doc_id: int, album_id: int, **headers: str
) -> list[str]:
    """The links of ``doc.get``, ``user.get`` and ``album.get``, called through ``api_url``."""

    def get(method: str, **params: Any) -> dict[str, Any]:
        sent = encode_params({"api_key": app.api_key, **params})
        sent["api_sig"] = signature(sent, app.api_secret, method)
        answer: dict[str, Any] = requests.get(
            api_url + method, params=sent, headers=headers, timeout=30
        ).json()
        return answer

    return [
        get("doc.get", doc_id=doc_id)["doc"]["link"],
        get("user.get", user_id=owner.user_id)["user"]["link"],
        get("album.get", album_id=album_id)["album"]["link"],
    ]


@pytest.fixture
def own() -> Iterator[Sandbox]:
    """A sandbox of its own, not serving, for the tests that set its url."""
    sb = Sandbox()
    yield sb
    sb.close()


def test_links_name_the_sandbox_url_whatever_host_the_call_came_in_on(
    sandbox: Sandbox, desktop_app, alice
) -> None:
    doc = sandbox.add_doc(alice, title="Linked")
    album = sandbox.add_album(alice, "Linked album", docs=[doc])
    through_another_host = links(
        sandbox.api_url, desktop_app, alice, doc.doc_id, album.album_id, Host="api.elsewhere.test"
    )
    assert through_another_host == [
        f"{sandbox.url}doc/{alice.user_id}/{doc.doc_id}",
        f"{sandbox.url}home/{alice.username}",
        f"{sandbox.url}doc/{alice.user_id}/album/{album.album_id}",
    ]


def test_the_sandbox_url_is_its_base_url_while_serving(sandbox: Sandbox) -> None:
    assert sandbox.url == sandbox.base_url


def test_links_name_the_url_set_for_the_sandbox(own: Sandbox) -> None:
    app, alice = own.add_app("Linker", auth="desktop"), own.add_user("alice")
    doc = own.add_doc(alice, title="Elsewhere")
    album = own.add_album(alice, "Elsewhere", docs=[doc])
    own.url = "https://sandbox.example.test/pages"
    with own.serve(port=0):
        found = links(own.api_url, app, alice, doc.doc_id, album.album_id)
    assert all(link.startswith("https://sandbox.example.test/pages/") for link in found)


def test_a_mounted_sandbox_without_a_url_links_to_the_root_it_was_called_at(own: Sandbox) -> None:
    app, alice = own.add_app("Mounted", auth="desktop"), own.add_user("alice")
    doc = own.add_doc(alice, title="Mounted")
    album = own.add_album(alice, "Mounted", docs=[doc])
    server = make_server("127.0.0.1", 0, own.wsgi_app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_port}/"
        found = links(root + "api/", app, alice, doc.doc_id, album.album_id)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert all(link.startswith(root) for link in found)


@pytest.mark.parametrize("url", ["www.example.test", "ftp://example.test/", "https://"])
def test_the_url_must_be_an_http_url(own: Sandbox, url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        own.url = url


def test_a_sandbox_neither_serving_nor_given_a_url_has_none(own: Sandbox) -> None:
    with pytest.raises(RuntimeError):
        _ = own.url
