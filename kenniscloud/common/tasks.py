from __future__ import annotations

import logging

from celery import current_app, shared_task
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from .mail import MAIL_RETRY
from .models import UnsentTask
from .publish import PUBLISH_ERRORS

logger = logging.getLogger(__name__)

# Options that were about the moment of the first try; a resent task runs as soon as it can.
_STALE_OPTIONS = ("eta", "countdown", "expires")


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55)
def unsent_tasks_resend(limit: int = 1000) -> int:
    """Beat, every minute: hand the tasks the broker could not take (`publish.py`) to it now.

    Rows are locked while their tasks are queued, so overlapping runs do not queue one twice;
    when the broker fails again halfway, what was queued is deleted and the rest waits for the
    next run.
    """
    sent: list[int] = []
    with transaction.atomic():
        rows = UnsentTask.objects.select_for_update(skip_locked=True).order_by("pk")[:limit]
        for row in rows:
            task = current_app.tasks.get(row.name)
            if task is None:
                logger.error("unsent task %s no longer exists; dropped", row)
                sent.append(row.pk)
                continue
            options = {k: v for k, v in row.options.items() if k not in _STALE_OPTIONS}
            try:
                task.apply_async(row.args, row.kwargs, **options)
            except PUBLISH_ERRORS:
                logger.warning("broker still unreachable; %s unsent tasks wait", len(rows))
                break
            sent.append(row.pk)
        UnsentTask.objects.filter(pk__in=sent).delete()
    if sent:
        logger.info("queued %s tasks that could not be queued before", len(sent))
    return len(sent)


def message_to_json(message: EmailMessage) -> dict:
    """A rendered mail as task arguments (no attachments: allauth's mails have none)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


@shared_task(**MAIL_RETRY)
def account_mail_send(message: dict) -> None:
    """Send a mail allauth rendered (sign-up confirmation, password reset) in the request."""
    mail = EmailMultiAlternatives(
        message["subject"],
        message["body"],
        message["from_email"],
        message["to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        mail.attach_alternative(content, mimetype)
    mail.send()
