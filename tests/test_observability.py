"""Errors reach people and every log line names its request or task (issue 9).

The log tests read what the real console handler of LOGGING writes, so they check the
configuration the site runs with, not a handler of their own.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task
from django.core import mail
from django.http import HttpResponse
from django.urls import path

from kenniscloud import urls as site_urls
from kenniscloud.common.observability import JsonLinesFormatter

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger("kenniscloud.tests.observability")


def _logs_something(request):
    logger.warning("iets om te loggen")
    return HttpResponse("ok")


def _breaks(request):
    raise RuntimeError("kapot in een view")


# The site's own URLs behind two of ours: the middleware reverses admin URLs on every request.
urlpatterns = [path("logt/", _logs_something), path("stuk/", _breaks), *site_urls.urlpatterns]


@shared_task
def _task_that_logs():
    logger.warning("iets uit een taak")


@pytest.fixture
def log_lines():
    """The lines the site's console handler writes during the test, parsed."""
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, JsonLinesFormatter) and isinstance(h, logging.StreamHandler)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_request_has_an_id_in_its_response_and_in_its_log_lines(client, log_lines):
    response = client.get("/logt/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [line for line in log_lines() if line["message"] == "iets om te loggen"]
    assert line["request_id"] == request_id
    assert line["level"] == "WARNING"
    assert line["logger"] == "kenniscloud.tests.observability"
    # Another request, another id.
    assert client.get("/logt/")["X-Request-ID"] != request_id


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("proxies", "sent", "kept"),
    [
        pytest.param(1, "f3a9c2e17b5d4e0a9c1b2d3e4f5a6b7c", True, id="from-our-proxy"),
        pytest.param(0, "f3a9c2e17b5d4e0a9c1b2d3e4f5a6b7c", False, id="no-proxy-of-ours"),
        pytest.param(1, 'x" level="ERROR\nnep', False, id="malformed"),
    ],
)
def test_the_request_id_of_a_trusted_proxy_is_kept(client, settings, proxies, sent, kept):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies

    response = client.get("/logt/", headers={"X-Request-ID": sent})

    assert (response["X-Request-ID"] == sent) is kept
    assert len(response["X-Request-ID"]) >= 8


def test_a_log_line_is_one_line_with_its_traceback(log_lines):
    try:
        raise ValueError("regel een\nregel twee")
    except ValueError:
        logger.exception("mislukt")

    [line] = [line for line in log_lines() if line["message"] == "mislukt"]
    assert "ValueError: regel een\nregel twee" in line["exc_info"]
    assert "request_id" not in line  # outside a request


def test_a_celery_task_logs_its_task_id(log_lines):
    result = _task_that_logs.delay()

    [line] = [line for line in log_lines() if line["message"] == "iets uit een taak"]
    assert line["task_id"] == result.id


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_mails_the_admins(client, settings):
    settings.ADMINS = [("Beheer", "beheer@example.org")]
    client.raise_request_exception = False

    response = client.get("/stuk/")

    assert response.status_code == 500
    [message] = mail.outbox
    assert message.to == ["beheer@example.org"]
    assert "/stuk/" in message.subject
    assert "RuntimeError at /stuk/\nkapot in een view" in message.body


# --- Settings from the environment, each in a fresh interpreter -------------------------------


def _settings_with(**variables: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SENTRY_", "DATABASE_", "REDIS_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="kenniscloud.settings.test", **variables)
    code = (
        "import json, django, sentry_sdk; django.setup(); from django.conf import settings; "
        "client = sentry_sdk.get_client(); "
        "print(json.dumps({'admins': settings.ADMINS, 'sentry': client.is_active(), "
        "'options': {k: client.options.get(k) for k in "
        "('environment', 'release', 'send_default_pii', 'traces_sample_rate')}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_admins_come_from_the_environment_when_there_is_no_sentry():
    found = _settings_with(DJANGO_ADMINS="Team Beheer <beheer@example.org>, it@example.org")

    assert found["admins"] == [["Team Beheer", "beheer@example.org"], ["", "it@example.org"]]
    assert found["sentry"] is False


def test_sentry_starts_only_with_a_dsn_without_personal_data_or_traces():
    found = _settings_with(
        SENTRY_DSN="https://0123456789abcdef@sentry.example.org/42",
        SENTRY_ENVIRONMENT="acceptatie",
        SENTRY_RELEASE="kenniscloud@0.1.0",
        DJANGO_ADMINS="beheer@example.org",
    )

    assert found["sentry"] is True
    assert found["options"] == {
        "environment": "acceptatie",
        "release": "kenniscloud@0.1.0",
        "send_default_pii": False,
        "traces_sample_rate": 0.0,
    }
    assert found["admins"] == []  # Sentry reports the errors; no mail for each one
