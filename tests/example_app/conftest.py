"""The example site against the sandbox, with Flask-Ipernity's own pytest fixtures.

``ipernity_sandbox`` and ``ipernity_login`` come from Flask-Ipernity's pytest
plugin: this is how we tell users to test their sites, so the example's tests
do the same.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from lightbox_gallery import Gallery, build_gallery

from example_app import create_app
from ipernity.sandbox import Sandbox


@pytest.fixture(scope="module")
def gallery(ipernity_sandbox: Sandbox) -> Gallery:
    """The site registered as a web application, and alice's and bob's photos."""
    return build_gallery(ipernity_sandbox)


@pytest.fixture
def app(gallery: Gallery) -> Iterator[Flask]:
    """The example site, configured for the sandbox's web application."""
    sandbox = gallery.sandbox
    site = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test secret",
            "IPERNITY_API_KEY": gallery.site.api_key,
            "IPERNITY_API_SECRET": gallery.site.api_secret,
            "IPERNITY_API_URL": sandbox.api_url,
            "IPERNITY_AUTH_URL": sandbox.authorize_url,
            "IPERNITY_MEDIA_LOCAL_HOSTS": [sandbox.base_url],
        }
    )
    yield site
    # Faults and latency a test set up must not reach the next test.
    sandbox.faults.clear()
    sandbox.latency = 0.0
