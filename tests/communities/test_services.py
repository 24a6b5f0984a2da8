"""Joining, approving, leaving and roles: every write to memberships goes through a service."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from communities import services
from communities.models import Community, Membership, User
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_request(db):
    community = CommunityFactory(
        title="Repair Café", slug="repair-cafe", visibility=Community.Visibility.ON_REQUEST
    )
    MembershipFactory(community=community, host=True, user__email="host1@example.org")
    MembershipFactory(
        community=community,
        role=Membership.Role.MODERATOR,
        user__email="moderator@example.org",
    )
    MembershipFactory(community=community, user__email="plain@example.org")
    return community


def _hosts_of(community: Community) -> list[User]:
    return [
        m.user
        for m in community.memberships.filter(role=Membership.Role.HOST).select_related("user")
    ]


# --- Joining ----------------------------------------------------------------------------------


def test_join_open_community_makes_an_active_member(community, member, mailoutbox):
    membership = services.membership_join(user=member, community=community)

    stored = Membership.objects.get(user=member, community=community)
    assert stored.pk == membership.pk
    assert stored.state == Membership.State.ACTIVE
    assert stored.role == Membership.Role.MEMBER
    assert stored.activated_at is not None
    assert mailoutbox == []


def test_join_twice_keeps_one_membership(community, member):
    services.membership_join(user=member, community=community)
    services.membership_join(user=member, community=community)

    assert Membership.objects.filter(user=member, community=community).count() == 1


def test_join_on_request_is_pending_and_mails_the_hosts(
    on_request, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership = services.membership_join(user=member, community=on_request)

    # One mail task queued on commit (the other callbacks bump cache generations).
    assert len([c for c in callbacks if "membership_request_notify_hosts" in repr(c)]) == 1
    membership.refresh_from_db()
    assert membership.state == Membership.State.PENDING
    assert membership.activated_at is None
    # Hosts and moderators hear about it; plain members do not.
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["host1@example.org", "moderator@example.org"]
    assert all(member.display_name in mail.body for mail in mailoutbox)


def test_join_on_request_sends_no_mail_before_commit(on_request, member, mailoutbox):
    # Without a commit the task is never queued: a rolled-back request mails nobody.
    services.membership_join(user=member, community=on_request)

    assert mailoutbox == []


def test_join_private_community_is_refused(private_community, member):
    with pytest.raises(PermissionDenied):
        services.membership_join(user=member, community=private_community)

    assert not Membership.objects.filter(user=member).exists()


# --- Deciding on requests ---------------------------------------------------------------------


def test_host_approves_a_request_and_the_member_gets_mail(
    on_request, member, mailoutbox, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = _hosts_of(on_request)[0]

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(by=host, community=on_request, membership_id=pending.pk)

    pending.refresh_from_db()
    assert pending.state == Membership.State.ACTIVE
    assert pending.activated_at is not None
    assert [mail.to for mail in mailoutbox] == [[member.email]]
    assert on_request.title in mailoutbox[0].body + mailoutbox[0].subject


def test_approving_an_active_membership_changes_nothing_and_mails_nobody(
    on_request, member, mailoutbox, django_capture_on_commit_callbacks
):
    active = MembershipFactory(community=on_request, user=member)
    host = _hosts_of(on_request)[0]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.membership_approve(by=host, community=on_request, membership_id=active.pk)

    assert callbacks == []
    assert mailoutbox == []


def test_plain_member_cannot_approve(on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    plain = User.objects.get(email="plain@example.org")

    with pytest.raises(PermissionDenied):
        services.membership_approve(by=plain, community=on_request, membership_id=pending.pk)

    pending.refresh_from_db()
    assert pending.state == Membership.State.PENDING


def test_host_of_another_community_cannot_approve(on_request, member, host):
    pending = MembershipFactory(community=on_request, user=member, pending=True)

    with pytest.raises(PermissionDenied):
        services.membership_approve(by=host, community=on_request, membership_id=pending.pk)

    pending.refresh_from_db()
    assert pending.state == Membership.State.PENDING


def test_host_cannot_approve_a_membership_of_another_community(on_request, community, member):
    # The id belongs to another community: hosts decide only on their own requests.
    elsewhere = MembershipFactory(community=community, user=member, pending=True)
    host = _hosts_of(on_request)[0]

    with pytest.raises(ValidationError):
        services.membership_approve(by=host, community=on_request, membership_id=elsewhere.pk)

    elsewhere.refresh_from_db()
    assert elsewhere.state == Membership.State.PENDING


def test_librarian_approves_in_a_community_of_their_library(on_request, member, librarian):
    on_request.library.librarians.add(librarian)
    pending = MembershipFactory(community=on_request, user=member, pending=True)

    services.membership_approve(by=librarian, community=on_request, membership_id=pending.pk)

    pending.refresh_from_db()
    assert pending.state == Membership.State.ACTIVE


def test_host_declines_a_request(
    on_request, member, mailoutbox, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = _hosts_of(on_request)[0]

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(by=host, community=on_request, membership_id=pending.pk)

    assert not Membership.objects.filter(pk=pending.pk).exists()
    assert [mail.to for mail in mailoutbox] == [[member.email]]


def test_plain_member_cannot_decline(on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    plain = User.objects.get(email="plain@example.org")

    with pytest.raises(PermissionDenied):
        services.membership_decline(by=plain, community=on_request, membership_id=pending.pk)

    assert Membership.objects.filter(pk=pending.pk).exists()


def test_decline_an_active_membership_is_refused(on_request, member):
    active = MembershipFactory(community=on_request, user=member)
    host = _hosts_of(on_request)[0]

    with pytest.raises(ValidationError):
        services.membership_decline(by=host, community=on_request, membership_id=active.pk)

    assert Membership.objects.filter(pk=active.pk).exists()


# --- Leaving ----------------------------------------------------------------------------------


def test_member_leaves(community, membership, member):
    services.membership_leave(user=member, community=community)

    assert not Membership.objects.filter(user=member, community=community).exists()


def test_pending_member_withdraws_request(on_request, member):
    MembershipFactory(community=on_request, user=member, pending=True)

    services.membership_leave(user=member, community=on_request)

    assert not Membership.objects.filter(user=member, community=on_request).exists()


def test_last_host_cannot_leave(community, host):
    with pytest.raises(ValidationError):
        services.membership_leave(user=host, community=community)

    assert Membership.objects.filter(
        user=host, community=community, role=Membership.Role.HOST
    ).exists()


def test_host_leaves_when_another_host_remains(community, host):
    MembershipFactory(community=community, host=True)

    services.membership_leave(user=host, community=community)

    assert not Membership.objects.filter(user=host, community=community).exists()
    assert community.memberships.filter(role=Membership.Role.HOST).count() == 1


# --- Adding and roles -------------------------------------------------------------------------


def test_host_adds_someone_to_a_private_community(private_community, member):
    host = MembershipFactory(community=private_community, host=True).user

    services.membership_add(by=host, community=private_community, user=member)

    added = Membership.objects.get(user=member, community=private_community)
    assert added.state == Membership.State.ACTIVE
    assert added.activated_at is not None


def test_adding_a_pending_member_activates_them(on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = _hosts_of(on_request)[0]

    services.membership_add(by=host, community=on_request, user=member)

    pending.refresh_from_db()
    assert pending.state == Membership.State.ACTIVE
    assert Membership.objects.filter(user=member, community=on_request).count() == 1


def test_plain_member_cannot_add(community, membership, outsider):
    with pytest.raises(PermissionDenied):
        services.membership_add(by=membership.user, community=community, user=outsider)

    assert not Membership.objects.filter(user=outsider).exists()


def test_host_makes_a_member_moderator(community, host, membership):
    services.membership_set_role(
        by=host, community=community, membership_id=membership.pk, role="moderator"
    )

    membership.refresh_from_db()
    assert membership.role == Membership.Role.MODERATOR


def test_set_role_refuses_unknown_roles(community, host, membership):
    with pytest.raises(ValidationError):
        services.membership_set_role(
            by=host, community=community, membership_id=membership.pk, role="boss"
        )

    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_set_role_refuses_a_pending_member(on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = _hosts_of(on_request)[0]

    with pytest.raises(ValidationError):
        services.membership_set_role(
            by=host, community=on_request, membership_id=pending.pk, role="host"
        )

    pending.refresh_from_db()
    assert pending.role == Membership.Role.MEMBER


def test_last_host_cannot_be_demoted(community, host):
    own = Membership.objects.get(user=host, community=community)

    with pytest.raises(ValidationError):
        services.membership_set_role(
            by=host, community=community, membership_id=own.pk, role="member"
        )

    own.refresh_from_db()
    assert own.role == Membership.Role.HOST


def test_host_steps_down_when_another_host_remains(community, host, membership):
    services.membership_set_role(
        by=host, community=community, membership_id=membership.pk, role="host"
    )
    own = Membership.objects.get(user=host, community=community)

    services.membership_set_role(by=host, community=community, membership_id=own.pk, role="member")

    own.refresh_from_db()
    assert own.role == Membership.Role.MEMBER
    assert community.memberships.get(role=Membership.Role.HOST).user == membership.user


def test_plain_member_cannot_set_roles(community, host, membership):
    with pytest.raises(PermissionDenied):
        services.membership_set_role(
            by=membership.user,
            community=community,
            membership_id=membership.pk,
            role="host",
        )

    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


# --- Handles and profiles ---------------------------------------------------------------------


def test_members_with_the_same_name_get_distinct_handles():
    first = User(email="anna@example.org", display_name="Anna")
    second = User(email="anna.b@example.org", display_name="Anna")

    services.member_assign_handle(user=first)
    services.member_assign_handle(user=second)

    assert User.objects.get(email="anna@example.org").handle == "anna"
    assert User.objects.get(email="anna.b@example.org").handle == "anna-2"


def test_handle_falls_back_to_the_email_address():
    user = User(email="jan.jansen@example.org", display_name="???")

    services.member_assign_handle(user=user)

    assert User.objects.get(pk=user.pk).handle == "janjansen"


def test_member_update_profile_saves_fields_and_expertise(member):
    services.member_update_profile(
        user=member,
        data={"bio": "Ik repareer fietsen.", "website": "https://example.org"},
        expertise=["fietsen", "solderen"],
    )

    stored = User.objects.get(pk=member.pk)
    assert stored.bio == "Ik repareer fietsen."
    assert stored.website == "https://example.org"
    assert sorted(t.name for t in stored.expertise.all()) == ["fietsen", "solderen"]


def test_member_update_profile_refuses_other_fields(member):
    with pytest.raises(ValueError):
        services.member_update_profile(user=member, data={"is_staff": True})

    assert User.objects.get(pk=member.pk).is_staff is False


# --- Constraints ------------------------------------------------------------------------------


def test_one_membership_per_user_and_community(community, member):
    Membership.objects.create(user=member, community=community)

    with pytest.raises(IntegrityError):
        Membership.objects.create(user=member, community=community)


def test_a_pending_member_cannot_be_host(community, member):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=member,
            community=community,
            state=Membership.State.PENDING,
            role=Membership.Role.HOST,
        )


def test_user_factory_verifies_the_email_address(member):
    address = member.emailaddress_set.get()
    assert address.verified and address.primary
    assert UserFactory(verified=False).emailaddress_set.count() == 0
