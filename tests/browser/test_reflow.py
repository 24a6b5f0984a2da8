"""WCAG 1.4.10 Reflow: at 320 CSS px wide every form fits the screen, with no sideways
scrolling. The meetup form's programme rows once made the page 348 px wide."""

from __future__ import annotations

import pytest

from communities.models import Membership
from tests.communities.factories import PASSWORD, CommunityFactory, MembershipFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The innermost elements that stick out on the right: what makes the page too wide, not every
# container that grew around it.
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    const over = e => e.getBoundingClientRect().right > width + 1;
    return [...document.querySelectorAll('main *')]
        .filter(e => over(e) && ![...e.children].some(over))
        .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)
        .slice(0, 5);
}"""


@pytest.fixture
def narrow(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _fits(page, path: str) -> None:
    page.goto(path)
    # The elements first: they say what to fix, the page width only that something is wrong.
    assert page.evaluate(OVERFLOWING) == [], path
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_the_forms_fit_a_320_pixel_screen(narrow):
    for path in ["/accounts/signup/", "/accounts/login/"]:
        _fits(narrow, path)

    community = CommunityFactory()
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    contribution = ContributionFactory(community=community)
    narrow.goto("/accounts/login/")
    narrow.locator("input[name=login]").fill(host.email)
    narrow.locator("input[name=password]").fill(PASSWORD)
    narrow.locator("main form [type=submit]").click()
    narrow.wait_for_load_state()

    for path in [
        f"/bijeenkomsten/nieuw/?gemeenschap={community.slug}",
        "/bijeenkomsten/voorstellen/nieuw/",
        "/bijdragen/nieuw/",
        f"/bijdragen/nieuw/?gemeenschap={community.slug}",
        f"/bijdragen/{contribution.pk}/bewerken/",
        "/instellingen/profiel/",
        "/instellingen/",
        contribution.get_absolute_url(),
    ]:
        _fits(narrow, path)
