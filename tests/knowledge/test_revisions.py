"""Edited posts (issue 14): an edit of the words keeps the earlier text as a revision and marks
the post "bewerkt"; a status change does neither. The earlier versions are for the author and
the community's hosts and moderators, nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from communities.models import Community, Membership
from knowledge import services
from knowledge.models import CommentRevision, Contribution, ContributionRevision
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def contribution(community, membership):
    return ContributionFactory(
        community=community,
        author=membership.user,
        title="Hoe isoleer ik mijn spouwmuur?",
        body="Wie heeft **ervaring** met spouwmuurisolatie?",
    )


def _edit(contribution, **changes):
    data = {
        "kind": contribution.kind,
        "title": contribution.title,
        "body": contribution.body,
        "source_url": contribution.source_url,
        **changes,
    }
    return services.contribution_update(by=contribution.author, contribution=contribution, **data)


def _versions_url(contribution) -> str:
    return reverse("knowledge:contribution_versions", args=[contribution.pk])


# --- What is stored ----------------------------------------------------------------------------


def test_an_edit_of_the_words_keeps_the_earlier_text_and_marks_it_edited(contribution):
    _edit(
        contribution,
        title="Hoe isoleer ik mijn spouwmuur goedkoop?",
        parts={"part_situation": "Een huis uit 1965."},
    )

    stored = Contribution.objects.get(pk=contribution.pk)
    assert stored.edited_at is not None
    revision = ContributionRevision.objects.get(contribution=contribution)
    assert revision.title == "Hoe isoleer ik mijn spouwmuur?"
    assert revision.body == "Wie heeft **ervaring** met spouwmuurisolatie?"
    assert revision.parts == {}
    assert revision.edited_by == contribution.author

    _edit(stored, body="Nu met een vraag erbij.")
    latest = ContributionRevision.objects.filter(contribution=contribution).first()
    assert ContributionRevision.objects.filter(contribution=contribution).count() == 2
    assert latest.parts == {"part_situation": "Een huis uit 1965."}
    assert latest.title == "Hoe isoleer ik mijn spouwmuur goedkoop?"


def test_no_revision_when_only_the_kind_or_tags_change(contribution):
    _edit(contribution, kind=Contribution.Kind.IDEA, tags=["isolatie"])

    assert not ContributionRevision.objects.exists()
    assert Contribution.objects.get(pk=contribution.pk).edited_at is None


def test_a_status_change_is_no_edit(contribution, host):
    services.contribution_set_status(by=host, contribution=contribution, status="hidden")
    services.contribution_set_status(by=host, contribution=contribution, status="published")

    assert not ContributionRevision.objects.exists()
    assert Contribution.objects.get(pk=contribution.pk).edited_at is None


def test_a_comment_edit_keeps_the_earlier_body(contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Eerst zo.")

    services.comment_update(by=host, comment=comment, body="Eerst zo.")
    assert not CommentRevision.objects.exists()

    services.comment_update(by=host, comment=comment, body="Toch anders.")
    comment.refresh_from_db()
    assert comment.edited_at is not None
    assert list(CommentRevision.objects.values_list("body", "edited_by")) == [
        ("Eerst zo.", host.pk)
    ]


def test_a_comment_status_change_is_no_edit(contribution, host):
    comment = CommentFactory(contribution=contribution)
    services.comment_set_status(by=host, comment=comment, status="hidden")

    comment.refresh_from_db()
    assert comment.edited_at is None
    assert not CommentRevision.objects.exists()


def test_deleting_a_comment_deletes_its_earlier_versions(contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Eerst zo.")
    services.comment_update(by=host, comment=comment, body="Toch anders.")

    services.comment_delete(by=host, comment=comment)

    assert not CommentRevision.objects.exists()


def test_an_edit_in_the_wagtail_admin_keeps_a_revision_too(admin_client, admin_user, contribution):
    comment = CommentFactory(contribution=contribution, body="Eerst zo.")
    url = reverse("wagtailsnippets_knowledge_comment:edit", args=[comment.pk])
    response = admin_client.post(
        url,
        {
            "contribution": contribution.pk,
            "author": comment.author_id,
            "body": "Door de bibliotheek ingekort.",
            "status": "published",
        },
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Door de bibliotheek ingekort."
    assert comment.edited_at is not None
    revision = CommentRevision.objects.get(comment=comment)
    assert (revision.body, revision.edited_by) == ("Eerst zo.", admin_user)


# --- What people see ---------------------------------------------------------------------------


def test_the_edited_marker_shows_with_a_time(client, contribution, outsider):
    CommentFactory(contribution=contribution, author=outsider, body="Nooit aangepast.")
    assert "edited-marker" not in client.get(contribution.get_absolute_url()).content.decode()

    _edit(contribution, body="Bijgewerkt.")
    response = client.get(contribution.get_absolute_url())
    page = response.content.decode()

    stored = Contribution.objects.get(pk=contribution.pk)
    when = timezone.localtime(stored.edited_at)
    assert f'bewerkt <time datetime="{dateformat.format(when, "c")}">' in page
    assert f"bewerkt {dateformat.format(when, 'j F Y, H:i')}" in page_text(response)
    # Visitors see when, not the versions.
    assert _versions_url(contribution) not in page


def test_an_edited_comment_shows_the_marker_and_its_author_the_link(client, contribution, host):
    comment = CommentFactory(contribution=contribution, author=host, body="Eerst zo.")
    services.comment_update(by=host, comment=comment, body="Toch anders.")
    versions = reverse("knowledge:comment_versions", args=[contribution.pk, comment.pk])

    page = client.get(contribution.get_absolute_url()).content.decode()
    assert 'class="edited-marker"' in page
    assert versions not in page

    client.force_login(host)
    assert versions in client.get(contribution.get_absolute_url()).content.decode()
    text = page_text(client.get(versions))
    assert "Eerst zo." in text
    assert "Toch anders." in text


def test_the_author_sees_the_earlier_versions(client, contribution):
    _edit(contribution, title="Spouwmuur: wie weet het?", body="Nieuwe tekst.")
    client.force_login(contribution.author)

    page = client.get(contribution.get_absolute_url()).content.decode()
    assert _versions_url(contribution) in page
    text = page_text(client.get(_versions_url(contribution)))

    assert "Zoals het er nu staat" in text
    assert "Nieuwe tekst." in text
    assert "Hoe isoleer ik mijn spouwmuur?" in text
    assert "Wie heeft ervaring met spouwmuurisolatie?" in text


def test_the_hosts_see_the_versions_and_others_get_a_404(client, contribution, host, outsider):
    _edit(contribution, body="Nieuwe tekst.")
    url = _versions_url(contribution)

    client.force_login(host)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    fellow = MembershipFactory(community=contribution.community).user
    client.force_login(fellow)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_moderator_of_the_parent_community_sees_a_subs_versions(client, community, outsider):
    sub = CommunityFactory(parent=community, library=community.library)
    author = MembershipFactory(community=sub).user
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    contribution = ContributionFactory(community=sub, author=author)
    _edit(contribution, body="Nieuwe tekst.")

    client.force_login(moderator)
    assert client.get(_versions_url(contribution)).status_code == 200


def test_a_private_communitys_rules_hold_for_the_versions(client, outsider):
    private = CommunityFactory(visibility=Community.Visibility.PRIVATE)
    author = MembershipFactory(community=private).user
    contribution = ContributionFactory(community=private, author=author)
    _edit(contribution, body="Nieuwe tekst.")
    client.force_login(author)
    assert client.get(_versions_url(contribution)).status_code == 200

    # Out of the community: the post is out of sight, and so are its versions.
    Membership.objects.filter(community=private, user=author).delete()
    assert client.get(_versions_url(contribution)).status_code == 404


def test_the_versions_page_costs_the_same_queries_for_3_and_30_versions(client, contribution):
    client.force_login(contribution.author)

    def add(n):
        for i in range(n):
            ContributionRevision.objects.create(
                contribution=contribution,
                title=f"Versie {i}",
                body=f"Tekst {i} met **nadruk**.",
                parts={"part_result": "Het werkte."},
                edited_by=contribution.author,
            )

    assert_constant_queries(
        client, _versions_url(contribution), add, label="earlier versions of a contribution"
    )


def test_the_comment_versions_page_costs_the_same_queries_for_3_and_30(client, contribution, host):
    comment = CommentFactory(contribution=contribution, author=host)
    client.force_login(host)

    def add(n):
        for i in range(n):
            CommentRevision.objects.create(comment=comment, body=f"Versie {i}", edited_by=host)

    assert_constant_queries(
        client,
        reverse("knowledge:comment_versions", args=[contribution.pk, comment.pk]),
        add,
        label="earlier versions of a comment",
    )
