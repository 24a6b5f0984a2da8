"""Organiser tools: check-in at the door (walk-ins too), a message to everyone coming (a copy is
kept on the meetup), and the report afterwards. Callers checked that the user may manage the
meetup (meetup_get_manageable)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import User
from knowledge.markdown import render_markdown
from knowledge.models import Contribution

from ..models import Meetup, Report, Rsvp, SentMessage, WalkIn
from ..selectors import rsvp_list_mailable, walk_in_member_candidates
from ..tasks import meetup_message_send
from .locking import _lock_meetup


def check_in_closed_reason(meetup: Meetup) -> str | None:
    if meetup.status != Meetup.Status.PUBLISHED:
        return _("Aanwezig melden kan alleen bij een bijeenkomst die doorgaat.")
    if timezone.localdate() < timezone.localdate(meetup.starts_at):
        return _("Aanwezig melden kan vanaf de dag van de bijeenkomst.")
    return None


@transaction.atomic
def rsvp_check_in(*, meetup: Meetup, rsvp_id: int, present: bool = True) -> Rsvp:
    """Mark someone who is going as present at the door, or undo that (`present=False`).

    Caller checked that the user may manage `meetup`. A conditional UPDATE: two phones at the
    door tapping the same name keep the first time.
    """
    reason = check_in_closed_reason(meetup)
    if reason:
        raise ValidationError(reason)
    rsvps = Rsvp.objects.filter(pk=rsvp_id, meetup=meetup, state=Rsvp.State.GOING)
    if present:
        rsvps.filter(checked_in_at__isnull=True).update(
            checked_in_at=timezone.now(), updated_at=timezone.now()
        )
    else:
        rsvps.update(checked_in_at=None, updated_at=timezone.now())
    rsvp = rsvps.select_related("user").first()
    if rsvp is None:
        raise ValidationError(_("Deze aanmelding hoort niet bij wie er komt."))
    return rsvp


class OverCapacity(ValidationError):
    """The meetup is full; the organiser may still let someone in at the door (over_capacity)."""


def _door_has_room(meetup: Meetup) -> None:
    """Caller holds the meetup lock. Refuses when the places are taken by people going and
    walk-ins together; the organiser decides at the door whether to let one more in."""
    if meetup.capacity is None:
        return
    taken = (
        Rsvp.objects.filter(meetup=meetup, state=Rsvp.State.GOING).count()
        + WalkIn.objects.filter(meetup=meetup).count()
    )
    if taken >= meetup.capacity:
        raise OverCapacity(
            _(
                "De bijeenkomst is vol: %(taken)d van %(capacity)d plaatsen zijn bezet. Is er "
                "aan de deur toch plek, vink dan aan dat je meer mensen binnenlaat dan er "
                "plaatsen zijn."
            )
            % {"taken": taken, "capacity": meetup.capacity},
            code="over_capacity",
        )


@transaction.atomic
def walk_in_register_guest(
    *, meetup: Meetup, name: str, email: str = "", over_capacity: bool = False
) -> WalkIn:
    """Register someone without an account who walks in: present from now on.

    Only a name (and an email address if they want one) is stored, on the meetup; it goes when
    the meetup goes. Takes the meetup row lock, as RSVPs do, so two phones at the door cannot
    both take the last place. With `over_capacity` the organiser lets them in over the limit.
    """
    meetup = _lock_meetup(meetup.pk)
    reason = check_in_closed_reason(meetup)
    if reason:
        raise ValidationError(reason)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Vul een naam in.")})
    if not over_capacity:
        _door_has_room(meetup)
    return WalkIn.objects.create(meetup=meetup, name=name, email=email.strip())


@transaction.atomic
def rsvp_walk_in(*, meetup: Meetup, user: User, over_capacity: bool = False) -> Rsvp:
    """A member who walks in: going and present from now on.

    Someone already going is checked in; someone waiting, who cancelled or never answered gets
    a place (with `over_capacity`, over the limit) without a confirmation mail: they are here.
    Takes the meetup row lock first, as every RSVP write does.
    """
    meetup = _lock_meetup(meetup.pk)
    reason = check_in_closed_reason(meetup)
    if reason:
        raise ValidationError(reason)
    if not walk_in_member_candidates(meetup).filter(pk=user.pk).exists():
        raise ValidationError(_("Dit lid kun je bij deze bijeenkomst niet aanmelden."))
    now = timezone.now()
    rsvp = Rsvp.objects.filter(user=user, meetup=meetup).first()
    if rsvp is not None and rsvp.state == Rsvp.State.GOING:
        if rsvp.checked_in_at is None:
            rsvp.checked_in_at = now
            rsvp.save(update_fields=["checked_in_at", "updated_at"])
        return rsvp
    if not over_capacity:
        _door_has_room(meetup)
    if rsvp is None:
        return Rsvp.objects.create(
            user=user, meetup=meetup, state=Rsvp.State.GOING, checked_in_at=now
        )
    rsvp.state = Rsvp.State.GOING
    rsvp.checked_in_at = now
    rsvp.save(update_fields=["state", "checked_in_at", "updated_at"])
    return rsvp


@transaction.atomic
def walk_in_remove(*, meetup: Meetup, walk_in_id: int) -> WalkIn | None:
    """Undo a walk-in registered by mistake: the row and the name in it are deleted."""
    walk_in = WalkIn.objects.filter(pk=walk_in_id, meetup=meetup).first()
    if walk_in is None:
        return None
    walk_in.delete()
    return walk_in


def meetup_message_recipient_count(meetup: Meetup, *, include_waitlist: bool) -> int:
    states = [Rsvp.State.GOING, Rsvp.State.WAITLIST] if include_waitlist else [Rsvp.State.GOING]
    return rsvp_list_mailable().filter(meetup=meetup, state__in=states).count()


@transaction.atomic
def meetup_message_attendees(
    *, meetup: Meetup, sender: User, subject: str, body: str, include_waitlist: bool
) -> int:
    """Queue a message from an organiser to everyone going (and, if asked, waiting).

    Caller checked that `sender` may manage `meetup`. Each recipient gets their own mail after
    commit, with Reply-To the sender. A copy (SentMessage) is kept on the meetup, with the
    number of recipients at this moment, which is returned.
    """
    if meetup.status == Meetup.Status.CANCELLED:
        raise ValidationError(_("Deze bijeenkomst is afgelast; stuur geen bericht meer."))
    count = meetup_message_recipient_count(meetup, include_waitlist=include_waitlist)
    if count == 0:
        raise ValidationError(_("Er is nog niemand aan wie je dit bericht kunt sturen."))
    subject, body = subject.strip(), body.strip()
    SentMessage.objects.create(
        meetup=meetup,
        sender=sender,
        subject=subject,
        body=body,
        include_waitlist=include_waitlist,
        recipient_count=count,
    )
    meetup_message_send.delay_on_commit(meetup.pk, sender.pk, subject, body, include_waitlist)
    return count


def report_closed_reason(meetup: Meetup) -> str | None:
    """Why no report can be written for `meetup` now; None when it can."""
    if meetup.status == Meetup.Status.CANCELLED:
        return _("Deze bijeenkomst is afgelast. Er komt geen verslag.")
    if meetup.status != Meetup.Status.PUBLISHED:
        return _("Deze bijeenkomst is niet gepubliceerd.")
    if meetup.starts_at > timezone.now():
        return _("Je kunt een verslag schrijven zodra de bijeenkomst begonnen is.")
    return None


@transaction.atomic
def report_save(
    *, meetup: Meetup, author: User, body: str, contributions: Iterable[Contribution] = ()
) -> Report:
    """Write or rewrite the report of `meetup`, with the contributions that came out of it.

    Caller checked that `author` may manage `meetup` and that `contributions` are among
    report_contribution_choices. The first writer stays the author.
    """
    reason = report_closed_reason(meetup)
    if reason:
        raise ValidationError(reason)
    body_html, _mentioned = render_markdown(body)
    report, _created = Report.objects.update_or_create(
        meetup=meetup,
        defaults={"body": body, "body_html": body_html},
        create_defaults={"body": body, "body_html": body_html, "author": author},
    )
    report.contributions.set(contributions)
    return report
