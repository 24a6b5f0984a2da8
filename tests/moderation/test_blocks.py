"""A host removes and blocks a member from a community: out at once, and kept out."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from communities import selectors as community_selectors
from communities import services as community_services
from communities.models import Community, Membership
from knowledge import services as knowledge_services
from knowledge.models import Contribution
from meetups.models import Rsvp
from moderation.blocks import membership_block, membership_unblock
from moderation.models import ModerationAction
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.html import field_errors, page_text
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(db):
    community = CommunityFactory(
        title="Besloten kring", slug="besloten-kring", visibility=Community.Visibility.PRIVATE
    )
    return community


@pytest.fixture
def private_host(private):
    return MembershipFactory(community=private, host=True, user__display_name="Hanna").user


@pytest.fixture
def private_member(private):
    return MembershipFactory(community=private, user__display_name="Mila").user


def _block(by, community, user, reason="Blijft reclame plaatsen"):
    membership = Membership.objects.get(community=community, user=user)
    return membership_block(by=by, community=community, membership_id=membership.pk, reason=reason)


# --- The service -------------------------------------------------------------------------------


def test_blocking_keeps_the_row_as_blocked_and_is_logged(private, private_host, private_member):
    _block(private_host, private, private_member)

    membership = Membership.objects.get(user=private_member, community=private)
    assert membership.state == Membership.State.BLOCKED
    log = ModerationAction.objects.get()
    assert log.action == ModerationAction.Action.BLOCK
    assert (log.actor, log.member, log.community, log.library) == (
        private_host,
        private_member,
        private,
        private.library,
    )
    assert log.reason == "Blijft reclame plaatsen"


def test_a_blocked_member_loses_a_private_community_at_once(private, private_host, private_member):
    contribution = ContributionFactory(community=private)
    meetup = MeetupFactory(community=private)
    RsvpFactory(meetup=meetup, user=private_member)
    assert community_selectors.community_list_visible_to(private_member).filter(pk=private.pk)

    _block(private_host, private, private_member)

    assert not community_selectors.community_list_visible_to(private_member).filter(pk=private.pk)
    assert not community_selectors.member_communities_visible_to(private_member, private_member)
    assert not community_selectors.user_is_active_member(private_member, private)
    # The RSVP for the private community's meetup ends with the membership.
    assert Rsvp.objects.get(user=private_member).state == Rsvp.State.CANCELLED
    client = Client()
    client.force_login(private_member)
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(contribution.get_absolute_url()).status_code == 404


def test_a_blocked_member_cannot_post_join_or_ask_again(community, host, member, membership):
    _block(host, community, member)

    with pytest.raises(PermissionDenied):
        knowledge_services.contribution_create(
            author=member, community=community, kind="question", title="Nog eens", body="Hoi"
        )
    with pytest.raises(PermissionDenied, match="geblokkeerd"):
        community_services.membership_join(user=member, community=community)
    community.visibility = Community.Visibility.ON_REQUEST
    community.save()
    with pytest.raises(PermissionDenied, match="geblokkeerd"):
        community_services.membership_join(user=member, community=community)
    # Leaving is no way out of a block, and a host adding them again is told to lift it first.
    community_services.membership_leave(user=member, community=community)
    with pytest.raises(ValidationError, match="Hef eerst de blokkade op"):
        community_services.membership_add(by=host, community=community, user=member)
    # Nor does removing the row (the Wagtail admin's delete): that would unblock unlogged.
    blocked = Membership.objects.get(user=member, community=community)
    with pytest.raises(ValidationError, match="Hef de blokkade op"):
        community_services.membership_remove(by=host, community=community, membership_id=blocked.pk)
    assert Membership.objects.get(user=member, community=community).state == "blocked"
    assert not Contribution.objects.filter(title="Nog eens").exists()


def test_unblocking_removes_the_row_and_lets_them_join_again(community, host, member, membership):
    _block(host, community, member)
    blocked = Membership.objects.get(user=member, community=community)

    membership_unblock(by=host, community=community, membership_id=blocked.pk)

    assert not Membership.objects.filter(user=member, community=community).exists()
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "block",
        "unblock",
    ]
    assert community_services.membership_join(user=member, community=community).is_active


def test_only_hosts_and_librarians_block_and_never_a_host(community, host, member, membership):
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    other_host = MembershipFactory(community=community, host=True).user

    with pytest.raises(PermissionDenied):
        _block(moderator, community, member)
    with pytest.raises(PermissionDenied):
        _block(member, community, moderator)
    with pytest.raises(ValidationError, match="beheerder of moderator"):
        _block(host, community, other_host)
    with pytest.raises(ValidationError, match="waarom"):
        _block(host, community, member, reason="  ")
    assert not Membership.objects.filter(state=Membership.State.BLOCKED).exists()
    assert not ModerationAction.objects.exists()


@pytest.mark.postgres
def test_the_blocked_row_is_what_keeps_them_out_on_postgresql(community, host, member, membership):
    """The unique constraint on (member, community), not Python, refuses a second row."""
    _block(host, community, member)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=member, community=community)
    with pytest.raises(PermissionDenied):
        community_services.membership_join(user=member, community=community)
    assert Membership.objects.filter(user=member, community=community).count() == 1


# --- On the site -------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_host_blocks_from_the_member_page_with_a_reason(community, host, member, membership):
    client = _client(host)
    members_url = reverse("communities:community_members", kwargs={"slug": community.slug})
    block_url = reverse(
        "moderation_blocks:membership_block",
        kwargs={"slug": community.slug, "membership_id": membership.pk},
    )
    assert block_url in client.get(members_url).content.decode()

    empty = client.post(block_url, {"reason": ""})
    assert empty.status_code == 400
    assert "Schrijf op waarom je dit lid blokkeert." in field_errors(empty, "reason")
    assert Membership.objects.get(pk=membership.pk).state == Membership.State.ACTIVE

    response = client.post(block_url, {"reason": "Reclame"}, follow=True)
    assert "Mila Member is uit de gemeenschap verwijderd en geblokkeerd." in page_text(response)
    assert Membership.objects.get(pk=membership.pk).state == Membership.State.BLOCKED
    page = page_text(client.get(members_url))
    assert "Geblokkeerd" in page and "Blokkade opheffen" in page

    unblock_url = reverse(
        "moderation_blocks:membership_unblock",
        kwargs={"slug": community.slug, "membership_id": membership.pk},
    )
    response = client.post(unblock_url, follow=True)
    assert "De blokkade van Mila Member is opgeheven." in page_text(response)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_blocked_member_reads_why_they_cannot_join(community, host, member, membership):
    _block(host, community, member)
    client = _client(member)

    page = page_text(client.get(community.get_absolute_url()))
    assert "Een beheerder heeft je uit deze gemeenschap verwijderd en geblokkeerd." in page
    assert "Lid worden" not in page
    response = client.post(
        reverse("communities:community_join", kwargs={"slug": community.slug}), follow=True
    )
    assert "een beheerder heeft je geblokkeerd" in page_text(response)
    assert Membership.objects.get(user=member, community=community).state == "blocked"


def test_members_and_moderators_cannot_block_on_the_site(community, member, membership):
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    block_url = reverse(
        "moderation_blocks:membership_block",
        kwargs={"slug": community.slug, "membership_id": membership.pk},
    )
    for who in (moderator, UserFactory()):
        assert _client(who).post(block_url, {"reason": "x"}).status_code == 403
    assert Membership.objects.get(pk=membership.pk).state == Membership.State.ACTIVE


def test_a_suspended_host_blocks_and_unblocks_nobody(private, private_host, private_member):
    from django.utils import timezone

    _block(private_host, private, private_member)
    private_host.suspended_at = timezone.now()
    private_host.suspension_reason = "Misbruik van beheerrechten"
    private_host.save(update_fields=["suspended_at", "suspension_reason"])
    other = MembershipFactory(community=private).user
    with pytest.raises(PermissionDenied):
        _block(private_host, private, other)
    blocked = Membership.objects.get(community=private, user=private_member)
    with pytest.raises(PermissionDenied):
        membership_unblock(by=private_host, community=private, membership_id=blocked.pk)
    assert Membership.objects.get(community=private, user=other).state == Membership.State.ACTIVE
    assert Membership.objects.filter(pk=blocked.pk, state=Membership.State.BLOCKED).exists()
