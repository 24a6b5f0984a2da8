"""Link-preview tasks. They take ids, do nothing when the row is gone, and are safe to run
twice (acks_late): the row claim in `services.source_fetch` lets one worker fetch a page at a
time, and the unique address settles two contributions linking to it at once.

Each fetch is bounded by safe_fetch's own limits (5 s per request); the time limits here are
the last resort for a page plus its image.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services

FETCH_LIMITS = {"soft_time_limit": 30, "time_limit": 40}


@shared_task(acks_late=True, **FETCH_LIMITS)
def contribution_link_sync(contribution_id: int) -> int | None:
    """Queued after a contribution's commit (sources.receivers)."""
    source = services.contribution_link_sync(contribution_id=contribution_id, now=timezone.now())
    return source.pk if source is not None else None


@shared_task(acks_late=True, **FETCH_LIMITS)
def source_fetch(source_id: int) -> str:
    return services.source_fetch(source_id=source_id, now=timezone.now())


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def sources_refresh_due() -> dict[str, int]:
    """Beat, every 10 minutes: fetch what is due; remove sources nothing links to."""
    now = timezone.now()
    due = services.sources_due(now=now) if settings.LINK_PREVIEW_FETCH else []
    for source_id in due:
        source_fetch.delay(source_id)
    return {"queued": len(due), "purged": services.sources_purge_orphans(now=now)}
