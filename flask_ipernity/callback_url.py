"""This site's callback URL: from configuration, never from a request's ``Host`` header.

The ``Host`` header is the visitor's to choose: an OAuth callback built from
it would send a member's approval to whatever host an attacker's ``/login``
named, and tell him the moment she approved. So the URL comes from
``IPERNITY_CALLBACK_URL``, else from ``SERVER_NAME`` (with
``PREFERRED_URL_SCHEME`` and ``APPLICATION_ROOT``, as Flask builds URLs outside
requests). Only the embedded sandbox, for development, may go without either:
it then uses the address the development server is bound to.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from flask import current_app, request

# The port each scheme uses when a URL names none.
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def is_configured(config: Mapping[str, Any]) -> bool:
    """Tell whether ``config`` names the callback: ``IPERNITY_CALLBACK_URL`` or ``SERVER_NAME``."""
    return bool(config.get("IPERNITY_CALLBACK_URL") or config.get("SERVER_NAME"))


def callback_url() -> str:
    """Return the URL of this site's ``ipernity.callback`` view, as configured.

    Without configuration (the embedded sandbox only), the address the server
    is bound to, as the WSGI server reports it; an unspecified address
    (``0.0.0.0``) reads ``127.0.0.1``, where the embedded sandbox sends browsers.
    """
    config = current_app.config
    configured = config.get("IPERNITY_CALLBACK_URL")
    if configured:
        return str(configured)
    if config.get("SERVER_NAME"):
        return _build(str(config["SERVER_NAME"]), str(config["PREFERRED_URL_SCHEME"]))
    environ = request.environ
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    return _build(bound_address(environ, scheme), scheme)


def bound_address(environ: Mapping[str, Any], scheme: str = "http") -> str:
    """``host[:port]`` of the server, from the WSGI ``SERVER_NAME`` and ``SERVER_PORT``."""
    host = str(environ.get("SERVER_NAME") or "127.0.0.1")
    port = str(environ.get("SERVER_PORT") or "")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and address.is_unspecified:
        host = "127.0.0.1"
    elif address is not None and address.version == 6:
        host = f"[{host}]"
    if not port or port == _DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


def _build(server_name: str, scheme: str) -> str:
    adapter = current_app.url_map.bind(
        server_name,
        script_name=str(current_app.config.get("APPLICATION_ROOT") or "/"),
        url_scheme=scheme or "http",
    )
    return adapter.build("ipernity.callback", force_external=True)
