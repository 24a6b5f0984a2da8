"""The header on a phone (issue 16): at 390 and 320 CSS px wide, logged in or not, it takes at
most two rows (the name, the notifications bell and "Menu"; then the search field), so the
title of a page shows without scrolling. The main navigation, the account links and the
language switch sit behind "Menu", a <details> disclosure that works without JavaScript.
axe finds nothing with the menu closed or open. On a wide screen the navigation shows as a
bar, without a menu button."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from communities.models import Membership
from notifications.models import Notification
from tests.browser.axe import assert_no_axe_violations
from tests.browser.site import site_from_migrations
from tests.communities.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    UserFactory,
)
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two rows of 44 px tap targets with the gaps and the header's border: 8 + 44 + 8 + 44 + 8 + 4.
TWO_ROWS_PX = 120
SCREENSHOTS = Path(os.environ.get("KC_SCREENSHOTS", "/tmp"))

# Whether the focused element shows a focus ring: an outline or the halo (box-shadow).
FOCUS_RING = """() => {
    const style = getComputedStyle(document.activeElement);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
        || style.boxShadow !== 'none';
}"""


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"kc_header_{name}.png"))


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def _focused_text(page) -> str:
    return page.evaluate(
        "() => (document.activeElement.innerText || document.activeElement.value || '')"
        ".replace(/\\s+/g, ' ').trim()"
    )


def _tab_to(page, name: str, *, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused_text(page).startswith(name):
            return
    raise AssertionError(f"{name!r} not reached with Tab on {page.url}")


def _member_with_news() -> tuple:
    """A member with a long name, host of a community (so the moderation link shows) and
    twelve unread notifications: the widest the first row gets."""
    community = CommunityFactory(title="Repair Café Oost")
    member = UserFactory(display_name="Marieke van den Broek-Hoogeveen")
    MembershipFactory(user=member, community=community, role=Membership.Role.HOST)
    Notification.objects.bulk_create(
        Notification(
            recipient=member,
            kind=Notification.Kind.NEW_CONTRIBUTION,
            contribution=ContributionFactory(community=community),
            title=f"Bijdrage {number}",
            url="/",
        )
        for number in range(12)
    )
    return member, community


@pytest.fixture
def screen(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_the_phone_header_takes_two_rows_at_most(screen, logged_in):
    site_from_migrations()
    member, community = _member_with_news()
    contribution = ContributionFactory(
        community=community, title="Hoe isoleer ik een kruipruimte onder een oud huis?"
    )
    if logged_in:
        _log_in(screen, member)
    who = "member" if logged_in else "anonymous"
    heights = {}
    for width in (390, 320):
        screen.set_viewport_size({"width": width, "height": 844})
        for name, path in [("home", "/"), ("contribution", contribution.get_absolute_url())]:
            screen.goto(path)
            heights[(width, name)] = _header_height(screen)
            _shot(screen, f"{who}_{width}_{name}")
            assert screen.evaluate("document.documentElement.scrollWidth") <= width
            # Search on the second row; the navigation waits behind "Menu".
            assert screen.locator("#site-search-q").is_visible()
            assert screen.locator(".site-menu > summary").is_visible()
            header = screen.locator(".site-header")
            assert not header.get_by_role("link", name="Gemeenschappen", exact=True).is_visible()
        if logged_in:
            assert screen.locator(".bell .bell__count").inner_text() == "12"
    print(f"header height ({who}): {heights}")
    assert all(height <= TWO_ROWS_PX for height in heights.values()), heights
    # The title of the contribution starts in the first screen, well above the fold.
    assert screen.locator("h1").bounding_box()["y"] < 844 / 2


def test_the_menu_opens_with_the_keyboard(screen):
    member, _ = _member_with_news()
    _log_in(screen, member)
    screen.set_viewport_size({"width": 390, "height": 844})
    screen.goto("/gemeenschappen/")
    assert_no_axe_violations(screen)

    _tab_to(screen, "Menu")
    assert screen.evaluate(FOCUS_RING), "the focused menu button shows no focus ring"
    screen.keyboard.press("Enter")
    menu = screen.locator(".site-menu__panel")
    assert menu.is_visible()
    # One press opens everything: the navigation, the account (laid open) and the languages.
    for link in ["Thema's", "Bijeenkomsten", "Moderatie", "Instellingen", "English"]:
        assert menu.get_by_role("link", name=link).first.is_visible(), link
    assert menu.get_by_role("button", name="Uitloggen").is_visible()
    assert "Marieke van den Broek-Hoogeveen" in menu.inner_text()
    _shot(screen, "member_390_menu_open")
    assert_no_axe_violations(screen)

    _tab_to(screen, "Gemeenschappen")
    assert screen.evaluate(FOCUS_RING), "the focused menu link shows no focus ring"
    with screen.expect_navigation():
        screen.keyboard.press("Enter")
    assert screen.url.endswith("/gemeenschappen/")

    # Shift+Tab back to "Menu" and Enter closes it again.
    screen.goto("/gemeenschappen/")
    _tab_to(screen, "Menu")
    screen.keyboard.press("Enter")
    assert menu.is_visible()
    screen.keyboard.press("Enter")
    assert not menu.is_visible()


def test_the_menu_works_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 320, "height": 640},
        locale="nl-NL",
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        CommunityFactory(title="Repair Café Oost")
        page.goto("/gemeenschappen/")
        page.locator(".site-menu > summary").click()
        page.get_by_role("link", name="Inloggen").click()
        page.wait_for_load_state()
        assert "/accounts/login/" in page.url
    finally:
        context.close()


def test_a_wide_screen_shows_the_navigation_as_a_bar(screen):
    member, _ = _member_with_news()
    _log_in(screen, member)
    screen.set_viewport_size({"width": 1280, "height": 900})
    screen.goto("/gemeenschappen/")
    _shot(screen, "member_1280")
    assert not screen.locator(".site-menu > summary").is_visible()
    header = screen.locator(".site-header")
    for link in ["Thema's", "Gemeenschappen", "Wie weet wat", "Moderatie", "English"]:
        assert header.get_by_role("link", name=link).first.is_visible(), link
    assert header.locator(".bell").inner_text().startswith("Meldingen")
    # The account links stay in their own disclosure under the member's name.
    assert not header.get_by_role("link", name="Instellingen").is_visible()
    header.locator(".member-menu > summary").click()
    assert header.get_by_role("link", name="Instellingen").is_visible()
    assert_no_axe_violations(screen)
