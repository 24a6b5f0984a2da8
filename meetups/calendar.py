"""iCalendar (RFC 5545) data for meetups: one meetup as a download or mail attachment, and feeds.

Times are written in Europe/Amsterdam with a VTIMEZONE, so a calendar shows the wall-clock time
the organiser chose, also across a change of daylight saving time. The UID is stable per meetup
and SEQUENCE comes from `Meetup.sequence`, so a calendar that imported a meetup replaces its copy
when the time or place changes, and marks it cancelled when the meetup is cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Meetup

MEETUP_TZ = ZoneInfo("Europe/Amsterdam")
PRODID = "-//KennisCloud//Bijeenkomsten//NL"
# Subscribed calendars ask again after this long (clients may take longer).
FEED_REFRESH = dt.timedelta(hours=1)
# In feeds a long description is cut (the event links to the full page): folding the lines of
# an .ics costs time per character, and a feed holds many events.
FEED_DESCRIPTION_CHARS = 1000
CONTENT_TYPE = "text/calendar; charset=utf-8"


def meetup_uid(meetup: Meetup) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "kenniscloud"
    return f"meetup-{meetup.pk}@{host}"


def meetup_url(meetup: Meetup) -> str:
    return f"{settings.SITE_URL}{meetup.get_absolute_url()}"


def meetup_location(meetup: Meetup) -> str:
    """Branch name and address, the other address, or "Online"."""
    if meetup.branch_id is not None:
        return f"{meetup.branch.name}, {meetup.branch.address}"
    if meetup.address:
        return meetup.address
    if meetup.online_url:
        return _("Online")
    return ""


def _description(meetup: Meetup, *, max_chars: int | None = None) -> str:
    parts = []
    if meetup.status == Meetup.Status.CANCELLED:
        parts.append(_("Deze bijeenkomst is afgelast."))
        if meetup.cancellation_note:
            parts.append(meetup.cancellation_note)
    description = meetup.description
    if max_chars is not None:
        description = Truncator(description).chars(max_chars)
    parts.append(description)
    if meetup.online_url:
        parts.append(_("Online meedoen: %(url)s") % {"url": meetup.online_url})
    if meetup.accessibility_info:
        parts.append(_("Toegankelijkheid: %(info)s") % {"info": meetup.accessibility_info})
    parts.append(_("Meer informatie en aanmelden: %(url)s") % {"url": meetup_url(meetup)})
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _summary(meetup: Meetup, *, waitlist: bool) -> str:
    if meetup.status == Meetup.Status.CANCELLED:
        return _("Afgelast: %(title)s") % {"title": meetup.title}
    if waitlist:
        return _("Wachtlijst: %(title)s") % {"title": meetup.title}
    return meetup.title


def meetup_event(
    meetup: Meetup,
    *,
    stamp: dt.datetime | None = None,
    waitlist: bool = False,
    description_chars: int | None = None,
) -> Event:
    """The VEVENT of `meetup`. Uses `meetup.branch`: select it along with the meetup.

    `waitlist` marks the event tentative, for a member who is waiting for a place;
    `description_chars` cuts a long description.
    """
    cancelled = meetup.status == Meetup.Status.CANCELLED
    event = Event.new(
        uid=meetup_uid(meetup),
        sequence=meetup.sequence,
        stamp=stamp or timezone.now(),
        start=timezone.localtime(meetup.starts_at, MEETUP_TZ),
        end=timezone.localtime(meetup.ends_at, MEETUP_TZ),
        last_modified=meetup.updated_at,
        summary=_summary(meetup, waitlist=waitlist),
        description=_description(meetup, max_chars=description_chars),
        url=meetup_url(meetup),
        location=meetup_location(meetup) or None,
    )
    status = "CANCELLED" if cancelled else "TENTATIVE" if waitlist else "CONFIRMED"
    event.add("status", status)
    if meetup.online_url:
        # RFC 7986 CONFERENCE: clients that know it show a "join" button.
        event.add("conference", meetup.online_url, parameters={"VALUE": "URI"})
    return event


def calendar_build(
    meetups: Iterable[Meetup],
    *,
    name: str | None = None,
    refresh: bool = False,
    waitlisted: Container[int] = (),
) -> Calendar:
    """A VCALENDAR with one VEVENT per meetup and the VTIMEZONE they refer to.

    `name` and `refresh` are for subscribed feeds: a display name and how often to fetch again,
    and shorter descriptions. Meetups whose pk is in `waitlisted` are tentative: the member is
    on the waitlist.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(MEETUP_TZ))
    if refresh:
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", FEED_REFRESH)
    stamp = timezone.now()
    meetups = list(meetups)
    for meetup in meetups:
        event = meetup_event(
            meetup,
            stamp=stamp,
            waitlist=meetup.pk in waitlisted,
            description_chars=FEED_DESCRIPTION_CHARS if refresh else None,
        )
        calendar.add_component(event)
    if meetups:
        # Only the transitions around these meetups: a VTIMEZONE from 1970 on is 3 kB per feed.
        first = min(m.starts_at for m in meetups).astimezone(MEETUP_TZ).date()
        last = max(m.ends_at for m in meetups).astimezone(MEETUP_TZ).date()
        calendar.add_missing_timezones(
            first_date=first.replace(month=1, day=1),
            last_date=dt.date(last.year + 2, 1, 1),
        )
    return calendar


def meetup_ics(meetup: Meetup) -> bytes:
    """The .ics file of one meetup (download and mail attachment)."""
    return calendar_build([meetup]).to_ical()


def ics_filename(meetup: Meetup) -> str:
    return f"bijeenkomst-{meetup.pk}.ics"
