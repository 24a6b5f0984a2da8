"""'Ook interessant': related contributions on a contribution's page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from knowledge import selectors
from knowledge.models import Contribution
from tests.communities.factories import MembershipFactory, ThemeFactory
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


@pytest.fixture
def contribution(community, theme):
    return ContributionFactory(
        community=community,
        title="Hoe isoleer ik een jaren-30-woning?",
        themes=[theme],
        tags=["isolatie", "vloer"],
    )


def _related(viewer, contribution) -> list[str]:
    # Read the contribution as the page does: tags and themes prefetched.
    contribution = selectors.contribution_get_visible(viewer, contribution.pk)
    return [c.title for c in selectors.contribution_list_related(viewer, contribution)]


def _age(contribution: Contribution, days: int) -> None:
    created = timezone.now() - timedelta(days=days)
    Contribution.objects.filter(pk=contribution.pk).update(created_at=created)


def _related_section(response) -> str:
    match = re.search(
        r'<section class="section" aria-labelledby="related-title">(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    return match.group(1) if match else ""


def test_a_shared_tag_ranks_above_a_shared_theme_only(community, theme, contribution):
    only_theme = ContributionFactory(community=community, title="Zonnepanelen", themes=[theme])
    only_tag = ContributionFactory(community=community, title="Kruipruimte", tags=["vloer"])
    both = ContributionFactory(
        community=community, title="Spouwmuur", themes=[theme], tags=["isolatie", "vloer"]
    )
    # The theme-only one is the newest: the score, not the date, puts the others above it.
    _age(both, 3)
    _age(only_tag, 2)
    _age(only_theme, 1)

    assert _related(ANONYMOUS, contribution) == ["Spouwmuur", "Kruipruimte", "Zonnepanelen"]


def test_ties_newest_first_and_unrelated_left_out(community, theme, contribution):
    older = ContributionFactory(community=community, title="Ouder", tags=["isolatie"])
    newer = ContributionFactory(community=community, title="Nieuwer", tags=["isolatie"])
    ContributionFactory(community=community, title="Iets anders", tags=["fietsen"])
    _age(older, 5)
    _age(newer, 1)

    assert _related(ANONYMOUS, contribution) == ["Nieuwer", "Ouder"]


def test_never_itself_never_hidden_at_most_five(community, theme, contribution):
    for i in range(7):
        ContributionFactory(community=community, title=f"Verwant {i}", tags=["isolatie"])
    ContributionFactory(
        community=community,
        title="Verborgen",
        tags=["isolatie", "vloer"],
        themes=[theme],
        status=Contribution.Status.HIDDEN,
    )

    titles = _related(ANONYMOUS, contribution)

    assert len(titles) == 5
    assert contribution.title not in titles
    assert "Verborgen" not in titles


def test_private_contribution_only_suggested_to_members(private_community, outsider, contribution):
    ContributionFactory(community=private_community, title="Geheim", tags=["isolatie", "vloer"])
    insider = MembershipFactory(community=private_community).user

    assert "Geheim" not in _related(ANONYMOUS, contribution)
    assert "Geheim" not in _related(outsider, contribution)
    assert "Geheim" in _related(insider, contribution)


def test_page_shows_related_cards_to_the_viewer(client, community, private_community, contribution):
    ContributionFactory(community=community, title="Kruipruimte isoleren", tags=["vloer"])
    ContributionFactory(community=private_community, title="Geheim", tags=["vloer"])

    section = _related_section(client.get(contribution.get_absolute_url()))

    assert "Ook interessant" in section
    assert '<h3 class="card__title">' in section  # under the section's h2
    assert "Kruipruimte isoleren" in section
    assert "Geheim" not in section


def test_page_without_anything_related_has_no_heading(client, community, contribution):
    ContributionFactory(community=community, title="Fietsroutes", tags=["fietsen"])

    response = client.get(contribution.get_absolute_url())

    assert response.status_code == 200
    assert "Ook interessant" not in response.content.decode()


def test_related_takes_two_queries_whatever_the_candidates(
    community, theme, contribution, django_assert_num_queries
):
    for i in range(40):
        ContributionFactory(
            community=community, themes=[theme, ThemeFactory()], tags=["isolatie", f"t{i}"]
        )
    viewed = selectors.contribution_get_visible(ANONYMOUS, contribution.pk)
    selectors.contribution_list_related(ANONYMOUS, viewed)  # warm the per-process caches

    with django_assert_num_queries(2):  # the contributions, their tags
        related = selectors.contribution_list_related(ANONYMOUS, viewed)
    assert len(related) == 5


def test_contribution_page_queries_constant_with_related(client, community, theme, contribution):
    def add(n):
        for i in range(n):
            ContributionFactory(community=community, themes=[theme], tags=["vloer", f"t{i}"])

    url = contribution.get_absolute_url()
    assert_constant_queries(client, url, add, label="contribution detail with related")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_with_pg_trgm_a_similar_title_settles_a_tie(community, contribution):
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # rolled back with the test
    selectors._has_trigram_extension.cache_clear()
    try:
        similar = ContributionFactory(
            community=community, title="Hoe isoleer ik een jaren-30-huis?", tags=["vloer"]
        )
        other = ContributionFactory(community=community, title="Kruipruimte", tags=["vloer"])
        _age(similar, 2)  # older: only the title puts it first
        _age(other, 1)

        assert _related(ANONYMOUS, contribution) == [similar.title, other.title]
    finally:
        selectors._has_trigram_extension.cache_clear()
