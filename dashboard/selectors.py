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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from communities.models import Community, Membership, Theme
from communities.selectors import Viewer, community_list_managed_by, user_is_librarian
from knowledge.models import Comment, Contribution
from knowledge.selectors import dossier_list_needing_review
from meetups.models import Rsvp

WINDOWS = (30, 90)
METRICS = ("new_members", "contributions", "comments", "active_members", "rsvps")
# In the CSV for funders and municipalities, counts from 1 to SUPPRESS_BELOW - 1 become
# "<SUPPRESS_BELOW": in a small community such a number can point at a person.
SUPPRESS_BELOW = 5


def user_can_see_dashboard(user: Viewer) -> bool:
    return user_is_librarian(user)


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
    """One community, one theme or the total, with its counts per window (in days)."""

    label: str
    library: str = ""
    pk: int | None = None
    slug: str = ""
    windows: dict[int, Counts] = field(default_factory=lambda: {d: Counts() for d in WINDOWS})


@dataclass
class ActivityOverview:
    now: datetime
    communities: list[ActivityRow]
    themes: list[ActivityRow]
    total: ActivityRow


def _grouped_counts(
    queryset: QuerySet, *, community: str, date: str, starts: dict[int, datetime]
) -> dict[int, dict[int, int]]:
    """community id -> {window: count}, in one GROUP BY query for all windows."""
    widest = starts[max(WINDOWS)]
    rows = (
        queryset.filter(**{f"{date}__gte": widest})
        .values(cid=F(community))
        .annotate(
            **{
                f"d{days}": Count("pk", filter=Q(**{f"{date}__gte": start}))
                for days, start in starts.items()
            }
        )
        .order_by()
    )
    return {row["cid"]: {d: row[f"d{d}"] for d in WINDOWS} for row in rows}


def _last_activity(
    community_ids: list[int], starts: dict[int, datetime]
) -> dict[int, dict[int, datetime]]:
    """community id -> {person id: their last contribution, comment or RSVP}, one query."""
    widest = starts[max(WINDOWS)]

    def pairs(queryset: QuerySet, community: str, user: str, date: str) -> QuerySet:
        return (
            queryset.filter(**{f"{community}__in": community_ids, f"{date}__gte": widest})
            .exclude(**{f"{user}__isnull": True})
            .values(c=F(community), u=F(user))
            .annotate(last=Max(date))
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
    last: dict[int, dict[int, datetime]] = defaultdict(dict)
    for row in contributions.union(comments, rsvps, all=True):
        seen = last[row["c"]].get(row["u"])
        if seen is None or row["last"] > seen:
            last[row["c"]][row["u"]] = row["last"]
    return last


def _active(people: dict[int, datetime], start: datetime) -> set[int]:
    return {person for person, at in people.items() if at >= start}


def activity_overview(user: Viewer, *, now: datetime | None = None) -> ActivityOverview:
    """The numbers for the communities the viewer manages (a superuser: all), per community,
    per theme and in total, for the last 30 and 90 days."""
    now = now or timezone.now()
    starts = {days: now - timedelta(days=days) for days in WINDOWS}
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
            starts=starts,
        ),
        "contributions": _grouped_counts(
            Contribution.objects.filter(community_id__in=ids, status=Contribution.Status.PUBLISHED),
            community="community_id",
            date="created_at",
            starts=starts,
        ),
        "comments": _grouped_counts(
            Comment.objects.filter(
                contribution__community_id__in=ids,
                status=Contribution.Status.PUBLISHED,
                deleted_at__isnull=True,
            ),
            community="contribution__community_id",
            date="created_at",
            starts=starts,
        ),
        "rsvps": _grouped_counts(
            Rsvp.objects.filter(meetup__community_id__in=ids).exclude(state=Rsvp.State.CANCELLED),
            community="meetup__community_id",
            date="created_at",
            starts=starts,
        ),
    }
    last = _last_activity(ids, starts) if ids else {}

    themes: dict[int, Theme] = {}
    theme_communities: dict[int, list[Community]] = defaultdict(list)
    for community in communities:
        for theme in community.themes.all():
            themes[theme.pk] = theme
            theme_communities[theme.pk].append(community)

    def row_for(group: list[Community], **labels) -> ActivityRow:
        row = ActivityRow(**labels)
        for days, start in starts.items():
            counts = row.windows[days]
            for metric, per_community in counted.items():
                total = sum(per_community.get(c.pk, {}).get(days, 0) for c in group)
                setattr(counts, metric, total)
            active: set[int] = set()
            for c in group:
                active |= _active(last.get(c.pk, {}), start)
            counts.active_members = len(active)
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
    return ActivityOverview(now=now, communities=community_rows, themes=theme_rows, total=total)


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
