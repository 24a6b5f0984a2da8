"""Text longer than a field's limit is refused at the field and kept in the form: never cut.

Django renders `max_length` as `maxlength`, and a browser cuts pasted text there without a
word; the member then saw half their comment posted with "Je reactie is geplaatst"."""

from __future__ import annotations

import html
import re

import pytest

from knowledge.models import Comment
from tests.html import field_errors
from tests.knowledge.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db

TOO_LONG_COMMENT = "Zo bespaar je energie. " * 230  # 5 290 characters; the limit is 5 000.


@pytest.fixture
def contribution(community, membership):
    return ContributionFactory(community=community, author=membership.user)


def _textareas(response) -> list[str]:
    return re.findall(r"<textarea\b[^>]*>", response.content.decode())


def test_the_comment_fields_do_not_let_the_browser_cut_text(client, contribution, membership):
    client.force_login(membership.user)
    comment = CommentFactory(contribution=contribution, author=membership.user)

    page = client.get(contribution.get_absolute_url())
    edit = client.get(f"/bijdragen/{contribution.pk}/reacties/{comment.pk}/bewerken/")

    textareas = _textareas(page) + _textareas(edit)
    assert len(textareas) >= 3  # the comment, the reply and the edit form
    assert not [t for t in textareas if "maxlength" in t]


def test_a_too_long_comment_is_refused_and_kept(client, contribution, membership):
    client.force_login(membership.user)

    response = client.post(f"/bijdragen/{contribution.pk}/reacties/", {"body": TOO_LONG_COMMENT})

    assert response.status_code == 400
    typed = TOO_LONG_COMMENT.strip()  # Django strips the ends, the rest is counted.
    assert f"Houd het kort: hooguit 5000 tekens (nu {len(typed)})." in field_errors(
        response, "body"
    )
    assert not Comment.objects.exists()
    assert typed in html.unescape(response.content.decode())
