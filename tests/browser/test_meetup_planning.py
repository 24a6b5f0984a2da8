"""A member proposes a meetup, the host approves it, completes it with a programme (after a
mistake that shows at the field), publishes it, and finds it in the filtered agenda; then
cancels it with a note. In a real Chromium, on a phone-sized screen, without JavaScript."""

import os
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from communities.models import Community, Membership
from meetups.models import Meetup, Session
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.meetups.factories import RsvpFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMAT = "%Y-%m-%dT%H:%M"
SCREENSHOTS = os.environ.get("KC_SCREENSHOTS")  # a folder, to look at the pages by eye


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _log_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _at(days, hour):
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0).strftime(FORMAT)


@pytest.fixture
def world():
    theme = ThemeFactory(title="Je huis verduurzamen", slug="verduurzamen")
    community = CommunityFactory(
        title="Energiecoöperatie Noord", slug="energie-noord", visibility=Community.Visibility.OPEN
    )
    community.themes.add(theme)
    host = UserFactory(display_name="Henk Host", handle="henk")
    MembershipFactory(user=host, community=community, role=Membership.Role.HOST)
    member = UserFactory(display_name="Mila Member", handle="mila")
    MembershipFactory(user=member, community=community)
    return {"community": community, "host": host, "member": member, "theme": theme}


def test_from_proposal_to_agenda_to_cancellation(page, world):
    member, host = world["member"], world["host"]

    # A member proposes a meetup from the community page.
    _log_in(page, member)
    page.goto("/gemeenschappen/energie-noord/")
    page.get_by_role("link", name="Stel een bijeenkomst voor").click()
    page.get_by_label("Waar gaat de bijeenkomst over?").fill("Netwerkdag warmtepompen")
    page.get_by_label("Wat wil je doen, en voor wie?").fill("Buren vertellen over hun pomp.")
    page.get_by_label("Begint om").fill(_at(12, 10))
    page.get_by_label("Eindigt om").fill(_at(12, 16))
    _shot(page, "proposal_form")
    page.get_by_role("button", name="Voorstel versturen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Bedankt voor je voorstel!").is_visible()
    proposal = Meetup.objects.get(status=Meetup.Status.PROPOSED)
    # The host hears of it by mail (issue 16).
    assert [m.to for m in mail.outbox] == [[host.email]]
    assert f"/bijeenkomsten/{proposal.pk}/" in mail.outbox[0].body

    # Until it is decided, the member can still change it.
    page.get_by_role("link", name="Voorstel wijzigen").click()
    assert_no_axe_violations(page)
    page.get_by_label("Waar gaat de bijeenkomst over?").fill("Netwerkdag warmtepompen en isolatie")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Je voorstel is gewijzigd.").is_visible()
    proposal.refresh_from_db()
    assert proposal.title == "Netwerkdag warmtepompen en isolatie"
    proposal.title = "Netwerkdag warmtepompen"
    proposal.save(update_fields=["title"])

    # The host sees it waiting on the community page and approves it as a draft.
    _log_in(page, host)
    page.goto("/gemeenschappen/energie-noord/")
    page.get_by_role("link", name=re.compile("wacht op je besluit")).click()
    _shot(page, "proposals")
    page.get_by_role("button", name=re.compile("Goedkeuren, eerst aanvullen")).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/bijeenkomsten/{proposal.pk}/bewerken/")
    assert mail.outbox[-1].to == [member.email]

    # Decided: the member's edit is refused with a clear message.
    _log_in(page, member)
    page.goto(f"/bijeenkomsten/{proposal.pk}/voorstel-wijzigen/")
    assert page.get_by_text(re.compile("Over je voorstel is al besloten")).is_visible()
    _log_in(page, host)
    page.goto(f"/bijeenkomsten/{proposal.pk}/bewerken/")

    # Completing it: a programme item outside the day shows an error at that field.
    page.get_by_label("Netwerkdag").check()
    page.get_by_label("Ander adres").fill("Wijkcentrum De Poort, Tilburg")
    page.locator("#id_capacity").fill("40")
    row = page.locator("fieldset.session-row").first
    row.get_by_label("Titel").fill("Opening")
    row.get_by_label("Begint om").fill(_at(12, 9))
    row.get_by_label("Eindigt om").fill(_at(12, 10))
    page.get_by_role("button", name="Opslaan en publiceren").click()
    page.wait_for_load_state()
    _shot(page, "meetup_form_error")
    assert page.locator("#id_sessions-0-starts_at_error").is_visible()
    assert Meetup.objects.get().status == Meetup.Status.DRAFT
    assert not Session.objects.exists()

    row = page.locator("fieldset.session-row").first
    row.get_by_label("Begint om").fill(_at(12, 10))
    row.get_by_label("Eindigt om").fill(_at(12, 11))
    page.get_by_role("button", name="Opslaan en publiceren").click()
    page.wait_for_load_state()
    meetup = Meetup.objects.get()
    assert meetup.status == Meetup.Status.PUBLISHED
    assert meetup.capacity == 40
    assert Session.objects.get().title == "Opening"
    _shot(page, "meetup_detail_manager")
    assert page.get_by_role("link", name="Route plannen (OpenStreetMap)").is_visible()
    assert_no_axe_violations(page)

    # The community card in the list shows it as the next meetup.
    page.goto("/gemeenschappen/")
    card = page.locator("article", has_text="Energiecoöperatie Noord")
    assert card.get_by_text("Volgende bijeenkomst:").is_visible()
    assert card.get_by_role("link", name="Netwerkdag warmtepompen").is_visible()
    assert_no_axe_violations(page)

    # Anyone finds it in the agenda, filtered by theme and "on site".
    page.context.clear_cookies()
    page.goto("/bijeenkomsten/")
    page.get_by_label("Thema").select_option(label="Je huis verduurzamen")
    page.get_by_label("Hoe").select_option(label="Ter plaatse")
    page.get_by_role("button", name="Toon bijeenkomsten").click()
    page.wait_for_load_state()
    _shot(page, "agenda_filtered")
    assert "thema=verduurzamen" in page.url
    assert page.get_by_role("link", name="Netwerkdag warmtepompen").is_visible()
    assert page.get_by_text("Nog 40 plaatsen vrij").is_visible()

    # The host cancels it with a note, on a page of its own; the member who comes hears it.
    RsvpFactory(meetup=meetup, user=member)
    mail.outbox.clear()
    _log_in(page, host)
    page.goto(meetup.get_absolute_url())
    page.get_by_role("link", name="Afgelasten").click()
    page.get_by_role("button", name="Bijeenkomst afgelasten").click()
    page.wait_for_load_state()
    assert page.locator("#id_note_error").is_visible()
    page.get_by_label("Waarom gaat de bijeenkomst niet door?").fill("De spreker is ziek.")
    page.get_by_label(re.compile("Ja, ik gelast deze bijeenkomst af")).check()
    _shot(page, "cancel_form")
    page.get_by_role("button", name="Bijeenkomst afgelasten").click()
    page.wait_for_load_state()
    assert page.get_by_text("De spreker is ziek.").is_visible()
    meetup.refresh_from_db()
    assert meetup.status == Meetup.Status.CANCELLED
    assert [m.to for m in mail.outbox] == [[member.email]]
