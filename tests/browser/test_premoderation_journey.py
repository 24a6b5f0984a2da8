"""Pre-moderation in a real browser, keyboard only: a new member's post waits ("Wacht op
goedkeuring"), the host approves one and rejects another with a reason on the approval page
(an empty reason first: the error next to the field). axe-core finds no WCAG 2.1 A/AA
violation on the waiting post and on the approval page."""

import re

import pytest

from communities.models import Community, Membership
from knowledge.models import Contribution
from tests.browser.axe import assert_no_axe_violations
from tests.browser.steps import log_in, press
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_waiting_post_is_approved_and_another_rejected_with_the_keyboard(page, settings):
    settings.RATE_LIMITS = {}
    community = CommunityFactory(
        title="Energie Noord", slug="energie-noord", premoderation=Community.Premoderation.ALL
    )
    host = MembershipFactory(
        community=community, role=Membership.Role.HOST, user__display_name="Hanna Host"
    ).user
    member = MembershipFactory(community=community, user__display_name="Nina Nieuw").user
    spam = ContributionFactory(
        community=community,
        author=member,
        title="Koop goedkope pillen",
        status=Contribution.Status.PENDING,
    )

    log_in(page, member)
    page.goto("/bijdragen/nieuw/?gemeenschap=energie-noord")
    page.locator("#id_title").fill("Wie heeft een warmtepomp?")
    page.locator("#id_body").fill("Ik twijfel tussen lucht en bodem.")
    press(page, page.get_by_role("button", name="Plaatsen"))
    assert page.get_by_text("Je bijdrage wacht op goedkeuring").is_visible()
    assert page.get_by_text("Wacht op goedkeuring.").is_visible()
    assert_no_axe_violations(page)
    waiting = Contribution.objects.get(title="Wie heeft een warmtepomp?")
    assert waiting.status == Contribution.Status.PENDING

    log_in(page, host)
    page.goto("/gemeenschappen/energie-noord/")
    press(page, page.get_by_role("link", name=re.compile(r"^Goedkeuren")))
    assert page.url.endswith("/gemeenschappen/energie-noord/goedkeuren/")
    assert_no_axe_violations(page)

    press(
        page,
        page.get_by_role("button", name=re.compile(r"^Goedkeuren\s*:\s*Wie heeft een warmtepomp")),
    )
    assert page.get_by_text("Goedgekeurd: het staat nu online.").is_visible()
    waiting.refresh_from_db()
    assert waiting.status == Contribution.Status.PUBLISHED

    reject = page.get_by_role("button", name=re.compile(r"^Afwijzen\s*:\s*Koop goedkope pillen"))
    press(page, reject)
    reason = page.locator(f"#reden-bijdrage-{spam.pk}-reason")
    assert (
        page.locator(f"label[for=reden-bijdrage-{spam.pk}-reason]")
        .inner_text()
        .startswith("Waarom niet?")
    )
    assert "Schrijf op waarom" in page.locator(".field__errors").inner_text()
    assert reason.get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)
    reason.focus()
    page.keyboard.type("Dit is reclame.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Afgewezen. De schrijver krijgt je reden te lezen.").is_visible()
    spam.refresh_from_db()
    assert spam.status == Contribution.Status.HIDDEN
    assert page.get_by_text("Er wachten geen bijdragen.").is_visible()
