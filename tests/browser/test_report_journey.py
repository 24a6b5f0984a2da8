"""A resident reports a comment in a real browser, on a phone and on a desktop: the "Melden"
link, the form with the keyboard (an error next to the field first), the thanks page and
"Wat ik heb gemeld"; two more trusted members report it and it is hidden. axe-core finds no
WCAG 2.1 A/AA violation on any of these pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Case, Report
from moderation.services.reports import report_create
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import PASSWORD, CommunityFactory, UserFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=request.param, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _trusted(community):
    user = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    ContributionFactory(author=user, community=community)
    return user


def test_a_resident_reports_a_comment_and_three_trusted_reports_hide_it(screen):
    community = CommunityFactory(title="Energie Noord")
    post = ContributionFactory(community=community, title="Wie weet iets van warmtepompen?")
    spammer = UserFactory(display_name="Sam Spammer")
    comment = CommentFactory(
        contribution=post, author=spammer, body="Koop nu goedkope pillen op example.com"
    )
    resident = _trusted(community)

    _log_in(screen, resident)
    screen.goto(post.get_absolute_url())
    # The hidden part of the name tells the links apart for screen readers.
    link = screen.get_by_role("link", name=re.compile(r"^Melden\s*: reactie van Sam Spammer$"))
    link.focus()
    screen.keyboard.press("Enter")
    screen.wait_for_url(f"**/melden/reactie/{comment.pk}/")
    assert screen.get_by_role("heading", name="Melden", exact=True).is_visible()
    assert_no_axe_violations(screen)

    # Sent without a reason: the error is named at the top and next to the group.
    screen.get_by_role("button", name="Melding versturen").click()
    screen.wait_for_load_state()
    assert screen.get_by_role("alert").is_visible()
    assert "Kies waarom je dit meldt." in screen.locator(".field__errors").inner_text()
    assert_no_axe_violations(screen)

    # With the keyboard only: the radio group, then the note, then send.
    screen.get_by_role("radio", name="Spam of reclame").focus()
    screen.keyboard.press("Space")
    assert screen.get_by_role("radio", name="Spam of reclame").is_checked()
    screen.get_by_label("Toelichting voor de moderatoren").fill("Reclame voor pillen.")
    screen.get_by_role("button", name="Melding versturen").focus()
    screen.keyboard.press("Enter")
    screen.wait_for_url("**/melden/bedankt/**")
    assert screen.get_by_role("heading", name="Bedankt, je melding is ontvangen").is_visible()
    assert_no_axe_violations(screen)

    screen.get_by_role("link", name="Wat ik heb gemeld").first.click()
    screen.wait_for_url("**/melden/mijn/")
    assert "Ontvangen; de moderatoren hebben nog niet besloten." in screen.inner_text("main")
    assert_no_axe_violations(screen)
    report = Report.objects.get()
    assert (report.reason, report.note, report.trusted) == ("spam", "Reclame voor pillen.", True)

    # Two more trusted members report it: it is hidden, pending a moderator.
    for _ in range(2):
        report_create(reporter=_trusted(community), obj=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.is_hidden
    assert Case.objects.get().auto_hidden
    screen.goto(post.get_absolute_url())
    assert "Koop nu goedkope pillen" not in screen.inner_text("main")
