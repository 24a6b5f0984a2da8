"""Index work too large for the writer's transaction."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def search_reindex_theme(theme_id: int) -> int:
    """A theme's name is in the keywords (weight B) of everything that carries it: after a
    rename, index those again. Idempotent; a theme deleted meanwhile leaves nothing to do."""
    from .services import search_index_theme_carriers

    count = search_index_theme_carriers(theme_id)
    logger.info("search: re-indexed %s entries of theme %s", count, theme_id)
    return count


@shared_task
def search_miss_purge() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): forget searches that found nothing and that nobody asked
    for again within a year. Idempotent."""
    from .services import search_miss_purge as purge

    deleted = purge()
    logger.info("search: forgot %s searches without results", deleted)
    return deleted


@shared_task(acks_late=True)
def search_terms_refresh() -> int:
    """Nightly: the word list for "Bedoelde je …?" follows the public index. Idempotent."""
    from .typos import search_terms_refresh as refresh

    count = refresh()
    logger.info("search: %s words in the typo list", count)
    return count
