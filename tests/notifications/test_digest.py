"""What goes into a member's digest, and why; and that building it costs no query per member."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from knowledge.models import Contribution
from notifications.digest import DigestBuilder
from notifications.models import CommunityFollow
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory
from tests.notifications.factories import (
    BranchFactory,
    CommunityFollowFactory,
    RegionFollowFactory,
    ThemeFollowFactory,
    current_period,
)
from tests.querycount import measured_counts

pytestmark = pytest.mark.django_db


def build(user, period=None):
    period = period or current_period()
    return DigestBuilder(period).build([user.pk])[user.pk]


def titles(section):
    return [item.title for item in section.contributions]


def test_new_contributions_in_my_communities_but_never_my_own(community, member, membership):
    ContributionFactory(community=community, title="Wie heeft een warmtepomp?")
    ContributionFactory(community=community, author=member, title="Mijn eigen vraag")
    ContributionFactory(community=CommunityFactory(), title="Elders")
    ContributionFactory(community=community, title="Verborgen", status=Contribution.Status.HIDDEN)

    digest = build(member)

    assert [s.community.title for s in digest.communities] == ["Energiecoöperatie Noord"]
    assert titles(digest.communities[0]) == ["Wie heeft een warmtepomp?"]
    assert digest.has_news


def test_contributions_from_before_the_period_are_not_new(community, member, membership):
    old = ContributionFactory(community=community, title="Oud nieuws")
    Contribution.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))

    digest = build(member)

    assert digest.communities == []
    assert not digest.has_news


def test_lively_discussions_are_older_contributions_with_most_new_comments(
    community, member, membership
):
    quiet = ContributionFactory(community=community, title="Stil")
    lively = ContributionFactory(community=community, title="Druk besproken")
    mine = ContributionFactory(community=community, author=member, title="Van mij")
    Contribution.objects.filter(pk__in=[quiet.pk, lively.pk, mine.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    CommentFactory(contribution=quiet)
    for _n in range(3):
        CommentFactory(contribution=lively)
        CommentFactory(contribution=mine)

    digest = build(member)

    [section] = digest.communities
    assert section.contributions == []
    assert [(d.title, d.new_comments) for d in section.discussions] == [("Druk besproken", 3)]


def test_a_muted_community_is_left_out(community, member, membership):
    ContributionFactory(community=community)
    MeetupFactory(community=community, title="Gedempte bijeenkomst")
    CommunityFollowFactory(user=member, community=community, level=CommunityFollow.Level.MUTED)

    digest = build(member)

    assert digest.communities == []
    assert digest.meetups == []


def test_a_pending_membership_gets_nothing(community, member):
    MembershipFactory(community=community, user=member, pending=True)
    ContributionFactory(community=community)

    assert build(member).communities == []


def test_meetups_in_my_communities_and_regions_with_the_reason(community, member, membership):
    home = RegionFactory(name="Tilburg", slug="tilburg")
    followed = RegionFactory(name="Waalwijk", slug="waalwijk")
    member.region = home
    member.save()
    RegionFollowFactory(user=member, region=followed)
    MeetupFactory(community=community, title="In de gemeenschap")
    MeetupFactory(branch=BranchFactory(region=home), title="In de bibliotheek Tilburg")
    MeetupFactory(community=CommunityFactory(region=followed), title="Open gemeenschap in Waalwijk")
    MeetupFactory(
        community=CommunityFactory(region=home, visibility=Community.Visibility.PRIVATE),
        title="Besloten",
    )
    MeetupFactory(branch=BranchFactory(region=home), title="Te laat")
    MeetupFactory(
        branch=BranchFactory(region=home),
        title="Over drie weken",
        starts_at=current_period().end + dt.timedelta(days=21),
    )
    MeetupFactory(branch=BranchFactory(region=home), title="Concept", status="draft")

    digest = build(member)

    reasons = {e.item.title: (e.reason, e.reason_name) for e in digest.meetups}
    assert reasons == {
        "In de gemeenschap": ("community", "Energiecoöperatie Noord"),
        "In de bibliotheek Tilburg": ("region", "Tilburg"),
        "Open gemeenschap in Waalwijk": ("followed_region", "Waalwijk"),
        "Te laat": ("region", "Tilburg"),
    }
    assert digest.has_news  # the meetups were announced in this period


def test_upcoming_meetups_alone_are_no_news(community, member, membership):
    meetup = MeetupFactory(community=community)
    meetup.__class__.objects.filter(pk=meetup.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )

    digest = build(member)

    assert [e.item.title for e in digest.meetups] == [meetup.title]
    assert not digest.has_news


def _population(n: int, community) -> list:
    members = []
    for _i in range(n):
        membership = MembershipFactory(community=community)
        other = MembershipFactory(community=CommunityFactory(region=community.region))
        ContributionFactory(community=other.community, author=other.user)
        MembershipFactory(community=other.community, user=membership.user)
        CommunityFollowFactory(user=membership.user, community=community, level="digest")
        RegionFollowFactory(user=membership.user)
        MeetupFactory(community=other.community)
        members.append(membership.user)
    return members


def test_building_costs_the_same_queries_for_3_and_for_30_members(community):
    ContributionFactory(community=community)

    def count(members) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as ctx:
            digests = DigestBuilder(current_period()).build([m.pk for m in members])
        return len(ctx.captured_queries), digests

    small, _digests = count(_population(3, community))
    members = _population(27, community)
    large, digests = count(members + list(UserFactory.create_batch(3)))

    measured_counts["digest build (3 -> 30 members)"] = (small, large)
    assert small == large, f"{small} queries for 3 members, {large} for 30"
    assert all(len(digests[m.pk].communities) == 2 for m in members)


def test_a_password_protected_article_stays_out_of_the_digest(community, theme, member, membership):
    from wagtail.models import PageViewRestriction

    from tests.knowledge.factories import article_create

    article_create("Voor iedereen", themes=[theme])
    protected = article_create("Alleen met wachtwoord", themes=[theme])
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )

    digest = build(member)

    assert [e.item.title for e in digest.articles] == ["Voor iedereen"]


def test_new_articles_on_my_themes_with_the_reason(community, theme, member, membership):
    try:
        from tests.knowledge.factories import article_create
    except ImportError:
        pytest.skip("knowledge.ArticlePage is not there yet")
    followed = ThemeFactory(title="Samen leven")
    ThemeFollowFactory(user=member, theme=followed)
    article_create("Wat isoleren oplevert", themes=[theme])  # a theme of my community
    article_create("Samen koken", themes=[followed])
    article_create("Niet voor mij", themes=[ThemeFactory()])

    digest = build(member)

    reasons = {e.item.title: (e.reason, e.reason_name) for e in digest.articles}
    assert reasons == {
        "Samen koken": ("theme", "Samen leven"),
        "Wat isoleren oplevert": ("community_theme", "Duurzaam wonen"),
    }
    assert {e.item.path for e in digest.articles} == {
        "/artikelen/samen-koken/",
        "/artikelen/wat-isoleren-oplevert/",
    }
    assert digest.has_news
