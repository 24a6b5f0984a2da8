"""Reads for the readability advice: the jargon list (cached) and the advice itself."""

from __future__ import annotations

from django.core.cache import cache

from .analysis import Advice, JargonEntry, analyse_blocks, analyse_markdown
from .models import JargonTerm

JARGON_CACHE_KEY = "plainlanguage:jargon:v1"
# Saving or deleting a term clears the key (receivers.py); the expiry is only a backstop.
JARGON_CACHE_SECONDS = 24 * 3600


def jargon_list() -> list[JargonEntry]:
    """The librarians' word list, from the cache: every check while typing would otherwise
    read the table."""
    entries = cache.get(JARGON_CACHE_KEY)
    if entries is None:
        entries = [
            JargonEntry(term=term, plain=plain, note=note)
            for term, plain, note in JargonTerm.objects.values_list("term", "plain", "note")
        ]
        cache.set(JARGON_CACHE_KEY, entries, JARGON_CACHE_SECONDS)
    return entries


def jargon_list_forget() -> None:
    cache.delete(JARGON_CACHE_KEY)


def advice_for_markdown(source: str) -> Advice:
    return analyse_markdown(source, jargon_list())


def advice_for_blocks(blocks: list[str]) -> Advice:
    return analyse_blocks(blocks, jargon_list())
