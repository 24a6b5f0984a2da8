"""The readability advice in a real browser (issue 17, B1): while typing, with the check button
without JavaScript, and never in the way of posting. axe checks the form with the advice."""

import pytest

from knowledge.models import Contribution
from plainlanguage.models import JargonTerm
from plainlanguage.selectors import jargon_list_forget
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import PASSWORD, CommunityFactory, MembershipFactory
from tests.plainlanguage import texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer():
    community = CommunityFactory(title="Energiecafé", slug="energiecafe")
    # The first terms of migration 0001 may be there or flushed by an earlier browser test.
    JargonTerm.objects.update_or_create(term="teneinde", defaults={"plain": "om"})
    jargon_list_forget()  # a flush sends no signal
    return MembershipFactory(community=community).user


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def test_the_advice_follows_the_typing_and_posting_goes_on(page, writer):
    _log_in(page, writer)
    page.goto("/bijdragen/nieuw/?gemeenschap=energiecafe")
    region = page.locator("[data-plainlanguage-result]")
    assert region.get_attribute("aria-live") == "polite"

    page.get_by_role("textbox", name="Tekst", exact=True).fill(texts.HARD)
    region.get_by_text("Leesniveau: Moeilijk").wait_for()
    assert "„teneinde” is vaktaal. Schrijf liever: om." in region.inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("textbox", name="Tekst", exact=True).fill(texts.EASY)
    region.get_by_text("Leesniveau: Makkelijk").wait_for()

    # The check button checks at once, on the page.
    page.get_by_role("textbox", name="Tekst", exact=True).fill(texts.B1)
    page.get_by_role("button", name="Controleer de leesbaarheid").click()
    region.get_by_text("Leesniveau: B1").wait_for()
    assert page.url.endswith("?gemeenschap=energiecafe")

    page.get_by_label("Titel").fill("Subsidie voor isolatie")
    page.get_by_role("button", name="Plaatsen").click()
    page.wait_for_url("**/bijdragen/*/")
    assert Contribution.objects.get().body == texts.B1


def test_without_javascript_the_button_shows_the_advice_and_enter_still_posts(
    browser, live_server, writer
):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 320, "height": 700}
    )
    page = context.new_page()
    try:
        _log_in(page, writer)
        page.goto("/bijdragen/nieuw/?gemeenschap=energiecafe")
        page.get_by_role("textbox", name="Tekst", exact=True).fill(texts.HARD)
        page.get_by_role("button", name="Controleer de leesbaarheid").click()
        page.wait_for_load_state()

        advice = page.locator("[data-plainlanguage-result]")
        assert "Leesniveau: Moeilijk" in advice.inner_text()
        assert page.get_by_role("textbox", name="Tekst", exact=True).input_value() == texts.HARD
        assert not Contribution.objects.exists()

        # Enter in the title field posts, as it did before the check button was there.
        page.get_by_label("Titel").fill("Wat de regeling vraagt")
        page.get_by_label("Titel").press("Enter")
        page.wait_for_url("**/bijdragen/*/")
        assert Contribution.objects.get().title == "Wat de regeling vraagt"
    finally:
        context.close()
