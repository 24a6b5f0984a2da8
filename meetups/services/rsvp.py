"""Every write to RSVPs: signing up, the waitlist and cancelling; what members need to take
part, and their places in sessions.

Capacity is settled by the database: each write locks the meetup row first
(`select_for_update`, see `locking`), so concurrent sign-ups and cancellations for one meetup run
one after the other and the going count cannot overshoot, nor a waiting member be promoted twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import User
from communities.suspension import require_can_act

from ..models import Meetup, Rsvp, Session, SessionSignup
from ..selectors import meetup_rsvp_closed_reason, rsvp_member_may_see_meetup
from ..tasks import rsvp_confirmed_notify
from .locking import _has_room, _lock_meetup, _promote_first_waiting


@transaction.atomic
def rsvp_respond(*, user: User, meetup_id: int, access_needs: str = "") -> Rsvp:
    """Sign `user` up: going while there is room, otherwise on the waitlist.

    Answering again changes nothing for someone already going or waiting (their access needs
    change with rsvp_access_needs_update); someone who cancelled comes back at the end of the
    queue. `access_needs` is what they need to take part; only the organisers see it.
    """
    require_can_act(user)
    meetup = _lock_meetup(meetup_id)
    reason = meetup_rsvp_closed_reason(meetup)
    if reason:
        raise ValidationError(reason)
    rsvp = Rsvp.objects.filter(user=user, meetup=meetup).first()
    if rsvp is not None and rsvp.state != Rsvp.State.CANCELLED:
        return rsvp
    state = Rsvp.State.GOING if _has_room(meetup) else Rsvp.State.WAITLIST
    if rsvp is None:
        rsvp = Rsvp.objects.create(
            user=user, meetup=meetup, state=state, access_needs=access_needs.strip()
        )
    else:
        # The waitlist is ordered by created_at: coming back after cancelling means joining the end.
        rsvp.state = state
        rsvp.created_at = timezone.now()
        rsvp.access_needs = access_needs.strip()
        rsvp.save(update_fields=["state", "created_at", "access_needs", "updated_at"])
    rsvp_confirmed_notify.delay_on_commit(rsvp.pk)
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
    # Access needs are personal data kept only for taking part; places in sessions go back.
    rsvp.access_needs = ""
    rsvp.save(update_fields=["state", "access_needs", "updated_at"])
    SessionSignup.objects.filter(user=user, session__meetup=meetup).delete()
    if not was_going or meetup.status != Meetup.Status.PUBLISHED:
        return None
    return _promote_first_waiting(meetup)


@transaction.atomic
def rsvp_cancel_where_unseen(*, user_id: int, community_id: int) -> int:
    """Cancel the member's RSVPs for the upcoming meetups of a community whose meetups they may
    no longer see (they left a private community): each through rsvp_cancel, so a freed place
    goes to the first on the waitlist, who gets a mail. Meetups that have begun keep their
    RSVPs, for the attendance. Returns the number cancelled.

    Runs in the caller's transaction (the leave), so the membership and the places end together.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    rsvps = (
        Rsvp.objects.filter(
            user=user,
            meetup__community_id=community_id,
            meetup__status=Meetup.Status.PUBLISHED,
            meetup__starts_at__gt=timezone.now(),
            state__in=[Rsvp.State.GOING, Rsvp.State.WAITLIST],
        )
        .exclude(rsvp_member_may_see_meetup())
        .order_by("meetup_id")  # Lock meetups in one order: no deadlock with another leave.
    )
    cancelled = 0
    for meetup_id in list(rsvps.values_list("meetup_id", flat=True)):
        try:
            rsvp_cancel(user=user, meetup_id=meetup_id)
        except ValidationError:
            continue  # Begun meanwhile: the RSVP stays, as for everyone at a begun meetup.
        cancelled += 1
    return cancelled


@transaction.atomic
def rsvp_access_needs_update(*, user: User, meetup_id: int, access_needs: str) -> Rsvp:
    """Change what `user` needs to take part, while they are going or waiting."""
    rsvp = (
        Rsvp.objects.select_for_update()
        .filter(user=user, meetup_id=meetup_id, state__in=[Rsvp.State.GOING, Rsvp.State.WAITLIST])
        .first()
    )
    if rsvp is None:
        raise ValidationError(_("Je bent niet aangemeld voor deze bijeenkomst."))
    rsvp.access_needs = access_needs.strip()
    rsvp.save(update_fields=["access_needs", "updated_at"])
    return rsvp


def _session_closed_reason(session: Session) -> str | None:
    meetup = session.meetup
    if meetup.status != Meetup.Status.PUBLISHED:
        return _("Aanmelden voor dit onderdeel kan niet: de bijeenkomst gaat niet door.")
    if session.starts_at <= timezone.now():
        return _("Dit onderdeel is al begonnen. Aanmelden kan niet meer.")
    if session.capacity is None:
        return _("Voor dit onderdeel hoef je je niet apart aan te melden.")
    return None


@transaction.atomic
def session_signup(*, user: User, session_id: int) -> SessionSignup:
    """Give `user` a place in a session with a capacity of its own.

    The session row is locked first, so concurrent sign-ups for one session run one after the
    other and the places cannot overshoot. The member's RSVP row is locked too: a concurrent
    rsvp_cancel either runs first (and this refuses) or waits and then removes the new place.
    Signing up twice returns the place they have.
    """
    require_can_act(user)
    session = Session.objects.select_for_update().select_related("meetup").get(pk=session_id)
    reason = _session_closed_reason(session)
    if reason:
        raise ValidationError(reason)
    rsvp = (
        Rsvp.objects.select_for_update()
        .filter(user=user, meetup_id=session.meetup_id, state=Rsvp.State.GOING)
        .first()
    )
    if rsvp is None:
        raise ValidationError(_("Meld je eerst aan voor de bijeenkomst zelf."))
    existing = SessionSignup.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing
    clash = (
        SessionSignup.objects.filter(
            user=user,
            session__meetup_id=session.meetup_id,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .select_related("session")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("Je hebt op dat moment al een plek bij “%(title)s”. Meld je daar eerst af.")
            % {"title": clash.session.title}
        )
    assert session.capacity is not None  # _session_closed_reason refused those without one
    if SessionSignup.objects.filter(session=session).count() >= session.capacity:
        raise ValidationError(_("Dit onderdeel is vol."))
    return SessionSignup.objects.create(session=session, user=user)


@transaction.atomic
def session_signup_cancel(*, user: User, session_id: int) -> bool:
    """Give up `user`'s place in a session; True when there was one."""
    session = Session.objects.select_for_update().get(pk=session_id)
    deleted, _rows = SessionSignup.objects.filter(session=session, user=user).delete()
    return deleted > 0
