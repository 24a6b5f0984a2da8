"""Mail for addresses that follow a theme without an account. Each task takes ids, does nothing
when the row is gone (unsubscribed meanwhile), and sends one mail."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from kenniscloud.common.mail import MAIL_RETRY, MAIL_TASK_LIMITS
from notifications.periods import Period

from . import selectors, services
from .models import ThemeSubscription

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send(
    subscription: ThemeSubscription, template: str, context: dict, *, one_click: bool = False
) -> None:
    """Render `emails/<template>` (.txt, .html, _subject.txt) in the subscription's language."""
    language = subscription.language or settings.LANGUAGE_CODE
    with translation.override(language):
        unsubscribe_url = _absolute(
            reverse("subscriptions:unsubscribe", kwargs={"token": subscription.token})
        )
        context = {
            "subscription": subscription,
            "theme": subscription.theme,
            "theme_url": _absolute(subscription.theme.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
            "language": language,
            "SITE_URL": settings.SITE_URL,
            **context,
        }
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    headers = {}
    if one_click:
        # One click in the mail client stops it (RFC 8058), without a login.
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        }
    message = EmailMultiAlternatives(subject, text, to=[subscription.email], headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(**MAIL_RETRY)
def subscription_confirmation_send(subscription_id: int) -> None:
    subscription = (
        ThemeSubscription.objects.select_related("theme")
        .filter(pk=subscription_id, confirmed_at__isnull=True)
        .first()
    )
    if subscription is None:
        logger.info("theme subscription %s gone or confirmed; no confirmation", subscription_id)
        return
    language = subscription.language or settings.LANGUAGE_CODE
    with translation.override(language):
        confirm_url = _absolute(
            reverse("subscriptions:confirm", kwargs={"token": subscription.token})
        )
    _send(
        subscription,
        "theme_subscription_confirm",
        {"confirm_url": confirm_url, "days": settings.THEME_SUBSCRIPTION_CONFIRM_DAYS},
    )


@shared_task(**MAIL_TASK_LIMITS)
def theme_digests_plan() -> int:
    """Beat, daily at the digest hour: on the digest weekday, queue this week's mails."""
    return services.theme_digests_plan()


@shared_task(**MAIL_RETRY)
def theme_digest_send(subscription_id: int, period_key: str) -> None:
    subscription = selectors.subscription_for_mail(subscription_id, period_key)
    if subscription is None:
        logger.info("theme subscription %s gone; no weekly mail", subscription_id)
        return
    with translation.override(subscription.language or settings.LANGUAGE_CODE):
        news = selectors.theme_news(subscription.theme, Period.from_key(period_key))
        if not news.has_news:
            return
        items = {
            "contributions": [
                (c.title, _absolute(c.get_absolute_url())) for c in news.contributions
            ],
            "articles": [(a.title, _absolute(a.url or "")) for a in news.articles],
            "meetups": [
                (
                    f"{m.title}, {date_format(timezone.localtime(m.starts_at), 'l j F, H:i')}",
                    _absolute(m.get_absolute_url()),
                )
                for m in news.meetups
            ],
        }
    _send(subscription, "theme_digest", {"news": news, **items}, one_click=True)


@shared_task
def unconfirmed_subscriptions_purge() -> int:
    return services.unconfirmed_subscriptions_purge()
