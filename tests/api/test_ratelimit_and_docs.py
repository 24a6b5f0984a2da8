"""The rate limit per client, and the docs page that works without third-party requests."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

from api.throttling import Rate, rate_parse


def test_over_the_limit_is_a_429_with_retry_after(client, world, settings, clock):
    settings.API_RATE_LIMIT = "3/m"
    clock.set("2027-03-01T10:00:20")
    for _ in range(3):
        assert client.get("/api/v1/themes/").status_code == 200
    response = client.get("/api/v1/contributions/")
    assert response.status_code == 429
    assert response["Retry-After"] == "40"  # until the minute is over
    assert "Retry-After" in response.json()["detail"]
    # Another client has its own count.
    assert client.get("/api/v1/themes/", REMOTE_ADDR="192.0.2.7").status_code == 200
    # The next minute starts afresh.
    clock.tick(timedelta(seconds=40))
    assert client.get("/api/v1/contributions/").status_code == 200


def test_the_limit_can_be_switched_off(client, world, settings):
    settings.API_RATE_LIMIT = ""
    for _ in range(5):
        assert client.get("/api/v1/themes/").status_code == 200


@pytest.mark.parametrize(
    ("value", "rate"),
    [("120/m", Rate(120, 60)), ("1000/h", Rate(1000, 3600)), ("10/5s", Rate(10, 5)), ("0/m", None)],
)
def test_rate_setting(value, rate):
    assert rate_parse(value) == rate


def test_a_wrong_rate_setting_says_what_is_expected():
    with pytest.raises(ImproperlyConfigured, match="120/m"):
        rate_parse("veel")


def test_openapi_document_describes_every_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "KennisCloud API"
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) == 10
    for operation in operations:
        assert "429" in operation["responses"]


def test_docs_page_loads_nothing_from_elsewhere(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    for source in sources:
        assert source.startswith("/"), f"third-party request: {source}"
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    # No inline script: only files of our own origin and a JSON data block.
    assert re.findall(r"<script>", html) == []
    assert '"validatorUrl": null' in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "cdn" not in policy
