"""Leaving a community and declining a request ask first (issue 16): the page links to a
confirmation step, a GET of it says what will happen and changes nothing, a POST does it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.models import Community, Membership
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.html import page_text

pytestmark = pytest.mark.django_db


def _leave_url(community) -> str:
    return reverse("communities:community_leave", kwargs={"slug": community.slug})


def _decline_url(community, membership) -> str:
    return reverse(
        "communities:membership_decline",
        kwargs={"slug": community.slug, "membership_id": membership.pk},
    )


@pytest.fixture
def on_request(db):
    community = CommunityFactory(
        title="Repair Café", slug="repair-cafe", visibility=Community.Visibility.ON_REQUEST
    )
    MembershipFactory(community=community, host=True)
    return community


# --- Leaving --------------------------------------------------------------------------------


def test_community_page_links_to_the_confirmation_instead_of_leaving(client, community, membership):
    client.force_login(membership.user)

    html = client.get(community.get_absolute_url()).content.decode()

    assert f'href="{_leave_url(community)}">Gemeenschap verlaten</a>' in html
    assert "Lid af" not in html
    assert f'action="{_leave_url(community)}"' not in html  # no form that leaves at once


def test_confirmation_says_what_happens_and_leaves_nothing(client, community, membership):
    client.force_login(membership.user)

    response = client.get(_leave_url(community))

    text = page_text(response)
    assert response.status_code == 200
    assert f"{community.title} verlaten" in text
    assert "Wat je schreef, blijft staan." in text
    assert "Je kunt altijd opnieuw lid worden." in text
    assert "Ja, verlaat de gemeenschap" in text
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_post_from_the_confirmation_leaves(client, community, membership):
    client.force_login(membership.user)

    response = client.post(_leave_url(community), follow=True)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert f"Je bent geen lid meer van {community.title}." in page_text(response)


def test_confirmation_for_a_private_community_says_there_is_no_way_back(
    client, private_community, member
):
    MembershipFactory(community=private_community, user=member)
    client.force_login(member)

    text = page_text(client.get(_leave_url(private_community)))

    assert "je komt alleen terug als een beheerder je uitnodigt" in text


def test_the_last_host_is_told_before_trying(client, community, host):
    client.force_login(host)

    response = client.get(_leave_url(community))

    assert "Je bent de enige beheerder." in page_text(response)
    assert "Ja, verlaat de gemeenschap" not in page_text(response)


def test_without_a_membership_the_confirmation_goes_back_to_the_community(
    client, community, outsider
):
    client.force_login(outsider)

    response = client.get(_leave_url(community))

    assert response.status_code == 302
    assert response["Location"] == community.get_absolute_url()


def test_anonymous_visitors_are_sent_to_log_in(client, community):
    response = client.get(_leave_url(community))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Declining a request ----------------------------------------------------------------------


def test_members_page_links_to_the_confirmation_instead_of_declining(client, on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = on_request.memberships.get(role=Membership.Role.HOST).user
    client.force_login(host)

    html = client.get(reverse("communities:community_members", args=[on_request.slug]))

    assert f'href="{_decline_url(on_request, pending)}"' in html.content.decode()
    assert 'value="decline"' not in html.content.decode()


def test_decline_confirmation_names_the_applicant_and_declines_nothing(client, on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = on_request.memberships.get(role=Membership.Role.HOST).user
    client.force_login(host)

    response = client.get(_decline_url(on_request, pending))

    text = page_text(response)
    assert f"Aanvraag van {member.display_name} afwijzen" in text
    assert "krijgt daarover bericht" in text
    assert Membership.objects.get(pk=pending.pk).state == Membership.State.PENDING


def test_the_post_from_the_confirmation_declines(
    client, on_request, member, mailoutbox, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = on_request.memberships.get(role=Membership.Role.HOST).user
    client.force_login(host)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_decline_url(on_request, pending), follow=True)

    assert not Membership.objects.filter(pk=pending.pk).exists()
    assert "De aanvraag is afgewezen." in page_text(response)
    assert [mail.to for mail in mailoutbox] == [[member.email]]


def test_the_old_one_step_decline_no_longer_declines(client, on_request, member):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    host = on_request.memberships.get(role=Membership.Role.HOST).user
    client.force_login(host)

    client.post(
        reverse("communities:membership_decide", args=[on_request.slug, pending.pk]),
        {"action": "decline"},
    )

    assert Membership.objects.get(pk=pending.pk).state == Membership.State.PENDING


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_plain_member_cannot_decline(client, on_request, member, method):
    pending = MembershipFactory(community=on_request, user=member, pending=True)
    plain = MembershipFactory(community=on_request).user
    client.force_login(plain)

    response = getattr(client, method)(_decline_url(on_request, pending))

    assert response.status_code == 403
    assert Membership.objects.get(pk=pending.pk).state == Membership.State.PENDING


def test_a_decided_request_goes_back_to_the_members_page(client, on_request, member):
    active = MembershipFactory(community=on_request, user=member)
    host = on_request.memberships.get(role=Membership.Role.HOST).user
    client.force_login(host)

    response = client.post(_decline_url(on_request, active))

    assert response.status_code == 302
    assert Membership.objects.get(pk=active.pk).is_active
