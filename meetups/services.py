"""Every write to RSVPs: signing up, the waitlist and cancelling.

Capacity is settled by the database: each write locks the meetup row first
(`select_for_update`), so concurrent sign-ups and cancellations for one meetup run one after the
other and the going count cannot overshoot, nor a waiting member be promoted twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import User

from .models import Meetup, Rsvp
from .selectors import meetup_rsvp_closed_reason
from .tasks import rsvp_promoted_notify


def _lock_meetup(meetup_id: int) -> Meetup:
    """Lock the meetup row until the end of the caller's transaction."""
    return Meetup.objects.select_for_update().get(pk=meetup_id)


def _going_count(meetup: Meetup) -> int:
    return Rsvp.objects.filter(meetup=meetup, state=Rsvp.State.GOING).count()


def _has_room(meetup: Meetup) -> bool:
    """Caller holds the meetup lock."""
    return meetup.capacity is None or _going_count(meetup) < meetup.capacity


@transaction.atomic
def rsvp_respond(*, user: User, meetup_id: int) -> Rsvp:
    """Sign `user` up: going while there is room, otherwise on the waitlist.

    Answering again changes nothing for someone already going or waiting; someone who cancelled
    comes back at the end of the queue.
    """
    meetup = _lock_meetup(meetup_id)
    reason = meetup_rsvp_closed_reason(meetup)
    if reason:
        raise ValidationError(reason)
    rsvp = Rsvp.objects.filter(user=user, meetup=meetup).first()
    if rsvp is not None and rsvp.state != Rsvp.State.CANCELLED:
        return rsvp
    state = Rsvp.State.GOING if _has_room(meetup) else Rsvp.State.WAITLIST
    if rsvp is None:
        return Rsvp.objects.create(user=user, meetup=meetup, state=state)
    # The waitlist is ordered by created_at: coming back after cancelling means joining the end.
    rsvp.state = state
    rsvp.created_at = timezone.now()
    rsvp.save(update_fields=["state", "created_at", "updated_at"])
    return rsvp


@transaction.atomic
def rsvp_cancel(*, user: User, meetup_id: int) -> Rsvp | None:
    """Cancel `user`'s RSVP; a freed place goes to the first on the waitlist.

    Returns the promoted RSVP (its member gets a mail after commit), or None. Cancelling twice,
    or without an RSVP, does nothing.
    """
    meetup = _lock_meetup(meetup_id)
    if meetup.starts_at <= timezone.now():
        raise ValidationError(_("Deze bijeenkomst is al begonnen. Afmelden kan niet meer."))
    rsvp = Rsvp.objects.filter(user=user, meetup=meetup).first()
    if rsvp is None or rsvp.state == Rsvp.State.CANCELLED:
        return None
    was_going = rsvp.state == Rsvp.State.GOING
    rsvp.state = Rsvp.State.CANCELLED
    rsvp.save(update_fields=["state", "updated_at"])
    if not was_going or meetup.status != Meetup.Status.PUBLISHED:
        return None
    return _promote_first_waiting(meetup)


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
