"""Meetup mail goes only to people who may still see the meetup.

Someone who leaves a private community loses their places at its upcoming meetups (the first
waiting member moves up) and hears nothing more about them: no change or cancellation notice,
no reminder, no organiser message. Members who stay hear everything as before. The same holds
for anyone whose RSVP outlived their access another way (the community became private).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils import timezone

from communities import services as community_services
from communities.models import Community, Membership
from communities.selectors import LIBRARIAN_GROUP
from meetups import selectors, services, tasks
from meetups.models import Meetup, Rsvp
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db

GOING, WAITLIST, CANCELLED = Rsvp.State.GOING, Rsvp.State.WAITLIST, Rsvp.State.CANCELLED


@pytest.fixture
def club(db):
    """A private community: a host, a member who will leave and one who stays."""
    community = CommunityFactory(title="Leesclub", visibility=Community.Visibility.PRIVATE)
    people = {
        name: MembershipFactory(
            community=community, user__email=f"{name}@example.org", user__display_name=name
        ).user
        for name in ("host", "leaver", "stayer", "waiting")
    }
    Membership.objects.filter(community=community, user=people["host"]).update(role="host")
    return community, people


def _meetup_with(community, people, *, hours: float = 24 * 7, capacity: int = 2) -> Meetup:
    starts = timezone.now() + dt.timedelta(hours=hours)
    meetup = MeetupFactory(
        community=community,
        title="Boekbespreking",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        capacity=capacity,
    )
    RsvpFactory(meetup=meetup, user=people["leaver"], access_needs="Ringleiding")
    RsvpFactory(meetup=meetup, user=people["stayer"])
    RsvpFactory(meetup=meetup, user=people["waiting"], state=WAITLIST)
    return meetup


def _to(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


# --- Leaving: the RSVP goes, the waitlist moves up ----------------------------------------


def test_leaving_a_private_community_cancels_the_rsvp_and_promotes_the_first_waiting(
    club, mailoutbox, django_capture_on_commit_callbacks
):
    community, people = club
    meetup = _meetup_with(community, people)

    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_leave(user=people["leaver"], community=community)

    leaver = Rsvp.objects.get(meetup=meetup, user=people["leaver"])
    assert (leaver.state, leaver.access_needs) == (CANCELLED, "")
    assert Rsvp.objects.get(meetup=meetup, user=people["waiting"]).state == GOING
    assert _to(mailoutbox) == ["waiting@example.org"]


def test_removed_from_a_private_community_in_the_admin_too(club):
    community, people = club
    meetup = _meetup_with(community, people)
    superuser = UserFactory(is_superuser=True)
    membership = Membership.objects.get(community=community, user=people["leaver"])

    community_services.membership_remove(
        by=superuser, community=community, membership_id=membership.pk
    )

    assert Rsvp.objects.get(meetup=meetup, user=people["leaver"]).state == CANCELLED
    assert Rsvp.objects.get(meetup=meetup, user=people["waiting"]).state == GOING


def test_leaving_an_open_community_keeps_the_rsvp(club):
    community, people = club
    community.visibility = Community.Visibility.OPEN
    community.save()
    meetup = _meetup_with(community, people)

    community_services.membership_leave(user=people["leaver"], community=community)

    assert Rsvp.objects.get(meetup=meetup, user=people["leaver"]).state == GOING


def test_a_librarian_of_the_library_keeps_their_place_when_leaving(club):
    community, people = club
    meetup = _meetup_with(community, people)
    librarian = people["leaver"]
    librarian.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])
    community.library.librarians.add(librarian)

    community_services.membership_leave(user=librarian, community=community)

    assert Rsvp.objects.get(meetup=meetup, user=librarian).state == GOING


def test_a_begun_meetup_keeps_the_rsvp_for_the_attendance(club):
    community, people = club
    meetup = _meetup_with(community, people, hours=-0.5)

    community_services.membership_leave(user=people["leaver"], community=community)

    assert Rsvp.objects.get(meetup=meetup, user=people["leaver"]).state == GOING


def test_meetups_of_other_communities_are_not_touched(club):
    community, people = club
    elsewhere = CommunityFactory(visibility=Community.Visibility.PRIVATE)
    MembershipFactory(community=elsewhere, user=people["leaver"])
    other = MeetupFactory(community=elsewhere)
    RsvpFactory(meetup=other, user=people["leaver"])

    community_services.membership_leave(user=people["leaver"], community=community)

    assert Rsvp.objects.get(meetup=other, user=people["leaver"]).state == GOING


# --- After leaving: no more mail about the community's meetups ------------------------------


def test_after_leaving_no_change_notice_reminder_or_message(
    club, mailoutbox, django_capture_on_commit_callbacks
):
    community, people = club
    meetup = _meetup_with(community, people, hours=30, capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_leave(user=people["leaver"], community=community)
    mailoutbox.clear()

    later = meetup.starts_at - dt.timedelta(hours=8)
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_update(
            by=people["host"],
            meetup_id=meetup.pk,
            fields={"starts_at": later, "ends_at": later + dt.timedelta(hours=2)},
            themes=[],
            organisers=[],
        )
    changed = _to(mailoutbox)
    mailoutbox.clear()
    tasks.meetup_send_reminders()
    reminded = _to(mailoutbox)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_message_attendees(
            meetup=meetup,
            sender=people["host"],
            subject="Boek",
            body="Lees hoofdstuk 3.",
            include_waitlist=True,
        )
    messaged = _to(mailoutbox)

    assert changed == ["stayer@example.org", "waiting@example.org"]
    assert reminded == ["stayer@example.org", "waiting@example.org"]
    assert messaged == ["stayer@example.org", "waiting@example.org"]


# --- Access lost another way: the RSVP is still there, the mail is not ---------------------


@pytest.fixture
def turned_private(club):
    """A meetup whose community became private after an outsider signed up."""
    community, people = club
    meetup = _meetup_with(community, people, hours=10, capacity=5)
    outsider = UserFactory(email="outsider@example.org")
    RsvpFactory(meetup=meetup, user=outsider)
    return meetup, people, outsider


def test_no_change_notice_to_who_may_not_see_the_meetup(
    turned_private, mailoutbox, django_capture_on_commit_callbacks
):
    meetup, people, outsider = turned_private

    later = meetup.starts_at + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_update(
            by=people["host"],
            meetup_id=meetup.pk,
            fields={"starts_at": later, "ends_at": later + dt.timedelta(hours=2)},
            themes=[],
            organisers=[],
        )

    assert "outsider@example.org" not in _to(mailoutbox)
    assert "leaver@example.org" in _to(mailoutbox)
    # Nor an in-site notice about a meetup they cannot open.
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert Notification.objects.filter(recipient=people["stayer"]).exists()


def test_no_cancellation_notice_to_who_may_not_see_the_meetup(
    turned_private, mailoutbox, django_capture_on_commit_callbacks
):
    meetup, people, _outsider = turned_private

    with django_capture_on_commit_callbacks(execute=True):
        services.meetup_cancel(by=people["host"], meetup_id=meetup.pk, note="Ziek.")

    assert "outsider@example.org" not in _to(mailoutbox)
    assert "stayer@example.org" in _to(mailoutbox)


def test_no_reminder_to_who_may_not_see_the_meetup(turned_private, mailoutbox):
    meetup, _people, outsider = turned_private

    queued = tasks.meetup_send_reminders()

    assert queued == 2  # leaver and stayer are going; the outsider is not reminded
    assert _to(mailoutbox) == ["leaver@example.org", "stayer@example.org"]
    assert Rsvp.objects.get(meetup=meetup, user=outsider).reminded_at is None


def test_no_organiser_message_to_who_may_not_see_the_meetup(
    turned_private, mailoutbox, django_capture_on_commit_callbacks
):
    meetup, people, _outsider = turned_private

    with django_capture_on_commit_callbacks(execute=True):
        count = services.meetup_message_attendees(
            meetup=meetup,
            sender=people["host"],
            subject="Boek",
            body="Tot dan.",
            include_waitlist=False,
        )

    assert count == 2
    assert _to(mailoutbox) == ["leaver@example.org", "stayer@example.org"]


def test_a_queued_mail_is_dropped_when_access_ended_before_it_went_out(turned_private, mailoutbox):
    meetup, people, _outsider = turned_private
    rsvp = Rsvp.objects.get(meetup=meetup, user=people["stayer"])
    Membership.objects.filter(community=meetup.community, user=people["stayer"]).delete()

    tasks.rsvp_reminder_send(rsvp.pk)
    tasks.rsvp_meetup_change_send(rsvp.pk, "changed")
    tasks.meetup_message_deliver(rsvp.pk, people["host"].pk, "Boek", "Tot dan.")

    assert mailoutbox == []


# --- One rule: the mail audience is who may see the meetup on the site ---------------------


def test_the_mail_audience_matches_who_may_see_the_meetup(club):
    community, people = club
    superuser = UserFactory(is_superuser=True)
    librarian = UserFactory()
    librarian.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])
    community.library.librarians.add(librarian)
    other_librarian = UserFactory()
    other_librarian.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])
    CommunityFactory().library.librarians.add(other_librarian)
    pending = MembershipFactory(community=community, pending=True).user
    outsider = UserFactory()
    meetups = [
        MeetupFactory(community=community),
        MeetupFactory(community=community, status=Meetup.Status.CANCELLED),
        MeetupFactory(community=CommunityFactory(visibility=Community.Visibility.ON_REQUEST)),
        MeetupFactory(community=None),
    ]
    users = [*people.values(), superuser, librarian, other_librarian, pending, outsider]
    for meetup in meetups:
        for user in users:
            RsvpFactory(meetup=meetup, user=user)

    mailable = set(selectors.rsvp_list_mailable().values_list("user_id", "meetup_id"))

    for meetup in meetups:
        for user in users:
            try:
                selectors.meetup_get_visible(user, meetup.pk)
                visible = True
            except Http404:
                visible = False
            assert ((user.pk, meetup.pk) in mailable) == visible, (user, meetup)
