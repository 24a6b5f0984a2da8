"""Query-count locks (issue 13) for the meetup pages that had none: the meetup page, for a
visitor and for a member who is going, and the member's own calendar page.

Each page costs the same number of queries for 3 rows as for 30 (tests/querycount.py), and no
more than the number it cost when it was locked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetups.models import Meetup, Rsvp, SessionSignup
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import (
    BranchFactory,
    MeetupFactory,
    ReportFactory,
    RsvpFactory,
    SessionFactory,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_day(community, theme):
    """An upcoming network day of `community` in a library branch, with a programme."""
    meetup = MeetupFactory(
        community=community,
        kind=Meetup.Kind.NETWORK_DAY,
        branch=BranchFactory(library=community.library),
        capacity=200,
    )
    meetup.themes.add(theme)
    return meetup


def _fill_programme(meetup, member):
    """n sessions with places, taken by others and by `member`, and n more who are going."""

    def add(n):
        for _ in range(n):
            session = SessionFactory(meetup=meetup)
            other = UserFactory()
            RsvpFactory(meetup=meetup, user=other)
            SessionSignup.objects.create(session=session, user=other)
            SessionSignup.objects.create(session=session, user=member)

    return add


def test_meetup_page_queries_are_locked_for_a_visitor(client, network_day, member):
    add = _fill_programme(network_day, member)
    url = network_day.get_absolute_url()

    assert_constant_queries(client, url, add, label="meetup page, visitor", at_most=5)


def test_meetup_page_queries_are_locked_for_a_member_who_is_going(
    client, network_day, member, membership
):
    RsvpFactory(meetup=network_day, user=member, state=Rsvp.State.GOING)
    add = _fill_programme(network_day, member)
    client.force_login(member)

    assert_constant_queries(
        client, network_day.get_absolute_url(), add, label="meetup page, member", at_most=15
    )


def test_meetup_page_with_a_report_queries_are_locked(client, community, member, membership):
    meetup = MeetupFactory(community=community, starts_at=timezone.now() - timedelta(days=1))
    report = ReportFactory(meetup=meetup)

    def add(n):
        for _ in range(n):
            report.contributions.add(ContributionFactory(community=community, tags=["warmte"]))

    assert_constant_queries(
        client, meetup.get_absolute_url(), add, label="meetup page with report", at_most=7
    )
    client.force_login(member)
    assert_constant_queries(
        client,
        meetup.get_absolute_url(),
        add,
        label="meetup page with report, member",
        at_most=17,
    )


def test_my_calendar_queries_are_locked(client, member):
    """Upcoming answers (going and waitlist) in branches and communities, and the member's
    communities that have a feed."""

    def add(n):
        for i in range(n):
            community = CommunityFactory()
            MembershipFactory(community=community, user=member)
            meetup = MeetupFactory(
                community=community,
                branch=BranchFactory(library=community.library),
                starts_at=timezone.now() + timedelta(days=2 + i),
            )
            state = Rsvp.State.WAITLIST if i % 2 else Rsvp.State.GOING
            RsvpFactory(meetup=meetup, user=member, state=state)

    client.force_login(member)
    assert_constant_queries(
        client, "/bijeenkomsten/mijn-agenda/", add, label="my calendar", at_most=9
    )
