"""The posting form's formatting buttons in Chromium on a phone (issue 16): bold, list and link
wrap the selection in Markdown, by mouse and by keyboard, with focus back in the text; without
JavaScript the buttons stay hidden and the help text above the text shows what to type. axe finds
nothing on the form."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import PASSWORD, CommunityFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_form(page, membership) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(membership.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"/bijdragen/nieuw/?gemeenschap={membership.community.slug}")


def _select(page, start: int, end: int) -> None:
    script = f"(t) => {{ t.focus(); t.setSelectionRange({start}, {end}); }}"
    page.locator("#id_body").evaluate(script)


@pytest.fixture
def membership(db):
    return MembershipFactory(community=CommunityFactory(title="Repair Café Oost"))


def test_the_buttons_wrap_the_selection(page, membership):
    _open_form(page, membership)
    tools = page.get_by_role("group", name="Opmaak van je tekst")
    assert tools.is_visible()
    body = page.locator("#id_body")

    body.fill("Neem koffie mee")
    _select(page, 5, 11)
    tools.get_by_role("button", name="Vet").click()
    assert body.input_value() == "Neem **koffie** mee"
    assert page.evaluate("document.activeElement.id") == "id_body"

    body.fill("melk\nbrood")
    _select(page, 0, 10)
    tools.get_by_role("button", name="Lijstje").click()
    assert body.input_value() == "- melk\n- brood"

    body.fill("Zie de bibliotheek")
    _select(page, 7, 18)
    tools.get_by_role("button", name="Link").click()
    assert body.input_value() == "Zie de [bibliotheek](https://)"
    page.keyboard.type("bibliotheek.nl")
    assert body.input_value() == "Zie de [bibliotheek](https://bibliotheek.nl)"
    assert_no_axe_violations(page)


def test_the_buttons_work_with_the_keyboard(page, membership):
    _open_form(page, membership)
    body = page.locator("#id_body")
    body.fill("")
    body.focus()
    # From the text, Shift+Tab goes back to the last button ("Link"), then to "Lijstje".
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.format") == "list"
    page.keyboard.press("Enter")
    page.keyboard.type("melk")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.format") == "bold"
    page.keyboard.press("Space")
    page.keyboard.type("vers")
    assert body.input_value() == "- melk**vers**"


def test_without_javascript_the_help_text_does_the_job(browser, live_server, membership):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="nl-NL",
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        _open_form(page, membership)
        assert not page.locator(".markdown-toolbar").is_visible()
        help_ = page.locator("#id_body_helptext")
        assert help_.is_visible()
        assert "**vet**" in help_.inner_text()
    finally:
        context.close()
