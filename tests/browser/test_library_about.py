"""The page "Over de bibliotheek" and the footer with the library's name, address and contact:
no WCAG 2.1 A/AA violation (axe) on a 320 px phone and a desktop, in Dutch and in English (the
Dutch opening hours marked lang="nl" there)."""

import pytest

from communities.models import Branch
from tests.browser.axe import assert_no_axe_violations
from tests.browser.site import site_from_migrations
from tests.communities.factories import LibraryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
# The WCAG contrast ratio of an element's text colour against the footer's background colour.
CONTRAST = """(selector) => {
    const rgb = value => value.match(/[0-9.]+/g).slice(0, 3).map(Number);
    const luminance = ([r, g, b]) => {
        const linear = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const text = luminance(rgb(getComputedStyle(document.querySelector(selector)).color));
    const back = luminance(rgb(getComputedStyle(document.querySelector("footer")).backgroundColor));
    return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
}"""
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=request.param, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def library():
    site_from_migrations()
    library = LibraryFactory(
        name="Bibliotheek Aan Zee",
        slug="aan-zee",
        contact_email="informatie-en-reserveringen@bibliotheekaanzee.example.org",
        website="https://www.bibliotheekaanzee.example.org/",
        phone="0118 12 34 56",
        opening_hours="Maandag tot en met vrijdag 10.00 - 20.00 uur\nZaterdag 10.00 - 16.00 uur",
    )
    library.main_branch = Branch.objects.create(
        library=library,
        name="Vestiging Boulevard",
        slug="boulevard",
        street="Boulevard 1",
        postcode="4381 AA",
        city="Vlissingen",
    )
    library.save()
    return library


@pytest.mark.parametrize("path", ["/over-de-bibliotheek/", "/en/over-de-bibliotheek/"])
def test_the_about_page_and_footer_pass_axe(screen, library, path):
    screen.goto(path)

    main = screen.locator("main")
    assert main.get_by_role("heading", level=2, name="Bibliotheek Aan Zee").is_visible()
    assert main.get_by_role("link", name="0118 12 34 56").is_visible()
    footer = screen.locator("footer")
    assert footer.get_by_text("Boulevard 1").is_visible()
    # axe left the footer's heading as "needs review" when it was dark on the dark footer: its
    # contrast with the footer's own background, computed here (WCAG: 4.5 for normal text).
    assert screen.evaluate(CONTRAST, "footer h2") >= 4.5
    # The longest line fits the narrowest phone: no sideways scrolling.
    assert screen.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_axe_violations(screen)
