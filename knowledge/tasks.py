"""Scheduled work for what librarians curate: articles, content pages and theme dossiers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from celery import shared_task
from django.core.management import call_command
from django.db import connection

logger = logging.getLogger(__name__)

# Any constant will do, as long as no other advisory lock in the project uses it.
PUBLISH_SCHEDULED_LOCK = 7_460_301


@contextmanager
def _single_run(key: int) -> Iterator[bool]:
    """Whether this is the only run holding `key`: on PostgreSQL a session advisory lock, so a
    worker catching up on queued beats does not publish one revision twice. Elsewhere (SQLite,
    one process) always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@shared_task(acks_late=True)
def pages_publish_scheduled() -> bool:
    """Beat, every minute: publish what was approved with a "go live" time that has passed,
    and unpublish what has expired (pages and theme dossiers). Wagtail's own command does the
    work, sending the usual publish signals, so the page cache is cleared as after any publish.

    Returns False when another run was busy; a rerun is harmless.
    """
    with _single_run(PUBLISH_SCHEDULED_LOCK) as acquired:
        if not acquired:
            logger.info("publish_scheduled is already running; skipped")
            return False
        output = StringIO()
        call_command("publish_scheduled", stdout=output)
    if text := output.getvalue().strip():
        logger.info("publish_scheduled: %s", text)
    return True
