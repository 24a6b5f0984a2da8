"""Check-in at the door: a host on a phone, without JavaScript, marks people present."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Membership
from meetups.models import Rsvp, WalkIn
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import PASSWORD, CommunityFactory, MembershipFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_without_js(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="nl-NL",
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_host_checks_people_in_on_a_phone_without_javascript(phone_without_js):
    page = phone_without_js
    community = CommunityFactory()
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    # Begun a minute ago: check-in opens on the day of the meetup, and a start "in five
    # minutes" falls on tomorrow in the last minutes before midnight.
    starts = timezone.now() - timedelta(minutes=1)
    meetup = MeetupFactory(
        community=community, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    anna = RsvpFactory(meetup=meetup, user__display_name="Anna de Vries")
    RsvpFactory(meetup=meetup, user__display_name="Bram Bakker")

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(host.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.goto(f"/bijeenkomsten/{meetup.pk}/deelnemers/")

    button = page.get_by_role("button", name=re.compile(r"^Is er\W+Anna de Vries$"))
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb at the door
    button.click()
    page.wait_for_load_state()

    assert page.get_by_text("Anna de Vries is er.").is_visible()
    assert page.get_by_role(
        "button", name=re.compile(r"^Ongedaan maken\W+Anna de Vries$")
    ).is_visible()
    assert page.get_by_role("button", name=re.compile(r"^Is er\W+Bram Bakker$")).is_visible()
    anna.refresh_from_db()
    assert anna.checked_in_at is not None

    page.get_by_role("button", name=re.compile(r"^Ongedaan maken\W+Anna de Vries$")).click()
    page.wait_for_load_state()
    assert Rsvp.objects.get(pk=anna.pk).checked_in_at is None


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()


def _full_meetup_at_the_door():
    """Begun a minute ago (so the door is open at any hour), two places, both taken."""
    community = CommunityFactory()
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    starts = timezone.now() - timedelta(minutes=1)
    meetup = MeetupFactory(
        community=community, starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=2
    )
    RsvpFactory(meetup=meetup, user__display_name="Anna de Vries")
    RsvpFactory(meetup=meetup, user__display_name="Bram Bakker")
    MembershipFactory(community=community, user__display_name="Carla Claes")
    return host, meetup


def test_host_filters_by_name_and_registers_walk_ins_without_javascript(phone_without_js):
    """Issue 16: a name search on the check-in page, and walk-ins at the door (a member found
    by name, and someone without an account), over the capacity when the host says so."""
    page = phone_without_js
    host, meetup = _full_meetup_at_the_door()
    _log_in(page, host)
    page.goto(f"/bijeenkomsten/{meetup.pk}/deelnemers/")

    # The name filter is a GET form.
    page.get_by_label("Zoek op naam").fill("anna")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.wait_for_load_state()
    assert "naam=anna" in page.url
    assert page.get_by_role("button", name=re.compile(r"^Is er\W+Anna de Vries$")).is_visible()
    assert page.get_by_role("button", name=re.compile("Bram Bakker")).count() == 0
    assert page.get_by_text("1 persoon gevonden met “anna”.").is_visible()
    page.get_by_role("link", name="Toon iedereen").click()
    page.wait_for_load_state()

    # A member walks in: found by name, let in although it is full.
    assert page.get_by_text(re.compile(r"Alle plaatsen zijn bezet \(2 van 2\)")).is_visible()
    page.get_by_label("Naam of @gebruikersnaam").fill("carla")
    page.get_by_role("button", name="Lid zoeken").click()
    page.wait_for_load_state()
    found = page.get_by_role("list", name="Gevonden leden").locator("li", has_text="Carla Claes")
    found.get_by_role("checkbox", name=re.compile("Toch binnenlaten")).check()
    found.get_by_role("button", name=re.compile("Aanmelden, is er")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Carla Claes is er.").is_visible()
    carla = Rsvp.objects.get(meetup=meetup, user__display_name="Carla Claes")
    assert carla.state == Rsvp.State.GOING and carla.checked_in_at is not None

    # Someone without an account: refused while full, until the host ticks the box.
    page.locator("#id_name").fill("Kees Jansen")
    page.get_by_role("button", name="Binnenloper aanmelden").click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("De bijeenkomst is vol: 3 van 2 plaatsen")).is_visible()
    assert not WalkIn.objects.exists()
    page.locator("#id_over_capacity").check()
    page.get_by_role("button", name="Binnenloper aanmelden").click()
    page.wait_for_load_state()
    assert page.get_by_text("Kees Jansen is er.").is_visible()
    assert WalkIn.objects.get().name == "Kees Jansen"
    assert page.get_by_text(
        re.compile("Er zijn 2 mensen meer binnen of aangemeld dan er plaatsen zijn")
    ).is_visible()


def test_the_name_filter_filters_live_with_javascript(page):
    host, meetup = _full_meetup_at_the_door()
    WalkIn.objects.create(meetup=meetup, name="Kees Jansen")
    _log_in(page, host)
    page.goto(f"/bijeenkomsten/{meetup.pk}/deelnemers/")

    page.get_by_label("Zoek op naam").press_sequentially("bakk")

    anna = page.get_by_role("button", name=re.compile(r"^Is er\W+Anna de Vries$"))
    anna.wait_for(state="hidden")
    assert page.get_by_role("button", name=re.compile(r"^Is er\W+Bram Bakker$")).is_visible()
    assert page.locator("#binnenlopers li", has_text="Kees Jansen").is_hidden()
    assert page.get_by_role("status").get_by_text("1 persoon gevonden").is_visible()
    assert "naam=" not in page.url  # filtered in the page, no round trip
    assert_no_axe_violations(page)

    page.get_by_label("Zoek op naam").fill("")
    page.get_by_label("Zoek op naam").press("Space")
    page.get_by_label("Zoek op naam").press("Backspace")
    anna.wait_for(state="visible")

    # The door forms in their fullest state (full meetup, members found, a walk-in): axe is
    # run here, with JavaScript (axe itself runs in the page).
    page.goto(f"/bijeenkomsten/{meetup.pk}/deelnemers/?lid=carla")
    assert page.get_by_role("list", name="Gevonden leden").is_visible()
    assert_no_axe_violations(page)
