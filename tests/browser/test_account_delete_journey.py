"""Account verwijderen in a real browser, by keyboard: from the settings to the page, a wrong
password refused at the field, then the deletion and the goodbye page; axe-core finds no WCAG 2.1
A/AA violation on the page, with and without the error, nor on the goodbye page."""

import pytest

from communities.models import User
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_deletes_their_account(page):
    resident = UserFactory(display_name="Fenna Fietsmaker", email="fenna@example.org")
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(resident.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()

    page.goto("/instellingen/")
    page.get_by_role("link", name="Account verwijderen").click()
    page.get_by_role("heading", level=1, name="Account verwijderen").wait_for()
    assert_no_axe_violations(page)

    page.get_by_label("Je wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_label("Ik begrijp dat dit niet ongedaan kan worden gemaakt").check()
    page.get_by_role("button", name="Mijn account definitief verwijderen").click()
    page.get_by_text("Dit wachtwoord klopt niet.").first.wait_for()
    assert_no_axe_violations(page)
    assert User.objects.get(pk=resident.pk).is_active

    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.get_by_label("Ook mijn bijdragen en reacties verwijderen").check()
    page.get_by_label("Ik begrijp dat dit niet ongedaan kan worden gemaakt").check()
    button = page.get_by_role("button", name="Mijn account definitief verwijderen")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Je account is verwijderd").wait_for()
    assert_no_axe_violations(page)

    gone = User.objects.get(pk=resident.pk)
    assert not gone.is_active and gone.email.endswith("@anonymized.invalid")
    page.goto("/instellingen/")
    assert "/accounts/login/" in page.url
