"""Steps several browser journeys take the same way."""

from __future__ import annotations

from tests.communities.factories import PASSWORD


def log_in(page, user) -> None:
    """Log `user` in through the site's own form, after dropping any earlier session."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def press(page, locator) -> None:
    """Enter on a focused link or button, and wait for the page it leads to."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
