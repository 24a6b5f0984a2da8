"""Bounded work: a very common word is counted over its newest matches only, and the index is
rebuilt in batches (a few queries per thousand rows, not several per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import selectors
from search.models import SearchEntry
from search.services import search_rebuild
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def test_past_the_cap_the_page_says_more_than_and_counts_the_newest(client, community, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CANDIDATES", 3)
    for i in range(5):
        ContributionFactory(community=community, title=f"Kringloop {i}", body="Spullen.")
    text = page_text(client.get("/zoeken/?q=kringloop&volgorde=nieuwste"))
    assert "Meer dan 3 resultaten voor “kringloop”" in text
    assert "Je ziet de 3 nieuwste." in text
    assert "Aantallen over de 3 nieuwste resultaten." in text
    # The facets count the three newest, not all five.
    assert "Energiecoöperatie Noord (3)" in text and "Bijdragen (3)" in text
    assert "Kringloop 4" in text and "Kringloop 2" in text and "Kringloop 1" not in text


def test_under_the_cap_the_count_is_exact_and_says_nothing_more(client, community, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CANDIDATES", 3)
    for i in range(3):
        ContributionFactory(community=community, title=f"Kringloop {i}", body="Spullen.")
    text = page_text(client.get("/zoeken/?q=kringloop"))
    assert "3 resultaten voor “kringloop”" in text and "Meer dan" not in text
    assert "nieuwste resultaten" not in text and "Energiecoöperatie Noord (3)" in text


def test_a_chosen_filter_still_counts_the_others_within_the_cap(client, community, monkeypatch):
    from tests.communities.factories import CommunityFactory

    monkeypatch.setattr(selectors, "COUNT_CANDIDATES", 3)
    other = CommunityFactory(title="Tuinders Zuid", slug="tuinders-zuid")
    for i in range(2):
        ContributionFactory(community=community, title=f"Zaaien {i}", body="Zaden.")
        ContributionFactory(community=other, title=f"Planten {i}", body="Zaden.")
    text = page_text(client.get("/zoeken/?q=zaden&gemeenschap=tuinders-zuid"))
    assert "2 resultaten" in text
    # The community facet leaves its own filter out: the newest three of all four matches.
    assert "Tuinders Zuid (2)" in text and "Energiecoöperatie Noord (1)" in text


def test_rebuild_takes_the_same_number_of_queries_for_3_and_30_contributions(community):
    def rebuild_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            search_rebuild()
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            contribution = ContributionFactory(
                community=community, title=f"Repaircafé {i}", tags=["fiets"]
            )
            CommentFactory(contribution=contribution, body="Ik kom ook.")

    add(3)
    small = rebuild_queries()
    add(27)
    SearchEntry.objects.filter(kind="contribution").update(title="verouderd")
    assert rebuild_queries() == small
    assert not SearchEntry.objects.filter(title="verouderd").exists()
    hit = SearchEntry.objects.get(kind="contribution", title="Repaircafé 7")
    assert "fiets" in hit.keywords and "Ik kom ook." in hit.body
