"""Memberships in the Wagtail admin go through the same services as on the site.

Approving a request there mails the member and makes them a member from now ("lid sinds"); a
role changes only with membership_set_role (never the last host away); removing goes through
membership_remove, also in a bulk delete.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.models import Membership
from tests.communities.factories import MembershipFactory, UserFactory
from tests.communities.test_admin_roles import world as world  # the fixture
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

ACTIVE, PENDING = Membership.State.ACTIVE, Membership.State.PENDING
HOST, MEMBER, MODERATOR = Membership.Role.HOST, Membership.Role.MEMBER, Membership.Role.MODERATOR


def _url(view: str, *args) -> str:
    return reverse(f"wagtailsnippets_communities_membership:{view}", args=args)


@pytest.fixture
def librarian_client(client, world):
    admin_login(client, world["users"]["librarian"])
    return client


def test_approving_a_request_in_the_wagtail_admin_mails_and_sets_member_since(
    librarian_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    pending = world["a"]["pending"]
    assert pending.activated_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = librarian_client.post(
            _url("edit", pending.pk), {"role": MEMBER, "state": ACTIVE}
        )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == ACTIVE
    assert pending.activated_at is not None
    assert [m.to for m in mailoutbox] == [[pending.user.email]]
    assert world["a"]["community"].title in mailoutbox[0].body


def test_the_edit_screen_shows_member_since_but_does_not_take_it(librarian_client, world):
    member = world["a"]["membership"]
    before = member.activated_at

    page = librarian_client.get(_url("edit", member.pk))
    librarian_client.post(
        _url("edit", member.pk),
        {"role": MEMBER, "state": ACTIVE, "activated_at": "2001-01-01 10:00"},
    )

    assert "activated_at" not in page.context["form"].fields
    assert "Lid sinds" in page.content.decode()
    member.refresh_from_db()
    assert member.activated_at == before


def test_a_member_is_not_sent_back_to_requested(librarian_client, world):
    member = world["a"]["membership"]

    response = librarian_client.post(_url("edit", member.pk), {"role": MEMBER, "state": PENDING})

    assert response.status_code == 200
    assert (
        "Een lid zet je niet terug naar aangevraagd" in response.context["form"].errors["state"][0]
    )
    member.refresh_from_db()
    assert member.state == ACTIVE


def test_the_last_host_keeps_their_role_with_a_message_at_the_field(librarian_client, world):
    host = Membership.objects.get(community=world["a"]["community"], role=HOST)

    response = librarian_client.post(_url("edit", host.pk), {"role": MEMBER, "state": ACTIVE})

    assert response.status_code == 200
    assert "enige beheerder" in response.context["form"].errors["role"][0]
    host.refresh_from_db()
    assert host.role == HOST


def test_approving_and_a_role_in_one_go(
    librarian_client, world, django_capture_on_commit_callbacks
):
    pending = world["a"]["pending"]

    with django_capture_on_commit_callbacks(execute=True):
        librarian_client.post(_url("edit", pending.pk), {"role": MODERATOR, "state": ACTIVE})

    pending.refresh_from_db()
    assert (pending.state, pending.role) == (ACTIVE, MODERATOR)
    assert pending.activated_at is not None


def test_the_member_and_community_of_a_membership_stay_put(librarian_client, world):
    member = world["a"]["membership"]
    someone = UserFactory()

    librarian_client.post(
        _url("edit", member.pk),
        {
            "user": someone.pk,
            "community": world["b"]["community"].pk,
            "role": MEMBER,
            "state": ACTIVE,
        },
    )

    member.refresh_from_db()
    assert (member.user_id, member.community_id) == (
        world["a"]["membership"].user_id,
        world["a"]["community"].pk,
    )


def test_adding_a_member_in_the_wagtail_admin_makes_them_a_member_from_now(librarian_client, world):
    newcomer = UserFactory()

    page = librarian_client.get(_url("add"))
    response = librarian_client.post(
        _url("add"),
        {"user": newcomer.pk, "community": world["a"]["community"].pk, "role": MODERATOR},
    )

    assert "state" not in page.context["form"].fields
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.state, membership.role) == (ACTIVE, MODERATOR)
    assert membership.activated_at is not None


def test_the_last_host_cannot_be_deleted(librarian_client, world):
    host = Membership.objects.get(community=world["a"]["community"], role=HOST)

    response = librarian_client.post(_url("delete", host.pk), follow=True)

    assert Membership.objects.filter(pk=host.pk).exists()
    assert "enige beheerder" in response.content.decode()


def test_deleting_a_membership_goes_through_the_service(librarian_client, world):
    member = world["a"]["membership"]

    librarian_client.post(_url("delete", member.pk))

    assert not Membership.objects.filter(pk=member.pk).exists()


def test_bulk_delete_goes_through_the_service(librarian_client, world):
    community = world["a"]["community"]
    host = Membership.objects.get(community=community, role=HOST)
    member = world["a"]["membership"]
    url = (
        reverse("wagtail_bulk_action", args=("communities", "membership", "delete"))
        + f"?id={host.pk}&id={member.pk}&next={_url('list')}"
    )

    response = librarian_client.post(url, follow=True)

    assert Membership.objects.filter(pk=host.pk).exists()
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert "enige beheerder" in response.content.decode()


def test_a_librarian_cannot_approve_a_request_of_another_library(
    librarian_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    pending = world["b"]["pending"]

    with django_capture_on_commit_callbacks(execute=True):
        response = librarian_client.post(
            _url("edit", pending.pk), {"role": MEMBER, "state": ACTIVE}
        )

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    pending.refresh_from_db()
    assert pending.state == PENDING
    assert mailoutbox == []


def test_another_host_can_be_removed_when_one_stays(librarian_client, world):
    community = world["a"]["community"]
    second = MembershipFactory(community=community, role=HOST)

    librarian_client.post(_url("delete", second.pk))

    assert not Membership.objects.filter(pk=second.pk).exists()
