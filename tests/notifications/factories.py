"""Factories and helpers for preferences, follows and deliveries."""

from __future__ import annotations

import datetime as dt

import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from communities.models import Branch
from notifications.models import (
    CommunityFollow,
    DigestDelivery,
    NotificationPreferences,
    RegionFollow,
    ThemeFollow,
)
from notifications.periods import Period
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)


def current_period(frequency: str = "weekly") -> Period:
    """The period that is running now, so that what a test creates now is inside it: it ends
    at the next digest hour, this morning when that is still to come, else tomorrow morning."""
    now = timezone.localtime()
    end_date = now.date()
    if now.hour >= settings.DIGEST_HOUR:
        end_date += dt.timedelta(days=1)
    return Period(frequency, end_date)


class PreferencesFactory(DjangoModelFactory):
    class Meta:
        model = NotificationPreferences
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    digest_frequency = "weekly"


class CommunityFollowFactory(DjangoModelFactory):
    class Meta:
        model = CommunityFollow

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    level = CommunityFollow.Level.MUTED


class ThemeFollowFactory(DjangoModelFactory):
    class Meta:
        model = ThemeFollow

    user = factory.SubFactory(UserFactory)
    theme = factory.SubFactory(ThemeFactory)


class RegionFollowFactory(DjangoModelFactory):
    class Meta:
        model = RegionFollow

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)


class DeliveryFactory(DjangoModelFactory):
    class Meta:
        model = DigestDelivery

    user = factory.SubFactory(UserFactory)
    frequency = "weekly"
    period_key = factory.LazyFunction(lambda: current_period().key)
    period_start = factory.LazyFunction(lambda: current_period().start)
    period_end = factory.LazyFunction(lambda: current_period().end)


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch

    library = factory.SubFactory(LibraryFactory)
    name = factory.Sequence(lambda n: f"Vestiging {n}")
    slug = factory.Sequence(lambda n: f"vestiging-{n}")
    street = "Stationsstraat 1"
    postcode = "5038 EA"
    city = "Tilburg"
    region = factory.SubFactory(RegionFactory)
