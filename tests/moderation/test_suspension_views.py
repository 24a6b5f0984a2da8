"""A suspended member on the site: reads, sees why and until when, and every write door is shut
with that message (403 or the form again), never a 500; after the period all works again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership, User
from communities.selectors import LIBRARIAN_GROUP
from knowledge.models import Appreciation, Comment, Contribution
from meetups.models import Meetup, Rsvp, SessionSignup
from moderation.suspension import account_suspend
from tests.communities.factories import CommunityFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory, SessionFactory

pytestmark = pytest.mark.django_db

SUSPENDED = "Je account is geschorst tot 14 december 2026 om 10:00."


@pytest.fixture
def suspended(community, member, membership, clock):
    """`member`, suspended for a week from 7 December 2026 10:00 by their librarian."""
    clock.set("2026-12-07T10:00")
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    librarian = UserFactory()
    librarian.groups.add(group)
    community.library.librarians.add(librarian)
    account_suspend(
        by=librarian,
        user=member,
        until=clock.now() + timedelta(days=7),
        reason="Herhaald reclame geplaatst",
    )
    return member


@pytest.fixture
def client_of(suspended):
    client = Client()
    client.force_login(suspended)
    return client


def test_the_banner_says_until_when_and_why_on_every_logged_in_page(client_of, community):
    contribution = ContributionFactory(community=community)
    for url in (community.get_absolute_url(), contribution.get_absolute_url(), "/meldingen/"):
        response = client_of.get(url)
        assert response.status_code == 200, url
        text = page_text(response)
        assert SUSPENDED in text, url
        assert "Reden: Herhaald reclame geplaatst" in text
        assert "Je kunt nog wel lezen" in text


def test_for_good_reads_as_indefinitely(suspended, client_of, community, clock):
    User.objects.filter(pk=suspended.pk).update(suspended_until=None)
    text = page_text(client_of.get(community.get_absolute_url()))
    assert "Je account is geschorst voor onbepaalde tijd." in text


def test_nobody_else_sees_a_banner(suspended, community):
    other = Client()
    other.force_login(UserFactory())
    assert "geschorst" not in page_text(other.get(community.get_absolute_url()))
    assert "geschorst" not in page_text(Client().get(community.get_absolute_url()))


def test_the_banner_goes_when_the_period_is_over(client_of, community, clock):
    clock.tick(timedelta(days=7))
    assert "geschorst" not in page_text(client_of.get(community.get_absolute_url()))


def _doors(member, community):
    """Every write a member makes on the site: (method, url, data)."""
    contribution = ContributionFactory(community=community, author=member)
    other = ContributionFactory(community=community)
    # Far enough ahead to be open still when the suspension has run out.
    later = timezone.now() + timedelta(days=30)
    meetup = MeetupFactory(community=community, starts_at=later)
    session = SessionFactory(
        capacity=5, meetup=MeetupFactory(kind=Meetup.Kind.NETWORK_DAY, starts_at=later)
    )
    RsvpFactory(meetup=session.meetup, user=member)
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=19, minute=0)
    return {
        "contribution_create": (
            f"/bijdragen/nieuw/?gemeenschap={community.slug}",
            {"kind": "question", "title": "Gratis zonnepanelen!", "body": "Klik hier"},
        ),
        "contribution_edit": (
            reverse("knowledge:contribution_edit", kwargs={"pk": contribution.pk}),
            {"kind": "question", "title": "Gewijzigd", "body": "Gewijzigd"},
        ),
        "contribution_appreciate": (
            reverse("knowledge:contribution_appreciate", kwargs={"pk": other.pk}),
            {},
        ),
        "meetup_propose": (
            reverse("meetups:meetup_propose_in_community", kwargs={"slug": community.slug}),
            {
                "title": "Reclameavond",
                "description": "Kom allemaal",
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "address": "Markt 1, Tilburg",
            },
        ),
        "meetup_rsvp": (reverse("meetups:meetup_rsvp", kwargs={"pk": meetup.pk}), {}),
        "session_signup": (
            reverse(
                "meetups:session_signup", kwargs={"pk": session.meetup_id, "session_pk": session.pk}
            ),
            {},
        ),
        "profile_edit": (
            reverse("communities:profile_edit"),
            {
                "display_name": "Koop Nu",
                "handle": member.handle,
                "bio": "Koop nu!",
                "contact_visibility": "nobody",
                "language": "nl",
            },
        ),
    }


def _stored(member):
    return (
        list(Contribution.objects.order_by("pk").values_list("title", flat=True)),
        Appreciation.objects.count(),
        Meetup.objects.filter(status=Meetup.Status.PROPOSED).count(),
        list(Rsvp.objects.filter(user=member).values_list("meetup_id", "state")),
        SessionSignup.objects.count(),
        User.objects.get(pk=member.pk).display_name,
    )


DOORS = [
    "contribution_create",
    "contribution_edit",
    "contribution_appreciate",
    "meetup_propose",
    "meetup_rsvp",
    "session_signup",
    "profile_edit",
]


@pytest.mark.parametrize("door", DOORS)
def test_every_write_door_answers_403_with_the_reason(suspended, client_of, community, door):
    url, data = _doors(suspended, community)[door]
    before = _stored(suspended)

    response = client_of.post(url, data)

    assert response.status_code == 403
    text = page_text(response)
    assert "Dat kan niet zolang je account geschorst is" in text
    assert SUSPENDED in text and "Herhaald reclame geplaatst" in text
    assert _stored(suspended) == before


@pytest.mark.parametrize("door", DOORS)
def test_every_write_door_opens_again_after_the_period(
    suspended, client_of, community, clock, door
):
    url, data = _doors(suspended, community)[door]
    before = _stored(suspended)
    clock.tick(timedelta(days=7, seconds=1))

    response = client_of.post(url, data)

    assert response.status_code in (200, 302), page_text(response)[:500]
    assert _stored(suspended) != before


def test_commenting_shows_the_reason_next_to_the_form(suspended, client_of, community):
    contribution = ContributionFactory(community=community)
    response = client_of.post(
        reverse("knowledge:comment_create", kwargs={"pk": contribution.pk}),
        {"body": "Koop nu!"},
    )
    assert response.status_code == 400
    assert "Herhaald reclame geplaatst" in page_text(response)
    assert not Comment.objects.exists()


def test_joining_shows_the_reason(suspended, client_of):
    other = CommunityFactory()
    response = client_of.post(
        reverse("communities:community_join", kwargs={"slug": other.slug}), follow=True
    )
    assert "Herhaald reclame geplaatst" in page_text(response)
    assert not Membership.objects.filter(user=suspended, community=other).exists()


def test_reading_leaving_and_cancelling_stay_open(suspended, client_of, community):
    contribution = ContributionFactory(community=community)
    meetup = MeetupFactory(community=community)
    RsvpFactory(meetup=meetup, user=suspended)

    assert client_of.get(contribution.get_absolute_url()).status_code == 200
    assert client_of.get(meetup.get_absolute_url()).status_code == 200
    assert client_of.get(reverse("communities:community_list")).status_code == 200
    client_of.post(reverse("meetups:meetup_rsvp_cancel", kwargs={"pk": meetup.pk}))
    client_of.post(reverse("communities:community_leave", kwargs={"slug": community.slug}))

    assert Rsvp.objects.get(user=suspended, meetup=meetup).state == Rsvp.State.CANCELLED
    assert not Membership.objects.filter(user=suspended, community=community).exists()


def test_another_refusal_keeps_its_own_403_page(suspended, client_of, community):
    """Editing someone else's contribution is refused for its own reason, not the suspension."""
    contribution = ContributionFactory(community=community)
    response = client_of.get(reverse("knowledge:contribution_edit", kwargs={"pk": contribution.pk}))
    assert response.status_code == 403
    assert "Hier heb je geen toegang toe" in page_text(response)


def test_the_forms_give_way_to_the_reason(suspended, client_of, community):
    """Where a form would be, a suspended member reads why they cannot use it."""
    for url in (
        f"/bijdragen/nieuw/?gemeenschap={community.slug}",
        reverse("meetups:meetup_propose_in_community", kwargs={"slug": community.slug}),
        reverse("communities:profile_edit"),
    ):
        response = client_of.get(url)
        assert response.status_code == 403, url
        assert "Herhaald reclame geplaatst" in page_text(response)

    contribution = ContributionFactory(community=community)
    page = client_of.get(contribution.get_absolute_url()).content.decode()
    assert "Reactie plaatsen" not in page and "Antwoord aan" not in page
    meetup = MeetupFactory(community=community)
    assert "Ik kom" not in page_text(client_of.get(meetup.get_absolute_url()))
    other = CommunityFactory()
    text = page_text(client_of.get(other.get_absolute_url()))
    assert "Lid worden" not in text
    assert text.count("Herhaald reclame geplaatst") == 2  # the banner and the join panel
