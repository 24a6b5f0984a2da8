"""Issue 16 in a real Chromium on a phone: a visitor signs up from a community page and comes
back to it ready to join; leaving, withdrawing a comment and declining a request each ask
first on a page of their own; the posting form's "Opmaak" opens under the text; a featured
contribution leads the community page and the home. axe finds nothing on the new pages."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from wagtail.models import Locale, Page, Site

from communities.models import Community, Membership
from knowledge.models import Comment, HomePage
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    UserFactory,
)
from tests.knowledge.factories import CommentFactory, ContributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "mijn-eigen-wachtwoord-77"
# Phone-sized screenshots to look at by eye.
SCREENSHOTS = Path(os.environ.get("KC_SCREENSHOTS", "/tmp"))


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"kc_res_{name}.png"), full_page=True)


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _home_page() -> HomePage:
    """The home page. Its migration made it, but an earlier transactional test's flush empties
    Wagtail's tree; then it is planted again as the migration did."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Kennis delen in je buurt", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


@pytest.fixture
def repair_cafe(db):
    community = CommunityFactory(
        title="Repair Café Oost", slug="repair-oost", visibility=Community.Visibility.OPEN
    )
    MembershipFactory(community=community, host=True)
    return community


def test_sign_up_from_a_community_page_and_come_back_to_join(page, repair_cafe):
    page.goto("/gemeenschappen/repair-oost/")
    page.locator("#join-title").locator("..").get_by_role("link", name="Registreren").click()
    page.wait_for_load_state()
    assert "next=" in page.url

    page.locator("input[name=display_name]").fill("Anna de Vries")
    page.locator("input[name=email]").fill("anna@example.org")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    consent = page.locator("input[name=accept_terms]")
    if consent.count():  # the consent tick (privacy), where the sign-up form asks it
        consent.check()
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    page.wait_for_load_state()
    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body)
    page.goto(re.sub(r"^https?://[^/]+", "", link.group(0)))
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()

    assert page.url.endswith("/gemeenschappen/repair-oost/")
    join = page.get_by_role("button", name="Lid worden")
    assert join.is_visible()
    _shot(page, "back_on_the_community")
    join.click()
    page.wait_for_load_state()
    assert Membership.objects.get(user__email="anna@example.org", community=repair_cafe).is_active


def test_leaving_asks_first(page, repair_cafe):
    member = UserFactory(display_name="Mila")
    MembershipFactory(community=repair_cafe, user=member)
    _log_in(page, member)

    page.goto("/gemeenschappen/repair-oost/")
    page.get_by_role("link", name="Gemeenschap verlaten").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Repair Café Oost verlaten").is_visible()
    assert Membership.objects.filter(user=member, community=repair_cafe).exists()
    _shot(page, "leave_confirm")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Annuleren").click()
    page.wait_for_load_state()
    assert Membership.objects.filter(user=member, community=repair_cafe).exists()

    page.get_by_role("link", name="Gemeenschap verlaten").click()
    page.get_by_role("button", name="Ja, verlaat de gemeenschap").click()
    page.wait_for_load_state()
    assert page.get_by_text("Je bent geen lid meer van Repair Café Oost.").is_visible()
    assert not Membership.objects.filter(user=member, community=repair_cafe).exists()


def test_withdrawing_a_comment_asks_first(page, repair_cafe):
    member = UserFactory(display_name="Mila")
    MembershipFactory(community=repair_cafe, user=member)
    contribution = ContributionFactory(community=repair_cafe, title="Mijn föhn doet het niet")
    comment = CommentFactory(contribution=contribution, author=member, body="Verkeerde draad")
    _log_in(page, member)

    page.goto(contribution.get_absolute_url())
    page.locator(f"#reactie-{comment.pk}").get_by_role("link", name="Verwijderen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Verkeerde draad").is_visible()
    assert not Comment.objects.get(pk=comment.pk).is_deleted
    _shot(page, "comment_delete_confirm")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Ja, verwijder mijn reactie").click()
    page.wait_for_load_state()
    assert page.get_by_text("Deze reactie is verwijderd.").is_visible()
    assert Comment.objects.get(pk=comment.pk).is_deleted


def test_declining_a_request_asks_first(page, repair_cafe):
    repair_cafe.visibility = Community.Visibility.ON_REQUEST
    repair_cafe.save()
    host = repair_cafe.memberships.get(role=Membership.Role.HOST).user
    applicant = UserFactory(display_name="Piet")
    pending = MembershipFactory(community=repair_cafe, user=applicant, pending=True)
    _log_in(page, host)

    page.goto("/gemeenschappen/repair-oost/leden/")
    page.get_by_role("link", name=re.compile(r"^Afwijzen\s*:\s*Piet")).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Aanvraag van Piet afwijzen").is_visible()
    assert Membership.objects.filter(pk=pending.pk).exists()
    _shot(page, "decline_confirm")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Ja, aanvraag afwijzen").click()
    page.wait_for_load_state()
    assert page.get_by_text("De aanvraag is afgewezen.").is_visible()
    assert not Membership.objects.filter(pk=pending.pk).exists()


def test_opmaak_opens_under_the_text_before_the_button(page, repair_cafe):
    member = UserFactory(display_name="Mila")
    MembershipFactory(community=repair_cafe, user=member)
    _log_in(page, member)

    page.goto("/bijdragen/nieuw/?gemeenschap=repair-oost")
    examples = page.locator("#opmaak-voorbeelden")
    assert not examples.is_visible()
    page.get_by_text("Opmaak", exact=True).click()
    assert examples.is_visible()
    help_box = examples.bounding_box()
    text_box = page.locator("textarea[name=body]").bounding_box()
    button_box = page.get_by_role("button", name="Plaatsen").bounding_box()
    assert text_box["y"] < help_box["y"] < button_box["y"]
    _shot(page, "opmaak_open")
    assert_no_axe_violations(page)


def test_featured_contribution_leads_with_its_label(page, repair_cafe):
    ContributionFactory(community=repair_cafe, title="Gewone vraag van gisteren")
    ContributionFactory(community=repair_cafe, title="Onze beste reparatietips", featured=True)

    page.goto("/gemeenschappen/repair-oost/")
    first = page.locator(".contribution-card").first
    assert "Onze beste reparatietips" in first.inner_text()
    assert first.get_by_text("Uitgelicht").is_visible()
    assert_no_axe_violations(page)

    page.goto(_home_page().url)
    featured = page.locator("section[aria-labelledby=featured-contributions-title]")
    assert featured.get_by_text("Onze beste reparatietips").is_visible()
    assert featured.get_by_text("Uitgelicht").first.is_visible()
    _shot(page, "home_featured")
    assert_no_axe_violations(page)
