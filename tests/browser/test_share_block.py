"""In Chromium: the share block of a contribution passes axe (WCAG 2.1 A/AA) on a phone, and
its copy button appears where the browser can copy, copies the address and says so."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import CommunityFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_share_block_is_accessible_and_copies_the_link(page, live_server, settings):
    settings.SITE_URL = live_server.url
    contribution = ContributionFactory(
        community=CommunityFactory(title="Energie Noord"), title="Zonnepanelen op een plat dak"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(contribution.get_absolute_url())
    share = page.locator("section.share")
    share.get_by_role("heading", name="Delen").wait_for()
    copy = share.get_by_role("button", name="Kopieer de link")
    copy.wait_for(state="visible")  # shown by static/js/share.js
    assert_no_axe_violations(page)

    copy.click()
    status = share.get_by_role("status")
    status.get_by_text("Link gekopieerd").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == live_server.url + contribution.get_absolute_url()
    assert_no_axe_violations(page)

    # The links themselves are ordinary links with their names.
    for name in ("Per e-mail", "WhatsApp", "LinkedIn"):
        assert share.get_by_role("link", name=name).count() == 1
    assert share.get_by_role("textbox", name="Op Mastodon: je server").count() == 1


def test_without_clipboard_the_button_stays_hidden(browser, live_server):
    contribution = ContributionFactory(title="Zonder klembord")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        no_js = context.new_page()
        no_js.goto(contribution.get_absolute_url())
        assert no_js.locator("section.share a").count() == 3
        assert not no_js.get_by_role("button", name="Kopieer de link").is_visible()
    finally:
        context.close()
