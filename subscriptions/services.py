"""Following a theme by email without an account: ask, confirm, unsubscribe, and the weekly mail.

Nothing here tells a visitor whether an address already follows a theme: asking again for a
confirmed address sends nothing and says the same as a first request, so nobody can probe who
follows what. Every write settles under the row lock of the subscription or its unique
constraint, never by reading first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Theme
from kenniscloud.common.ratelimit import RateLimited, count_up
from notifications.models import DigestFrequency
from notifications.periods import Period, digest_weekday

from .models import ThemeSubscription

logger = logging.getLogger(__name__)

# A second confirmation mail to the same address for the same theme waits this long: a
# double click or an impatient visitor gets one mail, not a pile.
RESEND_PAUSE = dt.timedelta(minutes=10)
# The "allauth" prefix: the fail-soft Redis cache keeps counting these in process memory while
# Redis is away (kenniscloud/common/redis_cache.py), as for the login limits.
KEY_PREFIX = "allauth:rl:theme-follow"


def email_normalise(email: str) -> str:
    return email.strip().lower()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _limit(*, client_ip: str, email: str) -> None:
    """At most THEME_SUBSCRIPTION_REQUESTS_PER_IP requests an hour from one address on the
    internet, and THEME_SUBSCRIPTION_REQUESTS_PER_EMAIL a day for one mailbox, whatever the
    theme: nobody can use the form to flood someone else's inbox."""
    per_ip = settings.THEME_SUBSCRIPTION_REQUESTS_PER_IP
    per_email = settings.THEME_SUBSCRIPTION_REQUESTS_PER_EMAIL
    if per_ip and count_up(f"{KEY_PREFIX}:ip:{_digest(client_ip)}", timeout=3600) > per_ip:
        raise RateLimited(
            _("Er kwamen te veel aanvragen vanaf jouw verbinding. Probeer het over een uur weer."),
            retry_after=3600,
            action="theme_subscription",
            rule="per_ip",
        )
    if per_email and count_up(f"{KEY_PREFIX}:mail:{_digest(email)}", timeout=86400) > per_email:
        raise RateLimited(
            _("Voor dit e-mailadres kwamen vandaag te veel aanvragen. Probeer het morgen weer."),
            retry_after=86400,
            action="theme_subscription",
            rule="per_email",
        )


def subscription_request(*, theme: Theme, email: str, language: str, client_ip: str) -> None:
    """Ask to follow `theme` at `email`: a confirmation mail goes there, unless the address
    follows the theme already or got one moments ago. Raises RateLimited."""
    email = email_normalise(email)
    _limit(client_ip=client_ip, email=email)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription, _created = ThemeSubscription.objects.get_or_create(
                    theme=theme,
                    email=email,
                    defaults={"token": secrets.token_urlsafe(32), "language": language},
                )
        except IntegrityError:  # the same request twice at once: the other one created it
            subscription = ThemeSubscription.objects.get(theme=theme, email=email)
        subscription = ThemeSubscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.is_confirmed:
            return
        sent = subscription.confirmation_sent_at
        if sent is not None and now - sent < RESEND_PAUSE:
            return
        subscription.language = language
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["language", "confirmation_sent_at"])
        from .tasks import subscription_confirmation_send

        pk = subscription.pk
        transaction.on_commit(lambda: subscription_confirmation_send.delay(pk))


def _confirm_deadline() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.THEME_SUBSCRIPTION_CONFIRM_DAYS)


@transaction.atomic
def subscription_confirm(*, token: str) -> ThemeSubscription | None:
    """The double opt-in: the owner of the address clicked the link in our mail and pressed
    the button. Records when, and which privacy statement applied. None for an unknown or
    expired link. Confirming twice changes nothing."""
    subscription = (
        ThemeSubscription.objects.select_for_update()
        .select_related("theme")
        .filter(token=token)
        .first()
    )
    if subscription is None:
        return None
    if not subscription.is_confirmed:
        if subscription.created_at < _confirm_deadline():
            return None  # the purge removes it; they ask again
        subscription.confirmed_at = timezone.now()
        subscription.consent_version = settings.PRIVACY_STATEMENT_VERSION
        subscription.save(update_fields=["confirmed_at", "consent_version"])
    return subscription


def subscription_unsubscribe(*, token: str) -> Theme | None:
    """Stop at once and forget the address: the row is deleted, not flagged. Returns the theme
    it followed, or None when there was nothing to stop (a second click)."""
    subscription = ThemeSubscription.objects.select_related("theme").filter(token=token).first()
    if subscription is None:
        return None
    ThemeSubscription.objects.filter(pk=subscription.pk).delete()
    return subscription.theme


def unconfirmed_subscriptions_purge() -> int:
    """Delete requests nobody confirmed within THEME_SUBSCRIPTION_CONFIRM_DAYS (retention)."""
    deleted, _per_model = ThemeSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=_confirm_deadline()
    ).delete()
    if deleted:
        logger.info("subscriptions: %s unconfirmed requests removed", deleted)
    return deleted


def weekly_period(today: dt.date) -> Period | None:
    """This week's period when today is the digest weekday (notifications.periods), the same
    boundaries as the members' weekly digest."""
    if today.weekday() != digest_weekday():
        return None
    return Period(DigestFrequency.WEEKLY, today)


def theme_digests_plan(*, today: dt.date | None = None) -> int:
    """Claim every confirmed subscription for this week's period and queue its mail. A claim is
    a conditional UPDATE, so a beat that fires twice (or two workers) queue each mail once;
    a worker that dies between claim and queue loses that one mail: at most once, never twice.
    Returns the number of mails queued."""
    from .tasks import theme_digest_send

    today = today or timezone.localdate()
    period = weekly_period(today)
    if period is None:
        return 0
    due = ThemeSubscription.objects.filter(confirmed_at__lt=period.end).exclude(
        last_period=period.key
    )
    queued = 0
    for pk in due.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=1000):
        claimed = (
            ThemeSubscription.objects.filter(pk=pk)
            .exclude(last_period=period.key)
            .update(last_period=period.key)
        )
        if claimed:
            theme_digest_send.delay(pk, period.key)
            queued += 1
    return queued
