"""Scheduled publishing: Celery beat runs Wagtail's publish_scheduled every minute."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone
from wagtail.models import PageLogEntry

from knowledge.models import ArticlePage
from knowledge.tasks import PUBLISH_SCHEDULED_LOCK, pages_publish_scheduled
from tests.html import page_text
from tests.knowledge.factories import article_create

pytestmark = pytest.mark.django_db

URL = "/artikelen/later-te-lezen/"


@pytest.fixture
def scheduled(librarian, theme) -> ArticlePage:
    """An approved article set to go live in an hour: scheduled, not live."""
    page = article_create("Later te lezen", themes=[theme], publish=False)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision(user=librarian).publish(user=librarian)
    page.refresh_from_db()
    assert not page.live
    return page


def _an_hour_later():
    """The clock moves past the go-live time; what the task does, it does "then"."""
    later = timezone.now() + timedelta(hours=1, minutes=1)
    return mock.patch("django.utils.timezone.now", return_value=later)


def test_a_page_whose_go_live_time_has_passed_is_live_after_the_task(client, scheduled):
    assert client.get(URL).status_code == 404
    pages_publish_scheduled.delay()  # Not due yet: nothing happens.
    assert client.get(URL).status_code == 404

    with _an_hour_later():
        assert pages_publish_scheduled.delay().get() is True

    scheduled.refresh_from_db()
    assert scheduled.live
    response = client.get(URL)
    assert response.status_code == 200
    assert "Later te lezen" in page_text(client.get("/artikelen/"))


def test_running_twice_publishes_once(scheduled):
    with _an_hour_later():
        pages_publish_scheduled()
        pages_publish_scheduled()

    scheduled.refresh_from_db()
    assert scheduled.live
    assert (
        PageLogEntry.objects.filter(page=scheduled, action="wagtail.publish.scheduled").count() == 1
    )


@pytest.mark.postgres
def test_a_run_while_another_is_busy_is_skipped(scheduled):
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [PUBLISH_SCHEDULED_LOCK])
        with _an_hour_later():
            assert pages_publish_scheduled() is False
        scheduled.refresh_from_db()
        assert not scheduled.live
    finally:
        # Unlocked before closing: a closed connection's lock goes only when its server process
        # has ended, which may be a moment after close() returns.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PUBLISH_SCHEDULED_LOCK])
        other.close()

    with _an_hour_later():
        assert pages_publish_scheduled() is True
    scheduled.refresh_from_db()
    assert scheduled.live


def test_beat_runs_it_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["pages-publish-scheduled"]

    assert entry["task"] == "knowledge.tasks.pages_publish_scheduled"
    assert entry["schedule"] <= 5 * 60


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_entry_names_a_real_task(name):
    module, _, function = settings.CELERY_BEAT_SCHEDULE[name]["task"].rpartition(".")
    task = getattr(import_module(module), function)

    assert task.name == settings.CELERY_BEAT_SCHEDULE[name]["task"]
