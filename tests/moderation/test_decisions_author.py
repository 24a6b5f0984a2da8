"""The author sees why: on a hidden contribution or comment its author (and its moderators)
read "Verborgen door de moderatie: <reason>"; everyone else gets nothing."""

from __future__ import annotations

import pytest

from moderation.services import decisions
from tests.communities.factories import MembershipFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.moderation.cases import case_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(community):
    return MembershipFactory(community=community, user__display_name="Arie Auteur").user


def test_author_reads_the_reason_others_get_a_404(
    client, community, host, author, member, membership
):
    contribution = ContributionFactory(community=community, author=author, title="Te koop")
    case = case_for(contribution)
    decisions.case_hide(by=host, case_id=case.pk, reason="Verkopen hoort hier niet.")
    url = contribution.get_absolute_url()

    client.force_login(author)
    text = page_text(client.get(url))
    assert "Verborgen door de moderatie: Verkopen hoort hier niet." in text
    assert "Alleen jij en de beheerders van deze gemeenschap zien deze bijdrage." in text

    client.force_login(member)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404

    client.force_login(host)
    assert "Verborgen door de moderatie: Verkopen hoort hier niet." in page_text(client.get(url))


def test_hidden_comment_shows_to_its_author_only(
    client, community, host, author, member, membership
):
    contribution = ContributionFactory(community=community)
    comment = CommentFactory(contribution=contribution, author=author, body="Iets scherps")
    case = case_for(comment)
    decisions.case_hide(by=host, case_id=case.pk, reason="Blijf vriendelijk.")
    url = contribution.get_absolute_url()

    client.force_login(author)
    text = page_text(client.get(url))
    assert "Iets scherps" in text
    assert "Verborgen door de moderatie: Blijf vriendelijk." in text

    client.force_login(member)
    text = page_text(client.get(url))
    assert "Iets scherps" not in text and "Blijf vriendelijk" not in text


def test_auto_hidden_says_a_moderator_will_look(client, community, author):
    contribution = ContributionFactory(community=community, author=author)
    case_for(contribution, auto_hide=True)
    client.force_login(author)
    text = page_text(client.get(contribution.get_absolute_url()))
    assert "Verborgen na meldingen. Een moderator kijkt ernaar." in text
    assert "Verborgen door de moderatie" not in text


def test_restored_is_plain_again(client, community, host, author):
    contribution = ContributionFactory(community=community, author=author)
    case = case_for(contribution)
    decisions.case_hide(by=host, case_id=case.pk, reason="Eerst even weg.")
    decisions.case_restore(by=host, case_id=case.pk)
    client.logout()
    text = page_text(client.get(contribution.get_absolute_url()))
    assert "Verborgen" not in text and contribution.title in text


def test_a_hidden_contribution_takes_no_comments_by_any_door(client, community, host, author):
    contribution = ContributionFactory(community=community, author=author, title="Te koop")
    decisions.case_hide(by=host, case_id=case_for(contribution).pk, reason="Reclame.")
    url = contribution.get_absolute_url()
    closed = "Reageren kan pas als de bijdrage weer voor iedereen zichtbaar is."

    for reader in (author, host):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert closed in page and 'id="reageren"' not in page
        response = client.post(f"{url}reacties/", {"body": "Maar het is zo goedkoop!"})
        assert response.status_code == 400 and closed in response.content.decode()
    assert not contribution.comments.exists()
