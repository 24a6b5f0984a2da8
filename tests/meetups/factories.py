"""Factories for meetups and RSVPs."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from communities.models import Branch, User
from communities.selectors import ORGANISER_GROUP
from knowledge.markdown import render_markdown
from meetups.models import Meetup, Report, Rsvp, Session
from tests.communities.factories import LibraryFactory, RegionFactory, UserFactory


class MeetupFactory(DjangoModelFactory):
    """Published, starts in 7 days, 2 hours long, 10 places."""

    class Meta:
        model = Meetup

    title = factory.Sequence(lambda n: f"Bijeenkomst {n}")
    description = "We praten over isolatie en zonnepanelen."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 10
    status = Meetup.Status.PUBLISHED


class RsvpFactory(DjangoModelFactory):
    class Meta:
        model = Rsvp

    user = factory.SubFactory(UserFactory)
    meetup = factory.SubFactory(MeetupFactory)
    state = Rsvp.State.GOING


class SessionFactory(DjangoModelFactory):
    """A programme item in the first hour of its meetup, 5 places."""

    class Meta:
        model = Session

    meetup = factory.SubFactory(MeetupFactory, kind=Meetup.Kind.NETWORK_DAY)
    title = factory.Sequence(lambda n: f"Werkplaats {n}")
    starts_at = factory.LazyAttribute(lambda o: o.meetup.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    capacity = 5


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = Report

    meetup = factory.SubFactory(
        MeetupFactory,
        starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
    )
    author = factory.SubFactory(UserFactory)
    body = "We hebben **veel** geleerd over warmtepompen."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body)[0])


class BranchFactory(DjangoModelFactory):
    """A library building (vestiging) in a region."""

    class Meta:
        model = Branch

    library = factory.SubFactory(LibraryFactory)
    name = factory.Sequence(lambda n: f"Vestiging {n}")
    slug = factory.Sequence(lambda n: f"vestiging-{n}")
    street = "Stationsstraat 1"
    postcode = "5038 EA"
    city = "Tilburg"
    region = factory.SubFactory(RegionFactory)


def make_organiser(**kwargs) -> User:
    """A member of the library's Organisatoren group."""
    group, _created = Group.objects.get_or_create(name=ORGANISER_GROUP)
    user = UserFactory(**kwargs)
    user.groups.add(group)
    return user
