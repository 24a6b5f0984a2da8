"""Mail about replies and mentions: throttled per member and bundled.

A member gets at most `REPLY_MAIL_MAX_PER_HOUR` of these mails an hour (default 1; 0 turns them
off). The first event after a quiet hour is mailed at once; what happens while the window is
closed waits (`Notification.mail` = pending) and goes out together, in one mail, when it opens:
a task queued for that moment, and `reply_mail_sweep` on beat for a task that got lost.

Exactly one sender per member at a time: `reply_mail_send` locks the member's `ReplyMailState`
row before it reads the pending notifications and holds the lock through SMTP until they are
marked sent. A second run, concurrent or later, finds nothing pending or a closed window. As
for digests (`notifications.delivery`), a worker killed between SMTP's acceptance and our COMMIT
sends that bundle again: at least once, never lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from communities.models import User

from .delivery import PERMANENT, REFUSED, address_record_failure, classify_smtp_error
from .mail import _language_prefix, member_language
from .models import CommunityFollow, Notification, ReplyMailState
from .selectors import mail_recipients

logger = logging.getLogger(__name__)

Mail = Notification.Mail
# Events this young are left to the task queued when they happened; the sweep takes the rest.
SWEEP_GRACE = dt.timedelta(minutes=2)


def max_per_hour() -> int:
    return max(0, int(getattr(settings, "REPLY_MAIL_MAX_PER_HOUR", 1)))


def mail_interval() -> dt.timedelta:
    """The least time between two mails to one member: an hour divided by the limit."""
    return dt.timedelta(hours=1) / max(1, max_per_hour())


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | throttled | nothing | skipped | failed | gone
    count: int = 0
    opens_at: dt.datetime | None = None  # throttled: when the next mail may go
    schedule: bool = False  # throttled, and no task is queued for `opens_at` yet


def reply_mail_send(*, user_id: int, now: dt.datetime | None = None) -> Outcome:
    """Mail `user_id` their pending reply and mention notifications, if their window is open.

    Safe to call any number of times and from any number of workers at once.
    """
    now = now or timezone.now()
    if not User.objects.filter(pk=user_id).exists():
        return Outcome("gone")
    ReplyMailState.objects.get_or_create(user_id=user_id)
    with transaction.atomic():
        state = ReplyMailState.objects.select_for_update().get(pk=user_id)
        pending = list(
            Notification.objects.filter(recipient_id=user_id, mail=Mail.PENDING)
            .select_related("actor", "community")
            .order_by("created_at", "pk")
        )
        if not pending:
            _unschedule(state)
            return Outcome("nothing")
        wanted = _still_wanted(user_id, pending)
        unwanted = [n.pk for n in pending if n.pk not in wanted]
        if unwanted:
            Notification.objects.filter(pk__in=unwanted).update(mail=Mail.SKIPPED)
        pending = [n for n in pending if n.pk in wanted]
        if not pending:
            _unschedule(state)
            return Outcome("skipped", len(unwanted))
        opens_at = state.last_sent_at + mail_interval() if state.last_sent_at else now
        if opens_at > now:
            schedule = state.scheduled_for != opens_at
            if schedule:
                state.scheduled_for = opens_at
                state.save(update_fields=["scheduled_for"])
            return Outcome("throttled", len(pending), opens_at, schedule)
        return _send(state, pending, now)


def _unschedule(state: ReplyMailState) -> None:
    if state.scheduled_for is not None:
        state.scheduled_for = None
        state.save(update_fields=["scheduled_for"])


def _still_wanted(user_id: int, pending: list[Notification]) -> set[int]:
    """Preferences and eligibility as they are now, not as they were at the event."""
    if max_per_hour() == 0:
        return set()
    mailable = (
        mail_recipients()
        .filter(pk=user_id)
        .exclude(notification_preferences__reply_mail=False)
        .exists()
    )
    if not mailable:
        return set()
    muted = set(
        CommunityFollow.objects.filter(
            user_id=user_id, level=CommunityFollow.Level.MUTED
        ).values_list("community_id", flat=True)
    )
    return {n.pk for n in pending if n.community_id not in muted}


def _send(state: ReplyMailState, pending: list[Notification], now: dt.datetime) -> Outcome:
    """Caller holds the lock on `state`. Sends, then marks sent in the same transaction."""
    user = User.objects.get(pk=state.user_id)
    message = reply_mail_message(user, pending)
    ids = [n.pk for n in pending]
    try:
        message.send()
    except Exception as error:
        kind = classify_smtp_error(error)
        if kind not in (PERMANENT, REFUSED):
            raise  # temporary: roll back, the task retries with backoff
        Notification.objects.filter(pk__in=ids).update(mail=Mail.SKIPPED)
        if kind == REFUSED:
            address_record_failure(email=user.email, error=f"{type(error).__name__}: {error}")
        logger.warning("reply mail to member %s failed for good: %s", user.pk, error)
        return Outcome("failed", len(ids))
    Notification.objects.filter(pk__in=ids).update(mail=Mail.SENT, mailed_at=now)
    state.last_sent_at = now
    state.scheduled_for = None
    state.save(update_fields=["last_sent_at", "scheduled_for"])
    return Outcome("sent", len(ids))


def reply_mail_message(user: User, notifications: list[Notification]) -> EmailMultiAlternatives:
    """One mail with every notification in it, in the member's language, links absolute."""
    language = member_language(user.language)
    base = settings.SITE_URL + _language_prefix(language)
    with translation.override(language):
        items = [
            {
                "sentence": n.sentence,
                "excerpt": n.excerpt,
                "url": base + n.url,
            }
            for n in notifications
        ]
        context = {
            "user": user,
            "items": items,
            "count": len(items),
            "per_hour": max_per_hour(),
            # Reports to moderators (moderation.notify) travel with the reply mail; a mail of
            # nothing but those says why it came, not "someone reacted to you".
            "reports_only": all(n.kind == Notification.Kind.CASE_REPORTED for n in notifications),
            "language": language,
            "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
            "notifications_url": settings.SITE_URL + reverse("notifications:notification_list"),
        }
        subject = " ".join(render_to_string("emails/notification_subject.txt", context).split())
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    host = urlsplit(settings.SITE_URL).hostname or "kenniscloud.local"
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={
            "Auto-Submitted": "auto-generated",
            # The same for a resend of this bundle, so mail clients can fold a duplicate.
            "Message-ID": f"<reply.{user.pk}.{notifications[0].pk}@{host}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def reply_mail_due(*, now: dt.datetime | None = None) -> list[int]:
    """Members with pending reply mail whose window is open: for the sweep."""
    now = now or timezone.now()
    closed = ReplyMailState.objects.filter(
        user_id=OuterRef("recipient_id"), last_sent_at__gt=now - mail_interval()
    )
    return list(
        Notification.objects.filter(mail=Mail.PENDING, created_at__lte=now - SWEEP_GRACE)
        .filter(~Q(Exists(closed)))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
