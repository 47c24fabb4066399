"""The media proxy fetches only from the media hosts allowed, at public addresses.

An API answer can name any URL. Here a stand-in Ipernity lists URLs pointing
into the site's own machine (another port of 127.0.0.1, a name that resolves
to it) while a "private" service listens there: the proxy must never reach it.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import trustme
from flask import Flask
from flask.testing import FlaskClient
from media_servers import FakeIpernity, serving

from flask_ipernity import ConfigurationError, Ipernity, current_extension
from flask_ipernity.media_hosts import MediaHosts, MediaRefused, is_public


@pytest.fixture
def fake_ipernity() -> Iterator[FakeIpernity]:
    """The stand-in Ipernity, with its own media files."""
    with serving(FakeIpernity()) as fake:
        yield fake


@pytest.fixture
def private_service() -> Iterator[FakeIpernity]:
    """A service of the site's machine that nobody outside may reach, and its secret."""
    with serving(FakeIpernity()) as service:
        service.files["/secret"] = (200, {"Content-Type": "image/jpeg"}, b"the secret")
        yield service


def site_for(fake: FakeIpernity, **config: object) -> Flask:
    """A site on the stand-in Ipernity, whose own address it may fetch media from."""
    site = Flask(__name__)
    site.config.update(
        SECRET_KEY="s",
        IPERNITY_API_KEY="key",
        IPERNITY_API_SECRET="secret",
        IPERNITY_API_URL=fake.url + "/api/",
        IPERNITY_MEDIA_LOCAL_HOSTS=[fake.url],
        IPERNITY_SANDBOX=False,
        IPERNITY_RETRIES=0,
        IPERNITY_TIMEOUT=(2.0, 2.0),
    )
    site.config.update(config)
    Ipernity(site)
    return site


def port_of(service: FakeIpernity) -> int:
    return int(service.url.rsplit(":", 1)[1])


def test_a_url_on_another_port_of_the_sites_machine_is_never_fetched(
    fake_ipernity: FakeIpernity, private_service: FakeIpernity
) -> None:
    fake_ipernity.thumbs = {"240": private_service.url + "/secret"}
    answer = site_for(fake_ipernity).test_client().get("/media/1/240")
    assert answer.status_code == 502
    assert b"the secret" not in answer.data
    assert private_service.fetched == []


def test_an_allowed_name_that_resolves_to_the_sites_machine_is_never_fetched(
    fake_ipernity: FakeIpernity, private_service: FakeIpernity
) -> None:
    # A media host whose DNS now points at 127.0.0.1 (or ::1): rebinding, or a mistake.
    allowed = f"localhost:{port_of(private_service)}"
    fake_ipernity.thumbs = {"240": f"http://{allowed}/secret"}
    site = site_for(fake_ipernity, IPERNITY_MEDIA_HOSTS=[allowed])
    answer = site.test_client().get("/media/1/240")
    assert answer.status_code == 502
    assert private_service.fetched == []


def test_a_local_host_named_in_the_setting_is_fetched_by_its_checked_address(
    fake_ipernity: FakeIpernity, private_service: FakeIpernity
) -> None:
    named = f"localhost:{port_of(private_service)}"
    fake_ipernity.thumbs = {"240": f"http://{named}/secret"}
    site = site_for(fake_ipernity, IPERNITY_MEDIA_LOCAL_HOSTS=[fake_ipernity.url, named])
    answer = site.test_client().get("/media/1/240")
    assert answer.data == b"the secret"
    # The connection went to the address checked; the name travelled in the Host header.
    assert [headers["Host"] for _, headers in private_service.fetched] == [named]


def test_the_url_fetched_names_the_address_that_was_checked_not_the_name() -> None:
    # Fetching by name would look the name up again, and DNS may answer otherwise then.
    hosts = MediaHosts([], local=["localhost:8080"])
    target = hosts.pin("http://localhost:8080/file.jpg?v=1", 1.0)
    address = urlsplit(target.url).hostname or ""
    assert ipaddress.ip_address(address).is_loopback
    assert target.url.endswith(":8080/file.jpg?v=1")
    assert (target.host_header, target.server_name) == ("localhost:8080", "localhost")


def test_the_embedded_sandbox_serves_its_media_and_only_its_own_address_is_allowed() -> None:
    site = Flask(__name__)
    site.config.update(SECRET_KEY="s", IPERNITY_API_KEY=None, IPERNITY_API_SECRET=None)
    Ipernity(site)
    with site.test_request_context():
        embedded = current_extension().sandbox
        fetcher = current_extension()._state().media
    assert embedded is not None
    assert fetcher is not None
    doc = embedded.sandbox.add_doc(embedded.members[0], "Embedded")
    assert site.test_client().get(f"/media/{doc.doc_id}/240").mimetype == "image/jpeg"
    port = urlsplit(embedded.sandbox.base_url).port
    with pytest.raises(MediaRefused):
        fetcher.hosts.pin(f"http://127.0.0.1:{port + 1}/secret", 1.0)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 -- an address refused, not one bound
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "2002:7f00:1::1",
        "2001:db8::1",
    ],
)
def test_an_address_of_this_machine_or_its_network_is_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_an_address_on_the_internet_is_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "https://u1.ipernity.com/1/00/01/12345.d5ea56eb.240.jpg",
        "http://s.ipernity.com/icons/8.75x.png",
        "https://cdn.u1.ipernity.com/x.jpg",
    ],
)
def test_the_default_hosts_are_the_services_domain(url: str) -> None:
    hosts = MediaHosts.for_service("https://api.ipernity.com/api/")
    assert any(pattern.matches(*host_port(url)) for pattern in hosts.allowed)


@pytest.mark.parametrize(
    "url",
    [
        "https://ipernity.com.evil.example/x.jpg",
        "https://evilipernity.com/x.jpg",
        "https://u1.ipernity.com:8080/x.jpg",
        "http://127.0.0.1/x.jpg",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_other_hosts_and_ports_are_not_the_services(url: str) -> None:
    hosts = MediaHosts.for_service("https://api.ipernity.com/api/")
    with pytest.raises(MediaRefused, match="not in IPERNITY_MEDIA_HOSTS"):
        hosts.pin(url, 1.0)


def host_port(url: str) -> tuple[str, int, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.hostname or "", parts.port or default, default


@pytest.mark.parametrize(
    ("key", "value"),
    [("IPERNITY_MEDIA_HOSTS", "u1.ipernity.com"), ("IPERNITY_MEDIA_LOCAL_HOSTS", [":80"])],
)
def test_a_media_host_setting_that_is_not_a_list_of_hosts_fails_at_setup(
    key: str, value: object
) -> None:
    site = Flask(__name__)
    site.config.update(SECRET_KEY="s", IPERNITY_API_KEY="k", IPERNITY_API_SECRET="s")
    site.config[key] = value
    with pytest.raises(ConfigurationError, match="IPERNITY_MEDIA"):
        Ipernity(site)


# -- HTTPS: the checked address, the host's name in the handshake -----------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def tls_server(authority: trustme.CA, name: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(name).configure_cert(context)
    return context


def https_site(fake: FakeIpernity, media: FakeIpernity, ca_file: Path) -> FlaskClient:
    named = f"localhost:{port_of(media)}"
    fake.thumbs = {"240": f"https://{named}/secret"}
    site = site_for(fake, IPERNITY_MEDIA_LOCAL_HOSTS=[fake.url, named])
    with site.app_context():
        fetcher = current_extension()._state().media
        assert fetcher is not None
        # The test's own authority, as a site's would be the system's.
        fetcher.session.verify = str(ca_file)
    return site.test_client()


def test_https_media_is_fetched_from_the_checked_address_with_the_hosts_certificate(
    fake_ipernity: FakeIpernity, authority: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    with serving(FakeIpernity(), tls_server(authority, "localhost")) as media:
        media.files["/secret"] = (200, {"Content-Type": "image/jpeg"}, b"over tls")
        answer = https_site(fake_ipernity, media, ca_file).get("/media/1/240")
    assert answer.data == b"over tls"


def test_https_media_with_a_certificate_for_another_name_is_refused(
    fake_ipernity: FakeIpernity, authority: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    with serving(FakeIpernity(), tls_server(authority, "elsewhere.example")) as media:
        media.files["/secret"] = (200, {"Content-Type": "image/jpeg"}, b"over tls")
        answer = https_site(fake_ipernity, media, ca_file).get("/media/1/240")
    assert answer.status_code == 502
    assert media.fetched == []
