"""The client's surface: names, credentials and checks made before any request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ipernity import IpernityAPI, UnknownMethod, catalogue
from ipernity.auth import AuthHandler, DesktopAuthHandler, WebAuthHandler
from ipernity.method import IpernityMethod

KEY = "6fa87ba500002712bd4eed6020f3bd72"
SECRET = "e9a599f0cf6ce193"
TOKEN = {
    "token": "tok-abc",
    "permissions": {"doc": "write", "blog": "none", "network": "read"},
    "user": {"user_id": "7", "username": "alice", "realname": "Alice"},
}


def test_every_service_prefix_reaches_the_service() -> None:
    api = IpernityAPI(KEY, SECRET)
    for prefix in catalogue.prefixes() - {"auth"}:
        assert isinstance(getattr(api, prefix), IpernityMethod), prefix
    assert repr(api.api.methods.getList) == "<Ipernity method api.methods.getList>"
    assert repr(api.upload.file) == "<Ipernity method upload.file>"


def test_auth_is_the_handler_and_still_reaches_auth_methods() -> None:
    api = IpernityAPI(KEY, SECRET)
    assert isinstance(api.auth, DesktopAuthHandler)
    assert repr(api.auth.getFrob) != ""
    assert repr(api.auth.someOtherMethod) == "<Ipernity method auth.someOtherMethod>"


def test_underscore_names_are_attribute_errors() -> None:
    api = IpernityAPI(KEY, SECRET)
    with pytest.raises(AttributeError):
        api._private  # noqa: B018
    with pytest.raises(AttributeError):
        api.doc._hidden  # noqa: B018


def test_unknown_methods_fail_before_any_request(closed_port_url: str) -> None:
    # Nothing listens at the URL: a request would raise TransportError instead.
    api = IpernityAPI(KEY, SECRET, url=closed_port_url)
    with pytest.raises(UnknownMethod, match=r"doc\.steal"):
        api.doc.steal(doc_id=1)
    with pytest.raises(UnknownMethod):
        api.call("nothing")


def test_auth_must_be_desktop_web_oauth_or_a_handler_class() -> None:
    assert isinstance(IpernityAPI(KEY, SECRET, auth="web").auth, WebAuthHandler)

    class Custom(WebAuthHandler):
        pass

    assert isinstance(IpernityAPI(KEY, SECRET, auth=Custom).auth, Custom)
    with pytest.raises(ValueError, match="'saml' is not supported"):
        IpernityAPI(KEY, SECRET, auth="saml")
    with pytest.raises(ValueError, match="not supported"):
        IpernityAPI(KEY, SECRET, auth=Custom(IpernityAPI(KEY, SECRET)))  # type: ignore[arg-type]


def test_a_token_mapping_gives_member_and_permissions_without_a_call(
    closed_port_url: str,
) -> None:
    api = IpernityAPI(KEY, SECRET, TOKEN, url=closed_port_url)
    assert api.token == "tok-abc"
    assert api.user_info == TOKEN["user"]
    assert api.permissions == TOKEN["permissions"]
    assert api.has_permissions({"doc": "write"})
    assert api.has_permissions({"perm_network": "read"})
    assert not api.has_permissions({"doc": "delete"})
    assert not api.has_permissions({"blog": "read"})


def test_without_a_token_no_permission_is_held() -> None:
    assert not IpernityAPI(KEY, SECRET).has_permissions({"doc": "read"})
    assert not IpernityAPI(KEY, SECRET).has_permissions(None)


@pytest.mark.parametrize("attribute", ["api_key", "api_secret"])
def test_assigning_key_or_secret_drops_the_token(attribute: str) -> None:
    api = IpernityAPI(KEY, SECRET, TOKEN)
    setattr(api, attribute, "new")
    assert api.token is None
    assert getattr(api, attribute) == "new"


def test_repr_shows_no_secret() -> None:
    text = repr(IpernityAPI(KEY, SECRET, TOKEN))
    assert SECRET not in text
    assert "tok-abc" not in text


def test_desktop_authorization_link_is_signed_without_method_name() -> None:
    api = IpernityAPI(KEY, SECRET, auth_url_base="https://auth.example/apps/authorize")
    url = api.auth.auth_url({"network": "read"}, "frob-1")
    assert url.startswith("https://auth.example/apps/authorize?")
    assert "perm_network=read" in url
    assert "frob=frob-1" in url
    assert "auth_token" not in url


def test_web_authorization_link_matches_the_protocol_vector() -> None:
    api = IpernityAPI(KEY, SECRET, auth="web")
    url = api.auth.auth_url({"perm_network": "read"})
    assert "api_sig=da183021cd39461108770b822fcd9398" in url


def test_the_handler_is_abstract() -> None:
    with pytest.raises(TypeError):
        AuthHandler(IpernityAPI(KEY, SECRET))  # type: ignore[abstract]


def test_dir_lists_the_service_prefixes() -> None:
    api = IpernityAPI(KEY, SECRET)
    assert {"doc", "album", "upload", "walk_docs"} <= set(dir(api))
    assert "getList" in dir(api.doc)


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )


def test_importing_the_library_needs_no_flask() -> None:
    # A None entry in sys.modules makes any import of flask fail.
    result = _run_python(
        "import sys; sys.modules['flask'] = None; "
        "import ipernity; from ipernity import IpernityAPI; "
        "IpernityAPI('k', 's'); print('flask' in sys.modules and sys.modules['flask'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_importing_the_library_does_not_import_requests_yet() -> None:
    result = _run_python("import sys, ipernity; print('requests' in sys.modules)")
    assert result.stdout.strip() == "False"


def test_the_package_is_typed() -> None:
    import ipernity

    assert (Path(ipernity.__path__[0]) / "py.typed").is_file()


def test_an_empty_permission_mapping_is_known_not_missing(closed_port_url: str) -> None:
    # Nothing listens: asking auth.checkToken would raise TransportError.
    api = IpernityAPI(KEY, SECRET, {**TOKEN, "permissions": {}}, url=closed_port_url)
    assert api.permissions == {}
    assert not api.has_permissions({"doc": "read"})
