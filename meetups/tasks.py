"""Mail about RSVPs, sent after commit. Tasks take ids and do nothing when a row is gone."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Rsvp

logger = logging.getLogger(__name__)

MAIL_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**MAIL_RETRY)
def rsvp_promoted_notify(rsvp_id: int) -> None:
    rsvp = Rsvp.objects.select_related("user", "meetup").filter(pk=rsvp_id).first()
    if rsvp is None or rsvp.state != Rsvp.State.GOING or not rsvp.user.is_active:
        logger.info("rsvp %s gone or no longer going; no promotion mail", rsvp_id)
        return
    user = rsvp.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "meetup": rsvp.meetup, "SITE_URL": settings.SITE_URL}
        subject = render_to_string("emails/rsvp_promoted_subject.txt", context).strip()
        body = render_to_string("emails/rsvp_promoted.txt", context)
    send_mail(subject, body, None, [user.email])
