"""The example site's own look for a login another site started."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_a_login_another_site_started_asks_on_the_sites_own_page(client: FlaskClient) -> None:
    answer = client.get("/login?next=/albums", headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 200
    assert "· Lightbox</title>" in answer.text
    assert 'name="next" value="/albums"' in answer.text
    assert 'name="csrf_token" value="' in answer.text
    assert "Log in with Ipernity</button>" in answer.text
