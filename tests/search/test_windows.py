"""Newest matches by windows of the newest rows (search/selectors.py, `_windowed_candidates`):
the same rows, in the same order, as one plain query, whatever the word's density, the viewer,
the window sizes and dates shared by many rows. PostgreSQL only (SQLite never windows).

The windows are made tiny here (a few rows instead of thousands) so that a few hundred rows
take every path: found in the first window, walked on, fetched through the GIN index, and left
to the whole index.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from search import selectors
from search.models import SearchEntry
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WORDS = {  # word: the share of rows holding it
    "zonnedak": 0.6,
    "buurthuis": 0.2,
    "moestuin": 0.06,
    "kringloop": 0.02,
    "egelstraat": 0.005,
}
FILLER = ["de", "het", "een", "wij", "jullie", "zij"]
SMALL = {"FIRST_WINDOW": 40, "WINDOWS": (80, 160, 320), "COUNT_CANDIDATES": 8}


def _forget_window_starts():
    sizes = [selectors.FIRST_WINDOW, *selectors.WINDOWS]
    cache.delete_many([f"search:window-start:{rows}" for rows in sizes])


@pytest.fixture
def small_windows(monkeypatch):
    for name, value in SMALL.items():
        monkeypatch.setattr(selectors, name, value)
    _forget_window_starts()
    yield
    _forget_window_starts()


@pytest.fixture
def corpus(db):
    """600 rows over four communities (one private, one on request), dated in runs of equal
    dates (ties at window boundaries), with each word at its share, older rows richer in the
    rarest word (a word rare lately but not long ago)."""
    rng = random.Random(20261207)
    communities = [
        CommunityFactory(slug="open-a"),
        CommunityFactory(slug="open-b"),
        CommunityFactory(slug="besloten", visibility=Community.Visibility.PRIVATE),
        CommunityFactory(slug="op-verzoek", visibility=Community.Visibility.ON_REQUEST),
    ]
    now = timezone.now()
    rows = []
    for i in range(600):
        words = [rng.choice(FILLER) for _ in range(5)]
        for word, share in WORDS.items():
            if word == "egelstraat" and i < 150:
                share = 0.1
            if rng.random() < share:
                words.append(word)
        rows.append(
            SearchEntry(
                kind=SearchEntry.Kind.CONTRIBUTION,
                object_id=i + 1,
                community=rng.choice([*communities, None]),
                url=f"/bijdragen/{i + 1}/",
                date=now - dt.timedelta(hours=(600 - i) // 3),  # three rows a date
                title=" ".join(words[:3]).capitalize(),
                body=" ".join(words),
            )
        )
    SearchEntry.objects.bulk_create(rows)
    return communities


def _viewers(communities):
    member = UserFactory()
    MembershipFactory(user=member, community=communities[2])
    return [AnonymousUser(), member]


QUERIES = [*WORDS, "zonnedak moestuin", "buurthuis -zonnedak", "kringloop or egelstraat"]
FILTERS = [{}, {"gemeenschap": "open-b"}, {"gemeenschap": "besloten"}, {"soort": "contribution"}]


@pytest.mark.parametrize("walk_density", [0.035, 0.0, 1.1])
def test_windows_find_what_one_query_finds_in_the_same_order(
    corpus, small_windows, monkeypatch, walk_density
):
    # 0.0: always walk on; 1.1: always through the GIN index; 0.035: as configured.
    monkeypatch.setattr(selectors, "WALK_DENSITY", walk_density)
    wanted = selectors.COUNT_CANDIDATES + 1
    for viewer in _viewers(corpus):
        for query in QUERIES:
            for filters in FILTERS:
                matched = selectors._matching(viewer, query, filters)
                expected = list(selectors._newest(matched)[:wanted])
                found = selectors._windowed_candidates(matched, wanted)
                assert found == expected, (query, filters)


def test_every_path_is_taken(corpus, small_windows):
    """Dense words stop in the first window; sparse ones go on through the GIN index."""
    wanted = selectors.COUNT_CANDIDATES + 1

    def statements(query: str) -> list[str]:
        matched = selectors._matching(AnonymousUser(), query, {})
        with CaptureQueriesContext(connection) as ctx:
            selectors._windowed_candidates(matched, wanted)
        return [q["sql"] for q in ctx.captured_queries if "search_vector @@" in q["sql"]]

    selectors._window_start(selectors.FIRST_WINDOW)  # cached from here on
    assert len(statements("zonnedak")) == 1
    sparse = statements("egelstraat")
    assert len(sparse) > 1 and any("MATERIALIZED" in sql for sql in sparse)


def test_the_search_page_shows_the_same_with_and_without_windows(client, corpus, monkeypatch):
    plain = client.get("/zoeken/?q=kringloop").content
    for name, value in SMALL.items():
        if name != "COUNT_CANDIDATES":
            monkeypatch.setattr(selectors, name, value)
    _forget_window_starts()
    try:
        assert client.get("/zoeken/?q=kringloop").content == plain
    finally:
        _forget_window_starts()


def test_a_small_index_takes_one_query(corpus):
    """Fewer rows than the first window: no windows, no boundary, one statement."""
    _forget_window_starts()
    matched = selectors._matching(AnonymousUser(), "moestuin", {})
    with CaptureQueriesContext(connection) as ctx:
        found = selectors._windowed_candidates(matched, 13)
    assert len([q for q in ctx.captured_queries if "search_vector @@" in q["sql"]]) == 1
    assert found == list(selectors._newest(matched)[:13])
    _forget_window_starts()


def test_a_larger_windows_boundary_newer_than_the_last_repeats_nothing(
    corpus, small_windows, monkeypatch
):
    """Boundaries are cached one by one: after many new rows a larger window's may come out
    newer than the smaller one's. The step is then empty, never a repeat."""
    boundaries = {}
    real = selectors._window_start

    def skewed(rows):
        if rows not in boundaries:
            # The first window's boundary as it was; every larger one as if computed later,
            # after rows newer than all of these had come in.
            boundaries[rows] = real(rows) if rows == selectors.FIRST_WINDOW else timezone.now()
        return boundaries[rows]

    monkeypatch.setattr(selectors, "_window_start", skewed)
    monkeypatch.setattr(selectors, "WALK_DENSITY", 1.1)
    wanted = selectors.COUNT_CANDIDATES + 1
    for query in QUERIES:
        matched = selectors._matching(AnonymousUser(), query, {})
        found = selectors._windowed_candidates(matched, wanted)
        assert len(found) == len(set(found))
        assert found == list(selectors._newest(matched)[:wanted]), query
