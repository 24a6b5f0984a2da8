"""Private content is never found, counted or faceted for someone who may not see it."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import Community, Membership
from knowledge.selectors import contribution_list_visible_to
from search.selectors import FACET_LIMIT, PER_PAGE, search_for
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory

pytestmark = pytest.mark.django_db


def _everything_shown(result) -> str:
    """Every string the results page could show: hits, excerpts and facet labels."""
    parts = [f"{h.title} {h.excerpt} {h.community} {h.url}" for h in result.hits]
    for facets in result.facet_groups:
        parts += [f"{f.label} {f.value}" for f in facets]
    return " ".join(parts)


@pytest.fixture
def secret(db):
    theme = ThemeFactory(title="Geheim thema", slug="geheim-thema")
    community = CommunityFactory(
        title="Besloten kring", slug="besloten-kring", visibility=Community.Visibility.PRIVATE
    )
    ContributionFactory(
        community=community,
        title="Vertrouwelijke notulen",
        body="Het vergaderverslag van de kring.",
        themes=[theme],
    )
    MeetupFactory(community=community, title="Besloten vergadering", description="Notulen.")
    return community


def test_an_outsider_finds_nothing_of_a_private_community(secret, outsider):
    for viewer in (AnonymousUser(), outsider):
        result = search_for(viewer, "notulen")
        assert result.total == 0 and result.hits == []
        assert not any(result.facet_groups)
        assert search_for(viewer, "kring").total == 0
        # Filtering by its slug or its theme does not reveal it either.
        assert search_for(viewer, "notulen", community="besloten-kring").total == 0
        assert search_for(viewer, "notulen", theme="geheim-thema").total == 0


def test_a_member_and_a_librarian_of_its_library_find_it(secret, librarian):
    member = MembershipFactory(community=secret).user
    librarian.libraries.add(secret.library)
    for viewer in (member, librarian):
        result = search_for(viewer, "notulen")
        assert result.total == 2
        assert "Besloten kring" in _everything_shown(result)
        assert {f.label: f.count for f in result.themes} == {"Geheim thema": 1}


def test_a_pending_member_finds_nothing(secret):
    pending = MembershipFactory(community=secret, state=Membership.State.PENDING).user
    assert search_for(pending, "notulen").total == 0


def test_a_community_turning_private_hides_its_content_at_once(community, outsider):
    ContributionFactory(community=community, title="Energieschaarste", body="Tekst.")
    assert search_for(outsider, "energieschaarste").total == 1
    community.visibility = Community.Visibility.PRIVATE
    community.save()
    assert search_for(outsider, "energieschaarste").total == 0


def test_moving_a_contribution_to_a_private_community_hides_it(community, secret, outsider):
    contribution = ContributionFactory(community=community, title="Verhuisd", body="Tekst.")
    contribution.community = secret
    contribution.save()
    assert search_for(outsider, "verhuisd").total == 0


def test_random_visibility_and_membership_never_leak(db):
    """Property: for any communities, memberships and viewers, search finds exactly the
    contributions the lists show that viewer, and its counts and facets only name those."""
    rng = random.Random(20261206)
    library = LibraryFactory()
    themes = [ThemeFactory() for _ in range(3)]
    users = [UserFactory() for _ in range(4)]
    for _round in range(12):
        communities = [
            CommunityFactory(
                library=library,
                visibility=rng.choice(Community.Visibility.values),
                themes=rng.sample(themes, rng.randint(0, 2)),
            )
            for _ in range(3)
        ]
        for user in users:
            for community in communities:
                if rng.random() < 0.4:
                    MembershipFactory(
                        user=user,
                        community=community,
                        state=rng.choice(Membership.State.values),
                    )
        for _ in range(5):
            ContributionFactory(
                community=rng.choice(communities),
                title=f"Eigenwoningforfait {rng.randint(0, 10**6)}",
                body="Gedeelde kennis.",
                themes=rng.sample(themes, rng.randint(0, 2)),
                status=rng.choice(["published", "published", "hidden"]),
            )
        for viewer in [AnonymousUser(), *users]:
            visible = contribution_list_visible_to(viewer)
            expected = {c.get_absolute_url() for c in visible}
            result = search_for(viewer, "eigenwoningforfait", kind="contribution")
            assert result.total == len(expected)
            seen = {h.url for h in result.hits}
            assert seen <= expected and len(seen) == min(len(expected), PER_PAGE)
            visible_titles = {c.community.title for c in visible}
            assert {f.label for f in result.communities} <= visible_titles
            if len(result.communities) < FACET_LIMIT:  # the facet lists the top 20
                assert sum(f.count for f in result.communities) == len(expected)
            kind_counts = {f.value: f.count for f in result.kinds}
            assert kind_counts.get("contribution", 0) == len(expected)
            for facet in result.themes:
                assert facet.count == visible.filter(themes__slug=facet.value).count()
