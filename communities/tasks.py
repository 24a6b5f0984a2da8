"""Mail about memberships, sent after commit. Tasks take ids and do nothing when a row is gone."""

from __future__ import annotations

import logging

from celery import shared_task

from kenniscloud.common.mail import MAIL_RETRY, mail_member

from .models import Community, Membership, User
from .selectors import community_manager_ids

logger = logging.getLogger(__name__)


@shared_task(**MAIL_RETRY)
def membership_request_notify_hosts(membership_id: int) -> None:
    membership = (
        Membership.objects.select_related("user", "community").filter(pk=membership_id).first()
    )
    if membership is None or membership.state != Membership.State.PENDING:
        logger.info("membership %s gone or decided; no request mail", membership_id)
        return
    # The hosts of a subcommunity's parent decide its requests too (issue 14).
    hosts = User.objects.filter(
        pk__in=community_manager_ids(membership.community_id), is_active=True
    ).order_by("pk")
    for host in hosts:
        mail_member(host, "membership_request", {"membership": membership})


@shared_task(**MAIL_RETRY)
def membership_approved_notify(membership_id: int) -> None:
    membership = (
        Membership.objects.select_related("user", "community").filter(pk=membership_id).first()
    )
    if membership is None:
        logger.info("membership %s gone; no decision mail", membership_id)
        return
    mail_member(membership.user, "membership_approved", {"community": membership.community})


@shared_task(**MAIL_RETRY)
def membership_decline_notify(user_id: int, community_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    community = Community.objects.filter(pk=community_id).first()
    if user is None or community is None:
        return
    mail_member(user, "membership_declined", {"community": community})
