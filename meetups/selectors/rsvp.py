"""A member's own answer to a meetup, the places left in it and in its sessions, and the
reminders due."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.selectors import Viewer

from ..models import Meetup, Rsvp, Session, SessionSignup
from .visibility import _visible, rsvp_list_mailable


def meetup_places_left(meetup: Meetup) -> int | None:
    """Free places, or None when the meetup has no capacity limit.

    Uses the `going_count` annotation of the agenda and page selectors when present, so a list
    of cards costs no extra queries.
    """
    if meetup.capacity is None:
        return None
    going = getattr(meetup, "going_count", None)
    if going is None:
        going = meetup.rsvps.filter(state=Rsvp.State.GOING).count()
    return max(meetup.capacity - going, 0)


def meetup_rsvp_closed_reason(meetup: Meetup) -> str | None:
    """Why nobody can sign up for `meetup` now, as a message for the user; None when they can."""
    if meetup.status == Meetup.Status.CANCELLED:
        return _("Deze bijeenkomst is afgelast. Aanmelden kan niet meer.")
    if meetup.status != Meetup.Status.PUBLISHED:
        return _("Deze bijeenkomst is nog niet gepubliceerd. Aanmelden kan nog niet.")
    # RSVP closes when the meetup starts.
    if meetup.starts_at <= timezone.now():
        return _("Deze bijeenkomst is al begonnen. Aanmelden kan niet meer.")
    return None


def rsvp_for(user: Viewer, meetup: Meetup) -> Rsvp | None:
    """The viewer's own answer to `meetup`, cancelled ones included; None for anonymous users."""
    if not user.is_authenticated:
        return None
    return Rsvp.objects.filter(user=user, meetup=meetup).first()


def rsvp_list_upcoming_for(user: Viewer) -> QuerySet[Rsvp]:
    """The member's going and waitlist answers to meetups not yet over that they may still see,
    soonest first, with the meetup, its branch and community: one query. Cancelled meetups stay
    in, so the member learns they need not come."""
    if not user.is_authenticated:
        return Rsvp.objects.none()
    visible = _visible(user).filter(ends_at__gte=timezone.now()).values("pk")
    return (
        Rsvp.objects.filter(
            user=user, state__in=[Rsvp.State.GOING, Rsvp.State.WAITLIST], meetup__in=visible
        )
        .select_related("meetup__branch", "meetup__community")
        .order_by("meetup__starts_at", "meetup_id")
    )


def rsvp_waitlist_position(rsvp: Rsvp) -> int | None:
    """1 for the first on the waitlist (the next to be promoted); None when not waiting."""
    if rsvp.state != Rsvp.State.WAITLIST:
        return None
    ahead = Rsvp.objects.filter(
        Q(created_at__lt=rsvp.created_at) | Q(created_at=rsvp.created_at, pk__lt=rsvp.pk),
        meetup_id=rsvp.meetup_id,
        state=Rsvp.State.WAITLIST,
    ).count()
    return ahead + 1


def session_signup_ids_for(user: Viewer, meetup: Meetup) -> set[int]:
    """The sessions of `meetup` the viewer has a place in."""
    if not user.is_authenticated:
        return set()
    return set(
        SessionSignup.objects.filter(user=user, session__meetup=meetup).values_list(
            "session_id", flat=True
        )
    )


def session_places_left(session: Session) -> int | None:
    """Free places in `session`, or None when it has no capacity of its own.

    Uses the `signup_count` annotation of meetup_get_visible when present.
    """
    if session.capacity is None:
        return None
    taken = getattr(session, "signup_count", None)
    if taken is None:
        taken = session.signups.count()
    return max(session.capacity - taken, 0)


def rsvp_ids_due_for_reminder(*, now, ahead: timedelta) -> list[int]:
    """Going, not yet reminded RSVPs for published meetups starting within `ahead` from `now`,
    of active members who may still see the meetup."""
    return list(
        rsvp_list_mailable()
        .filter(
            state=Rsvp.State.GOING,
            reminded_at__isnull=True,
            meetup__status=Meetup.Status.PUBLISHED,
            meetup__starts_at__gt=now,
            meetup__starts_at__lte=now + ahead,
        )
        .order_by("meetup__starts_at", "pk")
        .values_list("pk", flat=True)
    )
