"""Recommended communities on a community's page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from communities import selectors
from communities.models import Community, Membership
from knowledge.models import Contribution
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    RegionFactory,
    ThemeFactory,
)
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def _recommended(viewer, community) -> list[str]:
    community = selectors.community_get_visible(viewer, community.slug)  # themes prefetched
    return [c.title for c in selectors.community_list_recommended(viewer, community)]


def _recommended_section(response) -> str:
    match = re.search(
        r'<section class="section" aria-labelledby="recommended-title">(.*?)</section>',
        response.content.decode(),
        re.S,
    )
    return match.group(1) if match else ""


@pytest.fixture
def other_theme(db):
    return ThemeFactory(title="Energie")


def test_shared_themes_first_then_region_then_activity(community, theme, other_theme):
    community.themes.add(other_theme)
    CommunityFactory(title="A geen gedeeld thema")
    CommunityFactory(title="B in dezelfde regio", region=community.region)
    CommunityFactory(title="C een gedeeld thema", themes=[theme])
    CommunityFactory(title="D twee gedeelde thema's", themes=[theme, other_theme])
    busy = CommunityFactory(title="E druk")
    for _ in range(2):
        ContributionFactory(community=busy)

    assert _recommended(ANONYMOUS, community) == [
        "D twee gedeelde thema's",
        "C een gedeeld thema",
        "B in dezelfde regio",
    ]


def test_activity_counts_recent_published_contributions_only(community):
    CommunityFactory(title="A stil")
    long_ago = CommunityFactory(title="B lang geleden")
    hidden = CommunityFactory(title="C verborgen")
    busy = CommunityFactory(title="D druk")
    ContributionFactory(community=busy)
    for _ in range(3):
        ContributionFactory(community=long_ago)
        ContributionFactory(community=hidden, status=Contribution.Status.HIDDEN)
    Contribution.objects.filter(community=long_ago).update(
        created_at=timezone.now() - timedelta(days=selectors.RECOMMENDED_ACTIVITY_DAYS + 1)
    )

    # The busy one first; the rest have no recent activity and follow by title.
    assert _recommended(ANONYMOUS, community) == ["D druk", "A stil", "B lang geleden"]


def test_excludes_itself_and_communities_i_am_in_or_asked_to_join(community, member, theme):
    joined = CommunityFactory(title="Lid", themes=[theme])
    asked = CommunityFactory(
        title="Aangevraagd", themes=[theme], visibility=Community.Visibility.ON_REQUEST
    )
    MembershipFactory(community=joined, user=member)
    MembershipFactory(community=asked, user=member, state=Membership.State.PENDING)
    CommunityFactory(title="Nieuw voor mij", themes=[theme])

    assert _recommended(member, community) == ["Nieuw voor mij"]
    # Visitors get the same list without the membership exclusion.
    assert _recommended(ANONYMOUS, community) == ["Aangevraagd", "Lid", "Nieuw voor mij"]


def test_private_community_only_recommended_to_whom_may_see_it(community, theme, member, outsider):
    secret = CommunityFactory(
        title="Besloten", themes=[theme], visibility=Community.Visibility.PRIVATE
    )
    MembershipFactory(community=community, user=member)

    assert "Besloten" not in _recommended(ANONYMOUS, community)
    assert "Besloten" not in _recommended(outsider, community)
    # Its members are not offered it either: they are in it already.
    MembershipFactory(community=secret, user=member)
    assert "Besloten" not in _recommended(member, community)


def test_page_shows_recommended_cards_without_my_badge(client, community, member, theme):
    MembershipFactory(community=community, user=member)
    CommunityFactory(title="Repair Café Zuid", themes=[theme], region=RegionFactory())
    client.force_login(member)

    section = _recommended_section(client.get(community.get_absolute_url()))

    assert "Misschien ook iets voor jou" in section
    assert "Repair Café Zuid" in section
    assert '<h3 class="card__title">' in section
    # The viewer's membership of the page's community is not shown on the other cards.
    assert "badge--member" not in section


def test_page_without_other_communities_has_no_heading(client, community):
    response = client.get(community.get_absolute_url())

    assert response.status_code == 200
    assert "Misschien ook iets voor jou" not in response.content.decode()


def test_recommended_takes_two_queries(community, theme, member, django_assert_num_queries):
    for _ in range(20):
        other = CommunityFactory(themes=[theme, ThemeFactory()])
        MembershipFactory(community=other)
        ContributionFactory(community=other)
    viewed = selectors.community_get_visible(member, community.slug)

    with django_assert_num_queries(2):  # the communities, their themes
        recommended = selectors.community_list_recommended(member, viewed)
    assert len(recommended) == 3


def test_community_page_queries_constant_with_recommendations(client, community, theme, member):
    def add(n):
        for _ in range(n):
            other = CommunityFactory(themes=[theme, ThemeFactory()], region=community.region)
            MembershipFactory(community=other)
            ContributionFactory(community=other, themes=[theme], tags=["isolatie"])

    url = community.get_absolute_url()
    assert_constant_queries(client, url, add, label="community detail with recommendations")
    client.force_login(member)
    assert_constant_queries(client, url, add, label="community detail with recommendations, member")
