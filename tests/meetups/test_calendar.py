"""Meetups in calendars: the .ics of a meetup, the feeds, the personal feed and its page."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from communities.models import Branch, Membership
from meetups import services
from meetups.calendar import meetup_ics
from meetups.models import CalendarToken, Meetup, Rsvp
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.meetups.factories import MeetupFactory, RsvpFactory
from tests.querycount import assert_constant_queries

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def _branch() -> Branch:
    return Branch.objects.create(
        library=LibraryFactory(),
        name="Bibliotheek Centrum",
        slug="centrum",
        street="Stadhuisplein 2",
        postcode="5038 TC",
        city="Tilburg",
    )


def _parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def _events(content: bytes) -> list:
    return _parse(content).walk("VEVENT")


def _at(year, month, day, hour, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


# --- The VEVENT ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestMeetupEvent:
    def test_event_carries_what_a_calendar_needs(self, settings):
        settings.SITE_URL = "https://kenniscloud.example.org"
        meetup = MeetupFactory(
            title="Repair café",
            description="Neem je kapotte lamp mee.",
            branch=_branch(),
            online_url="https://meet.example.org/repair",
            accessibility_info="Drempelvrij, ringleiding.",
        )
        Meetup.objects.filter(pk=meetup.pk).update(sequence=3)
        meetup.refresh_from_db()

        raw = meetup_ics(meetup)
        calendar = _parse(raw)
        (event,) = calendar.walk("VEVENT")

        assert str(event["UID"]) == f"meetup-{meetup.pk}@kenniscloud.example.org"
        assert event["SEQUENCE"] == 3
        assert event["SUMMARY"] == "Repair café"
        assert event["STATUS"] == "CONFIRMED"
        assert event["URL"] == f"https://kenniscloud.example.org/bijeenkomsten/{meetup.pk}/"
        assert event["LOCATION"] == "Bibliotheek Centrum, Stadhuisplein 2, 5038 TC Tilburg"
        assert "Neem je kapotte lamp mee." in event["DESCRIPTION"]
        assert "https://meet.example.org/repair" in event["DESCRIPTION"]
        assert "ringleiding" in event["DESCRIPTION"]
        assert event["DTSTAMP"].dt.tzinfo is not None
        # iCalendar has whole seconds.
        assert event.start == meetup.starts_at.replace(microsecond=0)
        assert event.end == meetup.ends_at.replace(microsecond=0)
        assert calendar["METHOD"] == "PUBLISH"
        (vtimezone,) = calendar.walk("VTIMEZONE")
        assert vtimezone["TZID"] == "Europe/Amsterdam"
        assert b"DTSTART;TZID=Europe/Amsterdam:" in raw

    @pytest.mark.parametrize(
        ("attributes", "location"),
        [
            ({"address": "Buurthuis De Poort, Poortstraat 1"}, "Buurthuis De Poort, Poortstraat 1"),
            ({"online_url": "https://meet.example.org/x"}, "Online"),
        ],
    )
    def test_location_without_a_branch(self, attributes, location):
        meetup = MeetupFactory(**attributes)

        (event,) = _events(meetup_ics(meetup))

        assert event["LOCATION"] == location

    def test_cancelled_meetup_is_marked_cancelled(self):
        meetup = MeetupFactory(status=Meetup.Status.CANCELLED, cancellation_note="Zaal lekt.")

        (event,) = _events(meetup_ics(meetup))

        assert event["STATUS"] == "CANCELLED"
        assert "Zaal lekt." in event["DESCRIPTION"]

    def test_uid_is_stable_and_sequence_follows_the_meetup(self):
        meetup = MeetupFactory()
        (before,) = _events(meetup_ics(meetup))

        meetup.starts_at += dt.timedelta(days=1)
        meetup.ends_at += dt.timedelta(days=1)
        meetup.sequence += 1
        meetup.save()
        (after,) = _events(meetup_ics(meetup))

        assert after["UID"] == before["UID"]
        assert after["SEQUENCE"] == before["SEQUENCE"] + 1
        assert after.start - before.start == dt.timedelta(days=1)


# --- Daylight saving time ---------------------------------------------------------------------


def _round_trip(meetup: Meetup):
    calendar = _parse(meetup_ics(meetup))
    (event,) = calendar.walk("VEVENT")
    (vtimezone,) = calendar.walk("VTIMEZONE")
    return event, vtimezone.to_tz()


@pytest.mark.django_db
class TestDaylightSaving:
    @pytest.mark.parametrize(
        ("local", "utc", "offset_hours"),
        [
            # Last Sunday of October 2026: summer time ends at 03:00 that very morning.
            (_at(2026, 10, 25, 14), dt.datetime(2026, 10, 25, 13, tzinfo=UTC), 1),
            # Late March 2027: summer time starts on Sunday 28 March at 02:00.
            (_at(2027, 3, 28, 14), dt.datetime(2027, 3, 28, 12, tzinfo=UTC), 2),
            (_at(2027, 3, 27, 14), dt.datetime(2027, 3, 27, 13, tzinfo=UTC), 1),
        ],
    )
    def test_wall_clock_and_instant_survive_the_parser(self, local, utc, offset_hours):
        meetup = MeetupFactory(starts_at=local, ends_at=local + dt.timedelta(hours=2))

        event, file_tz = _round_trip(meetup)

        start = event.start
        assert (start.hour, start.minute) == (14, 0)
        assert start.date() == local.date()
        assert start.astimezone(UTC) == utc
        assert str(start.tzinfo) == "Europe/Amsterdam"
        # A client that only trusts the VTIMEZONE in the file lands on the same instant.
        naive = start.replace(tzinfo=None)
        assert naive.replace(tzinfo=file_tz).utcoffset() == dt.timedelta(hours=offset_hours)
        assert naive.replace(tzinfo=file_tz).astimezone(UTC) == utc

    def test_meetup_created_in_winter_for_a_summer_date(self):
        winter = dt.datetime(2027, 1, 15, 10, tzinfo=UTC)
        with mock.patch("django.utils.timezone.now", return_value=winter):
            meetup = MeetupFactory(
                starts_at=_at(2027, 7, 1, 19, 30), ends_at=_at(2027, 7, 1, 21, 30)
            )
            event, file_tz = _round_trip(meetup)

        assert (event.start.hour, event.start.minute) == (19, 30)
        assert event.start.astimezone(UTC) == dt.datetime(2027, 7, 1, 17, 30, tzinfo=UTC)
        assert event.end.astimezone(UTC) == dt.datetime(2027, 7, 1, 19, 30, tzinfo=UTC)
        assert event["DTSTAMP"].dt == winter
        naive = event.start.replace(tzinfo=None)
        assert naive.replace(tzinfo=file_tz).utcoffset() == dt.timedelta(hours=2)


# --- The download on the meetup page ----------------------------------------------------------


@pytest.mark.django_db
class TestMeetupIcsView:
    def test_download_is_a_calendar_file(self, client):
        meetup = MeetupFactory(title="Zonnepanelen op je dak")

        response = client.get(f"/bijeenkomsten/{meetup.pk}/agenda.ics")

        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="bijeenkomst-{meetup.pk}.ics"'
        )
        (event,) = _events(response.content)
        assert event["SUMMARY"] == "Zonnepanelen op je dak"

    def test_english_address_works_too(self, client):
        meetup = MeetupFactory()

        response = client.get(f"/en/bijeenkomsten/{meetup.pk}/agenda.ics")

        assert response.status_code == 200
        (event,) = _events(response.content)
        assert event["URL"].endswith(f"/en/bijeenkomsten/{meetup.pk}/")

    def test_draft_meetup_has_no_file(self, client):
        meetup = MeetupFactory(status=Meetup.Status.DRAFT)

        assert client.get(f"/bijeenkomsten/{meetup.pk}/agenda.ics").status_code == 404

    def test_private_community_meetup_only_for_its_members(self, client, private_community):
        meetup = MeetupFactory(community=private_community)
        url = f"/bijeenkomsten/{meetup.pk}/agenda.ics"
        member = MembershipFactory(community=private_community).user

        assert client.get(url).status_code == 404
        client.force_login(member)
        assert client.get(url).status_code == 200

    def test_meetup_page_offers_the_download(self, client):
        meetup = MeetupFactory()

        response = client.get(meetup.get_absolute_url())

        assert f'href="/bijeenkomsten/{meetup.pk}/agenda.ics"'.encode() in response.content


# --- Community and theme feeds ----------------------------------------------------------------


@pytest.mark.django_db
class TestFeeds:
    def test_community_feed_has_upcoming_and_recent_meetups(self, client, community):
        now = timezone.now()
        upcoming = MeetupFactory(community=community, title="Komt eraan")
        recent = MeetupFactory(
            community=community,
            title="Net geweest",
            starts_at=now - dt.timedelta(days=10),
            ends_at=now - dt.timedelta(days=10) + dt.timedelta(hours=2),
        )
        MeetupFactory(
            community=community,
            title="Lang geleden",
            starts_at=now - dt.timedelta(days=400),
            ends_at=now - dt.timedelta(days=400) + dt.timedelta(hours=2),
        )
        MeetupFactory(community=community, title="Concept", status=Meetup.Status.DRAFT)
        MeetupFactory(community=CommunityFactory(), title="Andere gemeenschap")

        response = client.get(f"/gemeenschappen/{community.slug}/agenda.ics")

        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = _parse(response.content)
        assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
            recent.title,
            upcoming.title,
        ]
        assert community.title in str(calendar["X-WR-CALNAME"])
        assert "max-age=900" in response["Cache-Control"]

    def test_private_community_feed_is_404_for_outsiders(self, client, private_community):
        MeetupFactory(community=private_community)
        url = f"/gemeenschappen/{private_community.slug}/agenda.ics"

        assert client.get(url).status_code == 404
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404
        client.force_login(MembershipFactory(community=private_community).user)
        assert client.get(url).status_code == 200

    def test_unknown_community_feed_is_404(self, client):
        assert client.get("/gemeenschappen/bestaat-niet/agenda.ics").status_code == 404

    def test_theme_feed_has_only_visible_meetups_of_the_theme(self, client, private_community):
        theme = ThemeFactory(slug="samen-leven")
        shown = MeetupFactory(title="Open avond")
        shown.themes.add(theme)
        hidden = MeetupFactory(title="Besloten avond", community=private_community)
        hidden.themes.add(theme)
        MeetupFactory(title="Ander thema")

        response = client.get("/themas/samen-leven/agenda.ics")

        assert response.status_code == 200
        assert [str(e["SUMMARY"]) for e in _events(response.content)] == ["Open avond"]

    def test_feed_cuts_long_descriptions_but_the_download_does_not(self, client, community):
        meetup = MeetupFactory(community=community, description="woord " * 1000)

        (in_feed,) = _events(client.get(f"/gemeenschappen/{community.slug}/agenda.ics").content)
        (download,) = _events(client.get(f"/bijeenkomsten/{meetup.pk}/agenda.ics").content)

        assert len(in_feed["DESCRIPTION"]) < 1300
        assert f"/bijeenkomsten/{meetup.pk}/" in in_feed["DESCRIPTION"]
        assert len(download["DESCRIPTION"]) > 6000

    def test_empty_feed_is_still_a_valid_calendar(self, client, community):
        response = client.get(f"/en/gemeenschappen/{community.slug}/agenda.ics")

        assert response.status_code == 200
        assert _events(response.content) == []

    def test_community_feed_query_count_is_constant(self, client, community):
        branch = _branch()

        def add(n):
            for _ in range(n):
                MeetupFactory(community=community, branch=branch)

        assert_constant_queries(
            client, f"/gemeenschappen/{community.slug}/agenda.ics", add, label="community feed"
        )

    def test_theme_feed_query_count_is_constant(self, client):
        theme = ThemeFactory(slug="energie")
        branch = _branch()

        def add(n):
            for _ in range(n):
                MeetupFactory(branch=branch).themes.add(theme)

        assert_constant_queries(client, "/themas/energie/agenda.ics", add, label="theme feed")


# --- The personal feed ------------------------------------------------------------------------


@pytest.fixture
def token(member):
    return services.calendar_token_create(user=member)


@pytest.mark.django_db
class TestPersonalFeed:
    def test_feed_has_my_going_and_waitlist_rsvps_only(self, client, member, token):
        going = RsvpFactory(user=member, meetup__title="Ik kom")
        waiting = RsvpFactory(user=member, meetup__title="Ik wacht", state=Rsvp.State.WAITLIST)
        RsvpFactory(user=member, meetup__title="Afgemeld", state=Rsvp.State.CANCELLED)
        RsvpFactory(meetup__title="Van iemand anders")

        response = client.get(f"/bijeenkomsten/agenda/{token.key}.ics")

        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "private" in response["Cache-Control"]
        events = {str(e["UID"]).split("@")[0]: e for e in _events(response.content)}
        assert set(events) == {f"meetup-{going.meetup_id}", f"meetup-{waiting.meetup_id}"}
        assert events[f"meetup-{going.meetup_id}"]["STATUS"] == "CONFIRMED"
        assert events[f"meetup-{waiting.meetup_id}"]["STATUS"] == "TENTATIVE"

    def test_feed_is_in_the_owners_language(self, client):
        owner = UserFactory(language="en")
        RsvpFactory(user=owner)
        key = services.calendar_token_create(user=owner).key

        (event,) = _events(client.get(f"/bijeenkomsten/agenda/{key}.ics").content)

        assert "/en/bijeenkomsten/" in str(event["URL"])

    @pytest.mark.parametrize("key", ["kort", "x" * 43 + "!", "a" * 43])
    def test_malformed_or_unknown_key_is_the_designed_404(self, client, token, key):
        response = client.get(f"/bijeenkomsten/agenda/{key}.ics")

        assert response.status_code == 404
        assert "Deze pagina bestaat niet (meer)" in response.content.decode()

    def test_revoked_key_is_404(self, client, member, token):
        services.calendar_token_revoke(user=member)

        assert client.get(f"/bijeenkomsten/agenda/{token.key}.ics").status_code == 404

    def test_new_key_retires_the_old_one(self, client, member, token):
        new = services.calendar_token_create(user=member)

        assert new.key != token.key
        assert len(new.key) == 43
        assert client.get(f"/bijeenkomsten/agenda/{token.key}.ics").status_code == 404
        assert client.get(f"/bijeenkomsten/agenda/{new.key}.ics").status_code == 200
        assert CalendarToken.objects.filter(user=member).count() == 1

    def test_inactive_member_has_no_feed(self, client, member, token):
        member.is_active = False
        member.save(update_fields=["is_active"])

        assert client.get(f"/bijeenkomsten/agenda/{token.key}.ics").status_code == 404

    def test_left_private_community_meetups_drop_out(self, client, member, token):
        private = CommunityFactory(visibility="private")
        membership = MembershipFactory(community=private, user=member)
        RsvpFactory(user=member, meetup__community=private)
        url = f"/bijeenkomsten/agenda/{token.key}.ics"
        assert len(_events(client.get(url).content)) == 1

        Membership.objects.filter(pk=membership.pk).delete()

        assert _events(client.get(url).content) == []

    def test_personal_feed_query_count_is_constant(self, client, member, token):
        branch = _branch()

        def add(n):
            for _ in range(n):
                RsvpFactory(user=member, meetup__branch=branch)

        assert_constant_queries(
            client, f"/bijeenkomsten/agenda/{token.key}.ics", add, label="personal feed"
        )


# --- The "my calendar" page -------------------------------------------------------------------


@pytest.mark.django_db
class TestMyCalendarPage:
    url = "/bijeenkomsten/mijn-agenda/"

    def test_login_required(self, client):
        response = client.get(self.url)

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_lists_my_upcoming_rsvps_and_offers_an_address(self, client, member):
        RsvpFactory(user=member, meetup__title="Taalcafé")
        RsvpFactory(user=member, meetup__title="Op de wachtlijst", state=Rsvp.State.WAITLIST)
        RsvpFactory(user=member, meetup__title="Afgemeld", state=Rsvp.State.CANCELLED)
        client.force_login(member)

        page = client.get(self.url).content.decode()

        assert "Taalcafé" in page
        assert "Op de wachtlijst" in page
        assert "Afgemeld" not in page
        assert "Maak mijn agenda-adres" in page
        assert "/bijeenkomsten/agenda/" not in page

    def test_create_shows_the_address_then_revoke_removes_it(self, client, member, settings):
        settings.SITE_URL = "https://kenniscloud.example.org"
        client.force_login(member)

        response = client.post(reverse("meetups:my_calendar_token_create"), follow=True)

        token = CalendarToken.objects.get(user=member)
        page = response.content.decode()
        path = f"/bijeenkomsten/agenda/{token.key}.ics"
        assert f'value="https://kenniscloud.example.org{path}"' in page
        assert f'href="webcal://kenniscloud.example.org{path}"' in page
        assert "Je agenda-adres is klaar" in page

        response = client.post(reverse("meetups:my_calendar_token_revoke"), follow=True)

        assert not CalendarToken.objects.filter(user=member).exists()
        page = response.content.decode()
        assert token.key not in page
        assert "ingetrokken" in page
        assert client.get(f"/bijeenkomsten/agenda/{token.key}.ics").status_code == 404

    def test_new_address_replaces_the_old(self, client, member, token):
        client.force_login(member)

        response = client.post(reverse("meetups:my_calendar_token_create"), follow=True)

        new = CalendarToken.objects.get(user=member)
        assert new.key != token.key
        assert "Het oude adres werkt niet meer" in response.content.decode()

    def test_token_changes_need_post(self, client, member, token):
        client.force_login(member)

        assert client.get(reverse("meetups:my_calendar_token_create")).status_code == 405
        assert client.get(reverse("meetups:my_calendar_token_revoke")).status_code == 405
        assert CalendarToken.objects.get(user=member).key == token.key

    def test_lists_feeds_of_my_public_communities_only(
        self, client, member, community, private_community
    ):
        MembershipFactory(community=community, user=member)
        MembershipFactory(community=private_community, user=member)
        client.force_login(member)

        page = client.get(self.url).content.decode()

        assert f"/gemeenschappen/{community.slug}/agenda.ics" in page
        assert f"/gemeenschappen/{private_community.slug}/agenda.ics" not in page

    def test_agenda_page_links_to_my_calendar(self, client, member):
        client.force_login(member)

        assert self.url in client.get("/bijeenkomsten/").content.decode()
