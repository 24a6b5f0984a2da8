"""The whole life of a network day as its people see it, in a real Chromium on a phone: an
organiser publishes it with a programme; residents sign up until it is full; the next one lands on
the waitlist; someone cancels, the waiting resident is promoted (and hears it once), and imports
the meetup into their calendar from the .ics file."""

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from meetups.models import Meetup, Rsvp, Session
from tests.communities.factories import PASSWORD, UserFactory
from tests.meetups.factories import make_organiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FORMAT = "%Y-%m-%dT%H:%M"
TITLE = "Netwerkdag gemeenschapsbibliothecarissen"
ADDRESS = "Wijkcentrum De Poort, Tilburg"
# Where to keep the phone-sized screenshots of the waitlist and the promotion, to look at by eye.
SCREENSHOTS = Path(os.environ.get("KC_SCREENSHOTS", "/tmp"))


def _day_in(days: int):
    """The date `days` from now in Amsterdam: every time in the test falls on this one day."""
    return (timezone.localtime(timezone.now(), AMSTERDAM) + timedelta(days=days)).date()


def _at(day, hour: int, minute: int = 0) -> str:
    """`hour`:`minute` Amsterdam time on `day`, as the value of a datetime-local field."""
    return datetime(day.year, day.month, day.day, hour, minute).strftime(FORMAT)


def _phone(browser, live_server):
    """A page in a browser context of its own: another person on another phone."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="nl-NL",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def _rsvp_panel(page):
    return page.locator("#aanmelden")


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"kc_m_{name}.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / f"kc_m_{name}_screen.png"))


@pytest.fixture
def people():
    return {
        "organiser": make_organiser(display_name="Olga Organisator", handle="olga"),
        "anna": UserFactory(display_name="Anna de Vries", handle="anna"),
        "bram": UserFactory(display_name="Bram Bakker", handle="bram"),
        "cor": UserFactory(display_name="Cor Jansen", handle="cor"),
    }


def test_network_day_full_waitlist_promotion_and_calendar(page, browser, live_server, people):
    day = _day_in(21)
    starts, ends = _at(day, 10), _at(day, 16)

    # The organiser plans a network day with two programme items, and publishes it at once.
    _log_in(page, people["organiser"])
    page.goto("/bijeenkomsten/nieuw/")
    page.get_by_label("Netwerkdag").check()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill("Een dag om ervaringen uit te wisselen.")
    page.locator("#id_starts_at").fill(starts)
    page.locator("#id_ends_at").fill(ends)
    page.get_by_label("Ander adres").fill(ADDRESS)
    page.locator("#id_capacity").fill("2")
    rows = page.locator("fieldset.session-row")
    opening = rows.nth(0)
    opening.get_by_label("Titel").fill("Opening")
    opening.get_by_label("Begint om").fill(_at(day, 10))
    opening.get_by_label("Eindigt om").fill(_at(day, 11))
    opening.get_by_label("Zaal").fill("Grote zaal")
    opening.get_by_label("Spreker").fill("Olga Organisator")
    workshop = rows.nth(1)
    workshop.get_by_label("Titel").fill("Werkplaats: een leesclub beginnen")
    workshop.get_by_label("Begint om").fill(_at(day, 11, 30))
    workshop.get_by_label("Eindigt om").fill(_at(day, 13))
    workshop.get_by_label("Zaal").fill("Zaal 2")
    page.get_by_role("button", name="Publiceren", exact=True).click()
    page.wait_for_load_state()

    meetup = Meetup.objects.get()
    assert page.url.endswith(meetup.get_absolute_url())
    assert meetup.status == Meetup.Status.PUBLISHED
    assert meetup.kind == Meetup.Kind.NETWORK_DAY
    assert meetup.capacity == 2
    assert list(Session.objects.order_by("starts_at").values_list("title", flat=True)) == [
        "Opening",
        "Werkplaats: een leesclub beginnen",
    ]
    assert page.get_by_text("De bijeenkomst staat in de agenda.").is_visible()
    programme = page.locator("ol.programme")
    assert programme.get_by_text("Opening").is_visible()
    assert programme.get_by_text("Werkplaats: een leesclub beginnen").is_visible()
    assert _rsvp_panel(page).get_by_text("Nog 2 plaatsen vrij").is_visible()

    # Anna and Bram, each on their own phone, take the two places.
    anna, bram, cor = (_phone(browser, live_server) for _ in range(3))
    try:
        for resident_page, resident in ((anna, people["anna"]), (bram, people["bram"])):
            _log_in(resident_page, resident)
            resident_page.goto(meetup.get_absolute_url())
            resident_page.get_by_role("button", name="Ik kom").click()
            resident_page.wait_for_load_state()
            assert resident_page.get_by_text("Je bent aangemeld.").is_visible()
            assert _rsvp_panel(resident_page).get_by_text("Je komt.").is_visible()
        panel = _rsvp_panel(bram)
        assert panel.get_by_text("Vol", exact=True).is_visible()
        assert panel.get_by_text(re.compile(r"Nog \d+ plaats")).count() == 0

        # Cor finds it full: the button offers the waitlist, and he sees his place in the queue.
        _log_in(cor, people["cor"])
        cor.goto(meetup.get_absolute_url())
        # Where it is: plain links to a route, no map loaded from another site (issue 16).
        route = cor.get_by_role("link", name="Route plannen (OpenStreetMap)")
        assert route.get_attribute("href") == (
            "https://www.openstreetmap.org/search?query=Wijkcentrum%20De%20Poort%2C%20Tilburg"
        )
        assert cor.get_by_role("link", name="Open in je kaarten-app").get_attribute("href") == (
            "geo:0,0?q=Wijkcentrum%20De%20Poort%2C%20Tilburg"
        )
        assert cor.locator("iframe").count() == 0
        panel = _rsvp_panel(cor)
        assert panel.get_by_text("Vol", exact=True).is_visible()
        assert panel.get_by_role("button", name="Ik kom").count() == 0
        panel.get_by_role("button", name="Zet me op de wachtlijst").click()
        cor.wait_for_load_state()
        assert cor.get_by_text(
            re.compile("Je staat op de wachtlijst. We laten het je weten")
        ).is_visible()
        assert _rsvp_panel(cor).get_by_text("Je staat op de wachtlijst (plaats 1).").is_visible()
        _shot(cor, "waitlist")
        states = dict(Rsvp.objects.values_list("user__handle", "state"))
        assert states == {"anna": "going", "bram": "going", "cor": "waitlist"}

        # Anna cancels; Cor gets her place, sees it on the page, and hears it by mail once.
        mail.outbox.clear()
        _rsvp_panel(anna).get_by_role("button", name="Afmelden").click()
        anna.wait_for_load_state()
        assert anna.get_by_text("Je bent afgemeld.").is_visible()
        assert _rsvp_panel(anna).get_by_role("button", name="Ik kom").count() == 0  # still full

        cor.reload()
        panel = _rsvp_panel(cor)
        assert panel.get_by_text("Je komt.").is_visible()
        assert panel.get_by_text(re.compile("wachtlijst")).count() == 0
        assert panel.get_by_role("button", name="Afmelden").is_visible()
        _shot(cor, "promoted")
        states = dict(Rsvp.objects.values_list("user__handle", "state"))
        assert states == {"anna": "cancelled", "bram": "going", "cor": "going"}

        promotions = [m for m in mail.outbox if m.subject.startswith("Er is een plek vrij")]
        assert [m.to for m in promotions] == [[people["cor"].email]]
        assert [m.to for m in mail.outbox] == [[people["cor"].email]]
        assert promotions[0].subject == f"Er is een plek vrij: {TITLE}"
        assert "Hallo Cor Jansen" in promotions[0].body
        # Looking again changes nothing: the promotion happened once.
        cor.reload()
        assert len(mail.outbox) == 1

        # Cor puts it in his calendar from the meetup page.
        with cor.expect_download() as download_info:
            cor.get_by_role("link", name="Zet in je agenda").click()
        download = download_info.value
        assert download.suggested_filename == f"bijeenkomst-{meetup.pk}.ics"
        calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    finally:
        for resident_page in (anna, bram, cor):
            resident_page.context.close()

    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["LOCATION"]) == ADDRESS
    assert str(event["URL"]) == f"{settings.SITE_URL}{meetup.get_absolute_url()}"
    assert str(event["URL"]).endswith(f"/bijeenkomsten/{meetup.pk}/")
    dtstart = event["DTSTART"]
    assert dtstart.params["TZID"] == "Europe/Amsterdam"
    typed = datetime.strptime(starts, FORMAT).replace(tzinfo=AMSTERDAM)
    assert dtstart.dt == typed
    assert dtstart.dt.strftime(FORMAT) == starts  # the wall-clock time the organiser typed
    assert event["DTEND"].dt == datetime.strptime(ends, FORMAT).replace(tzinfo=AMSTERDAM)
    assert [c.name for c in calendar.walk("VTIMEZONE")] == ["VTIMEZONE"]
