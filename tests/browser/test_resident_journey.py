"""A new resident signs up, confirms their email, joins communities, posts, comments,
mentions, appreciates and switches to English: in a real Chromium."""

import re

import pytest
from django.core import mail

from communities.models import Community, Membership
from knowledge.models import Appreciation, Comment, Contribution
from tests.communities.factories import (
    PASSWORD,
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "mijn-eigen-wachtwoord-77"


@pytest.fixture
def world():
    library = LibraryFactory()
    theme = ThemeFactory(title="Je huis verduurzamen", slug="verduurzamen")
    open_community = CommunityFactory(
        title="Energiecoöperatie Noord",
        slug="energie-noord",
        library=library,
        visibility=Community.Visibility.OPEN,
        welcome_message="Fijn dat je er bent!",
    )
    open_community.themes.add(theme)
    on_request = CommunityFactory(
        title="Woongroep in oprichting",
        slug="woongroep",
        library=library,
        visibility=Community.Visibility.ON_REQUEST,
    )
    host = UserFactory(display_name="Henk Host", handle="henk")
    MembershipFactory(user=host, community=on_request, role=Membership.Role.HOST)
    MembershipFactory(user=host, community=open_community)
    return {"open": open_community, "on_request": on_request, "host": host, "theme": theme}


def _sign_up_and_confirm(page, *, name: str, email: str) -> None:
    page.goto("/accounts/signup/")
    page.locator("input[name=display_name]").fill(name)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("input[name=accept_terms]").check()
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    page.wait_for_load_state()
    assert len(mail.outbox) == 1, "the confirmation mail was not sent"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    page.goto(path)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def test_resident_signs_up_joins_posts_and_talks(page, world, live_server):
    _sign_up_and_confirm(page, name="Anna de Vries", email="anna@example.org")
    # Confirmed and logged in: the header offers her account menu, not the login.
    account = page.locator(".account-menu > summary")
    assert account.is_visible()
    assert "Anna de Vries" in account.inner_text()
    assert page.get_by_role("link", name="Inloggen").count() == 0

    # Join an open community directly.
    page.goto("/gemeenschappen/energie-noord/")
    page.get_by_role("button", name=re.compile("Lid worden")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Fijn dat je er bent!").is_visible()
    assert Membership.objects.get(community=world["open"], user__email="anna@example.org").is_active

    # Post a contribution with Markdown and a mention.
    page.get_by_role("link", name=re.compile("bijdrage", re.I)).first.click()
    page.get_by_label("Ervaring").check()
    page.locator("input[name=title]").fill("Ons huis met spouwmuurisolatie")
    page.locator("textarea[name=body]").fill(
        "We hebben **spouwmuurisolatie** laten doen.\n\n- scheelt gas\n- binnen een dag klaar"
        "\n\nDank aan @henk voor de tip!"
    )
    page.locator("input[name=tags]").fill("isolatie, subsidie")
    page.get_by_role("button", name="Plaatsen").click()
    page.wait_for_load_state()
    contribution = Contribution.objects.get(title="Ons huis met spouwmuurisolatie")
    assert page.url.endswith(contribution.get_absolute_url())
    body = page.locator(".contribution__body")
    assert body.locator("strong", has_text="spouwmuurisolatie").is_visible()
    assert body.locator("li", has_text="scheelt gas").is_visible()
    mention = body.locator("a.mention", has_text="@henk")
    assert mention.get_attribute("href") == "/leden/henk/"

    # Appreciate, and a second click withdraws.
    appreciate = page.locator("#waardering button")
    appreciate.click()
    page.wait_for_load_state()
    assert Appreciation.objects.filter(contribution=contribution).count() == 1
    page.locator("#waardering button").click()
    page.wait_for_load_state()
    assert Appreciation.objects.filter(contribution=contribution).count() == 0

    # Comment, mentioning someone.
    page.locator("form#reageren textarea[name=body]").fill("Vraag het ook aan @henk!")
    page.locator("form#reageren [type=submit]").click()
    page.wait_for_load_state()
    comment = Comment.objects.get(contribution=contribution)
    assert page.locator(f"#reactie-{comment.pk} a.mention").get_attribute("href") == "/leden/henk/"

    # Ask to join a community on request: the request is pending.
    page.goto("/gemeenschappen/woongroep/")
    page.get_by_role("button", name=re.compile("aan", re.I)).first.click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("wacht op goedkeuring")).is_visible()
    assert (
        Membership.objects.get(community=world["on_request"], user__email="anna@example.org").state
        == Membership.State.PENDING
    )

    # Switch to English: the same page, in English. On a phone the switch is in "Menu".
    page.locator(".site-menu > summary").click()
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/gemeenschappen/woongroep/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text(re.compile("awaiting approval", re.I)).is_visible()


def test_host_approves_a_request(page, world):
    applicant = UserFactory(display_name="Piet Pending", handle="piet")
    MembershipFactory(user=applicant, community=world["on_request"], state=Membership.State.PENDING)
    host = world["host"]
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(host.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    page.goto("/gemeenschappen/woongroep/leden/")
    page.locator("form:has(input[value=approve]) button").first.click()
    page.wait_for_load_state()
    assert Membership.objects.get(user=applicant).state == Membership.State.ACTIVE
    assert page.get_by_text(re.compile("Piet Pending is nu lid")).is_visible()
