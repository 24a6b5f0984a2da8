"""Suggestions as residents type them: with or without trema or accent, any case, the middle of a
compound. On PostgreSQL and on SQLite alike (search.selectors._accent_pattern)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from search.selectors import _accent_pattern, search_suggest
from tests.communities.factories import CommunityFactory
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def titles(db):
    community = CommunityFactory(title="Energiecoöperatie Dordrecht", slug="energie-dordrecht")
    ContributionFactory(community=community, title="Energiecoöperatie zoekt een penningmeester")
    ContributionFactory(community=community, title="Cooperatie of vereniging?")
    ContributionFactory(community=community, title="Warmtepompen in België")
    ContributionFactory(community=community, title="Een reis naar Curaçao")
    ContributionFactory(community=community, title="Het café op de hoek")
    MeetupFactory(community=community, title="Studiereis belgie", description="Met de bus.")
    ContributionFactory(community=community, title="Zonnepanelen op een plat dak")


def _suggested(query: str) -> set[str]:
    return {s.title for group in search_suggest(AnonymousUser(), query) for s in group.suggestions}


COOPERATIE = {
    "Energiecoöperatie Dordrecht",
    "Energiecoöperatie zoekt een penningmeester",
    "Cooperatie of vereniging?",
}
BELGIE = {"Warmtepompen in België", "Studiereis belgie"}


@pytest.mark.parametrize(
    "typed", ["cooperatie", "coöperatie", "Cooperatie", "COÖPERATIE", "coopera", "coöp"]
)
def test_with_or_without_the_trema_and_in_any_case(titles, typed):
    assert _suggested(typed) == COOPERATIE


@pytest.mark.parametrize("typed", ["belgie", "België", "BELGIE", "belgië", "Belgi"])
def test_a_country_with_or_without_its_trema(titles, typed):
    assert _suggested(typed) == BELGIE


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("curacao", {"Een reis naar Curaçao"}),
        ("Curaçao", {"Een reis naar Curaçao"}),
        ("cafe op", {"Het café op de hoek"}),
        ("CAFÉ", {"Het café op de hoek"}),
        ("panelen op", {"Zonnepanelen op een plat dak"}),  # the tail of a compound, two words
    ],
)
def test_accents_case_and_compounds(titles, typed, expected):
    assert _suggested(typed) == expected


@pytest.mark.parametrize("typed", ["coöperaties", "belgium", "cafe-op", "zonne.panelen"])
def test_more_letters_than_the_title_has_find_nothing(titles, typed):
    assert _suggested(typed) == set()


@pytest.mark.parametrize("typed", ["a.b", "(zon", "[x]", "50%", "c++", "a\\d", "zon*"])
def test_regular_expression_characters_are_letters(titles, typed):
    ContributionFactory(title=f"Vraag over {typed} en meer")
    assert _suggested(typed) == {f"Vraag over {typed} en meer"}


def test_the_pattern_folds_and_escapes():
    pattern = _accent_pattern("Coöp.")
    assert re.fullmatch(pattern, "coöp.", re.IGNORECASE)
    assert re.fullmatch(pattern, "COOP.", re.IGNORECASE)
    assert not re.fullmatch(pattern, "coopx", re.IGNORECASE)
