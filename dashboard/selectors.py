"""What happened in the communities a librarian manages: the numbers of the activity dashboard.

Every number is counted in the database with GROUP BY (one query per kind of activity, for
both windows at once), so the dashboard costs the same handful of queries for three
communities or three hundred. Only "active members" needs distinct people across kinds of
activity and across communities; for that we fetch one row per (community, person) with the
date of their last activity and combine those rows in Python.

Definitions (also shown on the dashboard, so that librarians and funders read them the same
way):

- new members: memberships that became active in the window;
- contributions and comments: those placed in the window that are still published (moderated
  or deleted ones are not counted);
- RSVPs: sign-ups placed in the window for meetups of the community that were not cancelled;
- active members: distinct people who placed a contribution, a comment or an RSVP in the window;
- a theme counts the activity in the communities linked to it: a community with two themes
  counts for both, and someone active in two communities of one theme counts once.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from communities.models import Community, Membership, Theme
from communities.selectors import Viewer, community_list_managed_by, user_is_librarian
from knowledge.models import Comment, Contribution
from knowledge.selectors import dossier_list_needing_review
from meetups.models import Rsvp
from moderation.queue import case_list_for, queue_items

WINDOWS = (30, 90)
METRICS = ("new_members", "contributions", "comments", "active_members", "rsvps")
# In the CSV for funders and municipalities, counts from 1 to SUPPRESS_BELOW - 1 become
# "<SUPPRESS_BELOW": in a small community such a number can point at a person.
SUPPRESS_BELOW = 5
# The longest range a librarian may ask for: enough for a year report with the year before.
MAX_RANGE_DAYS = 2 * 366


def user_can_see_dashboard(user: Viewer) -> bool:
    return user_is_librarian(user)


@dataclass(frozen=True)
class Period:
    """Whole days in Europe/Amsterdam (the project's TIME_ZONE), first and last day included:
    from `start` (midnight before the first day) up to `end` (midnight after the last)."""

    key: int | str
    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        return _local_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        return _local_midnight(self.last_day + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def _local_midnight(day: date) -> datetime:
    # Midnight in Amsterdam; across a DST switch a day is 23 or 25 hours long, which is right.
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def period_last_days(days: int, *, now: datetime | None = None) -> Period:
    """The last `days` days, today included."""
    today = timezone.localdate(now or timezone.now())
    return Period(key=days, first_day=today - timedelta(days=days - 1), last_day=today)


def period_between(first_day: date, last_day: date) -> Period:
    return Period(key="range", first_day=first_day, last_day=last_day)


def default_periods(now: datetime | None = None) -> list[Period]:
    return [period_last_days(days, now=now) for days in WINDOWS]


@dataclass
class Counts:
    new_members: int = 0
    contributions: int = 0
    comments: int = 0
    active_members: int = 0
    rsvps: int = 0

    def as_list(self) -> list[int]:
        return [getattr(self, metric) for metric in METRICS]


@dataclass
class ActivityRow:
    """One community, one theme or the total, with its counts per period (by Period.key)."""

    label: str
    library: str = ""
    pk: int | None = None
    slug: str = ""
    windows: dict[int | str, Counts] = field(default_factory=dict)


@dataclass
class ActivityOverview:
    now: datetime
    periods: list[Period]
    communities: list[ActivityRow]
    themes: list[ActivityRow]
    total: ActivityRow


def _in(date_field: str, period: Period) -> Q:
    return Q(**{f"{date_field}__gte": period.start, f"{date_field}__lt": period.end})


def _span(date_field: str, periods: list[Period]) -> Q:
    return Q(
        **{
            f"{date_field}__gte": min(p.start for p in periods),
            f"{date_field}__lt": max(p.end for p in periods),
        }
    )


def _grouped_counts(
    queryset: QuerySet, *, community: str, date: str, periods: list[Period]
) -> dict[int, dict[int | str, int]]:
    """community id -> {period key: count}, in one GROUP BY query for all periods."""
    rows = (
        queryset.filter(_span(date, periods))
        .values(cid=F(community))
        .annotate(
            **{f"p{i}": Count("pk", filter=_in(date, period)) for i, period in enumerate(periods)}
        )
        .order_by()
    )
    return {
        row["cid"]: {period.key: row[f"p{i}"] for i, period in enumerate(periods)} for row in rows
    }


def _active_people(
    community_ids: list[int], periods: list[Period]
) -> dict[int | str, dict[int, set[int]]]:
    """period key -> community id -> the people who placed a contribution, a comment or an
    RSVP in that period; one query (a UNION of three GROUP BYs)."""

    def pairs(queryset: QuerySet, community: str, user: str, date: str) -> QuerySet:
        return (
            queryset.filter(_span(date, periods), **{f"{community}__in": community_ids})
            .exclude(**{f"{user}__isnull": True})
            .values(c=F(community), u=F(user))
            .annotate(**{f"p{i}": Count("pk", filter=_in(date, p)) for i, p in enumerate(periods)})
            .order_by()
        )

    contributions = pairs(
        Contribution.objects.filter(status=Contribution.Status.PUBLISHED),
        "community_id",
        "author_id",
        "created_at",
    )
    comments = pairs(
        Comment.objects.filter(status=Contribution.Status.PUBLISHED, deleted_at__isnull=True),
        "contribution__community_id",
        "author_id",
        "created_at",
    )
    rsvps = pairs(
        Rsvp.objects.exclude(state=Rsvp.State.CANCELLED),
        "meetup__community_id",
        "user_id",
        "created_at",
    )
    active: dict[int | str, dict[int, set[int]]] = {p.key: defaultdict(set) for p in periods}
    for row in contributions.union(comments, rsvps, all=True):
        for i, period in enumerate(periods):
            if row[f"p{i}"]:
                active[period.key][row["c"]].add(row["u"])
    return active


def activity_overview(
    user: Viewer, *, periods: list[Period] | None = None, now: datetime | None = None
) -> ActivityOverview:
    """The numbers for the communities the viewer manages (a superuser: all), per community,
    per theme and in total, for each period (by default the last 30 and the last 90 days)."""
    now = now or timezone.now()
    periods = periods or default_periods(now)
    communities = list(
        community_list_managed_by(user)
        .select_related("library")
        .prefetch_related("themes")
        .order_by("title")
    )
    ids = [c.pk for c in communities]
    counted = {
        "new_members": _grouped_counts(
            Membership.objects.filter(community_id__in=ids, state=Membership.State.ACTIVE),
            community="community_id",
            date="activated_at",
            periods=periods,
        ),
        "contributions": _grouped_counts(
            Contribution.objects.filter(community_id__in=ids, status=Contribution.Status.PUBLISHED),
            community="community_id",
            date="created_at",
            periods=periods,
        ),
        "comments": _grouped_counts(
            Comment.objects.filter(
                contribution__community_id__in=ids,
                status=Contribution.Status.PUBLISHED,
                deleted_at__isnull=True,
            ),
            community="contribution__community_id",
            date="created_at",
            periods=periods,
        ),
        "rsvps": _grouped_counts(
            Rsvp.objects.filter(meetup__community_id__in=ids).exclude(state=Rsvp.State.CANCELLED),
            community="meetup__community_id",
            date="created_at",
            periods=periods,
        ),
    }
    active = _active_people(ids, periods) if ids else {}

    themes: dict[int, Theme] = {}
    theme_communities: dict[int, list[Community]] = defaultdict(list)
    for community in communities:
        for theme in community.themes.all():
            themes[theme.pk] = theme
            theme_communities[theme.pk].append(community)

    def row_for(group: list[Community], **labels) -> ActivityRow:
        row = ActivityRow(**labels)
        for period in periods:
            counts = row.windows[period.key] = Counts()
            for metric, per_community in counted.items():
                total = sum(per_community.get(c.pk, {}).get(period.key, 0) for c in group)
                setattr(counts, metric, total)
            people: set[int] = set()
            for c in group:
                people |= active.get(period.key, {}).get(c.pk, set())
            counts.active_members = len(people)
        return row

    community_rows = [
        row_for([c], label=c.title, library=c.library.name, pk=c.pk, slug=c.slug)
        for c in communities
    ]
    theme_rows = [
        row_for(theme_communities[t.pk], label=t.title, pk=t.pk, slug=t.slug)
        for t in sorted(themes.values(), key=lambda t: (t.sort_order, t.title))
    ]
    total = row_for(communities, label="")
    return ActivityOverview(
        now=now, periods=periods, communities=community_rows, themes=theme_rows, total=total
    )


def membership_list_pending_for(user: Viewer, *, limit: int = 50) -> tuple[list[Membership], int]:
    """The oldest open requests to join the viewer's communities, and how many there are."""
    pending = Membership.objects.filter(
        community__in=community_list_managed_by(user).values("pk"),
        state=Membership.State.PENDING,
    )
    rows = list(pending.select_related("user", "community").order_by("created_at")[:limit])
    return rows, (len(rows) if len(rows) < limit else pending.count())


def dossier_list_to_review(*, limit: int = 20) -> list:
    """Theme dossiers past their review date (all libraries share the themes)."""
    return list(dossier_list_needing_review()[:limit])


def dossier_count_to_review() -> int:
    return dossier_list_needing_review().count()


def suppress_small(value: int) -> str:
    """A count as shown in the export: exact from SUPPRESS_BELOW on, and 0 as 0."""
    if 0 < value < SUPPRESS_BELOW:
        return f"<{SUPPRESS_BELOW}"
    return str(value)


# --- What is new this week: the first panel of the admin home ------------------------------------

# How many of each kind the panel lists; the count says how many there are in all.
WEEK_LIST_LIMIT = 5
WEEK_DAYS = 7
EXCERPT_CHARS = 140


@dataclass
class WeekList:
    rows: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@dataclass
class WeekNews:
    """What a librarian's communities did in the last seven days (today included), plus what
    waits for them: open membership requests and open reports, however old."""

    period: Period
    pending: WeekList
    contributions: WeekList
    comments: WeekList
    members: WeekList
    reports: WeekList


def _week_list(queryset: QuerySet, limit: int) -> WeekList:
    # Always counted (one query) rather than only when the list is full: the admin home then
    # costs the same number of queries however much happened.
    return WeekList(rows=list(queryset[:limit]), count=queryset.count())


def comment_excerpt(comment: Comment, chars: int = EXCERPT_CHARS) -> str:
    """The comment as plain text, shortened; the template escapes it."""
    text = " ".join(html.unescape(strip_tags(comment.body_html or comment.body)).split())
    return Truncator(text).chars(chars)


def week_news_for(
    user: Viewer, *, now: datetime | None = None, limit: int = WEEK_LIST_LIMIT
) -> WeekNews:
    """The newest of each kind first; scoped like the rest of the admin: the communities of
    the viewer's libraries (a superuser: all), and for reports the cases of the admin's
    review queue."""
    period = period_last_days(WEEK_DAYS, now=now)
    managed = community_list_managed_by(user).values("pk")
    published = Contribution.Status.PUBLISHED
    pending = Membership.objects.filter(
        community__in=managed, state=Membership.State.PENDING
    ).select_related("user", "community")
    contributions = Contribution.objects.filter(
        _in("created_at", period), community__in=managed, status=published
    ).select_related("community", "author")
    comments = Comment.objects.filter(
        _in("created_at", period),
        contribution__community__in=managed,
        status=published,
        deleted_at__isnull=True,
    ).select_related("contribution__community", "author")
    members = Membership.objects.filter(
        _in("activated_at", period), community__in=managed, state=Membership.State.ACTIVE
    ).select_related("user", "community")
    reports = _week_list(case_list_for(user), limit)
    news = WeekNews(
        period=period,
        pending=_week_list(pending.order_by("created_at", "pk"), limit),
        contributions=_week_list(contributions.order_by("-created_at", "-pk"), limit),
        comments=_week_list(comments.order_by("-created_at", "-pk"), limit),
        members=_week_list(members.order_by("-activated_at", "-pk"), limit),
        reports=WeekList(rows=queue_items(reports.rows), count=reports.count),
    )
    for comment in news.comments.rows:
        comment.excerpt = comment_excerpt(comment)
    return news
