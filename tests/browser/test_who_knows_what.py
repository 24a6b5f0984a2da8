"""In Chromium, on a phone: find someone on Wie weet wat, ask them a question in a shared
community, and read a tag page. Nothing is wider than the screen."""

import os

import pytest

from communities.models import Region
from knowledge.models import Contribution
from tests.communities.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A folder to save the phone-sized screenshots in, to look at them; none when unset.
SCREENSHOTS = os.environ.get("KC_SCREENSHOTS")


def _screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def test_find_someone_ask_them_and_read_a_tag_page(page, live_server):
    theme = ThemeFactory(title="Duurzaam wonen", slug="duurzaam-wonen")
    region = Region.objects.create(name="Drechtsteden", slug="drechtsteden")
    community = CommunityFactory(
        title="Energiecoöperatie Dordrecht", slug="energie-dordrecht", themes=[theme]
    )
    fien = UserFactory(
        display_name="Fien de Vries-Oosterhuis", handle="fien", region=region, findable=True
    )
    fien.expertise.set(["zonnepanelen", "Coöperatie", "warmtepompen en subsidies"])
    MembershipFactory(user=fien, community=community)
    MembershipFactory(user=UserFactory(findable=True, display_name="Bram"), community=community)
    asker = UserFactory(display_name="Sanne")
    MembershipFactory(user=asker, community=community)
    ContributionFactory(
        community=community,
        author=fien,
        kind=Contribution.Kind.EXPERIENCE,
        title="Zo regelden we zonnepanelen op het dak van de flat",
        tags=["zonnepanelen", "Coöperatie"],
    )

    page.goto(f"/wie-weet-wat/?thema={theme.slug}")
    assert page.get_by_role("heading", name="Fien de Vries-Oosterhuis").is_visible()
    _fits_the_screen(page)
    _screenshot(page, "who-knows-what-visitor")

    _log_in(page, asker)
    page.goto(f"/wie-weet-wat/?regio={region.slug}")
    _fits_the_screen(page)
    _screenshot(page, "who-knows-what-member")
    page.get_by_role("link", name="Stel een vraag aan Fien de Vries-Oosterhuis").click()
    page.wait_for_load_state()
    assert page.locator("textarea[name=body]").input_value() == "@fien "
    assert page.locator("input[name=kind][value=question]").is_checked()
    assert "Energiecoöperatie Dordrecht" in page.locator("main").inner_text()

    page.goto("/leden/fien/")
    page.get_by_role("link", name="Coöperatie", exact=True).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Alles over Coöperatie").is_visible()
    assert page.get_by_role("link", name="Zo regelden we zonnepanelen op het dak van de flat")
    _fits_the_screen(page)
    _screenshot(page, "tag-page")


def test_opt_in_on_the_profile_and_appear(page, live_server):
    member = UserFactory(display_name="Sanne Smit", handle="sanne")
    _log_in(page, member)

    page.goto("/instellingen/profiel/")
    opt_in = page.get_by_label("Laat anderen je vinden")
    assert not opt_in.is_checked()
    _fits_the_screen(page)
    opt_in.check()
    page.locator("input[name=expertise]").fill("moestuinieren, compost")
    _screenshot(page, "profile-opt-in")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()

    page.goto("/wie-weet-wat/?kennis=compost")
    assert page.get_by_role("heading", name="Sanne Smit").is_visible()
    assert page.get_by_text("Zo zien anderen je hier.").is_visible()
