"""schema.org Event data on every meetup page."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest

from communities.models import Branch
from meetups.jsonld import json_for_script
from meetups.models import Meetup
from tests.communities.factories import CommunityFactory, LibraryFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory, SessionFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
SCHEMA = "https://schema.org/"


def _event(client, meetup) -> dict:
    content = client.get(meetup.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def library(db):
    return LibraryFactory(name="Bibliotheek Midden-Brabant", website="https://www.example.org")


@pytest.fixture
def branch(library):
    return Branch.objects.create(
        library=library,
        name="LocHal",
        slug="lochal",
        street="Burgemeester Brokxlaan 1000",
        postcode="5041 SG",
        city="Tilburg",
    )


def test_event_at_a_branch(client, branch):
    meetup = MeetupFactory(
        title="Repair café",
        description="Samen repareren.",
        branch=branch,
        starts_at=dt.datetime(2030, 1, 15, 19, 30, tzinfo=AMS),
        ends_at=dt.datetime(2030, 1, 15, 21, 30, tzinfo=AMS),
        capacity=20,
    )
    for _ in range(3):
        RsvpFactory(meetup=meetup)

    event = _event(client, meetup)

    assert event["@context"] == "https://schema.org"
    assert event["@type"] == "Event"
    assert event["name"] == "Repair café"
    assert event["description"] == "Samen repareren."
    assert event["startDate"] == "2030-01-15T19:30:00+01:00"
    assert event["endDate"] == "2030-01-15T21:30:00+01:00"
    assert event["eventStatus"] == f"{SCHEMA}EventScheduled"
    assert event["eventAttendanceMode"] == f"{SCHEMA}OfflineEventAttendanceMode"
    assert event["location"] == {
        "@type": "Place",
        "name": "LocHal",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "Burgemeester Brokxlaan 1000",
            "postalCode": "5041 SG",
            "addressLocality": "Tilburg",
            "addressCountry": "NL",
        },
    }
    assert event["organizer"] == {
        "@type": "Organization",
        "name": "Bibliotheek Midden-Brabant",
        "url": "https://www.example.org",
    }
    assert event["url"] == f"http://testserver/bijeenkomsten/{meetup.pk}/"
    assert event["maximumAttendeeCapacity"] == 20
    assert event["remainingAttendeeCapacity"] == 17


def test_summer_time_has_its_own_offset(client):
    meetup = MeetupFactory(
        starts_at=dt.datetime(2030, 7, 1, 10, 0, tzinfo=AMS),
        ends_at=dt.datetime(2030, 7, 1, 12, 0, tzinfo=AMS),
    )

    assert _event(client, meetup)["startDate"] == "2030-07-01T10:00:00+02:00"


def test_online_event_does_not_publish_the_meeting_link(client):
    meetup = MeetupFactory(online_url="https://meet.example.org/geheim-123", capacity=None)

    event = _event(client, meetup)

    assert event["eventAttendanceMode"] == f"{SCHEMA}OnlineEventAttendanceMode"
    assert event["location"] == {
        "@type": "VirtualLocation",
        "url": f"http://testserver/bijeenkomsten/{meetup.pk}/",
    }
    assert "geheim-123" not in json.dumps(event)
    assert "maximumAttendeeCapacity" not in event
    assert "remainingAttendeeCapacity" not in event


def test_hybrid_event_has_both_locations(client, branch):
    meetup = MeetupFactory(branch=branch, online_url="https://meet.example.org/x", is_hybrid=True)

    event = _event(client, meetup)

    assert event["eventAttendanceMode"] == f"{SCHEMA}MixedEventAttendanceMode"
    assert [location["@type"] for location in event["location"]] == ["Place", "VirtualLocation"]


def test_other_address_is_a_place_too(client):
    meetup = MeetupFactory(address="Buurthuis De Poort, Poortstraat 3, Tilburg")

    event = _event(client, meetup)

    assert event["location"]["@type"] == "Place"
    assert event["location"]["address"]["streetAddress"] == meetup.address


def test_cancelled_event_says_so(client):
    meetup = MeetupFactory(status=Meetup.Status.CANCELLED)

    assert _event(client, meetup)["eventStatus"] == f"{SCHEMA}EventCancelled"


def test_full_event_has_no_places_left(client):
    meetup = MeetupFactory(capacity=1)
    RsvpFactory(meetup=meetup)

    assert _event(client, meetup)["remainingAttendeeCapacity"] == 0


def test_organizer_is_the_library_of_the_community(client):
    community = CommunityFactory(library=LibraryFactory(name="Bibliotheek Tilburg", website=""))
    meetup = MeetupFactory(community=community)

    assert _event(client, meetup)["organizer"] == {
        "@type": "Organization",
        "name": "Bibliotheek Tilburg",
    }


def test_network_day_sessions_are_sub_events(client):
    session = SessionFactory(title="Warmtepompen", speaker="Sanne Spreker", capacity=12)

    event = _event(client, session.meetup)

    assert event["subEvent"] == [
        {
            "@type": "Event",
            "name": "Warmtepompen",
            "startDate": session.starts_at.astimezone(AMS).isoformat(),
            "endDate": session.ends_at.astimezone(AMS).isoformat(),
            "performer": {"@type": "Person", "name": "Sanne Spreker"},
            "maximumAttendeeCapacity": 12,
        }
    ]


def test_a_title_cannot_end_the_script_element(client):
    title = '</script><script>alert("x")</script> & <!-- meer'
    meetup = MeetupFactory(title=title)

    content = client.get(meetup.get_absolute_url()).content.decode()
    event = _event(client, meetup)

    assert event["name"] == title
    assert '<script>alert("x")' not in content
    start = content.index('<script type="application/ld+json"')
    script = content[start : content.index("</script>", start)]
    assert "<!--" not in script and "</" not in script[1:]


def test_json_for_script_escapes_markup_and_keeps_the_value():
    value = {"name": "a</script>b<!--c&d"}

    out = json_for_script(value)

    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out) == value
