"""Every write to preferences and digest deliveries. Views and tasks call these."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership, User

from .models import (
    CommunityFollow,
    DigestDelivery,
    DigestFrequency,
    MailAddressStatus,
    Notification,
    NotificationPreferences,
    RegionFollow,
    ThemeFollow,
)
from .periods import Period, periods_due
from .selectors import digest_recipients

logger = logging.getLogger(__name__)

# Deliveries that no batch ever started this long after they were planned lost their task (a
# long queue is slower than this only for very large runs, and a second task is harmless).
STALE_AFTER = dt.timedelta(minutes=30)
STALE_LOOKBACK = dt.timedelta(days=3)


def _batch_size() -> int:
    return getattr(settings, "DIGEST_BATCH_SIZE", 200)


# --- preferences ----------------------------------------------------------------------------


@transaction.atomic
def preferences_update(
    *,
    user: User,
    digest_frequency: str,
    reply_mail: bool,
    community_levels: dict[int, str],
    theme_ids: Iterable[int],
    region_ids: Iterable[int],
) -> NotificationPreferences:
    """Save every notification preference of `user` at once.

    `community_levels` maps community ids to a `CommunityFollow.Level`; only communities the
    member actively belongs to may be in it.
    """
    if digest_frequency not in DigestFrequency.values:
        raise ValidationError({"digest_frequency": _("Kies hoe vaak je een overzicht wilt.")})
    mine = set(
        Membership.objects.filter(
            user=user, state=Membership.State.ACTIVE, community_id__in=list(community_levels)
        ).values_list("community_id", flat=True)
    )
    if set(community_levels) - mine:
        raise ValidationError(_("Je kunt alleen gemeenschappen volgen waar je lid van bent."))
    if set(community_levels.values()) - set(CommunityFollow.Level.values):
        raise ValidationError(_("Kies hoe je een gemeenschap volgt."))
    preferences, _created = NotificationPreferences.objects.update_or_create(
        user=user, defaults={"digest_frequency": digest_frequency, "reply_mail": reply_mail}
    )
    for community_id, level in community_levels.items():
        CommunityFollow.objects.update_or_create(
            user=user, community_id=community_id, defaults={"level": level}
        )
    _set_follows(ThemeFollow, user, "theme_id", set(theme_ids))
    _set_follows(RegionFollow, user, "region_id", set(region_ids))
    return preferences


def _set_follows(model, user: User, field: str, wanted: set[int]) -> None:
    current = set(model.objects.filter(user=user).values_list(field, flat=True))
    model.objects.filter(user=user, **{f"{field}__in": current - wanted}).delete()
    model.objects.bulk_create(
        [model(user=user, **{field: pk}) for pk in sorted(wanted - current)],
        ignore_conflicts=True,
    )


@transaction.atomic
def digest_unsubscribe(*, user_id: int) -> User | None:
    """One-click unsubscribe: the digest goes off. None when the member is gone."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    NotificationPreferences.objects.update_or_create(
        user=user, defaults={"digest_frequency": DigestFrequency.OFF}
    )
    return user


@transaction.atomic
def address_unblock(*, user: User) -> None:
    """The member says their address works again: mail it again, counting failures anew."""
    MailAddressStatus.objects.filter(email=user.email.lower()).update(
        blocked_at=None, permanent_failures=0
    )


# --- in-site notifications ------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of the member's notifications read. None when it is not theirs or gone."""
    notification = (
        Notification.objects.select_for_update().filter(pk=notification_id, recipient=user).first()
    )
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the member read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- planning -------------------------------------------------------------------------------


@transaction.atomic
def digest_plan(*, period: Period) -> int:
    """Create a pending delivery for every recipient of `period`, and queue the open ones.

    Safe to run any number of times for one period: the unique constraint on member and period
    creates each delivery once, and the senders claim before they send, so tasks queued twice
    send nothing twice. A second run also re-queues deliveries whose task was lost. Returns the
    number of deliveries queued.
    """
    _insert_deliveries(period, now=timezone.now())
    open_ids = list(
        DigestDelivery.objects.filter(period_key=period.key, state=DigestDelivery.State.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _queue(open_ids)
    logger.info("digest %s: %s deliveries queued", period.key, len(open_ids))
    return len(open_ids)


def _insert_deliveries(period: Period, *, now: dt.datetime) -> None:
    """One INSERT … SELECT … ON CONFLICT DO NOTHING for all recipients: the database does the
    work, 100 000 rows in one statement, and rows that exist already are left alone."""
    recipients = digest_recipients(period.frequency).order_by().values(recipient_id=F("pk"))
    select_sql, select_params = recipients.query.sql_with_params()
    ops = connection.ops
    columns = ", ".join(
        ops.quote_name(c)
        for c in (
            "user_id",
            "frequency",
            "period_key",
            "period_start",
            "period_end",
            "state",
            "attempts",
            "last_error",
            "created_at",
        )
    )
    sql = (
        f"INSERT INTO {ops.quote_name(DigestDelivery._meta.db_table)} ({columns}) "
        "SELECT r.recipient_id, %s, %s, %s, %s, %s, 0, '', %s "
        f"FROM ({select_sql}) AS r WHERE true "  # WHERE: SQLite's parser needs it before ON
        "ON CONFLICT (user_id, period_key) DO NOTHING"
    )
    adapt = ops.adapt_datetimefield_value
    params = [
        period.frequency,
        period.key,
        adapt(period.start),
        adapt(period.end),
        DigestDelivery.State.PENDING,
        adapt(now),
        *select_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _queue(delivery_ids: list[int]) -> None:
    from .tasks import digest_send_batch

    size = _batch_size()
    for start in range(0, len(delivery_ids), size):
        digest_send_batch.delay_on_commit(delivery_ids[start : start + size])


def digest_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """What beat runs at DIGEST_HOUR: plan the periods due today, re-queue stale deliveries."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if timezone.localtime(now).hour < settings.DIGEST_HOUR:
        day -= dt.timedelta(days=1)  # run by hand before the hour: today's period is not over
    planned = {period.key: digest_plan(period=period) for period in periods_due(day)}
    planned["requeued"] = digest_requeue_stale(now=now)
    return planned


@transaction.atomic
def digest_requeue_stale(*, now: dt.datetime) -> int:
    """Queue again the open deliveries of recent periods whose sender is gone.

    The beat sweep, every 2 minutes. A row is taken when no live sender holds its lock and
    either its last lease or claim is older than `delivery.CLAIM_STALE_AFTER` (its batch died:
    a killed worker, a time limit, an unexpected error) or no batch ever started it within
    `STALE_AFTER` (its task was lost). The taken rows are leased anew, so the next sweep leaves
    them to the task queued now. Claims make a second task harmless when the first was alive.
    """
    from .delivery import CLAIM_STALE_AFTER

    abandoned = Q(claimed_at__lt=now - CLAIM_STALE_AFTER)
    never_started = Q(claimed_at__isnull=True, created_at__lt=now - STALE_AFTER)
    stale = list(
        DigestDelivery.objects.select_for_update(skip_locked=True)
        .filter(abandoned | never_started)
        .filter(state__in=DigestDelivery.OPEN_STATES, period_end__gte=now - STALE_LOOKBACK)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    DigestDelivery.objects.filter(pk__in=stale).update(claimed_at=now)
    _queue(stale)
    if stale:
        logger.warning("digest sweep: %s deliveries whose sender is gone queued again", len(stale))
    return len(stale)
