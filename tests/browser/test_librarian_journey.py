"""Librarians in the Wagtail admin, in a real Chromium: one writes an article and sends it for
review, a second approves it, and it shows on the theme's dossier and the home page. And a
librarian features a resident's contribution on a dossier."""

import os
import re
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from communities.selectors import LIBRARIAN_GROUP
from knowledge.models import ArticleIndexPage, ArticlePage, HomePage, ThemeDossier
from tests.browser.site import site_from_migrations
from tests.communities.factories import PASSWORD, CommunityFactory, ThemeFactory, UserFactory
from tests.knowledge.factories import ContributionFactory, dossier_create
from tests.mfa import totp_add, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Wat we leerden in het energiecafé"
# A folder to save screenshots of the admin screens in, to look at them; none when unset.
SCREENSHOTS = os.environ.get("KC_SCREENSHOTS")


@pytest.fixture
def desk(browser, live_server, settings):
    """The admin on a desk-sized screen. Without autosave: its background requests race the
    clicks of a test (a person never clicks within half a second of typing)."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def second_desk(browser, live_server, desk):
    """A second librarian's desk: a browser context of its own, so its own session."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def _site_from_migrations():
    """Browser tests run in transactions that are flushed afterwards, data migrations and all;
    run the data steps again (each is idempotent) so this test does not depend on the order."""
    site_from_migrations()


@pytest.fixture
def librarians():
    group = Group.objects.get(name=LIBRARIAN_GROUP)
    first = UserFactory(display_name="Lotte Eerste", email="lotte@example.org")
    second = UserFactory(display_name="Sam Tweede", email="sam@example.org")
    for user in (first, second):
        user.groups.add(group)
        totp_add(user)
    return first, second


@pytest.fixture
def theme():
    theme = ThemeFactory(title="Je huis verduurzamen", slug="verduurzamen")
    dossier_create(theme)
    home = HomePage.objects.get()
    home.body = [{"type": "latest_articles", "value": {"heading": "Artikelen", "limit": 3}}]
    home.save_revision().publish()
    return theme


def _eventually(check, seconds: float = 10) -> bool:
    """The browser's request runs in the live server's thread; wait for it to land."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def _log_in(page, user) -> None:
    """The admin sends them to the site's login: password, then the code of their app."""
    page.context.clear_cookies()
    page.goto("/cms/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/cms/")


def _write_rich_text(page, field: str, text: str) -> None:
    """Type into the first rich-text block of a StreamField, as a person would, and wait until
    Draftail has written it into the hidden input the form posts (it does so a moment after
    the last key press; a click on "submit" before that would post an empty block)."""
    editor = page.locator(f"[data-contentpath={field}] [contenteditable=true]").first
    expect(editor).to_be_visible()
    editor.click()
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    hidden = page.locator(f"input[name='{field}-0-value']")
    expect(hidden).to_have_value(re.compile(re.escape(text.split()[-1])))


def _screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        page.wait_for_timeout(500)  # Let menus finish opening.
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _open_actions_menu(page) -> None:
    """The footer's arrow next to the main button shows the other actions."""
    page.locator("footer .w-dropdown__toggle").first.click()


def test_article_is_written_reviewed_and_approved(desk, second_desk, page, librarians, theme):
    """`desk` and `second_desk` are two librarians at their own computers; `page` is a
    resident on a phone, never logged in."""
    first, second = librarians
    index = ArticleIndexPage.objects.get()
    text = "Begin bij de kieren, dan de spouwmuur."

    # The first librarian writes the article and sends it for review.
    _log_in(desk, first)
    desk.goto(f"/cms/pages/add/knowledge/articlepage/{index.pk}/")
    desk.locator("#id_title").fill(TITLE)
    desk.get_by_role("textbox", name="Samenvatting").fill(
        "Wat bewoners elkaar aanraden over isoleren."
    )
    desk.get_by_role("textbox", name="Auteur").fill("Lotte Eerste")
    desk.get_by_label(theme.title).check()
    desk.locator("[data-contentpath=body] button[title='Blok invoegen']").first.click()
    desk.get_by_role("option", name="Tekst", exact=True).click()
    _write_rich_text(desk, "body", text)
    _screenshot(desk, "librarian-edit")
    _open_actions_menu(desk)
    _screenshot(desk, "librarian-edit-actions")
    desk.locator("button[name=action-submit]").click()
    expect(desk.locator(".messages .success")).to_be_visible()

    article = ArticlePage.objects.get(title=TITLE)
    state = article.current_workflow_state
    assert state is not None and state.requested_by == first
    assert not article.live
    assert text in str(article.get_latest_revision_as_object().body)

    # The public does not see it yet.
    page.goto(f"/themas/{theme.slug}/")
    expect(page.locator("main")).not_to_contain_text(TITLE)
    assert page.goto(article.url).status == 404

    # The first librarian cannot approve their own article.
    desk.goto(f"/cms/pages/{article.pk}/edit/")
    _open_actions_menu(desk)
    expect(desk.locator("[data-workflow-action-name=approve]")).to_have_count(0)

    # The second librarian finds it waiting on the dashboard, opens it and approves it.
    _log_in(second_desk, second)
    waiting = second_desk.get_by_role("link", name=TITLE).first
    expect(waiting).to_be_visible()
    _screenshot(second_desk, "librarian-dashboard-review")
    waiting.click()
    second_desk.wait_for_url(f"**/cms/pages/{article.pk}/edit/")
    expect(second_desk.locator("#id_title")).to_have_value(TITLE)
    _open_actions_menu(second_desk)
    approve = second_desk.locator("[data-workflow-action-name=approve]").first
    expect(approve).to_be_visible()
    _screenshot(second_desk, "librarian-approve")
    approve.click()
    expect(second_desk.locator(".messages .success")).to_be_visible()

    article.refresh_from_db()
    assert article.live

    # The resident now finds it on the theme's dossier and on the home page.
    page.goto(f"/themas/{theme.slug}/")
    expect(page.locator("main")).to_contain_text(TITLE)
    page.goto("/")
    expect(page.locator("main")).to_contain_text(TITLE)
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator("main")).to_contain_text("spouwmuur")


def test_librarian_features_a_residents_contribution(desk, live_server, librarians, theme):
    first, second = librarians
    contribution = ContributionFactory(
        community=CommunityFactory(themes=[theme]),
        title="Zo isoleerde ik mijn spouwmuur",
        themes=[theme],
    )
    dossier = ThemeDossier.objects.get(theme=theme)

    _log_in(desk, first)
    desk.goto(f"/cms/snippets/knowledge/themedossier/edit/{dossier.pk}/")
    desk.locator("#id_picks-ADD").click()
    desk.locator("[data-chooser-action-choose]").last.click()
    desk.get_by_role("link", name=contribution.title).click()
    desk.locator("#id_mark_reviewed").check()
    desk.locator("footer .w-dropdown__toggle").first.click()
    desk.locator("button[name=action-submit]").click()
    assert _eventually(lambda: ThemeDossier.objects.get(pk=dossier.pk).current_workflow_state)

    dossier.refresh_from_db()
    state = dossier.current_workflow_state
    assert state.requested_by == first
    # A second librarian approves (shown in the browser in the test above).
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(task_state, second, "approve")

    desk.context.clear_cookies()
    desk.goto(f"/themas/{theme.slug}/")
    text = desk.locator("main").inner_text()
    assert "Gecontroleerd door de bibliotheek" in text
    assert contribution.title in text
    assert "Lotte Eerste" in text  # Last reviewed by.
    desk.goto(contribution.get_absolute_url())
    assert "Gecontroleerd door de bibliotheek" in desk.locator("main").inner_text()


def test_a_new_librarian_sets_up_two_factor_authentication(desk, live_server):
    """A librarian without an authenticator app opens the admin: the site explains, asks for
    the password once more, shows the QR code and its key, takes a code and the recovery
    codes are shown, with the way on to the admin."""
    librarian = UserFactory(display_name="Noor Nieuw", email="noor@example.org")
    librarian.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))

    desk.goto("/cms/")
    desk.locator("input[name=login]").fill(librarian.email)
    desk.locator("input[name=password]").fill(PASSWORD)
    desk.locator("main form [type=submit]").click()

    # Back at the admin's door: first the password once more, then the app.
    expect(desk.get_by_text("Het beheer is beveiligd met tweestapsverificatie.")).to_be_visible()
    desk.get_by_label("Wachtwoord").fill(PASSWORD)
    desk.get_by_role("button", name="Verder").click()
    desk.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(desk.get_by_role("heading", name="Authenticator-app instellen")).to_be_visible()
    expect(desk.locator(".totp-qr svg")).to_be_visible()
    _screenshot(desk, "mfa_setup")

    desk.get_by_label("Code uit de app").fill("000000")
    desk.get_by_role("button", name="Instellen").click()
    expect(desk.get_by_text("Ongeldige code.")).to_be_visible()

    secret = desk.locator("#authenticator_secret").input_value()
    desk.get_by_label("Code uit de app").fill(totp_code(secret))
    desk.get_by_role("button", name="Instellen").click()
    desk.wait_for_url("**/accounts/2fa/recovery-codes/")
    codes = desk.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    _screenshot(desk, "mfa_recovery_codes")

    desk.get_by_role("link", name="Naar het beheer").click()
    desk.wait_for_url("**/cms/")
    expect(desk.get_by_role("heading", name=re.compile("Noor Nieuw"))).to_be_visible()


def test_librarian_starts_from_what_is_new_and_decides_a_request(desk, librarians, clock):
    """The admin home opens with 'Nieuw deze week': the waiting request links to where it is
    decided, the new contribution and the comment's text are there. Then the dashboard for a
    chosen range: a range the wrong way round is explained at the field. The clock stands
    still (at the real moment), so 'today' is the same day for the test and the server."""
    from communities.models import Library, Membership
    from tests.browser.axe import assert_no_axe_violations
    from tests.communities.factories import MembershipFactory
    from tests.knowledge.factories import CommentFactory

    first, _second = librarians
    library = Library.objects.create(name="Bibliotheek Noord", slug="noord")
    library.librarians.add(first)
    community = CommunityFactory(title="Energiecafé Noord", library=library)
    asking = MembershipFactory(
        community=community, user=UserFactory(display_name="Vera Vraagt"), pending=True
    )
    post = ContributionFactory(community=community, title="Wie heeft er een warmtepomp?")
    CommentFactory(contribution=post, body="Wij sinds vorig jaar: **erg** tevreden.")

    _log_in(desk, first)
    news = desk.locator("#week-news-section")
    expect(news).to_be_visible()
    first_panel = desk.locator("section.w-panel").first
    expect(first_panel).to_have_attribute("id", "week-news-section")
    expect(news).to_contain_text("Vera Vraagt wil lid worden van Energiecafé Noord")
    expect(news).to_contain_text("Wie heeft er een warmtepomp?")
    expect(news).to_contain_text("Wij sinds vorig jaar: erg tevreden.")
    assert_no_axe_violations(desk, context="#week-news-section")
    _screenshot(desk, "librarian-admin-home")

    news.get_by_role("link", name="Goedkeuren of afwijzen (aanvraag van Vera Vraagt)").click()
    desk.wait_for_url(f"**/cms/snippets/communities/membership/edit/{asking.pk}/")
    desk.locator("#id_state").select_option(Membership.State.ACTIVE)
    desk.get_by_role("button", name="Opslaan").first.click()
    expect(desk.locator(".messages .success")).to_be_visible()
    assert _eventually(
        lambda: Membership.objects.get(pk=asking.pk).state == Membership.State.ACTIVE
    )

    # Help leads to the Dutch guide.
    desk.goto("/cms/")
    desk.get_by_role("link", name="Handleiding voor bibliothecarissen").click()
    desk.wait_for_url("**/cms/hulp/")
    expect(desk.get_by_role("heading", name="Meldingen beoordelen")).to_be_visible()
    assert_no_axe_violations(desk, context=".help-page")
    _screenshot(desk, "librarian-help")

    # The dashboard for a range: first the wrong way round, then right.
    today = clock.now().astimezone(ZoneInfo("Europe/Amsterdam")).date()
    earlier = today - timedelta(days=13)
    desk.goto("/cms/activiteit/")
    desk.get_by_label("Vanaf", exact=True).fill(today.isoformat())
    desk.get_by_label("Tot en met").fill(earlier.isoformat())
    desk.get_by_role("button", name="Toon deze periode").click()
    until = desk.get_by_label("Tot en met")
    expect(until).to_have_attribute("aria-invalid", "true")
    expect(desk.locator("#id_tot_error")).to_have_text("De laatste dag ligt vóór de eerste dag.")
    _screenshot(desk, "librarian-dashboard-range-error")

    desk.get_by_label("Vanaf", exact=True).fill(earlier.isoformat())
    until.fill(today.isoformat())
    desk.get_by_role("button", name="Toon deze periode").click()
    expect(desk.get_by_role("heading", name=re.compile(r"\(14 dagen\)"))).to_be_visible()
    csv_link = desk.get_by_role("link", name=re.compile("Download de cijfers van"))
    expect(csv_link).to_have_attribute(
        "href", f"/cms/activiteit/export.csv?van={earlier.isoformat()}&tot={today.isoformat()}"
    )
    assert_no_axe_violations(desk, context="main form")
    _screenshot(desk, "librarian-dashboard-range")
