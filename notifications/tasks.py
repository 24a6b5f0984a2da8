"""Digest tasks. All are acks_late: each is safe to run again, because deliveries are claimed
in the database before anything is sent (see `notifications.delivery`).

Every task has a time limit (a mail server that stops answering must not hold a worker), and
every countdown or ETA stays below the broker's visibility timeout (5 minutes): Redis hands a
message that waits longer out again, so it would run twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from kenniscloud.common.mail import MAIL_TASK_LIMITS

from . import delivery, events, reply_mail, services
from .models import DigestDelivery
from .periods import Period

logger = logging.getLogger(__name__)


# Planning a period is one INSERT … SELECT and a few hundred queued batches.
PLAN_LIMITS = {"soft_time_limit": 240, "time_limit": 270}
BATCH_LIMITS = {
    "soft_time_limit": delivery.BATCH_SOFT_TIME_LIMIT,
    "time_limit": delivery.BATCH_TIME_LIMIT,
}
# The longest ETA we queue; later work is left to a sweep on beat.
MAX_ETA = dt.timedelta(minutes=4)


@shared_task(acks_late=True, **PLAN_LIMITS)
def digest_run() -> dict[str, int]:
    """Beat, daily at DIGEST_HOUR: plan today's periods."""
    return services.digest_run(now=timezone.now())


@shared_task(acks_late=True, **PLAN_LIMITS)
def digest_plan(period_key: str) -> int:
    """Plan one period by hand or from a test, e.g. "weekly:2025-03-10"."""
    return services.digest_plan(period=Period.from_key(period_key))


@shared_task(acks_late=True, **BATCH_LIMITS)
def digest_send_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Build and send the digests of a batch of deliveries; retry the temporary failures."""
    try:
        result = delivery.digest_send_batch(delivery_ids)
    except SoftTimeLimitExceeded:
        # A slow mail server: hand what is left to a fresh task (the row in flight, if any, is
        # left 'sending' and is sent again; see delivery.py).
        left = list(
            DigestDelivery.objects.filter(
                pk__in=delivery_ids, state__in=DigestDelivery.OPEN_STATES
            ).values_list("pk", flat=True)
        )
        logger.warning("digest batch hit its time limit; %s deliveries queued again", len(left))
        if left:
            digest_send_batch.apply_async((sorted(left),))
        return {"requeued": len(left)}
    for countdown, ids in result.retry_groups().items():
        digest_send_batch.apply_async((ids,), countdown=countdown)
    summary = {
        "sent": len(result.sent),
        "skipped": len(result.skipped),
        "failed": len(result.failed),
        "busy": len(result.busy),
        "retry": len(result.retry),
    }
    logger.info("digest batch of %s: %s", len(delivery_ids), summary)
    return summary


@shared_task(acks_late=True, **PLAN_LIMITS)
def digest_sweep() -> int:
    """Beat, every 2 minutes: re-queue deliveries whose sender is gone (a killed worker)."""
    return services.digest_requeue_stale(now=timezone.now())


# --- in-site notifications and reply mail ---------------------------------------------------
# Queued after commit by notifications.receivers. Each takes ids, does nothing when the row is
# gone, and is safe to run twice: the unique constraints on Notification and the row lock on
# ReplyMailState decide, not the queue.

MAIL_RETRY = {
    "autoretry_for": (OSError, smtplib.SMTPException, SoftTimeLimitExceeded),
    "retry_backoff": 60,
    "retry_backoff_max": int(MAX_ETA.total_seconds()),
    "max_retries": 5,
    **MAIL_TASK_LIMITS,
}


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def comment_posted_notify(comment_id: int) -> int:
    return events.comment_posted_notify(comment_id=comment_id)


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def contribution_saved_notify(contribution_id: int, created: bool) -> int:
    return events.contribution_saved_notify(contribution_id=contribution_id, created=created)


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def comment_withdrawn_notify(comment_id: int) -> int:
    return events.comment_withdrawn_notify(comment_id=comment_id)


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def contribution_withdrawn_notify(contribution_id: int) -> int:
    return events.contribution_withdrawn_notify(contribution_id=contribution_id)


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def contribution_restored_notify(contribution_id: int) -> int:
    return events.contribution_restored_notify(contribution_id=contribution_id)


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def post_awaiting_approval_notify(contribution_id: int, comment_id: int | None = None) -> int:
    return events.post_awaiting_approval_notify(
        contribution_id=contribution_id, comment_id=comment_id
    )


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def post_decided_notify(
    contribution_id: int,
    comment_id: int | None,
    approved: bool,
    by_id: int | None = None,
    reason: str = "",
) -> int:
    return events.post_decided_notify(
        contribution_id=contribution_id,
        comment_id=comment_id,
        approved=approved,
        by_id=by_id,
        reason=reason,
    )


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def membership_decided_notify(
    user_id: int, community_id: int, approved: bool, by_id: int | None = None
) -> int:
    return events.membership_decided_notify(
        user_id=user_id, community_id=community_id, approved=approved, by_id=by_id
    )


@shared_task(acks_late=True, **MAIL_RETRY)
def reply_mail_send(user_id: int) -> str:
    """Send a member's pending reply mail now, or queue this task for when their window opens."""
    outcome = reply_mail.reply_mail_send(user_id=user_id)
    # A window that opens later than MAX_ETA is left to reply_mail_sweep (every 5 minutes).
    if outcome.schedule and outcome.opens_at <= timezone.now() + MAX_ETA:
        reply_mail_send.apply_async((user_id,), eta=outcome.opens_at)
    return outcome.status


@shared_task(acks_late=True, **MAIL_TASK_LIMITS)
def reply_mail_sweep() -> int:
    """Beat, every few minutes: send what waited longer than its queued task should have."""
    user_ids = reply_mail.reply_mail_due()
    for user_id in user_ids:
        reply_mail_send.delay(user_id)
    return len(user_ids)
