"""Factories for meetups and RSVPs."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from meetups.models import Meetup, Rsvp
from tests.communities.factories import UserFactory


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
