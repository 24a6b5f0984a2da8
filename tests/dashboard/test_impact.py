"""The impact report: known activity on known dates, every number checked, small numbers
suppressed, no names, and the same queries for a small and a large library."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from communities.selectors import LIBRARIAN_GROUP
from dashboard import impact
from dashboard.selectors import period_between
from knowledge.models import Contribution
from meetups.models import Meetup, Rsvp, WalkIn
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import ContributionFactory, dossier_create
from tests.meetups.factories import BranchFactory, MeetupFactory, RsvpFactory
from tests.mfa import admin_login
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

AMS = dt.timezone(dt.timedelta(hours=1))
PERIOD = period_between(dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def at(month: int, day: int = 10, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=AMS)


def post(community, theme, when, **kwargs) -> Contribution:
    kwargs.setdefault("kind", Contribution.Kind.EXPERIENCE)
    row = ContributionFactory(community=community, author=UserFactory(), **kwargs)
    row.themes.set([theme])
    Contribution.objects.filter(pk=row.pk).update(created_at=when)
    return row


@pytest.fixture
def seeded(clock):
    clock.set("2026-12-07T12:00")
    library = LibraryFactory(name="Bibliotheek Ahorn", slug="ahorn")
    elsewhere = LibraryFactory(name="Bibliotheek Beuk", slug="beuk")
    wonen = ThemeFactory(title="Wonen", slug="wonen", sort_order=1)
    zorg = ThemeFactory(title="Zorg", slug="zorg", sort_order=2)
    ours = CommunityFactory(title="Ahorn-wonen", library=library, themes=[wonen, zorg])
    theirs = CommunityFactory(title="Beuk-zorg", library=elsewhere, themes=[zorg])

    for month in (2, 3, 3, 4, 5, 6):  # Wonen: 6 now, 0 before
        post(ours, wonen, at(month))
    for month in (1, 2, 2, 3, 4, 5):  # Zorg: 6 now, 5 before
        post(ours, zorg, at(month))
    for month in (8, 9, 10, 11, 12):
        post(ours, zorg, at(month, year=2025))
    post(ours, wonen, at(3), status=Contribution.Status.HIDDEN)  # not counted
    post(theirs, zorg, at(3))  # another library's
    asked = post(ours, wonen, at(11, year=2025), kind=Contribution.Kind.QUESTION)
    Contribution.objects.filter(pk=asked.pk).update(answered_at=at(2))

    branch = BranchFactory(library=library, name="Centrale bibliotheek")
    held = MeetupFactory(
        community=ours, branch=branch, starts_at=at(4), ends_at=at(4) + dt.timedelta(hours=2)
    )
    held.themes.add(wonen)
    for n in range(8):
        rsvp = RsvpFactory(meetup=held, state=Rsvp.State.GOING, user=UserFactory())
        if n < 6:
            Rsvp.objects.filter(pk=rsvp.pk).update(checked_in_at=at(4))
    WalkIn.objects.create(meetup=held, name="Gerda de Vries")
    MeetupFactory(community=theirs, starts_at=at(4), ends_at=at(4) + dt.timedelta(hours=2))
    MeetupFactory(
        community=ours,
        status=Meetup.Status.CANCELLED,
        starts_at=at(5),
        ends_at=at(5) + dt.timedelta(hours=1),
    )
    dossier_create(wonen, reviewed_at=at(3))

    librarian = UserFactory(display_name="Lotte van Ahorn")
    librarian.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))
    library.librarians.add(librarian)
    return {"librarian": librarian, "themes": (wonen, zorg), "branch": branch}


def test_every_number_of_the_report(seeded):
    report = impact.impact_report(seeded["librarian"], PERIOD)
    totals = report.totals

    assert totals.contributions == 12
    assert totals.questions == 0
    assert totals.questions_answered == 1
    assert (totals.meetups_held, totals.present, totals.signed_up) == (1, 7, 8)
    assert totals.dossiers_reviewed == 1
    assert totals.active_members == 12  # the twelve authors; RSVPs were placed today

    by_theme = {row.theme.title: row for row in report.themes}
    assert (by_theme["Wonen"].contributions, by_theme["Wonen"].previous) == (6, 1)
    assert by_theme["Wonen"].questions_answered == 1
    assert by_theme["Wonen"].meetups_held == 1
    assert (by_theme["Zorg"].contributions, by_theme["Zorg"].previous) == (6, 5)
    (branch_row,) = report.branches
    assert (branch_row.meetups_held, branch_row.present, branch_row.signed_up) == (1, 7, 8)


def test_growth_is_told_only_where_no_small_number_shows(seeded):
    report = impact.impact_report(seeded["librarian"], PERIOD)
    # Wonen grew from 1 (the question, asked in the period before) to 6: "1" would show.
    assert [row.theme.title for row in report.grew] == ["Zorg"]


def test_the_page_prints_counts_without_names(client, seeded):
    admin_login(client, seeded["librarian"])
    response = client.get(reverse("dashboard_impact"), {"van": "2026-01-01", "tot": "2026-06-30"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Impactrapport" in page
    assert "<svg" in page and 'role="img"' in page
    assert "&lt;5" in page  # the one answered question, the one meetup
    assert "Centrale bibliotheek" in page
    for name in ("Gerda", "Lotte"):
        assert name not in page
    assert "<script" not in page


def test_a_month_chart_hides_small_numbers_in_its_bars_too():
    chart = impact.bar_chart("Bijdragen", [("jan", 0), ("feb", 2), ("mrt", 5), ("apr", 10)])
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0
    assert heights[1] == heights[2]  # 2 is drawn as high as 5
    assert [bar.value for bar in chart.bars] == ["0", "<5", "5", "10"]
    assert chart.summary == "jan: 0, feb: <5, mrt: 5, apr: 10"


def test_only_librarians(client, member):
    admin_login(client, member)
    assert client.get(reverse("dashboard_impact")).status_code in (302, 403)


def test_a_wrong_range_says_why_next_to_the_field(client, seeded):
    admin_login(client, seeded["librarian"])
    response = client.get(reverse("dashboard_impact"), {"van": "2026-06-30", "tot": "2026-01-01"})
    assert "De laatste dag ligt vóór de eerste dag." in response.content.decode()


def test_the_report_takes_the_same_queries_for_a_large_library(client, seeded):
    admin_login(client, seeded["librarian"])
    community = CommunityFactory(
        title="Ahorn-zorg", library=seeded["librarian"].libraries.get(), themes=[]
    )

    def add_items(n: int) -> None:
        for _ in range(n):
            theme = ThemeFactory()
            post(community, theme, at(2))
            branch = BranchFactory(library=community.library)
            meetup = MeetupFactory(
                community=community,
                branch=branch,
                starts_at=at(3),
                ends_at=at(3) + dt.timedelta(hours=1),
            )
            meetup.themes.add(theme)

    assert_constant_queries(
        client,
        reverse("dashboard_impact") + "?van=2026-01-01&tot=2026-06-30",
        add_items,
        label="impact report",
    )
