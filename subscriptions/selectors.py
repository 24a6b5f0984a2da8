"""What a theme's weekly mail holds: what anyone may read, nothing of private communities.

The mail goes to an address without an account, so it is built for an anonymous visitor
through the same selectors as the theme page: a contribution of a private or on-request
community, a draft or a hidden post never reaches it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from communities.models import Theme
from knowledge.selectors import article_list_live, contribution_list_visible_to
from meetups.selectors.agenda import meetup_list_upcoming_visible_to
from notifications.periods import Period

from .models import ThemeSubscription

CONTRIBUTIONS_MAX = 8
ARTICLES_MAX = 5
MEETUPS_MAX = 5
MEETUPS_AHEAD = dt.timedelta(days=28)


@dataclass
class ThemeNews:
    theme: Theme
    contributions: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    meetups: list = field(default_factory=list)
    new_meetups: int = 0

    @property
    def has_news(self) -> bool:
        """Upcoming meetups alone are no news (as in the members' digest)."""
        return bool(self.contributions or self.articles or self.new_meetups)


def theme_news(theme: Theme, period: Period) -> ThemeNews:
    visitor = AnonymousUser()
    contributions = list(
        contribution_list_visible_to(visitor, theme=theme).filter(
            created_at__gte=period.start, created_at__lt=period.end
        )[:CONTRIBUTIONS_MAX]
    )
    articles = list(
        article_list_live(theme=theme).filter(
            first_published_at__gte=period.start, first_published_at__lt=period.end
        )[:ARTICLES_MAX]
    )
    meetups = list(
        meetup_list_upcoming_visible_to(visitor, theme=theme).filter(
            starts_at__lt=period.end + MEETUPS_AHEAD
        )[:MEETUPS_MAX]
    )
    new_meetups = sum(1 for m in meetups if period.start <= m.created_at < period.end)
    return ThemeNews(theme, contributions, articles, meetups, new_meetups)


def subscription_for_mail(pk: int, period_key: str) -> ThemeSubscription | None:
    """The subscription a queued mail is for, if it still stands and was claimed for this
    period (an unsubscribe in between removes it)."""
    return (
        ThemeSubscription.objects.select_related("theme")
        .filter(pk=pk, confirmed_at__isnull=False, last_period=period_key)
        .first()
    )


def subscription_by_token(token: str) -> ThemeSubscription | None:
    return ThemeSubscription.objects.select_related("theme").filter(token=token).first()
