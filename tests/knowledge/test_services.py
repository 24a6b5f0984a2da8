"""Posting, editing, moderating, commenting and appreciating."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from communities.models import Community
from knowledge import services
from knowledge.models import Appreciation, Comment, Contribution
from tests.communities.factories import CommunityFactory, MembershipFactory, ThemeFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def _create(author, community, **overrides) -> Contribution:
    data = {
        "kind": Contribution.Kind.QUESTION,
        "title": "Wie weet iets van warmtepompen?",
        "body": "Ik twijfel tussen **hybride** en volledig elektrisch.",
    }
    return services.contribution_create(author=author, community=community, **{**data, **overrides})


@pytest.fixture
def contribution(community, membership):
    return ContributionFactory(community=community, author=membership.user)


# --- Posting ----------------------------------------------------------------------------------


def test_active_member_posts_a_contribution(community, membership, theme):
    contribution = _create(membership.user, community, tags=["warmtepomp", "subsidie"])

    stored = Contribution.objects.get(pk=contribution.pk)
    assert stored.author == membership.user
    assert stored.status == Contribution.Status.PUBLISHED
    assert stored.body_html == (
        "<p>Ik twijfel tussen <strong>hybride</strong> en volledig elektrisch.</p>\n"
    )
    assert sorted(t.name for t in stored.tags.all()) == ["subsidie", "warmtepomp"]


def test_contribution_themes_default_to_the_communitys_themes(community, membership, theme):
    second = ThemeFactory()
    community.themes.add(second)

    contribution = _create(membership.user, community)

    assert set(contribution.themes.all()) == {theme, second}


def test_contribution_themes_given_explicitly_replace_the_default(community, membership):
    chosen = ThemeFactory()

    contribution = _create(membership.user, community, themes=[chosen])

    assert list(contribution.themes.all()) == [chosen]


def test_non_member_cannot_post(community, outsider):
    with pytest.raises(PermissionDenied):
        _create(outsider, community)

    assert not Contribution.objects.exists()


def test_pending_member_cannot_post(member):
    community = CommunityFactory(visibility=Community.Visibility.ON_REQUEST)
    MembershipFactory(community=community, user=member, pending=True)

    with pytest.raises(PermissionDenied):
        _create(member, community)

    assert not Contribution.objects.exists()


def test_members_cannot_post_a_report(community, membership):
    with pytest.raises(ValidationError):
        _create(membership.user, community, kind=Contribution.Kind.REPORT)

    assert not Contribution.objects.exists()


def test_model_validation_rejects_a_bad_source_url(community, membership):
    with pytest.raises(ValidationError) as error:
        _create(membership.user, community, kind="source", source_url="geen link")

    assert "source_url" in error.value.message_dict
    assert not Contribution.objects.exists()


# --- Editing ----------------------------------------------------------------------------------


def test_author_edits_their_own_contribution(contribution):
    services.contribution_update(
        by=contribution.author,
        contribution=contribution,
        kind=Contribution.Kind.IDEA,
        title="  Een beter idee  ",
        body="Nu met *nadruk*.",
    )

    stored = Contribution.objects.get(pk=contribution.pk)
    assert stored.kind == Contribution.Kind.IDEA
    assert stored.title == "Een beter idee"
    assert stored.body_html == "<p>Nu met <em>nadruk</em>.</p>\n"


def test_others_cannot_edit_a_contribution(contribution, host):
    with pytest.raises(PermissionDenied):
        services.contribution_update(
            by=host, contribution=contribution, kind="idea", title="Gekaapt!", body="Weg ermee."
        )

    assert Contribution.objects.get(pk=contribution.pk).title == contribution.title


# --- Moderation -------------------------------------------------------------------------------


def test_host_hides_and_restores_a_contribution(contribution, host):
    services.contribution_set_status(by=host, contribution=contribution, status="hidden")
    assert Contribution.objects.get(pk=contribution.pk).status == Contribution.Status.HIDDEN

    services.contribution_set_status(by=host, contribution=contribution, status="published")
    assert Contribution.objects.get(pk=contribution.pk).status == Contribution.Status.PUBLISHED


def test_host_of_another_community_cannot_hide(contribution):
    other_host = MembershipFactory(host=True).user

    with pytest.raises(PermissionDenied):
        services.contribution_set_status(by=other_host, contribution=contribution, status="hidden")

    assert Contribution.objects.get(pk=contribution.pk).status == Contribution.Status.PUBLISHED


def test_plain_member_cannot_hide(contribution):
    with pytest.raises(PermissionDenied):
        services.contribution_set_status(
            by=contribution.author, contribution=contribution, status="hidden"
        )

    assert Contribution.objects.get(pk=contribution.pk).status == Contribution.Status.PUBLISHED


def test_unknown_status_is_refused(contribution, host):
    with pytest.raises(ValidationError):
        services.contribution_set_status(by=host, contribution=contribution, status="gone")

    assert Contribution.objects.get(pk=contribution.pk).status == Contribution.Status.PUBLISHED


def test_host_hides_a_comment_in_their_community_only(contribution, host):
    comment = CommentFactory(contribution=contribution)
    other_host = MembershipFactory(host=True).user

    with pytest.raises(PermissionDenied):
        services.comment_set_status(by=other_host, comment=comment, status="hidden")
    assert Comment.objects.get(pk=comment.pk).status == Contribution.Status.PUBLISHED

    services.comment_set_status(by=host, comment=comment, status="hidden")
    assert Comment.objects.get(pk=comment.pk).status == Contribution.Status.HIDDEN


# --- Comments ---------------------------------------------------------------------------------


def test_member_comments_with_markdown(contribution, host):
    comment = services.comment_create(author=host, contribution=contribution, body="**Ja!**")

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body_html == "<p><strong>Ja!</strong></p>\n"
    assert stored.parent is None


def test_non_member_cannot_comment(contribution, outsider):
    with pytest.raises(PermissionDenied):
        services.comment_create(author=outsider, contribution=contribution, body="Hallo")

    assert not Comment.objects.exists()


def test_pending_member_cannot_comment(member):
    community = CommunityFactory(visibility=Community.Visibility.ON_REQUEST)
    contribution = ContributionFactory(community=community)
    MembershipFactory(community=community, user=member, pending=True)

    with pytest.raises(PermissionDenied):
        services.comment_create(author=member, contribution=contribution, body="Hallo")

    assert not Comment.objects.exists()


def test_empty_comment_is_refused(contribution):
    with pytest.raises(ValidationError):
        services.comment_create(author=contribution.author, contribution=contribution, body="  ")

    assert not Comment.objects.exists()


def test_reply_to_a_reply_joins_the_top_level_thread(contribution, host, clock):
    top = services.comment_create(author=host, contribution=contribution, body="Eerste")
    reply = services.comment_create(
        author=contribution.author, contribution=contribution, body="Antwoord", parent=top
    )
    clock.tick(timedelta(minutes=1))  # past the host's pause between two comments

    nested = services.comment_create(
        author=host, contribution=contribution, body="Antwoord op antwoord", parent=reply
    )

    assert Comment.objects.get(pk=reply.pk).parent_id == top.pk
    assert Comment.objects.get(pk=nested.pk).parent_id == top.pk


def test_reply_to_a_comment_on_another_contribution_is_refused(contribution, community, host):
    elsewhere = CommentFactory(contribution=ContributionFactory(community=community))

    with pytest.raises(ValidationError):
        services.comment_create(
            author=host, contribution=contribution, body="Verdwaald", parent=elsewhere
        )

    assert not Comment.objects.filter(contribution=contribution).exists()


def test_author_edits_own_comment_only(contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Oud")

    services.comment_update(by=host, comment=comment, body="*Nieuw*")
    with pytest.raises(PermissionDenied):
        services.comment_update(by=contribution.author, comment=comment, body="Gekaapt")

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body == "*Nieuw*"
    assert stored.body_html == "<p><em>Nieuw</em></p>\n"


def test_soft_delete_keeps_the_row_and_empties_the_body(contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Geheim")
    reply = CommentFactory(contribution=contribution, parent=comment)

    services.comment_delete(by=host, comment=comment)

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.is_deleted
    assert stored.body == ""
    assert stored.body_html == ""
    assert Comment.objects.filter(pk=reply.pk, parent=comment).exists()


def test_others_cannot_delete_a_comment(contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Blijft")

    with pytest.raises(PermissionDenied):
        services.comment_delete(by=contribution.author, comment=comment)

    assert Comment.objects.get(pk=comment.pk).body == "Blijft"


def test_deleted_comment_cannot_be_edited(contribution, host):
    comment = CommentFactory(contribution=contribution, author=host)
    services.comment_delete(by=host, comment=comment)

    with pytest.raises(PermissionDenied):
        services.comment_update(by=host, comment=comment, body="Terug")

    assert Comment.objects.get(pk=comment.pk).body == ""


# --- Appreciation -----------------------------------------------------------------------------


def test_appreciation_toggles(contribution, host):
    assert services.appreciation_toggle(user=host, contribution=contribution) is True
    assert Appreciation.objects.filter(user=host, contribution=contribution).count() == 1

    assert services.appreciation_toggle(user=host, contribution=contribution) is False
    assert not Appreciation.objects.filter(user=host, contribution=contribution).exists()


def test_appreciation_of_a_comment_toggles(contribution, host):
    comment = CommentFactory(contribution=contribution)

    assert services.appreciation_toggle(user=host, comment=comment) is True
    assert Appreciation.objects.filter(user=host, comment=comment).count() == 1
    assert services.appreciation_toggle(user=host, comment=comment) is False
    assert not Appreciation.objects.filter(user=host, comment=comment).exists()


def test_appreciation_needs_exactly_one_target(contribution, host):
    with pytest.raises(ValueError):
        services.appreciation_toggle(user=host)

    assert not Appreciation.objects.exists()


def test_database_refuses_a_duplicate_appreciation(contribution, host):
    Appreciation.objects.create(user=host, contribution=contribution)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appreciation.objects.create(user=host, contribution=contribution)

    assert Appreciation.objects.filter(user=host, contribution=contribution).count() == 1


def test_database_refuses_a_duplicate_comment_appreciation(contribution, host):
    comment = CommentFactory(contribution=contribution)
    Appreciation.objects.create(user=host, comment=comment)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appreciation.objects.create(user=host, comment=comment)

    assert Appreciation.objects.filter(user=host, comment=comment).count() == 1


def test_database_refuses_an_appreciation_of_two_targets(contribution, host):
    comment = CommentFactory(contribution=contribution)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appreciation.objects.create(user=host, contribution=contribution, comment=comment)

    assert not Appreciation.objects.exists()
