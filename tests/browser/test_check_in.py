"""Check-in at the door: a host on a phone, without JavaScript, marks people present."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Membership
from meetups.models import Rsvp
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
    starts = timezone.now() + timedelta(minutes=5)
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
