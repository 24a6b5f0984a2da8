"""Factories for members, libraries, themes and communities."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from communities.models import Community, Library, Membership, Region, Theme, User

PASSWORD = "een-lang-wachtwoord-42"


def verify_email(user: User) -> EmailAddress:
    """Give `user` a verified primary allauth address, as after confirming the sign-up mail."""
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return address


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"lid{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Lid {n}")
    handle = factory.Sequence(lambda n: f"lid-{n}")
    language = "nl"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """`UserFactory(verified=False)` leaves the address unconfirmed."""
        if create and extracted is not False:
            verify_email(obj)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")


class LibraryFactory(DjangoModelFactory):
    class Meta:
        model = Library
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Bibliotheek {n}")
    slug = factory.Sequence(lambda n: f"bibliotheek-{n}")
    contact_email = factory.Sequence(lambda n: f"info{n}@bibliotheek.example.org")


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    title = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    intro = "Wat we samen weten over dit thema."
    sort_order = factory.Sequence(lambda n: n)


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Gemeenschap {n}")
    slug = factory.Sequence(lambda n: f"gemeenschap-{n}")
    description = "Buren die samen hun huis verduurzamen."
    library = factory.SubFactory(LibraryFactory)
    region = factory.SubFactory(RegionFactory)
    visibility = Community.Visibility.OPEN

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Membership.Role.MEMBER
    state = Membership.State.ACTIVE
    activated_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == Membership.State.ACTIVE else None
    )

    class Params:
        host = factory.Trait(role=Membership.Role.HOST)
        pending = factory.Trait(state=Membership.State.PENDING)
