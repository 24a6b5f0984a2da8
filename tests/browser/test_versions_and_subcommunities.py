"""Issue 14 in a real browser, keyboard only: an author edits a contribution, sees it marked
"bewerkt" and follows the marker to the earlier versions; a resident joins a subcommunity
from the list, where it stands under its parent. axe-core finds no WCAG 2.1 A/AA violation on
the edited contribution, the versions page, the list and the subcommunity's page."""

import re

import pytest

from communities.models import Membership
from knowledge.models import Contribution
from tests.browser.axe import assert_no_axe_violations
from tests.browser.steps import log_in, press
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_author_edits_and_reads_the_earlier_version(page, settings):
    settings.RATE_LIMITS = {}
    community = CommunityFactory(title="Energie Noord", slug="energie-noord")
    author = MembershipFactory(community=community, user__display_name="Mila Member").user
    contribution = ContributionFactory(
        community=community,
        author=author,
        title="Wie heeft een warmtepomp?",
        body="Ik twijfel tussen lucht en bodem.",
    )

    log_in(page, author)
    page.goto(f"/bijdragen/{contribution.pk}/bewerken/")
    page.locator("#id_body").fill("Ik twijfel tussen lucht en bodem, voor een huis uit 1965.")
    press(page, page.get_by_role("button", name="Wijzigingen opslaan"))
    assert Contribution.objects.get(pk=contribution.pk).edited_at is not None
    marker = page.get_by_role("link", name=re.compile(r"^bewerkt .*eerdere versies bekijken"))
    assert marker.is_visible()
    assert_no_axe_violations(page)

    press(page, marker)
    assert page.url.endswith(f"/bijdragen/{contribution.pk}/versies/")
    assert page.get_by_role("heading", name="Eerdere versies", level=1).is_visible()
    assert page.get_by_text("Ik twijfel tussen lucht en bodem.", exact=True).is_visible()
    assert_no_axe_violations(page)


def test_a_resident_joins_a_subcommunity_from_the_list(page):
    parent = CommunityFactory(title="Duurzaam Tilburg", slug="duurzaam-tilburg")
    MembershipFactory(community=parent, role=Membership.Role.HOST)
    CommunityFactory(
        title="Zonnepanelen Reeshof",
        slug="zonnepanelen-reeshof",
        parent=parent,
        library=parent.library,
    )
    resident = MembershipFactory(community=CommunityFactory()).user

    log_in(page, resident)
    page.goto("/gemeenschappen/")
    assert page.get_by_role("heading", name="Subgemeenschappen van Duurzaam Tilburg").is_visible()
    assert_no_axe_violations(page)

    press(page, page.get_by_role("link", name="Zonnepanelen Reeshof"))
    crumbs = page.get_by_role("navigation", name="Kruimelpad")
    assert crumbs.get_by_role("link", name="Duurzaam Tilburg").is_visible()
    assert page.get_by_text("wie hier lid wordt, wordt ook lid van Duurzaam Tilburg").is_visible()
    assert_no_axe_violations(page)

    press(page, page.locator("main form[action$='/lid-worden/'] [type=submit]"))
    assert page.get_by_text("en van Duurzaam Tilburg").is_visible()
    assert Membership.objects.filter(user=resident, community=parent).exists()
