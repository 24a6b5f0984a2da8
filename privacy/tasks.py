"""Data export tasks: each takes an id, does nothing when the row is gone or already done, and
is safe to run twice (the build claims its row; the purge finds nothing the second time)."""

from __future__ import annotations

import logging

from celery import shared_task

from kenniscloud.common.mail import MAIL_RETRY

from . import mail, retention, services
from .models import DataExport

logger = logging.getLogger(__name__)

# Well below the broker's visibility timeout (5 minutes), so a running build is never handed
# out twice; and below services.BUILD_STALE_AFTER, after which a dead build may be claimed again.
BUILD_LIMITS = {"soft_time_limit": 240, "time_limit": 270}


@shared_task(acks_late=True, **BUILD_LIMITS)
def data_export_build(export_id: int) -> str:
    export = services.data_export_build(export_id=export_id)
    return export.state if export else "skipped"


@shared_task(**MAIL_RETRY)
def data_export_mail(export_id: int) -> bool:
    export = DataExport.objects.select_related("member").filter(pk=export_id).first()
    if export is None or export.state != DataExport.State.READY:
        logger.info("data export %s is gone or not ready; no mail", export_id)
        return False
    mail.data_export_ready_message(export).send()
    return True


@shared_task(acks_late=True, soft_time_limit=240, time_limit=270)
def data_export_purge() -> dict[str, int]:
    """Beat, hourly: delete zips past DATA_EXPORT_DAYS."""
    return services.data_export_purge()


# --- Retention (privacy/retention.py): each job idempotent and safe beside a second run -------

RETENTION_LIMITS = {"soft_time_limit": 20 * 60, "time_limit": 25 * 60}


@shared_task(acks_late=True, **RETENTION_LIMITS)
def retention_access_needs_wipe() -> int:
    """Beat, hourly: access needs RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP after the meetup."""
    return retention.access_needs_wipe()


@shared_task(acks_late=True, **RETENTION_LIMITS)
def retention_walk_ins_anonymise() -> int:
    """Beat, hourly: walk-ins' names RETENTION_WALK_INS_DAYS_AFTER_MEETUP after the meetup."""
    return retention.walk_ins_anonymise()


@shared_task(acks_late=True, **RETENTION_LIMITS)
def retention_read_notifications_purge() -> int:
    """Beat, nightly: notifications read RETENTION_READ_NOTIFICATIONS_DAYS ago."""
    return retention.read_notifications_purge()


@shared_task(acks_late=True, **RETENTION_LIMITS)
def retention_digest_deliveries_purge() -> dict[str, int]:
    """Beat, nightly: digest delivery rows RETENTION_DIGEST_DELIVERY_DAYS after their period,
    and the failure records of addresses no account uses."""
    return {
        "deliveries": retention.digest_deliveries_purge(),
        "addresses": retention.mail_address_statuses_purge(),
    }


@shared_task(acks_late=True, **RETENTION_LIMITS)
def retention_unconfirmed_accounts_delete() -> dict[str, int]:
    """Beat, nightly: accounts never confirmed RETENTION_UNCONFIRMED_ACCOUNT_DAYS after sign-up."""
    return retention.unconfirmed_accounts_delete()


@shared_task(acks_late=True, **RETENTION_LIMITS)
def retention_inactive_accounts() -> dict[str, int]:
    """Beat, hourly: warn, then remove, members who stopped logging in (off by default)."""
    return retention.inactive_accounts_run()
