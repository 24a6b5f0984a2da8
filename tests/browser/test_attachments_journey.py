"""On a phone: a member posts an experience with two photos and a PDF, each photo with its
description, and sees the gallery and the file list. The photos load through the permission
check; axe-core finds no WCAG 2.1 A/AA violation on the form and on the page."""

import re

import pytest

from communities.models import Community
from knowledge.models import Contribution
from tests.attachments import corpus
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import PASSWORD, CommunityFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.RATE_LIMITS = {}


def _file(upload) -> dict:
    upload.seek(0)
    return {"name": upload.name, "mimeType": upload.content_type, "buffer": upload.read()}


def test_post_an_experience_with_two_photos_and_a_pdf_on_a_phone(page):
    community = CommunityFactory(
        title="Repair Café", slug="repair-cafe", visibility=Community.Visibility.OPEN
    )
    member = MembershipFactory(community=community, user__display_name="Fatima").user
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()

    page.goto("/bijdragen/nieuw/?gemeenschap=repair-cafe")
    page.get_by_label("Ervaring").check()
    page.get_by_label("Titel").fill("Onze broodrooster weer aan de praat")
    page.locator("textarea[name=body]").fill("Het was het snoer. Zie de foto's en de checklist.")
    page.get_by_label("Bestand 1").set_input_files(_file(corpus.jpeg("snoer.jpg")))
    page.get_by_label("Wat is er op foto 1 te zien?").fill("Het gerafelde snoer")
    page.get_by_text("Nog een foto of PDF toevoegen").click()
    page.get_by_label("Bestand 2").set_input_files(_file(corpus.jpeg_with_gps("klaar.jpg")))
    page.get_by_label("Wat is er op foto 2 te zien?").fill("De broodrooster werkt weer")
    page.get_by_label("Bestand 3").set_input_files(_file(corpus.pdf("Checklist.pdf")))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Plaatsen").click()
    page.wait_for_load_state()

    contribution = Contribution.objects.get()
    assert page.url.endswith(contribution.get_absolute_url())
    gallery = page.locator(".gallery img")
    assert gallery.count() == 2
    assert gallery.nth(0).get_attribute("alt") == "Het gerafelde snoer"
    assert gallery.nth(1).get_attribute("alt") == "De broodrooster werkt weer"
    for n in range(2):
        image = gallery.nth(n)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
    pdf = page.locator(".file-list a")
    assert pdf.inner_text() == "Checklist.pdf"
    assert re.search(r"PDF, \d", page.locator(".file-list").inner_text())
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)
