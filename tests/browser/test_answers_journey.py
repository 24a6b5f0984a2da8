"""Issue 14 in a real browser, keyboard only: the asker marks a comment as the answer, the
question says "Beantwoord" with the answer on top, and it leaves the community's open
questions. axe-core finds no WCAG 2.1 A/AA violation on the answered question and on the open
questions page."""

import re

import pytest

from knowledge.models import Contribution
from tests.browser.axe import assert_no_axe_violations
from tests.browser.steps import log_in, press
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_asker_marks_the_answer_and_the_question_leaves_the_open_list(page):
    community = CommunityFactory(title="Energie Noord", slug="energie-noord")
    asker = MembershipFactory(community=community, user__display_name="Mila Member").user
    helper = MembershipFactory(community=community, user__display_name="Cor Commentaar").user
    question = ContributionFactory(
        community=community, author=asker, title="Wie weet een goede warmtepomp?"
    )
    ContributionFactory(community=community, author=helper, title="Waar laat ik oud glas?")
    CommentFactory(contribution=question, author=helper, body="Eerst isoleren, zei de adviseur.")
    CommentFactory(contribution=question, author=helper, body="Een hybride past bij jouw huis.")

    page.goto(f"/gemeenschappen/{community.slug}/vragen/")
    assert page.get_by_role("heading", name="Open vragen in Energie Noord", level=1).is_visible()
    assert page.get_by_role("link", name="Wie weet een goede warmtepomp?").is_visible()
    assert_no_axe_violations(page)

    log_in(page, asker)
    page.goto(question.get_absolute_url())
    mark = page.get_by_role("button", name=re.compile(r"^Markeer als antwoord"))
    press(page, mark.nth(1))

    assert Contribution.objects.get(pk=question.pk).answered_at is not None
    assert page.get_by_text("Gemarkeerd als antwoord. De vraag is beantwoord.").is_visible()
    assert page.get_by_role("link", name="Beantwoord").is_visible()
    answers = page.locator("#antwoorden")
    assert answers.get_by_text("Een hybride past bij jouw huis.").is_visible()
    assert_no_axe_violations(page)

    page.goto(f"/gemeenschappen/{community.slug}/vragen/")
    assert page.get_by_role("link", name="Waar laat ik oud glas?").is_visible()
    assert page.get_by_role("link", name="Wie weet een goede warmtepomp?").count() == 0
    assert_no_axe_violations(page)
