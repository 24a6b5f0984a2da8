"""Wagtail's search backends as the engine behind `search_for` and `search_suggest`, by setting.

`KENNISCLOUD_SEARCH_ENGINE`:
- "postgresql" (the default): the weighted Dutch tsvector of `search_searchentry` itself
  (search/selectors.py), with the SQLite fallback; nothing here runs.
- "wagtail": Wagtail's search backend `WAGTAILSEARCH_BACKENDS["default"]` finds the text: its
  database backend, or OpenSearch/Elasticsearch when a federation's index outgrows PostgreSQL
  (README, Search). The selectors keep everything else: who may find a row (decided in the
  database at search time, so the backend only ever narrows), the newest-thousand cap, facets,
  excerpts and typos.

The backend holds a copy of the `SearchEntry` rows, written after the commit that wrote the rows
(search/services.py calls `index_entries` and `unindex_entries`). A row the backend still holds
after its database row is gone is never shown: results are loaded from the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from modelsearch.query import And, Not, Or, Phrase, PlainText, SearchQuery
from wagtail.search.backends import get_search_backend

from .models import SearchEntry
from .terms import query_terms

ENGINES = ("postgresql", "wagtail")


def uses_wagtail() -> bool:
    return settings.KENNISCLOUD_SEARCH_ENGINE == "wagtail"


def _backend():
    return get_search_backend("default")


def search_query(text: str) -> SearchQuery | None:
    """The query as the backends take it: every word and "quoted phrase" (and), without the
    -words. None when nothing is left to look for."""
    terms = query_terms(text)
    include: list[SearchQuery] = [
        Phrase(term) if term in terms.phrases else PlainText(term) for term in terms.included
    ]
    if not include:
        return None
    query: SearchQuery = include[0] if len(include) == 1 else And(include)
    for word in terms.excluded:
        query = query & Not(PlainText(word))
    return query


def _excluded(text: str) -> SearchQuery | None:
    """The -words of `text`, any of them."""
    words: list[SearchQuery] = [PlainText(word) for word in query_terms(text).excluded]
    if not words:
        return None
    return words[0] if len(words) == 1 else Or(words)


def newest_ids(scope: QuerySet, text: str, wanted: int) -> list[int]:
    """The ids of the newest `wanted` rows of `scope` that match `text`."""
    query = search_query(text)
    if query is None:
        return []
    found = _backend().search(query, scope.order_by("-date", "-id"), order_by_relevance=False)
    ids = [entry.pk for entry in found[:wanted]]
    # Elasticsearch and OpenSearch apply a Not per field and join the fields with dis_max, so a
    # row with the word in its title and a -word in its text would stay: the rows holding a
    # -word anywhere are taken out here (the database backend has none left to take out).
    excluded = _excluded(text)
    if excluded is not None and ids:
        holding = _backend().search(excluded, SearchEntry.objects.filter(id__in=ids))
        dropped = {entry.pk for entry in holding}
        ids = [pk for pk in ids if pk not in dropped]
    return ids


def ranked_ids(candidates: list[int], text: str, offset: int, count: int) -> list[int]:
    """One page of `candidates`, most relevant first, as the backend ranks them."""
    query = search_query(text)
    if query is None:
        return candidates[offset : offset + count]
    scope = SearchEntry.objects.filter(id__in=candidates)
    found = _backend().search(query, scope)
    return [entry.pk for entry in found[offset : offset + count]]


def suggested(scope: QuerySet, text: str, per_kind: int) -> list[SearchEntry]:
    """Per kind, the newest `per_kind` rows of `scope` whose title starts a word with `text`."""
    rows: list[SearchEntry] = []
    for kind in SearchEntry.Kind.values:
        newest = scope.filter(kind=kind).order_by("-date", "-id")
        rows += list(_backend().autocomplete(text, newest, order_by_relevance=False)[:per_kind])
    return rows


# --- Keeping the backend's copy ----------------------------------------------------------------


# `robust`: a backend that is away must not turn a committed write into an error page, nor keep
# the callbacks registered after these (files, cache generations, tasks) from running. What it
# missed is caught up by `search_rebuild`; results are loaded from the table, so a row the backend
# still holds is never shown.


def index_entries(pks: list[int]) -> None:
    """After the commit: the rows `pks`, as they are then, into the backend."""
    if uses_wagtail() and pks:
        transaction.on_commit(lambda: _add(pks), robust=True)


def unindex_entries(pks: list[int]) -> None:
    """After the commit: the rows `pks` out of the backend."""
    if uses_wagtail() and pks:
        transaction.on_commit(lambda: _remove(pks), robust=True)


def _add(pks: list[int]) -> None:
    entries = list(
        SearchEntry.objects.filter(pk__in=pks)
        .select_related("community", "region")
        .prefetch_related("themes")
    )
    if entries:
        _backend().add_bulk(SearchEntry, entries)


def _remove(pks: list[int]) -> None:
    backend = _backend()
    for pk in pks:
        backend.delete(SearchEntry(pk=pk))
