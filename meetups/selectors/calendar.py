"""Meetups for calendars: subscribable feeds and a member's personal feed."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from communities.models import Community
from communities.selectors import Viewer, member_communities_visible_to

from ..models import CalendarToken, Meetup, Rsvp
from .visibility import _visible

# Feeds carry what is coming and what just happened, so a subscribed calendar keeps recent history.
CALENDAR_FEED_PAST = timedelta(days=90)
CALENDAR_FEED_LIMIT = 300
# secrets.token_urlsafe(32) gives 43 of these; anything else is not worth a query.
_CALENDAR_KEY = re.compile(r"[A-Za-z0-9_-]{43}")


def meetup_list_for_feed(
    user: Viewer, *, community: Community | None = None, theme=None
) -> QuerySet[Meetup]:
    """Upcoming and recent meetups the viewer may see, for an iCalendar feed."""
    qs = _visible(user).filter(ends_at__gte=timezone.now() - CALENDAR_FEED_PAST)
    if community is not None:
        qs = qs.filter(community=community)
    if theme is not None:
        qs = qs.filter(themes=theme)
    return qs.select_related("branch").order_by("starts_at", "pk")[:CALENDAR_FEED_LIMIT]


def rsvp_list_for_calendar(user: Viewer, *, upcoming_only: bool = False) -> QuerySet[Rsvp]:
    """The member's own going and waitlist answers, upcoming and recent, soonest first."""
    if not user.is_authenticated:
        return Rsvp.objects.none()
    since = timezone.now() if upcoming_only else timezone.now() - CALENDAR_FEED_PAST
    visible = _visible(user).filter(ends_at__gte=since).values("pk")
    return (
        Rsvp.objects.filter(
            user=user, state__in=[Rsvp.State.GOING, Rsvp.State.WAITLIST], meetup__in=visible
        )
        .select_related("meetup", "meetup__branch", "meetup__community")
        .order_by("meetup__starts_at", "meetup_id")[:CALENDAR_FEED_LIMIT]
    )


def calendar_token_for(user: Viewer) -> CalendarToken | None:
    if not user.is_authenticated:
        return None
    return CalendarToken.objects.filter(user=user).first()


def calendar_feed_owner(key: str):
    """The active member whose personal feed lives at `key`; 404 for a malformed or revoked key."""
    if not _CALENDAR_KEY.fullmatch(key):
        raise Http404
    tokens = CalendarToken.objects.select_related("user").filter(key=key, user__is_active=True)
    token = tokens.first()
    if token is None:
        raise Http404
    return token.user


def calendar_feed_communities_for(user: Viewer) -> QuerySet[Community]:
    """The member's communities that have a feed: calendar apps fetch without logging in, so
    these are the ones an anonymous visitor may see."""
    if not user.is_authenticated:
        return Community.objects.none()
    return member_communities_visible_to(user, AnonymousUser())
