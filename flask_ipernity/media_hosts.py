"""Where the media proxy may fetch from: allowed hosts, public addresses, no second lookup.

A media URL comes from an API answer, which the site cannot vouch for: an
answer naming ``http://127.0.0.1:6379/…`` or ``http://169.254.169.254/…``
must not turn the proxy into the site's way into its own network (SSRF). So
before any byte is sent:

- the URL's host must be one of ``IPERNITY_MEDIA_HOSTS`` (by default the
  domain of the configured service, ``.ipernity.com`` for Ipernity), or one of
  ``IPERNITY_MEDIA_LOCAL_HOSTS``;
- its name is resolved once, and every address it resolves to must be public:
  loopback, private, link-local, shared, reserved, multicast and unspecified
  addresses are refused, IPv4 and IPv6 alike, including IPv4 inside IPv6
  (mapped, 6to4, Teredo). Only the hosts of ``IPERNITY_MEDIA_LOCAL_HOSTS``
  (the embedded sandbox's own address, which the extension adds) may be on
  this machine or its network;
- the connection goes to the address that was checked, with the name in the
  ``Host`` header and, for HTTPS, in the TLS handshake (SNI and the
  certificate's check): no second lookup that DNS rebinding could answer
  differently.
"""

from __future__ import annotations

import http.cookiejar
import ipaddress
import logging
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit, urlunsplit

import requests

from ipernity.deadline import DeadlineAdapter

if TYPE_CHECKING:
    from requests.adapters import _HostParams, _PoolKwargs
    from requests.models import PreparedRequest

log = logging.getLogger("flask_ipernity")

_DEFAULT_PORTS = {"http": 80, "https": 443}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class MediaRefused(Exception):
    """The media URL names a host or an address the proxy does not fetch from."""


class MediaUnreachable(Exception):
    """The media URL's host name could not be resolved in time."""


@dataclass(frozen=True)
class HostPattern:
    """One entry of ``IPERNITY_MEDIA_HOSTS``: a host, or a domain with its subdomains.

    :param host: the host name or address, lower case, IPv6 without brackets.
    :param subdomains: whether the domain's subdomains match too (an entry
        written with a leading dot, ``.ipernity.com``).
    :param port: the port; ``None`` for the scheme's default port.
    """

    host: str
    subdomains: bool
    port: int | None

    @classmethod
    def parse(cls, entry: str) -> HostPattern:
        """Read ``"u1.ipernity.com"``, ``".ipernity.com"``, ``"127.0.0.1:5000"`` or a URL.

        :raises ValueError: for an entry that names no host, or a bad port.
        """
        text = entry.strip()
        subdomains = text.startswith(".")
        parts = urlsplit(text if "://" in text else "//" + text.lstrip("."))
        if not parts.hostname:
            raise ValueError(f"{entry!r} names no host")
        return cls(parts.hostname.lower(), subdomains, parts.port)

    def matches(self, host: str, port: int, default_port: int) -> bool:
        """Whether ``host`` on ``port`` is this entry's.

        :param port: the URL's port, or its scheme's default.
        :param default_port: the scheme's default port, an entry's when it names none.
        """
        if port != (self.port or default_port):
            return False
        return host == self.host or (self.subdomains and host.endswith("." + self.host))


@dataclass(frozen=True)
class Target:
    """A media URL checked and pinned to the address it will be fetched from.

    :param url: the URL with the checked address in place of the host name.
    :param host_header: the ``Host`` header: the URL's own host (and port).
    :param server_name: the name the TLS handshake sends and checks the certificate for.
    """

    url: str
    host_header: str
    server_name: str


class MediaHosts:
    """The hosts and addresses the media proxy may fetch from.

    :param allowed: entries of ``IPERNITY_MEDIA_HOSTS`` (see :class:`HostPattern`).
    :param local: entries of ``IPERNITY_MEDIA_LOCAL_HOSTS``: hosts (with their
        port) that may resolve to addresses of this machine or its network.
    """

    def __init__(self, allowed: Iterable[str], local: Iterable[str] = ()) -> None:
        self.allowed = tuple(HostPattern.parse(entry) for entry in allowed)
        self.local = tuple(HostPattern.parse(entry) for entry in local)

    @classmethod
    def for_service(cls, api_url: str, local: Iterable[str] = ()) -> MediaHosts:
        """The hosts of the service at ``api_url``: its domain and subdomains.

        ``https://api.ipernity.com/api/`` gives ``.ipernity.com`` (``www.``,
        ``u1.``, ``s.``…); a service named by an address or a one-word name
        (``localhost``) gives that host and port only.
        """
        parts = urlsplit(api_url)
        host = (parts.hostname or "").lower()
        port = f":{parts.port}" if parts.port is not None else ""
        if _is_address(host) or host.count(".") < 1:
            return cls([f"[{host}]{port}" if ":" in host else f"{host}{port}"], local)
        labels = host.split(".")
        domain = ".".join(labels[1:] if len(labels) > 2 else labels)
        return cls([f".{domain}{port}"], local)

    def pin(self, url: str, resolve_timeout: float) -> Target:
        """Check ``url`` and resolve its host once; return it pinned to a checked address.

        :param resolve_timeout: seconds the name's lookup may take.
        :raises MediaRefused: when the host is not allowed, or resolves to an
            address the proxy does not fetch from.
        :raises MediaUnreachable: when the host cannot be resolved in time.
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        default_port = _DEFAULT_PORTS.get(parts.scheme, 0)
        port = parts.port or default_port
        local = any(pattern.matches(host, port, default_port) for pattern in self.local)
        allowed = local or any(
            pattern.matches(host, port, default_port) for pattern in self.allowed
        )
        if not allowed:
            raise MediaRefused(f"the media host {host} is not in IPERNITY_MEDIA_HOSTS")
        addresses = _resolve(host, port, resolve_timeout)
        if not local:
            for address in addresses:
                if not is_public(address):
                    raise MediaRefused(f"the media host {host} resolves to a non-public address")
        address = addresses[0]
        pinned_host = f"[{address}]" if address.version == 6 else str(address)
        netloc = f"{pinned_host}:{port}"
        host_header = parts.netloc.rsplit("@", 1)[-1]
        pinned = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        return Target(pinned, host_header, host)


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is on the public Internet, not this machine or its network.

    IPv4 carried in IPv6 (mapped ``::ffff:a.b.c.d``, 6to4, Teredo) is judged
    by the IPv4 address it carries.
    """
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is not None:
            return is_public(carried)
        if address.teredo is not None:
            return all(is_public(part) for part in address.teredo)
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def new_media_session() -> requests.Session:
    """A session for media files: pinned addresses, no cookies, no proxies from the environment.

    An environment proxy would do its own lookup of the name, out of reach of
    the address check: media files are fetched directly.
    """
    session = requests.Session()
    session.trust_env = False
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = PinnedAdapter(pool_connections=4, pool_maxsize=16)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class PinnedAdapter(DeadlineAdapter):
    """Sends HTTPS requests made to a pinned address with the host's name in TLS.

    The URL names the checked address; the ``Host`` header names the host,
    which the handshake sends (SNI) and the certificate must be valid for.
    """

    def build_connection_pool_key_attributes(
        self,
        request: PreparedRequest,
        verify: bool | str,
        cert: tuple[str, str] | str | None = None,
    ) -> tuple[_HostParams, _PoolKwargs]:
        """urllib3's pool settings, with the server's name for pinned HTTPS requests."""
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        host_header = request.headers.get("Host")
        if host_params["scheme"] == "https" and host_header:
            name = urlsplit("//" + str(host_header)).hostname
            # urllib3 takes both; requests' type stubs name only its own keys.
            tls = cast("dict[str, Any]", pool_kwargs)
            tls["server_hostname"] = name
            tls["assert_hostname"] = name
        return host_params, pool_kwargs


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve(host: str, port: int, timeout: float) -> list[IPAddress]:
    """The addresses of ``host``, looked up once, within ``timeout`` seconds.

    The system's resolver has no timeout of its own: it runs in a thread of
    its own, which is left behind (as a daemon) if it does not answer in time.
    """
    if _is_address(host):
        return [ipaddress.ip_address(host)]
    found: list[list[IPAddress]] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.append([ipaddress.ip_address(str(info[4][0])) for info in infos])
        except (OSError, ValueError):
            found.append([])
        finally:
            done.set()

    threading.Thread(target=look_up, name="media-host-lookup", daemon=True).start()
    if not done.wait(timeout) or not found or not found[0]:
        raise MediaUnreachable(f"the media host {host} could not be resolved in time")
    return found[0]
