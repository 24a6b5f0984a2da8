"""The impact report (issue 17): what the communities of a librarian's libraries did over a
period, per theme and per branch, for funders and the municipality. Reads only.

Counts, never names. Every count from 1 to SUPPRESS_BELOW - 1 is shown as "<5", as on the
dashboard's CSV: in a small community such a number can point at a person. Counted with
GROUP BY in the database, a fixed number of queries whatever the number of communities,
themes, branches or months.

Definitions (the report prints them too):
- contributions and questions: placed in the period and still published;
- questions answered: published questions that got their first marked answer in the period
  (`Contribution.answered_at`), whenever they were asked;
- meetups held: published meetups that ended in the period; present: members checked in at
  the door plus walk-ins; signed up: RSVPs "going";
- active members: distinct people who placed a contribution, a comment or an RSVP;
- dossiers reviewed: theme dossiers a librarian marked as reviewed in the period;
- a theme counts the contributions that carry it; a branch counts the meetups held there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.models import Branch, Theme
from communities.selectors import Viewer, community_list_managed_by, library_scope_filter
from knowledge.models import Contribution, ThemeDossier
from meetups.models import Meetup, Rsvp, WalkIn

from .selectors import SUPPRESS_BELOW, Period, _active_people, _in, suppress_small

GROWTH_MAX = 5
CHART_WIDTH = 560
CHART_HEIGHT = 160
CHART_LABEL_SPACE = 40
LABEL_WIDTH = 44


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    value: str
    # Only every so many labels fit under two years of months; the text summary has them all.
    show_label: bool = True


@dataclass
class Chart:
    """A bar chart drawn on the server as SVG (no script, nothing from a third party)."""

    title: str
    bars: list[Bar]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT + CHART_LABEL_SPACE
    baseline: int = CHART_HEIGHT

    @property
    def summary(self) -> str:
        """The chart's numbers as text, for screen readers and for print in black and white."""
        return ", ".join(f"{bar.label}: {bar.value}" for bar in self.bars)


def bar_chart(title: str, points: list[tuple[str, int]]) -> Chart:
    """Bars for (label, count); a suppressed count gets a bar of the height of SUPPRESS_BELOW
    and the label "<5", so neither its height nor its text gives the number away."""
    drawn = [max(value, SUPPRESS_BELOW) if value else 0 for _label, value in points]
    top = max(drawn, default=0) or 1
    slot = CHART_WIDTH // max(len(points), 1)
    label_every = -(-LABEL_WIDTH // slot)  # ceil: room for a label such as "sep 26"
    bars = []
    for index, ((label, value), height_value) in enumerate(zip(points, drawn, strict=True)):
        height = round(height_value / top * (CHART_HEIGHT - 20))
        bars.append(
            Bar(
                x=index * slot + slot // 6,
                y=CHART_HEIGHT - height,
                width=max(slot - slot // 3, 4),
                height=height,
                label=label,
                value=suppress_small(value),
                show_label=index % label_every == 0,
            )
        )
    return Chart(title=title, bars=bars)


@dataclass
class Totals:
    contributions: int = 0
    questions: int = 0
    questions_answered: int = 0
    meetups_held: int = 0
    present: int = 0
    signed_up: int = 0
    active_members: int = 0
    dossiers_reviewed: int = 0


@dataclass
class ThemeRow:
    theme: Theme
    contributions: int
    previous: int
    questions_answered: int
    meetups_held: int

    @property
    def growth(self) -> int:
        return self.contributions - self.previous


@dataclass
class BranchRow:
    branch: Branch
    meetups_held: int
    present: int
    signed_up: int


@dataclass
class ImpactReport:
    period: Period
    previous: Period
    community_count: int
    totals: Totals
    themes: list[ThemeRow] = field(default_factory=list)
    grew: list[ThemeRow] = field(default_factory=list)
    branches: list[BranchRow] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


def previous_period(period: Period) -> Period:
    """The period of the same length right before, to say which themes grew."""
    last = period.first_day - timedelta(days=1)
    return Period(key="previous", first_day=last - timedelta(days=period.days - 1), last_day=last)


def _months(period: Period) -> list[date]:
    months, day = [], period.first_day.replace(day=1)
    while day <= period.last_day:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _meetups_in_scope(user: Viewer, community_ids: list[int]) -> QuerySet[Meetup]:
    """Meetups of the viewer's communities, and those without a community held at a branch of
    the viewer's libraries (a network day of the library itself)."""
    return Meetup.objects.filter(status=Meetup.Status.PUBLISHED).filter(
        Q(community_id__in=community_ids)
        | (Q(community__isnull=True) & library_scope_filter(user, "branch__library"))
    )


def impact_report(user: Viewer, period: Period) -> ImpactReport:
    communities = list(community_list_managed_by(user).values_list("pk", flat=True))
    now = timezone.now()
    previous = previous_period(period)
    published = Contribution.objects.filter(
        community_id__in=communities, status=Contribution.Status.PUBLISHED
    )
    placed = published.filter(_in("created_at", period))
    questions = placed.filter(kind=Contribution.Kind.QUESTION)
    answered = published.filter(kind=Contribution.Kind.QUESTION).filter(_in("answered_at", period))
    held = _meetups_in_scope(user, communities).filter(_in("ends_at", period), ends_at__lte=now)
    held_ids = list(held.values_list("pk", flat=True))
    present_rsvps = Rsvp.objects.filter(meetup_id__in=held_ids, checked_in_at__isnull=False)
    walk_ins = WalkIn.objects.filter(meetup_id__in=held_ids)
    going = Rsvp.objects.filter(meetup_id__in=held_ids, state=Rsvp.State.GOING)
    active = _active_people(communities, [period]) if communities else {}
    people: set[int] = set()
    for per_community in active.get(period.key, {}).values():
        people |= per_community

    totals = Totals(
        contributions=placed.count(),
        questions=questions.count(),
        questions_answered=answered.count(),
        meetups_held=len(held_ids),
        present=present_rsvps.count() + walk_ins.count(),
        signed_up=going.count(),
        active_members=len(people),
        dossiers_reviewed=ThemeDossier.objects.filter(_in("reviewed_at", period)).count(),
    )

    # Per theme: the contributions that carry it, now and in the period before.
    by_theme_now = _count_by(placed, "themes")
    by_theme_before = _count_by(published.filter(_in("created_at", previous)), "themes")
    answered_by_theme = _count_by(answered, "themes")
    meetups_by_theme = _count_by(held, "themes")
    theme_ids = set(by_theme_now) | set(by_theme_before) | set(meetups_by_theme)
    theme_rows = [
        ThemeRow(
            theme=theme,
            contributions=by_theme_now.get(theme.pk, 0),
            previous=by_theme_before.get(theme.pk, 0),
            questions_answered=answered_by_theme.get(theme.pk, 0),
            meetups_held=meetups_by_theme.get(theme.pk, 0),
        )
        for theme in Theme.objects.filter(pk__in=theme_ids).order_by("sort_order", "title")
    ]
    # Growth is told only where both numbers can be shown: a growth from <5 to 6 would
    # give away the small number.
    grew = sorted(
        (
            row
            for row in theme_rows
            if row.growth > 0
            and row.contributions >= SUPPRESS_BELOW
            and (row.previous == 0 or row.previous >= SUPPRESS_BELOW)
        ),
        key=lambda row: (-row.growth, row.theme.title),
    )[:GROWTH_MAX]

    # Per branch: the meetups held there, and who came.
    meetups_by_branch = _count_by(held, "branch")
    present_by_branch = _count_by(present_rsvps, "meetup__branch")
    walk_ins_by_branch = _count_by(walk_ins, "meetup__branch")
    going_by_branch = _count_by(going, "meetup__branch")
    branch_rows = [
        BranchRow(
            branch=branch,
            meetups_held=meetups_by_branch.get(branch.pk, 0),
            present=present_by_branch.get(branch.pk, 0) + walk_ins_by_branch.get(branch.pk, 0),
            signed_up=going_by_branch.get(branch.pk, 0),
        )
        for branch in Branch.objects.filter(pk__in=list(meetups_by_branch))
        .select_related("library")
        .order_by("library__name", "name")
    ]

    months = _months(period)
    per_month = _count_by_month(placed, "created_at")
    present_per_month = _count_by_month(present_rsvps, "meetup__ends_at")
    walk_ins_per_month = _count_by_month(walk_ins, "meetup__ends_at")
    with_year = months[0].year != months[-1].year
    charts = [
        bar_chart(
            _("Bijdragen per maand"),
            [(_month_label(m, with_year=with_year), per_month.get(m, 0)) for m in months],
        ),
        bar_chart(
            _("Aanwezigen bij bijeenkomsten per maand"),
            [
                (
                    _month_label(m, with_year=with_year),
                    present_per_month.get(m, 0) + walk_ins_per_month.get(m, 0),
                )
                for m in months
            ],
        ),
    ]
    return ImpactReport(
        period=period,
        previous=previous,
        community_count=len(communities),
        totals=totals,
        themes=theme_rows,
        grew=grew,
        branches=branch_rows,
        charts=charts,
    )


def _count_by(queryset: QuerySet, lookup: str) -> dict[int, int]:
    """{id of `lookup`: number of distinct rows}, one GROUP BY."""
    rows = (
        queryset.exclude(**{f"{lookup}__isnull": True})
        .values(lookup)
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row[lookup]: row["n"] for row in rows}


def _count_by_month(queryset: QuerySet, date_field: str) -> dict[date, int]:
    """{first day of the month: number of rows}, months in Europe/Amsterdam."""
    rows = (
        queryset.annotate(month=TruncMonth(date_field))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {timezone.localtime(row["month"]).date(): row["n"] for row in rows if row["month"]}


def _month_label(month: date, *, with_year: bool) -> str:
    return date_format(month, "M y" if with_year else "M")
