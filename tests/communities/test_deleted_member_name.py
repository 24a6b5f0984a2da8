"""A deleted account keeps its stored marker "Verwijderd lid" (communities/deletion.py) and is
shown in the reader's language: "Deleted member" on /en/ pages and in English notifications
and digests (User.public_name, translated at display time)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from communities.deletion import DELETED_MEMBER_NAME, account_delete
from communities.models import User
from notifications.digest import DigestBuilder
from notifications.models import Notification
from tests.communities.factories import MembershipFactory, UserFactory
from tests.english import english as english  # the fixture
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.notifications.factories import current_period

pytestmark = pytest.mark.django_db

ENGLISH = {"Verwijderd lid": "Deleted member"}


@pytest.fixture
def gone(community):
    """A member who posted and commented, then deleted their account (keeping their posts)."""
    user = UserFactory(display_name="Mila Mulder")
    MembershipFactory(user=user, community=community)
    contribution = ContributionFactory(
        community=community, author=user, title="Repair café in de bibliotheek"
    )
    CommentFactory(contribution=contribution, author=user, body="Elke eerste zaterdag.")
    account_delete(user=user, delete_content=False)
    user.refresh_from_db()
    return {"user": user, "contribution": contribution}


def test_the_stored_marker_stays_dutch(gone):
    assert gone["user"].display_name == DELETED_MEMBER_NAME == "Verwijderd lid"
    assert gone["user"].is_deleted_account


def test_dutch_pages_say_verwijderd_lid(client, gone, english):
    english(ENGLISH)

    text = page_text(client.get(gone["contribution"].get_absolute_url()))

    assert "Door Verwijderd lid" in text
    assert "Deleted member" not in text
    assert "Mila" not in text


def test_english_pages_say_deleted_member(client, gone, english):
    english(ENGLISH)

    response = client.get(f"/en{gone['contribution'].get_absolute_url()}")

    text = page_text(response)
    assert response.status_code == 200
    assert "Deleted member" in text
    assert "Verwijderd lid" not in text
    # The comment's label names its author too ("Comment by Deleted member").
    assert re.search(
        r'<article class="comment[^"]*"[^>]*aria-label="[^"]*Deleted member"',
        response.content.decode(),
    )


def test_community_page_cards_follow_the_language(client, gone, community, english):
    english(ENGLISH)

    assert "Verwijderd lid" in page_text(client.get(community.get_absolute_url()))
    english_text = page_text(client.get(f"/en{community.get_absolute_url()}"))
    assert "Deleted member" in english_text
    assert "Verwijderd lid" not in english_text


def test_a_living_member_who_calls_themselves_so_is_not_translated(english):
    english(ENGLISH)
    member = UserFactory(display_name=DELETED_MEMBER_NAME)

    with translation.override("en"):
        assert member.public_name == DELETED_MEMBER_NAME
        assert str(member) == DELETED_MEMBER_NAME


def test_an_english_notification_names_the_deleted_actor_in_english(gone, member, english):
    english(ENGLISH)
    notification = Notification(
        recipient=member,
        kind=Notification.Kind.COMMENT,
        actor=gone["user"],
        contribution=gone["contribution"],
        title="Repair café in de bibliotheek",
    )

    with translation.override("en"):
        assert notification.sentence.startswith("Deleted member ")
    with translation.override("nl"):
        assert notification.sentence.startswith("Verwijderd lid ")


def test_the_digest_names_the_deleted_author_in_the_recipients_language(
    gone, community, member, membership, english
):
    english(ENGLISH)

    digest = DigestBuilder(current_period()).build([member.pk])[member.pk]

    [item] = [
        item
        for section in digest.communities
        for item in section.contributions
        if item.pk == gone["contribution"].pk
    ]
    with translation.override("en"):
        assert str(item.author_name) == "Deleted member"
    with translation.override("nl"):
        assert str(item.author_name) == "Verwijderd lid"


def test_public_name_of_a_values_row_matches_the_users(gone):
    user = User.objects.get(pk=gone["user"].pk)
    with translation.override("nl"):
        assert (
            str(User.public_name_of(user.display_name, is_active=user.is_active, email=user.email))
            == user.public_name
        )
