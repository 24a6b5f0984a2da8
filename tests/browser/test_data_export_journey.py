"""Mijn gegevens downloaden in a real browser: from the settings to the page, the request (the
task runs in process, as on the embedded default), the download of the zip; axe-core finds no
WCAG 2.1 A/AA violation on the page before and after."""

import json
import zipfile

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_a_resident_downloads_their_data(page, tmp_path):
    resident = UserFactory(display_name="Fenna Fietsmaker", email="fenna@example.org")
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(resident.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()

    page.goto("/instellingen/")
    page.get_by_role("link", name="Mijn gegevens downloaden").click()
    page.get_by_role("heading", level=1, name="Mijn gegevens downloaden").wait_for()
    assert_no_axe_violations(page)

    button = page.get_by_role("button", name="Vraag je gegevens aan")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Klaar om te downloaden").wait_for()
    assert_no_axe_violations(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download je gegevens").click()
    download = info.value
    assert download.suggested_filename.startswith("kenniscloud-gegevens-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("profile.json"))["display_name"] == "Fenna Fietsmaker"
