"""In Chromium: pasting more than a field takes loses nothing. The browser used to cut the
text at `maxlength` without a word, and the rest was saved with a success message."""

import pytest

from communities.models import User
from knowledge.models import Comment
from tests.communities.factories import PASSWORD, CommunityFactory, MembershipFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Zo bespaar je energie. " * 230  # over the 5 000 of a comment
BIO = "Ik help graag met zonnepanelen. " * 70  # over the 2 000 of a bio


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def test_too_long_comment_and_bio_are_refused_and_kept(page, live_server):
    community = CommunityFactory()
    member = MembershipFactory(community=community).user
    contribution = ContributionFactory(community=community, author=member)
    _log_in(page, member)

    page.goto(contribution.get_absolute_url())
    page.locator("#reageren textarea[name=body]").fill(COMMENT)
    page.locator("#reageren [type=submit]").click()
    page.wait_for_load_state()
    assert (
        page.locator("#id_body_error")
        .inner_text()
        .endswith(f"Houd het kort: hooguit 5000 tekens (nu {len(COMMENT.strip())}).")
    )
    assert page.locator("#reageren textarea[name=body]").input_value() == COMMENT
    assert not Comment.objects.exists()

    page.goto("/instellingen/profiel/")
    page.locator("textarea[name=bio]").fill(BIO)
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()
    assert (
        page.locator("#id_bio_error")
        .inner_text()
        .endswith(f"Houd het kort: hooguit 2000 tekens (nu {len(BIO.strip())}).")
    )
    assert page.locator("textarea[name=bio]").input_value() == BIO
    assert User.objects.get(pk=member.pk).bio == ""
