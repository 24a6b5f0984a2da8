"""In Chromium, on a phone: the header field suggests while typing (the ARIA combobox pattern),
the keyboard picks a suggestion, and the page has no CSP violation on the way."""

import os

import pytest

from tests.communities.factories import CommunityFactory
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("KC_SCREENSHOTS")

_LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""


@pytest.fixture
def watched(page):
    page.context.add_init_script(_LISTEN)
    page.csp_console = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.csp_console.append(m.text),
    )
    return page


def _violations(page) -> list[str]:
    return page.csp_console + page.evaluate("window.__violations")


def test_type_pick_a_suggestion_with_the_keyboard_and_land_on_it(watched, live_server):
    page = watched
    community = CommunityFactory(title="Energiecoöperatie Dordrecht")
    ContributionFactory(community=community, title="Zonnepanelen op een oud dak")
    wanted = ContributionFactory(community=community, title="Zonnepanelen op een plat dak")
    MeetupFactory(community=community, title="Zonnepanelenavond", description="Uitleg.")
    page.goto("/gemeenschappen/")
    field = page.get_by_role("combobox", name="Zoek in KennisCloud")
    assert field.get_attribute("aria-expanded") == "false"
    listbox_id = field.get_attribute("aria-controls")

    field.press_sequentially("zonnep", delay=40)
    listbox = page.get_by_role("listbox", name="Suggesties")
    listbox.get_by_role("option").first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("id") == listbox_id
    options = listbox.get_by_role("option")
    # Newest first within a kind, contributions before meetups.
    assert options.all_inner_texts() == [
        "Zonnepanelen op een plat dak",
        "Zonnepanelen op een oud dak",
        "Zonnepanelenavond",
    ]
    assert page.get_by_role("group", name="Bijdragen").get_by_role("option").count() == 2
    assert (
        page.locator("#site-search-q-status").inner_text()
        == "3 suggesties, kies met pijltje omlaag."
    )
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/search-suggestions.png")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    field.press("ArrowDown")
    first = options.first
    assert field.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "site-search-q"  # focus stays
    field.press("ArrowUp")  # wraps to the last one
    assert field.get_attribute("aria-activedescendant") == options.last.get_attribute("id")
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert listbox.is_hidden()
    assert field.get_attribute("aria-activedescendant") is None

    field.press("ArrowDown")  # opens again on the first option
    assert field.get_attribute("aria-expanded") == "true"
    field.press("Enter")
    page.wait_for_url(f"**{wanted.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Zonnepanelen op een plat dak"
    assert _violations(page) == []


def test_enter_without_a_chosen_suggestion_still_searches(watched, live_server):
    page = watched
    ContributionFactory(title="Moestuin in de wijk")
    page.goto("/gemeenschappen/")
    field = page.get_by_role("combobox", name="Zoek in KennisCloud")
    field.press_sequentially("moestuin", delay=40)
    page.get_by_role("option", name="Moestuin in de wijk").wait_for()
    field.press("Enter")
    page.wait_for_url("**/zoeken/?q=moestuin")
    assert "1 resultaat" in page.locator("#results-title").inner_text()
    assert _violations(page) == []
