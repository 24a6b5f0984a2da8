"""axe-core finds no WCAG 2.1 A/AA violation on the search and discovery pages, on a phone and
on a desktop: results with facets and pagination, "Bedoelde je …?", the header field with its
suggestion listbox open, Wie weet wat, a tag page and a member's personal home."""

import pytest

from communities.models import Region
from search.typos import search_terms_refresh
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=request.param, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def corpus():
    """Enough hits for two pages, over two communities, themes and regions; a member who opted
    in to Wie weet wat; the typo word list built."""
    theme = ThemeFactory(title="Duurzaam wonen", slug="duurzaam-wonen")
    region = Region.objects.create(name="Drechtsteden", slug="drechtsteden")
    energy = CommunityFactory(
        title="Energiecoöperatie Dordrecht", slug="energie-dordrecht", themes=[theme]
    )
    gardens = CommunityFactory(title="Tuinders Zuid", slug="tuinders-zuid", region=region)
    fien = UserFactory(display_name="Fien de Vries", handle="fien", region=region, findable=True)
    fien.expertise.set(["zonnepanelen", "Coöperatie"])
    MembershipFactory(user=fien, community=energy)
    for n in range(23):
        ContributionFactory(
            community=energy if n % 2 else gardens,
            author=fien,
            title=f"Zonnepanelen op dak nummer {n}",
            body="Hoeveel zonnepanelen passen er op een plat dak in de binnenstad?",
            themes=[theme] if n % 3 else [],
            tags=["zonnepanelen"],
        )
    MeetupFactory(community=energy, title="Zonnepanelenavond", description="Uitleg.")
    search_terms_refresh()
    return {"member": fien, "community": energy}


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def test_the_helper_sees_a_violation(page):
    page.set_content('<html lang="nl"><title>t</title><main><img src="x.png"></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_axe_violations(page)


def test_results_with_facets_and_pagination(screen, corpus):
    screen.goto("/zoeken/?q=zonnepanelen")
    assert "25 resultaten" in screen.locator("#results-title").inner_text()
    assert screen.get_by_role("navigation", name="Paginering").is_visible()
    assert screen.get_by_role("complementary", name="Verfijn").is_visible()
    assert_no_axe_violations(screen)

    screen.get_by_role("link", name="Volgende").click()
    screen.wait_for_url("**pagina=2**")
    assert_no_axe_violations(screen)

    screen.goto("/zoeken/?q=zonnepanelen&gemeenschap=energie-dordrecht&volgorde=nieuwste")
    assert screen.get_by_role("link", name="Wis de filters").is_visible()
    assert_no_axe_violations(screen)

    screen.goto("/en/zoeken/?q=zonnepanelen")  # the English interface, same results
    assert screen.locator("html").get_attribute("lang") == "en"
    assert_no_axe_violations(screen)


def test_did_you_mean_and_nothing_found(screen, corpus):
    screen.goto("/zoeken/?q=zonnepanleen")
    assert screen.locator(".search-did-you-mean").is_visible()
    assert_no_axe_violations(screen)

    screen.goto("/zoeken/?q=qwxzyv")
    assert "Niets gevonden" in screen.locator("#results-title").inner_text()
    assert_no_axe_violations(screen)

    screen.goto("/zoeken/")
    assert_no_axe_violations(screen)


def test_suggestion_listbox_open_on_the_results_page(screen, corpus):
    screen.goto("/zoeken/?q=zonnepanelen")
    field = screen.get_by_role("combobox", name="Zoek in KennisCloud")
    if not field.is_visible():  # on a phone the header field may sit behind the menu button
        screen.get_by_role("button", name="Menu").click()
    field.fill("")  # it holds the query of the page
    field.press_sequentially("zonnep", delay=40)
    screen.get_by_role("listbox", name="Suggesties").get_by_role("option").first.wait_for()
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant")
    assert_no_axe_violations(screen)

    field.fill("")
    field.press_sequentially("qwxzyv", delay=40)
    screen.wait_for_timeout(500)  # the debounced request answers with nothing
    assert_no_axe_violations(screen)


def test_who_knows_what_tag_page_and_personal_home(screen, corpus):
    screen.goto("/wie-weet-wat/")
    assert screen.get_by_role("heading", name="Fien de Vries").is_visible()
    assert_no_axe_violations(screen)

    screen.goto("/tags/zonnepanelen/")
    assert_no_axe_violations(screen)

    _log_in(screen, corpus["member"])
    screen.goto("/wie-weet-wat/?thema=duurzaam-wonen")
    assert_no_axe_violations(screen)
    screen.goto("/")
    assert_no_axe_violations(screen)
