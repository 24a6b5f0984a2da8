"""The activity dashboard: known activity at controlled dates, and every number checked.

Library A has two communities (Ahorn-wonen with theme Wonen; Ahorn-zorg with Wonen and Zorg),
library B one (Beuk-zorg with Zorg). Activity is placed 2 to 120 days ago, so some of it falls
inside both windows, some only in the 90-day window and some in neither.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from communities.selectors import LIBRARIAN_GROUP, ORGANISER_GROUP
from dashboard import selectors
from knowledge.models import Comment, Contribution
from meetups.models import Rsvp
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _ago(days: int):
    return NOW - timedelta(days=days)


def member(community, user, days_ago):
    return MembershipFactory(community=community, user=user, activated_at=_ago(days_ago))


def contribution(community, author, days_ago, **kwargs):
    row = ContributionFactory(community=community, author=author, **kwargs)
    Contribution.objects.filter(pk=row.pk).update(created_at=_ago(days_ago))
    return row


def comment(on, author, days_ago, **kwargs):
    row = CommentFactory(contribution=on, author=author, **kwargs)
    Comment.objects.filter(pk=row.pk).update(created_at=_ago(days_ago))
    return row


def rsvp(meetup, user, days_ago, state=Rsvp.State.GOING):
    row = RsvpFactory(meetup=meetup, user=user, state=state)
    Rsvp.objects.filter(pk=row.pk).update(created_at=_ago(days_ago))
    return row


@pytest.fixture
def seeded(db):
    library_a = LibraryFactory(name="Bibliotheek Ahorn", slug="ahorn")
    library_b = LibraryFactory(name="Bibliotheek Beuk", slug="beuk")
    wonen = ThemeFactory(title="Wonen", slug="wonen", sort_order=1)
    zorg = ThemeFactory(title="Zorg", slug="zorg", sort_order=2)
    a1 = CommunityFactory(
        title="Ahorn-wonen", slug="ahorn-wonen", library=library_a, themes=[wonen]
    )
    a2 = CommunityFactory(
        title="Ahorn-zorg", slug="ahorn-zorg", library=library_a, themes=[wonen, zorg]
    )
    b1 = CommunityFactory(title="Beuk-zorg", slug="beuk-zorg", library=library_b, themes=[zorg])
    p = {
        n: UserFactory(
            display_name=f"Persoon {n}", handle=f"persoon-{n}", email=f"p{n}@example.org"
        )
        for n in range(1, 7)
    }

    # Ahorn-wonen
    member(a1, p[1], 10)
    member(a1, p[2], 60)
    member(a1, p[3], 120)
    MembershipFactory(community=a1, user=p[4], pending=True)
    c1 = contribution(a1, p[1], 10)
    contribution(a1, p[2], 60)
    contribution(a1, p[3], 120)
    contribution(a1, p[5], 5, status=Contribution.Status.HIDDEN)
    comment(c1, p[2], 5)
    comment(c1, p[1], 20)
    comment(c1, p[5], 3, deleted_at=NOW)
    meetup_a1 = MeetupFactory(community=a1)
    rsvp(meetup_a1, p[3], 40)
    rsvp(meetup_a1, p[6], 10, state=Rsvp.State.CANCELLED)

    # Ahorn-zorg
    member(a2, p[1], 15)
    contribution(a2, p[1], 25)
    contribution(a2, p[4], 80)
    rsvp(MeetupFactory(community=a2), p[2], 50, state=Rsvp.State.WAITLIST)

    # Beuk-zorg, in the other library
    member(b1, p[6], 2)
    b_post = contribution(b1, p[6], 2)
    comment(b_post, p[1], 2)
    MembershipFactory(community=b1, user=p[5], pending=True)

    librarian = UserFactory(display_name="Lotte van Ahorn")
    librarian.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))
    library_a.librarians.add(librarian)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    return {
        "librarian": librarian,
        "superuser": superuser,
        "people": p,
        "communities": (a1, a2, b1),
        "themes": (wonen, zorg),
        "libraries": (library_a, library_b),
    }


def _numbers(row) -> dict[int, list[int]]:
    """{window: [new members, contributions, comments, active members, RSVPs]}"""
    return {days: row.windows[days].as_list() for days in selectors.WINDOWS}


LIBRARIAN_EXPECTED = {
    "communities": {
        "Ahorn-wonen": {30: [1, 1, 2, 2, 0], 90: [2, 2, 2, 3, 1]},
        "Ahorn-zorg": {30: [1, 1, 0, 1, 0], 90: [1, 2, 0, 3, 1]},
    },
    "themes": {
        "Wonen": {30: [2, 2, 2, 2, 0], 90: [3, 4, 2, 4, 2]},
        "Zorg": {30: [1, 1, 0, 1, 0], 90: [1, 2, 0, 3, 1]},
    },
    "total": {30: [2, 2, 2, 2, 0], 90: [3, 4, 2, 4, 2]},
}

SUPERUSER_EXPECTED = {
    "communities": {
        **LIBRARIAN_EXPECTED["communities"],
        "Beuk-zorg": {30: [1, 1, 1, 2, 0], 90: [1, 1, 1, 2, 0]},
    },
    "themes": {
        "Wonen": LIBRARIAN_EXPECTED["themes"]["Wonen"],
        # Ahorn-zorg and Beuk-zorg: persoon 1 is active in both and counts once.
        "Zorg": {30: [2, 2, 1, 2, 0], 90: [2, 3, 1, 4, 1]},
    },
    "total": {30: [3, 3, 3, 3, 0], 90: [4, 5, 3, 5, 2]},
}


def _as_dict(overview) -> dict:
    return {
        "communities": {row.label: _numbers(row) for row in overview.communities},
        "themes": {row.label: _numbers(row) for row in overview.themes},
        "total": _numbers(overview.total),
    }


def test_librarian_sees_every_number_of_their_library(seeded):
    overview = selectors.activity_overview(seeded["librarian"], now=NOW)

    assert _as_dict(overview) == LIBRARIAN_EXPECTED
    assert [row.library for row in overview.communities] == ["Bibliotheek Ahorn"] * 2


def test_superuser_sees_every_library(seeded):
    overview = selectors.activity_overview(seeded["superuser"], now=NOW)

    assert _as_dict(overview) == SUPERUSER_EXPECTED


def test_librarian_without_library_sees_no_community_numbers(seeded):
    loose = UserFactory()
    loose.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))

    overview = selectors.activity_overview(loose, now=NOW)

    assert overview.communities == []
    assert overview.themes == []
    assert _numbers(overview.total) == {30: [0] * 5, 90: [0] * 5}


def _count_queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.activity_overview(user, now=NOW)
    return len(ctx.captured_queries)


def test_the_numbers_cost_the_same_queries_for_more_communities(seeded):
    before = _count_queries(seeded["superuser"])
    library_a = seeded["libraries"][0]
    for _n in range(8):
        community = CommunityFactory(library=library_a, themes=[ThemeFactory()])
        person = UserFactory()
        member(community, person, 3)
        post = contribution(community, person, 3)
        comment(post, UserFactory(), 4)
        rsvp(MeetupFactory(community=community), person, 5)

    after = _count_queries(seeded["superuser"])

    assert before == after
    # Communities with their themes (2), four GROUP BY counts, one union for active people.
    assert after == 7


def _csv(client) -> list[list[str]]:
    response = client.get(reverse("dashboard_activity_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_holds_every_number_when_nothing_is_suppressed(client, seeded, monkeypatch):
    monkeypatch.setattr(selectors, "SUPPRESS_BELOW", 1)
    admin_login(client, seeded["librarian"])

    header, *rows = _csv(client)

    assert header == [
        "Peildatum",
        "Vanaf",
        "Tot en met",
        "Dagen",
        "Soort",
        "Naam",
        "Bibliotheek",
        "Nieuwe leden",
        "Bijdragen",
        "Reacties",
        "Actieve leden",
        "Aanmeldingen voor bijeenkomsten",
    ]
    today = timezone.localdate().isoformat()
    assert {row[0] for row in rows} == {today}
    got = {(row[4], row[5], row[6], int(row[3])): [int(n) for n in row[7:]] for row in rows}
    expected = {}
    for name, windows in LIBRARIAN_EXPECTED["communities"].items():
        for days, numbers in windows.items():
            expected[("Gemeenschap", name, "Bibliotheek Ahorn", days)] = numbers
    for name, windows in LIBRARIAN_EXPECTED["themes"].items():
        for days, numbers in windows.items():
            expected[("Thema", name, "", days)] = numbers
    for days, numbers in LIBRARIAN_EXPECTED["total"].items():
        expected[("Totaal", "Alle gemeenschappen", "", days)] = numbers
    assert got == expected
    assert len(rows) == len(expected)


def test_csv_suppresses_small_numbers_but_not_zero(client, seeded):
    admin_login(client, seeded["librarian"])

    _header, *rows = _csv(client)

    ahorn_zorg_30 = next(r for r in rows if r[5] == "Ahorn-zorg" and r[3] == "30")
    assert ahorn_zorg_30[7:] == ["<5", "<5", "0", "<5", "0"]
    assert selectors.suppress_small(0) == "0"
    assert selectors.suppress_small(4) == "<5"
    assert selectors.suppress_small(5) == "5"


def test_csv_contains_no_personal_data(client, seeded):
    admin_login(client, seeded["superuser"])

    text = client.get(reverse("dashboard_activity_csv")).content.decode("utf-8-sig")

    for person in [*seeded["people"].values(), seeded["librarian"]]:
        assert person.display_name not in text
        assert person.email not in text
        assert person.handle not in text
    assert "@" not in text


def test_dashboard_page_shows_numbers_requests_and_dossiers(client, seeded):
    from knowledge.models import ThemeDossier

    wonen = seeded["themes"][0]
    ThemeDossier.objects.create(theme=wonen, live=True)
    admin_login(client, seeded["librarian"])

    response = client.get(reverse("dashboard_activity"))

    assert response.status_code == 200
    assert _as_dict(response.context["overview"]) == LIBRARIAN_EXPECTED
    html = response.content.decode()
    # The pending request in Ahorn-wonen, with the way to decide on it; not the one in Beuk.
    assert "Persoon 4" in html
    assert reverse("communities:community_members", args=["ahorn-wonen"]) in html
    assert "Persoon 5" not in html
    assert response.context["pending_count"] == 1
    # The dossier that was never reviewed.
    assert [d.theme for d, _url in response.context["dossiers"]] == [wonen]
    assert "nog nooit nagekeken" in html
    assert reverse("dashboard_activity_csv") in html


def test_dashboard_home_panel_and_menu_for_librarians_only(client, seeded):
    organiser = UserFactory()
    organiser.groups.add(Group.objects.get(name=ORGANISER_GROUP))

    admin_login(client, seeded["librarian"])
    as_librarian = client.get(reverse("wagtailadmin_home")).content.decode()
    admin_login(client, organiser)
    as_organiser = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Activiteit in je gemeenschappen" in as_librarian
    assert reverse("dashboard_activity") in as_librarian
    assert "Activiteit in je gemeenschappen" not in as_organiser
    assert reverse("dashboard_activity") not in as_organiser
    assert client.get(reverse("dashboard_activity")).status_code == 302
    assert client.get(reverse("dashboard_activity_csv")).status_code in (302, 403)


def test_pending_requests_in_other_libraries_are_left_out(seeded):
    pending, count = selectors.membership_list_pending_for(seeded["librarian"])

    assert count == 1
    assert [(m.community.slug, m.user.handle) for m in pending] == [("ahorn-wonen", "persoon-4")]
    assert Membership.objects.filter(state=Membership.State.PENDING).count() == 2
