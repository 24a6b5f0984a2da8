"""The anonymous page cache: whole responses of public pages, kept for visitors who are not
logged in (see `middleware.AnonymousPageCacheMiddleware` for what is cached and when).

Invalidation is one generation counter in the cache. Every entry records the generation it was
rendered under and only counts while that is still the current one; every change that can show
on a public page bumps the counter (`anonymous_pages_changed`, called from `receivers.py`), so the
very next request renders afresh. The entries themselves are left to expire: nothing has to know
which page showed what. `ANONYMOUS_PAGE_CACHE_SECONDS` bounds their life as a safety net for
what changes with time alone (a meetup that has started drops off "Binnenkort").

The page cache is an optimisation: when the cache server is away, pages are rendered as if there
were no cache, and nothing is stored (`redis_cache.FailSoftRedisCache` answers a miss then; a
generation that could not be read is no generation). A change made during the outage could not
bump the counter, so every process that noticed the outage bumps it once when Redis answers
again, before it reads a page.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from .redis_cache import cache_reachable_again

logger = logging.getLogger(__name__)

GENERATION_KEY = "anonpage:generation"
KEY_PREFIX = "anonpage:page:"


@dataclass(frozen=True)
class CachedPage:
    generation: int
    content: bytes
    headers: tuple[tuple[str, str], ...]

    def to_response(self) -> HttpResponse:
        return HttpResponse(self.content, headers=dict(self.headers))


def cache_seconds() -> int:
    """How long a page is kept; 0 switches the page cache off."""
    return settings.ANONYMOUS_PAGE_CACHE_SECONDS


def page_key(request: HttpRequest) -> str:
    """One entry per scheme, host, path with query string, and language."""
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{get_language()}"
    # Hashed: a path may be long or hold characters some cache backends refuse in a key.
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _fresh_generation() -> int:
    # Random rather than 0: when the counter is evicted and started again, entries stored
    # under an earlier counter must not match the new one by accident.
    return secrets.randbits(48)


def page_get(key: str) -> tuple[int | None, CachedPage | None]:
    """The current generation and the page stored under `key`, if it is still current.

    One round trip to the cache, whatever the backend. The generation is None when the cache
    cannot be reached; nothing should be stored then.
    """
    try:
        found = cache.get_many([GENERATION_KEY, key])
        if _unreachable():
            return None, None
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = _generation_start()
            if _unreachable():
                return None, None
    except Exception:
        logger.warning("anonymous page cache unavailable; rendering the page", exc_info=True)
        return None, None
    page = found.get(key)
    if page is None or page.generation != generation:
        return generation, None
    return generation, page


def _unreachable() -> bool:
    """Whether the last cache operation of this thread was answered without the cache server:
    then a miss says nothing about what is stored."""
    return getattr(cache, "answered_without_redis", False)


def _generation_start(key: str = GENERATION_KEY) -> int:
    generation = _fresh_generation()
    if cache.add(key, generation, timeout=None):
        return generation
    # Another process started it first: use theirs.
    return cache.get(key, generation)


def generation_current(key: str = GENERATION_KEY) -> int | None:
    """The generation under `key` now (the page cache's by default), started when there is
    none; None when the cache cannot be reached (then nothing may be stored under it). Other
    kept answers use a counter of their own the same way (moderation/queue.py)."""
    try:
        generation = cache.get(key)
        if _unreachable():
            return None
        if generation is None:
            generation = _generation_start(key)
            if _unreachable():
                return None
    except Exception:
        logger.warning("cache unavailable; %s not read", key, exc_info=True)
        return None
    return generation


def page_store(key: str, generation: int, response: HttpResponse) -> None:
    """Keep the response under the generation read *before* it was rendered, so that a change
    committed while it was rendering makes it stale rather than current."""
    page = CachedPage(generation, response.content, tuple(response.items()))
    try:
        cache.set(key, page, timeout=cache_seconds())
    except Exception:
        logger.warning("could not store an anonymous page", exc_info=True)


def generation_bump(key: str = GENERATION_KEY) -> None:
    try:
        try:
            cache.incr(key)
        except ValueError:
            # Not there yet, or evicted: a fresh value makes every stored page stale all the same.
            cache.set(key, _fresh_generation(), timeout=None)
    except Exception:
        # What was kept stays stale until it expires; the write itself stands.
        logger.error("could not bump the generation %s", key, exc_info=True)


def generation_changed(key: str = GENERATION_KEY) -> None:
    """Bumped now, so that the next request of this thread sees the change (and tests, which
    never commit), and again once the transaction commits: a request that read the data before
    the commit, while this transaction was open, kept its answer under the first bump."""
    generation_bump(key)
    transaction.on_commit(partial(generation_bump, key))


@receiver(cache_reachable_again, dispatch_uid="anonymous-pages-after-outage")
def _after_outage(**kwargs) -> None:
    """Pages stored before the outage may show what changed during it: none is served again."""
    if cache_seconds() > 0:
        generation_bump()


def anonymous_pages_changed() -> None:
    """Something public pages show has changed: no page rendered before is served again
    (`generation_changed`: now and on commit).

    Nothing to do when the page cache is off: then no page is stored. (Web and Celery workers
    share their configuration, so a worker's writes invalidate what the web processes stored.)
    """
    if cache_seconds() <= 0:
        return
    generation_changed()
