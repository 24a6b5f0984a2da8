"""Organiser tools: check-in at the door, a message to everyone coming, and the report
afterwards. Callers checked that the user may manage the meetup (meetup_get_manageable)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import User
from knowledge.markdown import render_markdown
from knowledge.models import Contribution

from ..models import Meetup, Report, Rsvp
from ..selectors import rsvp_list_mailable
from ..tasks import meetup_message_send


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


def meetup_message_recipient_count(meetup: Meetup, *, include_waitlist: bool) -> int:
    states = [Rsvp.State.GOING, Rsvp.State.WAITLIST] if include_waitlist else [Rsvp.State.GOING]
    return rsvp_list_mailable().filter(meetup=meetup, state__in=states).count()


@transaction.atomic
def meetup_message_attendees(
    *, meetup: Meetup, sender: User, subject: str, body: str, include_waitlist: bool
) -> int:
    """Queue a message from an organiser to everyone going (and, if asked, waiting).

    Caller checked that `sender` may manage `meetup`. Each recipient gets their own mail after
    commit, with Reply-To the sender. Returns the number of recipients at this moment.
    """
    if meetup.status == Meetup.Status.CANCELLED:
        raise ValidationError(_("Deze bijeenkomst is afgelast; stuur geen bericht meer."))
    count = meetup_message_recipient_count(meetup, include_waitlist=include_waitlist)
    if count == 0:
        raise ValidationError(_("Er is nog niemand aan wie je dit bericht kunt sturen."))
    meetup_message_send.delay_on_commit(
        meetup.pk, sender.pk, subject.strip(), body.strip(), include_waitlist
    )
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
