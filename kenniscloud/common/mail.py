"""One way to send a member a mail from templates, in the member's own language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

# Time limits of every Celery task that sends mail, in seconds. EMAIL_TIMEOUT bounds each wait on
# the server; these bound the whole task (a server that answers one byte at a time), so no mail
# task holds a worker or a row lock for long. The hard limit kills the pool process.
MAIL_TASK_LIMITS = {"soft_time_limit": 60, "time_limit": 90}

# Retry policy of the Celery tasks that send a single mail: SMTP hiccups are OSErrors, and a
# server too slow for the soft time limit is tried again later. The backoff (1, 2, 4 … seconds)
# stays far below the broker's visibility timeout.
MAIL_RETRY = {
    "autoretry_for": (OSError, SoftTimeLimitExceeded),
    "retry_backoff": True,
    "max_retries": 5,
    **MAIL_TASK_LIMITS,
}


def mail_member(
    user,
    template: str,
    context: dict,
    *,
    attachments: Callable[[], Iterable[tuple[str, str, str]]] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Render `emails/<template>.txt` and its `_subject.txt` in `user`'s language and send them.

    `attachments` returns (filename, content, mimetype) tuples; it is called inside the
    member's language, so an attached calendar file speaks the same language as the mail.
    """
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
        message = EmailMessage(subject, body, to=[user.email], reply_to=reply_to)
        for attachment in attachments() if attachments else ():
            message.attach(*attachment)
    message.send()
