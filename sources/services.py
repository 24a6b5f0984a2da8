"""Every write of the link previews: which page a contribution's card shows, and fetching,
storing and refreshing a page's preview. Only the tasks in `sources.tasks` call these (and
tests); the fetch itself never runs in a web request.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from kenniscloud.common.cache import anonymous_pages_changed
from kenniscloud.common.images import JPEG, PNG, WEBP, ImageRejected, reencode_image
from knowledge.models import Contribution

from . import oembed, parsing, safe_fetch
from .models import ContributionLink, Source
from .normalise import preview_url_for

logger = logging.getLogger(__name__)

IMAGE_SIDE = 800
IMAGE_FORMATS = frozenset({JPEG, PNG, WEBP})
OEMBED_MAX_BYTES = 64 * 1024
# Sources no contribution links to any more are removed after this long.
ORPHAN_GRACE = dt.timedelta(days=1)


def source_get_or_create(*, url: str, now: dt.datetime) -> Source:
    """The one Source of a normalised address; two contributions saving the same link at once
    meet at the unique constraint, and the second takes the first's row."""
    source = Source.objects.filter(url=url).first()
    if source is not None:
        return source
    try:
        with transaction.atomic():
            return Source.objects.create(url=url, next_attempt_at=now)
    except IntegrityError:
        return Source.objects.get(url=url)


def _is_due(source: Source, now: dt.datetime) -> bool:
    return source.next_attempt_at is None or source.next_attempt_at <= now


@transaction.atomic
def contribution_link_sync(*, contribution_id: int, now: dt.datetime) -> Source | None:
    """Point the contribution's preview at its source URL, else the first bare link in its
    text, else at nothing; queue a fetch (after commit) when that page is due for one."""
    from . import tasks

    contribution = (
        Contribution.objects.filter(pk=contribution_id).only("source_url", "body").first()
    )
    if contribution is None:
        return None
    url = preview_url_for(source_url=contribution.source_url, body=contribution.body)
    if url is None:
        if ContributionLink.objects.filter(contribution_id=contribution_id).delete()[0]:
            anonymous_pages_changed()
        return None
    source = source_get_or_create(url=url, now=now)
    links = ContributionLink.objects.filter(contribution_id=contribution_id)
    changed = bool(links.exclude(source=source).update(source=source))
    if not changed:
        _link, changed = ContributionLink.objects.get_or_create(
            contribution_id=contribution_id, defaults={"source": source}
        )
    if changed and source.is_ready:
        anonymous_pages_changed()
    if settings.LINK_PREVIEW_FETCH and _is_due(source, now):
        tasks.source_fetch.delay_on_commit(source.pk)
    return source


def _claim(source_id: int, now: dt.datetime) -> bool:
    """Take the row for one fetch (a conditional UPDATE: one worker wins). A claim older than
    SOURCE_CLAIM_SECONDS belongs to a worker that died and is taken over."""
    stale = now - dt.timedelta(seconds=settings.SOURCE_CLAIM_SECONDS)
    return bool(
        Source.objects.filter(pk=source_id)
        .filter(Q(fetch_started_at__isnull=True) | Q(fetch_started_at__lt=stale))
        .update(fetch_started_at=now)
    )


def _fetch_preview(url: str) -> parsing.Preview:
    """The preview of a page (network; raises FetchRefused)."""
    video = oembed.video_for(url)
    if video is not None:
        answer = safe_fetch.fetch(
            video.oembed_url, accept=safe_fetch.JSON_TYPES, max_bytes=OEMBED_MAX_BYTES
        )
        return parsing.preview_from_oembed(
            answer.body, embed_url=video.embed_url, provider_name=video.provider_name
        )
    page = safe_fetch.fetch(url)
    html = parsing.decode_html(page.body, page.charset)
    return parsing.preview_from_html(html, url=page.url)


def _fetch_image(image_url: str) -> tuple[str, ContentFile] | None:
    """The preview image, fetched as safely as the page and re-encoded by our own upload
    pipeline; None when there is none we take (a preview without an image is still one)."""
    if not image_url:
        return None
    try:
        fetched = safe_fetch.fetch(
            image_url,
            accept=safe_fetch.IMAGE_TYPES,
            max_bytes=settings.SOURCE_IMAGE_MAX_BYTES,
        )
        encoded = reencode_image(
            fetched.body,
            max_side=IMAGE_SIDE,
            max_bytes=settings.SOURCE_IMAGE_MAX_BYTES,
            formats=IMAGE_FORMATS,
        )
    except (safe_fetch.FetchRefused, ImageRejected) as error:
        logger.info("preview image refused: %s", getattr(error, "code", error))
        return None
    return f"preview.{encoded.extension}", ContentFile(encoded.data)


def _retry_delay(failure_count: int) -> dt.timedelta:
    delays = settings.SOURCE_RETRY_DELAYS
    if failure_count <= len(delays):
        return dt.timedelta(minutes=delays[failure_count - 1])
    return dt.timedelta(days=settings.SOURCE_REFRESH_DAYS)


def _store_preview(source: Source, preview: parsing.Preview, now: dt.datetime) -> None:
    image = _fetch_image(preview.image_url)
    old_image = source.image.name if source.image else ""
    source.title = preview.title
    source.description = preview.description
    source.site_name = preview.site_name
    source.embed_url = preview.embed_url
    source.state = Source.State.READY
    source.fetched_at = now
    source.failure_count = 0
    source.last_error = ""
    source.next_attempt_at = now + dt.timedelta(days=settings.SOURCE_REFRESH_DAYS)
    source.fetch_started_at = None
    if image is not None:
        source.image.save(*image, save=False)
    else:
        source.image = ""
    source.save()
    if old_image and old_image != source.image.name:
        source.image.storage.delete(old_image)
    anonymous_pages_changed()  # the contribution pages that show this card


def _store_failure(source: Source, error: safe_fetch.FetchRefused, now: dt.datetime) -> None:
    # A preview fetched before stays shown: a site that is down for a while, or now answers
    # with something we refuse, does not take away what it said when we could read it.
    failures = min(source.failure_count + 1, 32767)
    Source.objects.filter(pk=source.pk).update(
        state=Source.State.READY if source.is_ready else Source.State.FAILED,
        failure_count=failures,
        last_error=str(error)[:200],
        next_attempt_at=now + _retry_delay(failures),
        fetch_started_at=None,
    )


def source_fetch(*, source_id: int, now: dt.datetime, force: bool = False) -> str:
    """Fetch and store the preview of one Source, when it is due (or `force`). Returns what
    happened: gone, busy, fresh, ready or the reason it failed. Safe to run twice."""
    if not _claim(source_id, now):
        return "busy" if Source.objects.filter(pk=source_id).exists() else "gone"
    source = Source.objects.get(pk=source_id)
    if not force and not _is_due(source, now):
        Source.objects.filter(pk=source_id).update(fetch_started_at=None)
        return "fresh"
    try:
        preview = _fetch_preview(source.url)
        if preview.is_empty:
            raise safe_fetch.FetchRefused("empty")
    except safe_fetch.FetchRefused as error:
        logger.info("link preview of source %s refused: %s", source_id, error.code)
        _store_failure(source, error, now)
        return error.code
    if not preview.site_name:
        preview = replace(preview, site_name=source.url)
    _store_preview(source, preview, now)
    return "ready"


def sources_due(*, now: dt.datetime, limit: int = 200) -> list[int]:
    """Sources that are linked and due: new ones whose task got lost, failures whose delay
    has passed, and previews older than SOURCE_REFRESH_DAYS."""
    linked = Exists(ContributionLink.objects.filter(source=OuterRef("pk")))
    return list(
        Source.objects.filter(linked, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def sources_purge_orphans(*, now: dt.datetime) -> int:
    """Remove the sources no contribution links to any more, with their images."""
    linked = Exists(ContributionLink.objects.filter(source=OuterRef("pk")))
    orphans = Source.objects.filter(~linked, created_at__lt=now - ORPHAN_GRACE)
    removed = 0
    for source in orphans.only("pk", "image")[:500]:
        if source.image.name:
            source.image.storage.delete(source.image.name)
        source.delete()
        removed += 1
    return removed
