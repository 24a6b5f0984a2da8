"""Mail about memberships, sent after commit. Tasks take ids and do nothing when a row is gone."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Community, Membership, User

logger = logging.getLogger(__name__)

MAIL_RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


def _send(user: User, template: str, context: dict) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {**context, "user": user, "SITE_URL": settings.SITE_URL}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


@shared_task(**MAIL_RETRY)
def membership_request_notify_hosts(membership_id: int) -> None:
    membership = (
        Membership.objects.select_related("user", "community").filter(pk=membership_id).first()
    )
    if membership is None or membership.state != Membership.State.PENDING:
        logger.info("membership %s gone or decided; no request mail", membership_id)
        return
    hosts = User.objects.filter(
        memberships__community=membership.community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__in=Membership.MANAGING_ROLES,
        is_active=True,
    )
    for host in hosts:
        _send(host, "membership_request", {"membership": membership})


@shared_task(**MAIL_RETRY)
def membership_approved_notify(membership_id: int) -> None:
    membership = (
        Membership.objects.select_related("user", "community").filter(pk=membership_id).first()
    )
    if membership is None:
        logger.info("membership %s gone; no decision mail", membership_id)
        return
    _send(membership.user, "membership_approved", {"community": membership.community})


@shared_task(**MAIL_RETRY)
def membership_decline_notify(user_id: int, community_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    community = Community.objects.filter(pk=community_id).first()
    if user is None or community is None:
        return
    _send(user, "membership_declined", {"community": community})
