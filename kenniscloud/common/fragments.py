"""Fragments of a page that are the same for everyone who may see the same communities, kept
for logged-in members too (issue 13).

A section such as "Uitgelichte gemeenschappen" on the home page shows what the viewer may see,
and nothing of the viewer themselves. Whoever may see the same private communities (for most
members: none, like a visitor) gets the same HTML, so it is rendered once per group of such
viewers and kept under:

- the generation of the anonymous page cache (kenniscloud/common/cache.py), bumped by every write
  a public page may show: any change renders the fragment afresh on the next request;
- the language;
- the viewer's visibility: "public", or a hash of the ids of the private communities they may
  see (as a member, a librarian of their library, or "all" for a superuser), by the same rule
  every list uses (`community_visibility_filter`);
- what the fragment was made from (a block's value, say).

Only for fragments that show nothing personal (no membership badge, no form, no CSRF token):
the caller promises that, and tests/test_fragments.py checks the blocks that use it. Off when
the page cache is off (`ANONYMOUS_PAGE_CACHE_SECONDS = 0`), while Redis is away, and in
Wagtail's previews.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .cache import cache_seconds, generation_current

logger = logging.getLogger(__name__)

KEY_PREFIX = "fragment:"
PUBLIC = "public"


def visibility_key(request: HttpRequest) -> str:
    """Which communities the viewer may see, as a short key; once per request."""
    known = getattr(request, "_kennis_visibility_key", None)
    if known is not None:
        return known
    from communities.models import Community
    from communities.selectors import community_visibility_filter, user_manages_all_communities

    user = request.user
    if not user.is_authenticated:
        key = PUBLIC
    elif user_manages_all_communities(user):
        key = "all"
    else:
        private = sorted(
            Community.objects.filter(
                community_visibility_filter(user), visibility=Community.Visibility.PRIVATE
            ).values_list("pk", flat=True)
        )
        key = PUBLIC if not private else _digest(",".join(map(str, private)))
    request._kennis_visibility_key = key  # type: ignore[attr-defined]
    return key


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _generation(request: HttpRequest) -> int | None:
    """The generation, read once per request: every fragment of a page from the same one."""
    if not hasattr(request, "_kennis_generation"):
        request._kennis_generation = generation_current()  # type: ignore[attr-defined]
    return request._kennis_generation  # type: ignore[attr-defined]


def shared_fragment(
    request: HttpRequest, name: str, made_from: str, render: Callable[[], str]
) -> SafeString:
    """The HTML `render()` makes, kept for everyone with the same visibility (see above).

    `made_from` must hold everything besides visibility and language that the HTML depends
    on (a block's value as JSON, say)."""
    # A preview (Wagtail's, of a draft) shows what nobody else may see yet: never kept.
    if cache_seconds() <= 0 or getattr(request, "is_preview", False):
        return mark_safe(render())  # a template's output, escaped there
    generation = _generation(request)
    if generation is None:
        return mark_safe(render())
    key = KEY_PREFIX + _digest(
        f"{name}|{get_language()}|{generation}|{visibility_key(request)}|{made_from}"
    )
    try:
        html = cache.get(key)
    except Exception:
        logger.warning("fragment cache unavailable; rendering", exc_info=True)
        return mark_safe(render())
    if html is None:
        html = str(render())
        try:
            cache.set(key, html, timeout=cache_seconds())
        except Exception:
            logger.warning("could not store a fragment", exc_info=True)
    return mark_safe(html)  # stored from render(), a template's output
