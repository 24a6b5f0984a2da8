"""Mail about RSVPs and meetups, sent after commit. Tasks take ids; a gone row means no mail.

Every mail is rendered in the member's own language, and mails about one meetup carry its .ics
file so the member's calendar keeps up with changes (same UID, higher SEQUENCE).
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from communities.models import Community, Membership, User
from kenniscloud.common.mail import MAIL_RETRY, MAIL_TASK_LIMITS, mail_member

from .calendar import ics_filename, meetup_ics
from .models import Meetup, Rsvp
from .selectors import rsvp_ids_due_for_reminder, rsvp_list_mailable
from .signals import meetup_changed

logger = logging.getLogger(__name__)

# Going members hear about a meetup once, within this long before it starts.
REMINDER_AHEAD = dt.timedelta(hours=24)


def _send_mail(user: User, template: str, context: dict, *, ics: Meetup | None = None) -> None:
    """`mail_member`, with the meetup's calendar file attached when `ics` is given."""

    def calendar_file():
        return [(ics_filename(ics), meetup_ics(ics).decode(), "text/calendar")]

    mail_member(user, template, context, attachments=calendar_file if ics else None)


def _load_rsvp(rsvp_id: int) -> Rsvp | None:
    """The RSVP to mail about, or None: gone, or its member may no longer see the meetup (they
    left its private community, say). Every mail about a meetup to a member passes here."""
    return (
        rsvp_list_mailable()
        .select_related("user", "meetup", "meetup__branch")
        .filter(pk=rsvp_id)
        .first()
    )


@shared_task(**MAIL_RETRY)
def rsvp_confirmed_notify(rsvp_id: int) -> None:
    """Confirm a new answer: a place, or a place on the waitlist."""
    rsvp = _load_rsvp(rsvp_id)
    if rsvp is None or rsvp.state not in (Rsvp.State.GOING, Rsvp.State.WAITLIST):
        logger.info("rsvp %s gone or cancelled; no confirmation mail", rsvp_id)
        return
    meetup = rsvp.meetup
    _send_mail(rsvp.user, "rsvp_confirmed", {"rsvp": rsvp, "meetup": meetup}, ics=meetup)


@shared_task(**MAIL_RETRY)
def rsvp_promoted_notify(rsvp_id: int) -> None:
    rsvp = _load_rsvp(rsvp_id)
    if rsvp is None or rsvp.state != Rsvp.State.GOING:
        logger.info("rsvp %s gone or no longer going; no promotion mail", rsvp_id)
        return
    meetup = rsvp.meetup
    _send_mail(rsvp.user, "rsvp_promoted", {"meetup": meetup}, ics=meetup)


@shared_task(**MAIL_TASK_LIMITS)
def meetup_send_reminders() -> int:
    """Queue one reminder per going member of each meetup that starts within a day.

    Run by beat. Each RSVP is claimed with a conditional UPDATE before its mail is queued, so
    overlapping runs (a beat that fires twice, two workers) remind every member exactly once.
    A worker dying between claim and queue loses that one reminder: at most once, never twice.
    Returns the number of reminders queued.
    """
    now = timezone.now()
    queued = 0
    for rsvp_id in rsvp_ids_due_for_reminder(now=now, ahead=REMINDER_AHEAD):
        claimed = Rsvp.objects.filter(pk=rsvp_id, reminded_at__isnull=True).update(reminded_at=now)
        if claimed == 1:
            rsvp_reminder_send.delay(rsvp_id)
            queued += 1
    return queued


@shared_task(**MAIL_RETRY)
def rsvp_reminder_send(rsvp_id: int) -> None:
    rsvp = _load_rsvp(rsvp_id)
    if rsvp is None or rsvp.state != Rsvp.State.GOING:
        logger.info("rsvp %s gone or no longer going; no reminder", rsvp_id)
        return
    meetup = rsvp.meetup
    if meetup.status != Meetup.Status.PUBLISHED or meetup.starts_at <= timezone.now():
        logger.info("meetup %s cancelled or begun; no reminder for rsvp %s", meetup.pk, rsvp_id)
        return
    _send_mail(rsvp.user, "rsvp_reminder", {"rsvp": rsvp, "meetup": meetup}, ics=meetup)


MEETUP_CHANGES = ("changed", "cancelled")


@shared_task(**MAIL_TASK_LIMITS)
def meetup_changed_notify(meetup_id: int, change: str) -> int:
    """Tell everyone going or waiting that `meetup` moved ("changed") or was "cancelled".

    Queue after the change is committed (and, for "changed", after `meetup.sequence` was raised).
    Fans out one mail task per member, so a failing mail is retried alone. Returns the number of
    mails queued.
    """
    if change not in MEETUP_CHANGES:
        raise ValueError(f"unknown meetup change {change!r}")
    meetup = Meetup.objects.filter(pk=meetup_id).first()
    if meetup is None:
        logger.info("meetup %s gone; no %s notice", meetup_id, change)
        return 0
    expected = Meetup.Status.CANCELLED if change == "cancelled" else Meetup.Status.PUBLISHED
    if meetup.status != expected or meetup.ends_at <= timezone.now():
        # A later change overtook this one (the "cancelled" notice covers a move, say).
        logger.info("meetup %s is %s; no %s notice", meetup_id, meetup.status, change)
        return 0
    rsvps = rsvp_list_mailable().filter(
        meetup=meetup, state__in=[Rsvp.State.GOING, Rsvp.State.WAITLIST]
    )
    if change == "changed" and meetup.starts_at > timezone.now() + REMINDER_AHEAD:
        # A reminder sent for the old time does not count for the new one.
        rsvps.filter(reminded_at__isnull=False).update(reminded_at=None)
    rsvp_ids = list(rsvps.values_list("pk", flat=True))
    for rsvp_id in rsvp_ids:
        rsvp_meetup_change_send.delay(rsvp_id, change)
    # In-site notices (the notifications app listens); a failing receiver never stops the mails.
    for receiver, error in meetup_changed.send_robust(
        sender=Meetup,
        meetup=meetup,
        change=change,
        user_ids=list(rsvps.values_list("user_id", flat=True)),
    ):
        if isinstance(error, Exception):
            logger.error("meetup %s: %r failed: %r", meetup_id, receiver, error)
    return len(rsvp_ids)


@shared_task(**MAIL_RETRY)
def rsvp_meetup_change_send(rsvp_id: int, change: str) -> None:
    rsvp = _load_rsvp(rsvp_id)
    if rsvp is None or rsvp.state == Rsvp.State.CANCELLED:
        logger.info("rsvp %s gone or cancelled; no %s notice", rsvp_id, change)
        return
    meetup = rsvp.meetup
    template = "meetup_cancelled" if change == "cancelled" else "meetup_changed"
    # The cancelled .ics (STATUS:CANCELLED) lets calendars that imported the meetup mark it.
    _send_mail(rsvp.user, template, {"rsvp": rsvp, "meetup": meetup}, ics=meetup)


@shared_task(**MAIL_TASK_LIMITS)
def meetup_message_send(
    meetup_id: int, sender_id: int, subject: str, body: str, include_waitlist: bool
) -> int:
    """An organiser's message to everyone going (and, with `include_waitlist`, waiting).

    Fans out one mail task per member, so everyone gets their own mail (nobody sees the others'
    addresses) and a failing mail is retried alone. Returns the number of mails queued.
    """
    meetup = Meetup.objects.filter(pk=meetup_id).first()
    sender = User.objects.filter(pk=sender_id, is_active=True).first()
    if meetup is None or sender is None:
        logger.info("meetup %s or sender %s gone; no message", meetup_id, sender_id)
        return 0
    states = [Rsvp.State.GOING, Rsvp.State.WAITLIST] if include_waitlist else [Rsvp.State.GOING]
    rsvp_ids = list(
        rsvp_list_mailable().filter(meetup=meetup, state__in=states).values_list("pk", flat=True)
    )
    for rsvp_id in rsvp_ids:
        meetup_message_deliver.delay(rsvp_id, sender_id, subject, body)
    return len(rsvp_ids)


@shared_task(**MAIL_RETRY)
def meetup_message_deliver(rsvp_id: int, sender_id: int, subject: str, body: str) -> None:
    rsvp = _load_rsvp(rsvp_id)
    sender = User.objects.filter(pk=sender_id, is_active=True).first()
    if rsvp is None or rsvp.state == Rsvp.State.CANCELLED or sender is None:
        logger.info("rsvp %s cancelled or sender %s gone; no message", rsvp_id, sender_id)
        return
    mail_member(
        rsvp.user,
        "meetup_message",
        {"rsvp": rsvp, "meetup": rsvp.meetup, "sender": sender, "subject": subject, "body": body},
        reply_to=[sender.email],
    )


@shared_task(**MAIL_RETRY)
def meetup_proposal_approved_notify(meetup_id: int) -> None:
    """Tell the member who proposed a meetup that it was accepted."""
    meetup = Meetup.objects.select_related("proposed_by", "community").filter(pk=meetup_id).first()
    if meetup is None or meetup.proposed_by is None or not meetup.proposed_by.is_active:
        logger.info("meetup %s or its proposer gone; no approval mail", meetup_id)
        return
    if meetup.status not in (Meetup.Status.DRAFT, Meetup.Status.PUBLISHED):
        logger.info("meetup %s is %s; no approval mail", meetup_id, meetup.status)
        return
    _send_mail(meetup.proposed_by, "meetup_proposal_approved", {"meetup": meetup})


@shared_task(**MAIL_RETRY)
def meetup_proposal_declined_notify(
    user_id: int, title: str, community_id: int | None, reason: str
) -> None:
    """Tell a proposer why their proposal was declined. The proposal itself is deleted, so its
    title and the reason travel with the task."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("user %s gone; no mail about declined proposal", user_id)
        return
    community = Community.objects.filter(pk=community_id).first() if community_id else None
    context = {"title": title, "community": community, "reason": reason}
    _send_mail(user, "meetup_proposal_declined", context)


@shared_task(**MAIL_TASK_LIMITS)
def meetup_proposal_notify_hosts(meetup_id: int) -> int:
    """Tell the hosts of the community that a member proposed a meetup there.

    Hosts decide on proposals (meetup_can_manage). There is no notification preference for
    this kind of mail, as for membership requests: deciding is part of hosting. Fans out one
    mail task per host, so a failing mail is retried alone and nobody gets it twice. Returns
    the number of mails queued.
    """
    meetup = Meetup.objects.filter(pk=meetup_id, status=Meetup.Status.PROPOSED).first()
    if meetup is None or meetup.community_id is None:
        logger.info("meetup %s gone, decided or without community; no proposal mail", meetup_id)
        return 0
    host_ids = list(
        User.objects.filter(
            memberships__community_id=meetup.community_id,
            memberships__state=Membership.State.ACTIVE,
            memberships__role=Membership.Role.HOST,
            is_active=True,
        )
        .exclude(pk=meetup.proposed_by_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for host_id in host_ids:
        meetup_proposal_host_mail.delay(meetup_id, host_id)
    return len(host_ids)


@shared_task(**MAIL_RETRY)
def meetup_proposal_host_mail(meetup_id: int, host_id: int) -> None:
    """One host's mail about a new proposal, in the host's own language; nothing when the
    proposal was decided meanwhile or the host stepped down."""
    meetup = (
        Meetup.objects.select_related("proposed_by", "community")
        .filter(pk=meetup_id, status=Meetup.Status.PROPOSED)
        .first()
    )
    host = None
    if meetup is not None and meetup.community_id is not None:
        host = User.objects.filter(
            pk=host_id,
            is_active=True,
            memberships__community_id=meetup.community_id,
            memberships__state=Membership.State.ACTIVE,
            memberships__role=Membership.Role.HOST,
        ).first()
    if meetup is None or host is None:
        logger.info("proposal %s decided or host %s gone; no proposal mail", meetup_id, host_id)
        return
    _send_mail(host, "meetup_proposal_received", {"meetup": meetup})
