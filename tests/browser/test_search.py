"""In Chromium, on a phone: search from the header of any page, narrow by a facet, open a hit.
Nothing is wider than the screen."""

import os

import pytest

from tests.communities.factories import CommunityFactory, ThemeFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("KC_SCREENSHOTS")


def _screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_search_from_the_header_and_open_a_hit(page, live_server):
    theme = ThemeFactory(title="Duurzaam wonen", slug="duurzaam-wonen")
    community = CommunityFactory(
        title="Energiecoöperatie Dordrecht", slug="energie-dordrecht", themes=[theme]
    )
    ContributionFactory(
        community=community,
        title="Zonnepanelen op een plat dak",
        body="Hoeveel zonnepanelen passen er op een plat dak in de binnenstad?",
        themes=[theme],
    )
    ContributionFactory(
        community=CommunityFactory(title="Tuinders Zuid"),
        title="Een moestuin naast de zonnepanelen",
        body="Schaduw van de panelen op de bedden.",
    )
    page.goto("/gemeenschappen/")
    _fits_the_screen(page)
    _screenshot(page, "search-header")
    field = page.get_by_role("search", name="Zoek in KennisCloud").get_by_label(
        "Zoek in KennisCloud"
    )
    # A word both engines find (PostgreSQL also by its stem: tests/search/test_linguistics.py),
    # so the journey holds on the embedded SQLite default too.
    field.fill("zonnepanelen")
    field.press("Enter")
    page.wait_for_url("**/zoeken/?q=zonnepanelen")
    assert "2 resultaten" in page.locator("#results-title").inner_text()
    assert page.locator(".search-hit mark").count() >= 2
    _fits_the_screen(page)
    _screenshot(page, "search-results")
    page.get_by_role("link", name="Energiecoöperatie Dordrecht (1)").click()
    page.wait_for_url("**gemeenschap=energie-dordrecht**")
    assert "1 resultaat" in page.locator("#results-title").inner_text()
    page.locator(".search-hit__title a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Zonnepanelen op een plat dak"
