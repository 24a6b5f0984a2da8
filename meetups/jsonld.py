"""schema.org `Event` data for a meetup's page, so search engines and open-data harvesters find
the library's meetups (https://schema.org/Event).

Built as a dict and serialised with json.dumps, never by a string template, and escaped for a
<script> element: a title with `</script>` in it cannot end the element early.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from communities.models import Library

from .models import Meetup

SCHEMA = "https://schema.org"

# What Django's json_script escapes: no "<", ">" or "&" reaches the HTML parser.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _iso(moment) -> str:
    """ISO 8601 in Europe/Amsterdam with its offset, e.g. 2026-11-28T19:30:00+01:00."""
    return timezone.localtime(moment).isoformat()


def _library(meetup: Meetup) -> Library | None:
    if meetup.community_id is not None:
        return meetup.community.library
    if meetup.branch_id is not None:
        return meetup.branch.library
    return None


def _place(meetup: Meetup) -> dict[str, Any] | None:
    if meetup.branch_id is not None:
        branch = meetup.branch
        return {
            "@type": "Place",
            "name": branch.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": branch.street,
                "postalCode": branch.postcode,
                "addressLocality": branch.city,
                "addressCountry": "NL",
            },
        }
    if meetup.address:
        return {
            "@type": "Place",
            "name": meetup.address,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": meetup.address,
                "addressCountry": "NL",
            },
        }
    return None


def _attendance_mode(has_place: bool, online: bool) -> str:
    if has_place and online:
        return f"{SCHEMA}/MixedEventAttendanceMode"
    if online:
        return f"{SCHEMA}/OnlineEventAttendanceMode"
    return f"{SCHEMA}/OfflineEventAttendanceMode"


def meetup_event_data(meetup: Meetup, *, url: str, places_left: int | None) -> dict[str, Any]:
    """The `Event` for `meetup` (from meetup_get_visible: community, branch and their library
    select_related, sessions prefetched). `url` is the page's absolute address.

    The online link itself stays out: only the page shows it, and a meeting link in open data
    invites strangers in. The VirtualLocation points at the meetup's page instead.
    """
    place = _place(meetup)
    online = bool(meetup.online_url) or meetup.is_hybrid
    cancelled = meetup.status == Meetup.Status.CANCELLED
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": meetup.title,
        "description": meetup.description,
        "startDate": _iso(meetup.starts_at),
        "endDate": _iso(meetup.ends_at),
        "eventStatus": f"{SCHEMA}/{'EventCancelled' if cancelled else 'EventScheduled'}",
        "eventAttendanceMode": _attendance_mode(place is not None, online),
        "url": url,
    }
    locations = []
    if place is not None:
        locations.append(place)
    if online:
        locations.append({"@type": "VirtualLocation", "url": url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    library = _library(meetup)
    if library is not None:
        organizer = {"@type": "Organization", "name": library.name}
        if library.website:
            organizer["url"] = library.website
        data["organizer"] = organizer
    if meetup.capacity is not None:
        data["maximumAttendeeCapacity"] = meetup.capacity
        if places_left is not None:
            data["remainingAttendeeCapacity"] = places_left
    sessions = [
        {
            "@type": "Event",
            "name": session.title,
            "startDate": _iso(session.starts_at),
            "endDate": _iso(session.ends_at),
            **(
                {"performer": {"@type": "Person", "name": session.speaker}}
                if session.speaker
                else {}
            ),
            **({"maximumAttendeeCapacity": session.capacity} if session.capacity else {}),
        }
        for session in meetup.sessions.all()
    ]
    if sessions:
        data["subEvent"] = sessions
    return data


def json_for_script(data: Any) -> str:
    """JSON that is safe between <script> tags: "</script>" and "<!--" cannot occur in it."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def meetup_jsonld_script(
    meetup: Meetup, *, url: str, places_left: int | None, nonce: str | None = None
) -> SafeString:
    """The <script> data element; `nonce` is the request's Content-Security-Policy nonce."""
    data = meetup_event_data(meetup, url=url, places_left=places_left)
    if nonce is None:
        return format_html(
            '<script type="application/ld+json">{}</script>', SafeString(json_for_script(data))
        )
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        nonce,
        SafeString(json_for_script(data)),
    )
