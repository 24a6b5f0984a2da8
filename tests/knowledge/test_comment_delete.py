"""Withdrawing your own comment asks first (issue 16): the comment links to a confirmation
step that shows the comment and what happens; only its POST deletes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knowledge.models import Comment
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(community, membership):
    contribution = ContributionFactory(community=community, title="Spouwmuren")
    return CommentFactory(contribution=contribution, author=membership.user, body="Oeps, fout.")


def _delete_url(comment) -> str:
    return reverse(
        "knowledge:comment_delete",
        kwargs={"pk": comment.contribution_id, "comment_id": comment.pk},
    )


def test_contribution_page_links_to_the_confirmation(client, comment):
    client.force_login(comment.author)

    html = client.get(comment.contribution.get_absolute_url()).content.decode()

    assert f'href="{_delete_url(comment)}">Verwijderen</a>' in html
    assert 'value="delete"' not in html  # no form that deletes at once


def test_confirmation_shows_the_comment_and_deletes_nothing(client, comment):
    client.force_login(comment.author)

    response = client.get(_delete_url(comment))

    text = page_text(response)
    assert response.status_code == 200
    assert "Reactie verwijderen" in text
    assert "Oeps, fout." in text
    assert "Deze reactie is verwijderd." in text  # what the thread will say
    assert not Comment.objects.get(pk=comment.pk).is_deleted


def test_the_post_from_the_confirmation_deletes(client, comment):
    client.force_login(comment.author)

    response = client.post(_delete_url(comment), follow=True)

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.is_deleted and stored.body == ""
    assert "Je reactie is verwijderd." in page_text(response)
    assert response.redirect_chain[-1][0].endswith(f"#reactie-{comment.pk}")


def test_the_old_one_step_delete_no_longer_deletes(client, comment):
    client.force_login(comment.author)

    client.post(
        reverse("knowledge:comment_action", args=[comment.contribution_id, comment.pk]),
        {"action": "delete"},
    )

    assert not Comment.objects.get(pk=comment.pk).is_deleted


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_else_cannot_delete(client, comment, method):
    client.force_login(comment.contribution.author)

    response = getattr(client, method)(_delete_url(comment))

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Oeps, fout."
