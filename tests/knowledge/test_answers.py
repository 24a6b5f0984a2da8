"""Questions with answers (issue 14): marking, withdrawing, every door that hides or deletes a
marked comment, the answers on top, and the open questions per community and theme."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge import selectors, services
from knowledge.models import Comment, Contribution
from knowledge.wagtail_hooks import reopen_questions_after_comment_delete
from moderation.targets import target_delete, target_hide
from tests.communities.factories import MembershipFactory, ThemeFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(community, membership, theme):
    return ContributionFactory(
        community=community,
        author=membership.user,
        title="Wie weet een goede warmtepomp?",
        themes=[theme],
    )


@pytest.fixture
def commenter(community):
    return MembershipFactory(
        community=community, user__display_name="Cor Commentaar", user__handle="cor"
    ).user


@pytest.fixture
def comment(question, commenter):
    return CommentFactory(contribution=question, author=commenter, body="Kijk naar een hybride.")


def _reloaded(*objects):
    for obj in objects:
        obj.refresh_from_db()


# --- Marking -----------------------------------------------------------------------------------


def test_the_asker_marks_a_comment_as_the_answer(question, comment, member):
    services.answer_mark(by=member, comment=comment)

    _reloaded(question, comment)
    assert comment.answer_marked_at is not None
    assert comment.answer_marked_by == member
    assert question.answered_at == comment.answer_marked_at


def test_a_host_marks_an_answer_too(question, comment, host):
    services.answer_mark(by=host, comment=comment)

    _reloaded(question, comment)
    assert comment.answer_marked_by == host
    assert question.answered_at is not None


@pytest.mark.parametrize("who", ["commenter", "outsider"])
def test_others_may_not_mark(request, question, comment, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.answer_mark(by=user, comment=comment)

    _reloaded(question, comment)
    assert comment.answer_marked_at is None
    assert question.answered_at is None


def test_only_a_question_has_answers(community, membership, commenter):
    experience = ContributionFactory(
        community=community, author=membership.user, kind=Contribution.Kind.EXPERIENCE
    )
    comment = CommentFactory(contribution=experience, author=commenter)

    with pytest.raises(ValidationError, match="Alleen bij een vraag"):
        services.answer_mark(by=membership.user, comment=comment)

    comment.refresh_from_db()
    assert comment.answer_marked_at is None


def test_a_hidden_comment_cannot_be_marked(question, comment, member):
    Comment.objects.filter(pk=comment.pk).update(status=Contribution.Status.HIDDEN)
    comment.refresh_from_db()

    with pytest.raises(ValidationError, match="verborgen"):
        services.answer_mark(by=member, comment=comment)


def test_marking_twice_changes_nothing(question, comment, member, clock):
    services.answer_mark(by=member, comment=comment)
    _reloaded(question, comment)
    first_mark, answered = comment.answer_marked_at, question.answered_at

    clock.tick(timedelta(minutes=5))
    services.answer_mark(by=member, comment=comment)

    _reloaded(question, comment)
    assert comment.answer_marked_at == first_mark
    assert question.answered_at == answered


def test_unmarking_the_last_answer_reopens_the_question(question, comment, commenter, member):
    second = CommentFactory(contribution=question, author=commenter, body="Of een boiler.")
    services.answer_mark(by=member, comment=comment)
    services.answer_mark(by=member, comment=second)

    services.answer_unmark(by=member, comment=comment)
    _reloaded(question, second)
    assert question.answered_at == second.answer_marked_at  # still answered, by the other one

    services.answer_unmark(by=member, comment=second)
    question.refresh_from_db()
    assert question.answered_at is None
    assert question in selectors.question_list_open(member)


def test_marks_are_set_under_row_locks(question, comment, member):
    """Two marks (or a mark and a hide) on one question wait for each other: the comment's row
    and then the question's are locked before anything is read or written."""
    if not connection.features.has_select_for_update:
        pytest.skip("row locks need PostgreSQL")
    with CaptureQueriesContext(connection) as ctx:
        services.answer_mark(by=member, comment=comment)

    # (The search index locks its own row afterwards, when the question is saved.)
    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]][:2]
    assert '"knowledge_comment"' in locking[0].split("WHERE")[0]
    assert '"knowledge_contribution"' in locking[1].split("WHERE")[0]


# --- Every door that hides or deletes an answer ------------------------------------------------


@pytest.fixture
def answered(question, comment, member):
    services.answer_mark(by=member, comment=comment)
    return question


def _assert_reopened(question, comment):
    _reloaded(question, comment)
    assert comment.answer_marked_at is None
    assert comment.answer_marked_by is None
    assert question.answered_at is None


def test_a_host_hiding_the_answer_reopens_the_question(answered, comment, host):
    services.comment_set_status(by=host, comment=comment, status=Contribution.Status.HIDDEN)
    _assert_reopened(answered, comment)

    # Restoring it does not bring the mark back: the asker decides again.
    services.comment_set_status(by=host, comment=comment, status=Contribution.Status.PUBLISHED)
    _assert_reopened(answered, comment)


def test_the_commenter_deleting_the_answer_reopens_the_question(answered, comment, commenter):
    services.comment_delete(by=commenter, comment=comment)
    _assert_reopened(answered, comment)


def test_moderation_hiding_or_deleting_the_answer_reopens_the_question(
    answered, comment, member, question
):
    target_hide(comment)
    _assert_reopened(answered, comment)

    comment.status = Contribution.Status.PUBLISHED
    comment.save(update_fields=["status"])
    services.answer_mark(by=member, comment=comment)
    target_delete(comment)
    _assert_reopened(answered, comment)


def test_deleting_the_answer_in_the_admin_reopens_the_question(answered, comment):
    comment.delete()  # what the Wagtail snippet delete (one or in bulk) does, then its hook
    reopen_questions_after_comment_delete(None, [comment])

    answered.refresh_from_db()
    assert answered.answered_at is None


def test_hiding_another_comment_keeps_the_answer(answered, comment, commenter, host):
    other = CommentFactory(contribution=answered, author=commenter, body="Iets anders.")

    services.comment_set_status(by=host, comment=other, status=Contribution.Status.HIDDEN)

    _reloaded(answered, comment)
    assert comment.answer_marked_at is not None
    assert answered.answered_at is not None


# --- The page ----------------------------------------------------------------------------------


def test_the_answer_stands_on_top_and_the_question_says_beantwoord(
    client, question, commenter, member
):
    first = CommentFactory(contribution=question, author=commenter, body="Eerste gedachte.")
    CommentFactory(contribution=question, author=commenter, body="Tweede gedachte.")
    reply = CommentFactory(
        contribution=question, author=member, parent=first, body="Het echte antwoord."
    )
    client.force_login(member)

    response = client.post(
        f"/bijdragen/{question.pk}/reacties/{reply.pk}/antwoord/", {"answer": "1"}, follow=True
    )

    text = page_text(response)
    assert "Gemarkeerd als antwoord. De vraag is beantwoord." in text
    assert "Beantwoord" in text
    assert text.index("Het echte antwoord.") < text.index("Eerste gedachte.")
    # Its thread keeps a pointer where the reply was.
    assert "Dit antwoord staat bovenaan, bij de antwoorden." in text
    question.refresh_from_db()
    assert question.answered_at is not None


def test_withdrawing_through_the_page(client, answered, comment, member):
    client.force_login(member)

    response = client.post(
        f"/bijdragen/{answered.pk}/reacties/{comment.pk}/antwoord/", {"answer": "0"}, follow=True
    )

    assert "niet langer gemarkeerd als antwoord" in page_text(response)
    answered.refresh_from_db()
    assert answered.answered_at is None


def test_the_buttons_are_only_for_those_who_may_mark(client, question, comment, commenter):
    client.force_login(commenter)
    response = client.get(question.get_absolute_url())
    assert "Markeer als antwoord" not in page_text(response)

    response = client.post(
        f"/bijdragen/{question.pk}/reacties/{comment.pk}/antwoord/", {"answer": "1"}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.answered_at is None


def test_the_asker_sees_the_button(client, question, comment, member):
    client.force_login(member)
    assert "Markeer als antwoord" in page_text(client.get(question.get_absolute_url()))


def test_cards_show_beantwoord(client, answered, community):
    response = client.get(community.get_absolute_url())
    assert "Beantwoord" in page_text(response)


# --- Open questions ----------------------------------------------------------------------------


@pytest.fixture
def questions(community, membership, theme, commenter, member):
    """An open question, an answered one and an experience, in one community and theme."""
    open_one = ContributionFactory(
        community=community, author=member, title="Open: waar laat ik oud glas?", themes=[theme]
    )
    answered = ContributionFactory(
        community=community, author=member, title="Beantwoord: welke isolatie?", themes=[theme]
    )
    services.answer_mark(by=member, comment=CommentFactory(contribution=answered, author=commenter))
    ContributionFactory(
        community=community,
        author=member,
        kind=Contribution.Kind.EXPERIENCE,
        title="Ervaring: onze zonnepanelen",
        themes=[theme],
    )
    return open_one


def test_a_communitys_open_questions(client, community, questions):
    response = client.get(f"/gemeenschappen/{community.slug}/vragen/")

    text = page_text(response)
    assert "Open: waar laat ik oud glas?" in text
    assert "Beantwoord: welke isolatie?" not in text
    assert "Ervaring: onze zonnepanelen" not in text
    assert "1 open vraag" in text


def test_a_themes_open_questions_leave_out_a_private_community(
    client, theme, questions, private_community
):
    insider = MembershipFactory(community=private_community).user
    ContributionFactory(
        community=private_community, author=insider, title="Geheime vraag", themes=[theme]
    )
    url = f"/themas/{theme.slug}/vragen/"

    text = page_text(client.get(url))
    assert "Open: waar laat ik oud glas?" in text
    assert "Geheime vraag" not in text

    client.force_login(insider)
    assert "Geheime vraag" in page_text(client.get(url))


def test_a_private_communitys_open_questions_are_for_members_only(
    client, private_community, outsider
):
    insider = MembershipFactory(community=private_community).user
    ContributionFactory(community=private_community, author=insider, title="Geheime vraag")
    url = f"/gemeenschappen/{private_community.slug}/vragen/"

    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(insider)
    assert "Geheime vraag" in page_text(client.get(url))


def test_the_community_and_theme_pages_link_to_their_open_questions(
    client, community, theme, questions
):
    community_page = client.get(community.get_absolute_url()).content.decode()
    assert f'href="/gemeenschappen/{community.slug}/vragen/"' in community_page
    theme_page = client.get(theme.get_absolute_url()).content.decode()
    assert f'href="/themas/{theme.slug}/vragen/"' in theme_page
    assert "1 open vraag" in page_text(client.get(theme.get_absolute_url()))


def test_no_link_when_nothing_is_open(client, community):
    assert "/vragen/" not in client.get(community.get_absolute_url()).content.decode()


def _more_questions(community, theme, commenter, member):
    def add(n: int) -> None:
        for _ in range(n):
            other = ThemeFactory()
            ContributionFactory(
                community=community, author=commenter, themes=[theme, other], tags=["glas"]
            )
            # An answered one too, left out of the list at the same cost.
            answered = ContributionFactory(community=community, author=commenter, themes=[theme])
            services.answer_mark(
                by=commenter, comment=CommentFactory(contribution=answered, author=member)
            )

    return add


def test_the_community_list_costs_constant_queries(client, community, theme, commenter, member):
    assert_constant_queries(
        client,
        f"/gemeenschappen/{community.slug}/vragen/",
        _more_questions(community, theme, commenter, member),
        label="open questions of a community, visitor",
    )


def test_the_theme_list_costs_constant_queries(client, community, theme, commenter, member):
    client.force_login(member)
    assert_constant_queries(
        client,
        f"/themas/{theme.slug}/vragen/",
        _more_questions(community, theme, commenter, member),
        label="open questions of a theme, member",
    )


# --- Other doors: the API and the feeds --------------------------------------------------------


def test_the_api_says_answered_and_which_comment(client, answered, comment):
    body = client.get(f"/api/v1/contributions/{answered.pk}/").json()

    assert body["answered_at"] is not None
    assert [c["is_answer"] for c in body["comments"]] == [True]
    assert body["parts_html"] == ""


def test_the_feed_says_answered(client, answered, community):
    feed = client.get(f"/gemeenschappen/{community.slug}/feed/").content.decode()
    assert "Beantwoord" in feed


def test_hiding_the_answer_in_the_admin_reopens_the_question(admin_client, answered, comment):
    response = admin_client.post(
        f"/cms/snippets/knowledge/comment/edit/{comment.pk}/",
        {
            "contribution": answered.pk,
            "author": comment.author_id,
            "body": comment.body,
            "status": Contribution.Status.HIDDEN,
        },
    )

    assert response.status_code == 302
    _assert_reopened(answered, comment)
