"""What visitors see when a login fails or Ipernity cannot be reached."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lightbox_gallery import Gallery

from example_app import create_app

LogIn = Callable[..., Any]


@pytest.fixture
def alice_client(client: FlaskClient, ipernity_login: LogIn, gallery: Gallery) -> FlaskClient:
    """A test client logged in as alice."""
    ipernity_login(client, gallery.alice, sandbox=gallery.sandbox)
    return client


def test_a_callback_nobody_started_shows_the_sites_login_failed_page(client: FlaskClient) -> None:
    page = client.get("/callback?frob=forged")
    assert page.status_code == 403
    assert "The login did not work" in page.text
    assert "No login was started from this browser." in page.text
    assert 'class="site-header"' in page.text
    assert "Log in with Ipernity" in page.text


def test_a_frob_ipernity_rejects_shows_the_login_failed_page(client: FlaskClient) -> None:
    client.get("/login?next=/albums")
    page = client.get("/callback?frob=not-a-real-frob")
    assert page.status_code == 403
    assert "The login did not work" in page.text


def test_a_failed_login_is_logged_for_the_operator(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="example_app"):
        client.get("/callback?frob=forged")
    assert "A login with Ipernity failed: no_pending_login" in caplog.text


def test_an_unreachable_ipernity_shows_a_page_that_offers_to_try_again(
    alice_client: FlaskClient, gallery: Gallery
) -> None:
    # Every try of the call loses its connection, as with Ipernity down.
    gallery.sandbox.fail_next("album.getList", drop=True, times=5)
    page = alice_client.get("/albums")
    assert page.status_code == 503
    assert "Ipernity cannot be reached" in page.text
    assert 'href="/albums"' in page.text


@pytest.fixture
def impatient_client(app: Flask, gallery: Gallery, ipernity_login: LogIn) -> FlaskClient:
    """A client of a site that waits half a second for Ipernity, logged in as alice."""
    settings = {name: app.config[name] for name in app.config if name.startswith("IPERNITY_")}
    impatient = create_app(
        {
            **settings,
            "SECRET_KEY": "test secret",
            "IPERNITY_TIMEOUT": (2.0, 0.5),
            "IPERNITY_RETRIES": 0,
        }
    )
    client = impatient.test_client()
    ipernity_login(client, gallery.alice, sandbox=gallery.sandbox)
    return client


def test_an_ipernity_too_slow_to_answer_shows_that_it_did_not_answer_in_time(
    impatient_client: FlaskClient, gallery: Gallery
) -> None:
    gallery.sandbox.latency = 1.0
    page = impatient_client.get("/profile")
    assert page.status_code == 503
    assert "did not answer in time" in page.text
