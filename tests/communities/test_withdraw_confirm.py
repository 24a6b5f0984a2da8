"""Withdrawing a membership request asks first (issue 16): the community page shows
"Aanvraag intrekken" as a <details> disclosure (no JavaScript needed) whose box says what
happens and holds the only button that withdraws. Leaving, deleting one's comment and a host
declining a request have confirmation pages of their own (test_confirm_steps.py,
tests/knowledge/test_comment_delete.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from communities.models import Community, Membership
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.html import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db):
    community = CommunityFactory(
        title="Repair Café", slug="repair-cafe", visibility=Community.Visibility.ON_REQUEST
    )
    MembershipFactory(community=community, host=True)
    return MembershipFactory(community=community, pending=True)


def _disclosure(html: str) -> str:
    match = re.search(r'<details class="confirm-step">(.*?)</details>', html, re.S)
    assert match, "no confirmation step on the page"
    return match.group(1)


def test_the_withdraw_button_sits_behind_a_confirmation(client, pending):
    client.force_login(pending.user)
    leave = reverse("communities:community_leave", kwargs={"slug": pending.community.slug})

    html = client.get(pending.community.get_absolute_url()).content.decode()

    step = _disclosure(html)
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", step, re.S).group(1)
    assert summary.strip() == "Aanvraag intrekken"
    assert "Weet je het zeker? Je aanvraag verdwijnt." in step
    assert f'action="{leave}"' in step
    assert "Ja, trek mijn aanvraag in" in step
    # The only form that withdraws is the one inside the confirmation.
    assert html.count(f'action="{leave}"') == 1


def test_confirming_withdraws_the_request(client, pending):
    client.force_login(pending.user)
    leave = reverse("communities:community_leave", kwargs={"slug": pending.community.slug})

    response = client.post(leave, follow=True)

    assert not Membership.objects.filter(pk=pending.pk).exists()
    assert "Vraag lidmaatschap aan" in page_text(response)


def test_an_active_member_gets_no_withdraw_step(client, pending):
    member = MembershipFactory(community=pending.community)
    client.force_login(member.user)

    html = client.get(pending.community.get_absolute_url()).content.decode()

    assert 'class="confirm-step"' not in html
    assert "Gemeenschap verlaten" in html
