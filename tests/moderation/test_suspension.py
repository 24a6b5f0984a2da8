"""Suspending an account site-wide: who may, what it stops, and that it ends by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from communities import services as community_services
from communities.models import Membership, User
from communities.selectors import LIBRARIAN_GROUP, ORGANISER_GROUP
from communities.suspension import AccountSuspended, require_can_act, suspension_message
from knowledge import services as knowledge_services
from knowledge.models import Appreciation, Comment, Contribution
from meetups import services as meetup_services
from meetups.models import Meetup, Rsvp, SessionSignup
from moderation.models import ModerationAction
from moderation.suspension import account_suspend, account_unsuspend, member_suspend_refusal
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library_librarian(community):
    """A librarian of the library of `community` (the member's community)."""
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    user = UserFactory(display_name="Lotte Librarian", handle="lotte-bib")
    user.groups.add(group)
    community.library.librarians.add(user)
    return user


def suspend(by, user, clock, *, days=7, reason="Spam in drie gemeenschappen"):
    until = None if days is None else clock.now() + timedelta(days=days)
    return account_suspend(by=by, user=user, until=until, reason=reason)


# --- Who may suspend whom ---------------------------------------------------------------------


def test_a_librarian_suspends_a_member_of_their_library_and_it_is_logged(
    library_librarian, member, membership, community, clock
):
    clock.set("2026-12-07T10:00")
    until = clock.now() + timedelta(days=7)

    account_suspend(by=library_librarian, user=member, until=until, reason="  Spam  ")

    member.refresh_from_db()
    assert member.suspended_at == clock.now()
    assert member.suspended_until == until
    assert member.suspension_reason == "Spam"
    log = ModerationAction.objects.get()
    assert log.action == ModerationAction.Action.SUSPEND
    assert (log.actor, log.member, log.library) == (library_librarian, member, community.library)
    assert log.reason == "Spam"


def test_a_librarian_cannot_suspend_a_member_outside_their_library(library_librarian, clock):
    elsewhere = MembershipFactory(community=CommunityFactory()).user

    with pytest.raises(PermissionDenied, match="niet mee in een gemeenschap van jouw"):
        suspend(library_librarian, elsewhere, clock)

    elsewhere.refresh_from_db()
    assert elsewhere.suspended_at is None
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("kind", ["librarian", "organiser", "staff", "superuser"])
def test_a_librarian_cannot_suspend_staff(library_librarian, community, clock, kind):
    other = MembershipFactory(community=community).user
    if kind in ("librarian", "organiser"):
        name = LIBRARIAN_GROUP if kind == "librarian" else ORGANISER_GROUP
        group, _created = Group.objects.get_or_create(name=name)
        other.groups.add(group)  # the group alone, without is_staff
    other.is_staff = kind == "staff"
    other.is_superuser = kind == "superuser"
    other.save()

    with pytest.raises(PermissionDenied):
        suspend(library_librarian, other, clock)
    assert not User.objects.get(pk=other.pk).suspended_at


def test_a_superuser_suspends_anyone_but_a_superuser_or_themselves(
    library_librarian, member, clock
):
    boss = UserFactory(is_superuser=True, is_staff=True)
    other_boss = UserFactory(is_superuser=True, is_staff=True)

    suspend(boss, library_librarian, clock)  # a librarian, and a member of no community
    suspend(boss, member, clock, days=None)

    assert User.objects.get(pk=library_librarian.pk).suspended_at is not None
    assert User.objects.get(pk=member.pk).suspended_until is None
    with pytest.raises(PermissionDenied):
        suspend(boss, other_boss, clock)
    with pytest.raises(PermissionDenied):
        suspend(boss, boss, clock)


def test_hosts_and_members_cannot_suspend(host, member, membership, clock):
    assert member_suspend_refusal(host, member)
    with pytest.raises(PermissionDenied):
        suspend(host, member, clock)


def test_a_reason_is_required_and_the_end_lies_ahead(library_librarian, member, membership, clock):
    with pytest.raises(ValidationError) as error:
        account_suspend(
            by=library_librarian,
            user=member,
            until=clock.now() - timedelta(minutes=1),
            reason="  ",
        )
    assert set(error.value.message_dict) == {"reason", "until"}
    member.refresh_from_db()
    assert member.suspended_at is None
    assert not ModerationAction.objects.exists()


def test_lifting_a_suspension_is_logged_and_lets_the_member_act(
    library_librarian, member, membership, community, clock
):
    suspend(library_librarian, member, clock)

    account_unsuspend(by=library_librarian, user=member, reason="Excuses aangeboden")

    member.refresh_from_db()
    assert (member.suspended_at, member.suspended_until, member.suspension_reason) == (
        None,
        None,
        "",
    )
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "suspend",
        "unsuspend",
    ]
    require_can_act(member)  # no exception
    with pytest.raises(ValidationError, match="niet geschorst"):
        account_unsuspend(by=library_librarian, user=member)


# --- What it stops, and what not ---------------------------------------------------------------


def _writes(member, community):
    contribution = ContributionFactory(community=community, author=member)
    comment = CommentFactory(contribution=contribution, author=member)
    other = ContributionFactory(community=community)
    meetup = MeetupFactory(community=community)
    session = SessionFactory(capacity=5)
    RsvpFactory(meetup=session.meetup, user=member)
    open_community = CommunityFactory()
    later = {
        "title": "Samen klussen",
        "description": "Wie helpt?",
        "starts_at": meetup.starts_at,
        "ends_at": meetup.ends_at,
        "address": "Markt 1, Tilburg",
    }
    return {
        "contribution_create": lambda: knowledge_services.contribution_create(
            author=member, community=community, kind="question", title="Vraag", body="Hoe?"
        ),
        "contribution_update": lambda: knowledge_services.contribution_update(
            by=member, contribution=contribution, kind="question", title="Nieuw", body="Nieuw"
        ),
        "comment_create": lambda: knowledge_services.comment_create(
            author=member, contribution=other, body="Eens!"
        ),
        "comment_update": lambda: knowledge_services.comment_update(
            by=member, comment=comment, body="Anders"
        ),
        "appreciation_toggle": lambda: knowledge_services.appreciation_toggle(
            user=member, contribution=other
        ),
        "meetup_propose": lambda: meetup_services.meetup_propose(
            by=member, community=community, fields=later
        ),
        "rsvp_respond": lambda: meetup_services.rsvp_respond(user=member, meetup_id=meetup.pk),
        "session_signup": lambda: meetup_services.session_signup(
            user=member, session_id=session.pk
        ),
        "membership_join": lambda: community_services.membership_join(
            user=member, community=open_community
        ),
        "member_update_profile": lambda: community_services.member_update_profile(
            user=member, data={"bio": "Koop nu!"}
        ),
    }


def _stored(member):
    return {
        "contributions": list(Contribution.objects.values_list("title", "body")),
        "comments": list(Comment.objects.values_list("body", flat=True)),
        "appreciations": Appreciation.objects.count(),
        "meetups": Meetup.objects.filter(status=Meetup.Status.PROPOSED).count(),
        "rsvps": list(Rsvp.objects.filter(user=member).values_list("meetup_id", "state")),
        "places": SessionSignup.objects.count(),
        "memberships": Membership.objects.filter(user=member).count(),
        "bio": User.objects.get(pk=member.pk).bio,
    }


WRITES = [
    "contribution_create",
    "contribution_update",
    "comment_create",
    "comment_update",
    "appreciation_toggle",
    "meetup_propose",
    "rsvp_respond",
    "session_signup",
    "membership_join",
    "member_update_profile",
]


@pytest.mark.parametrize("write", WRITES)
def test_every_write_is_refused_while_suspended_and_stores_nothing(
    library_librarian, member, membership, community, clock, write
):
    writes = _writes(member, community)
    suspend(library_librarian, member, clock, reason="Scheldpartij")
    before = _stored(member)

    with pytest.raises(AccountSuspended, match="Scheldpartij"):
        writes[write]()

    assert _stored(member) == before


@pytest.mark.parametrize("write", WRITES)
def test_every_write_works_again_when_the_period_is_over(
    library_librarian, member, membership, community, clock, write
):
    writes = _writes(member, community)
    suspend(library_librarian, member, clock, days=3)
    before = _stored(member)
    clock.tick(timedelta(days=3))  # nobody lifts it: the end has come

    writes[write]()

    assert _stored(member) != before


def test_leaving_cancelling_and_deleting_stay_allowed(
    library_librarian, member, membership, community, clock
):
    comment = CommentFactory(author=member, contribution=ContributionFactory(community=community))
    meetup = MeetupFactory(community=community)
    RsvpFactory(meetup=meetup, user=member)
    suspend(library_librarian, member, clock, days=None)

    meetup_services.rsvp_cancel(user=member, meetup_id=meetup.pk)
    knowledge_services.comment_delete(by=member, comment=comment)
    community_services.membership_leave(user=member, community=community)

    assert Rsvp.objects.get(user=member).state == Rsvp.State.CANCELLED
    assert Comment.objects.get(pk=comment.pk).is_deleted
    assert not Membership.objects.filter(user=member).exists()


def test_the_message_says_until_when_and_why(library_librarian, member, membership, clock):
    clock.set("2026-12-07T10:00")
    account_suspend(
        by=library_librarian,
        user=member,
        until=clock.now() + timedelta(days=30),
        reason="Reclame",
    )
    assert suspension_message(member) == (
        "Je account is geschorst tot 6 januari 2027 om 10:00. Reden: Reclame. "
        "Je kunt nog wel lezen."
    )

    account_suspend(by=library_librarian, user=member, until=None, reason="Reclame")
    assert "voor onbepaalde tijd" in suspension_message(member)
    # Suspending again keeps the start and replaces end and reason.
    assert member.suspended_at == clock.now()
