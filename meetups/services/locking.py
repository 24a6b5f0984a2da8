"""The meetup row lock, and the waitlist promotion that relies on it.

Capacity is settled by the database: each write locks the meetup row first
(`select_for_update`), so concurrent sign-ups and cancellations for one meetup run one after the
other and the going count cannot overshoot, nor a waiting member be promoted twice.

These helpers live here only, so the RSVP, publishing and admin services all take the same lock
the same way.
"""

from __future__ import annotations

from ..models import Meetup, Rsvp
from ..tasks import rsvp_promoted_notify


def _lock_meetup(meetup_id: int) -> Meetup:
    """Lock the meetup row until the end of the caller's transaction."""
    return Meetup.objects.select_for_update().get(pk=meetup_id)


def _going_count(meetup: Meetup) -> int:
    return Rsvp.objects.filter(meetup=meetup, state=Rsvp.State.GOING).count()


def _has_room(meetup: Meetup) -> bool:
    """Caller holds the meetup lock."""
    return meetup.capacity is None or _going_count(meetup) < meetup.capacity


def _promote_first_waiting(meetup: Meetup) -> Rsvp | None:
    """Caller holds the meetup lock, so one freed place promotes exactly one member."""
    if not _has_room(meetup):
        return None
    first = (
        Rsvp.objects.filter(meetup=meetup, state=Rsvp.State.WAITLIST)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.state = Rsvp.State.GOING
    first.save(update_fields=["state", "updated_at"])
    rsvp_promoted_notify.delay_on_commit(first.pk)
    return first
