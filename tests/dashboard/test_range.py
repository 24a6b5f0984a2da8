"""The dashboard for a chosen date range, and the CSV of that range.

Days are whole days in Europe/Amsterdam: a contribution placed at 00:30 Amsterdam time on
1 November (23:30 UTC on 31 October) belongs to 1 November. The clock stands still.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission

from communities.selectors import LIBRARIAN_GROUP
from dashboard import selectors
from tests.communities.factories import CommunityFactory, LibraryFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

PAGE = "/cms/activiteit/"
CSV = "/cms/activiteit/export.csv"


@pytest.fixture
def ahorn(clock):
    clock.set("2026-12-09T10:00")
    community = CommunityFactory(title="Ahorn", library=LibraryFactory(name="Bibliotheek Ahorn"))
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    librarian = UserFactory()
    librarian.groups.add(group)
    community.library.librarians.add(librarian)
    # Placed at these Amsterdam times; their day decides the range they count in.
    for moment in (
        "2026-10-31T23:59",  # the last minute of October
        "2026-11-01T00:30",  # the first half hour of November (still 31 October in UTC)
        "2026-11-15T12:00",
        "2026-11-30T23:59",
        "2026-12-01T00:00",  # December
    ):
        clock.set(moment)
        ContributionFactory(community=community)
    clock.set("2026-12-09T10:00")
    return {"community": community, "librarian": librarian}


def test_a_range_counts_whole_amsterdam_days(ahorn):
    november = selectors.period_between(*_days("2026-11-01", "2026-11-30"))

    overview = selectors.activity_overview(ahorn["librarian"], periods=[november])

    assert overview.total.windows["range"].contributions == 3
    assert november.days == 30


def test_one_day_range(ahorn):
    day = selectors.period_between(*_days("2026-11-01", "2026-11-01"))

    overview = selectors.activity_overview(ahorn["librarian"], periods=[day])

    assert overview.total.windows["range"].contributions == 1


def test_the_default_is_the_last_30_and_90_days_today_included(ahorn):
    overview = selectors.activity_overview(ahorn["librarian"])

    assert [(p.key, p.first_day.isoformat(), p.last_day.isoformat()) for p in overview.periods] == [
        (30, "2026-11-10", "2026-12-09"),
        (90, "2026-09-11", "2026-12-09"),
    ]
    assert overview.total.windows[30].contributions == 3
    assert overview.total.windows[90].contributions == 5


def test_the_page_shows_the_chosen_range_and_links_its_csv(client, ahorn):
    admin_login(client, ahorn["librarian"])

    response = client.get(PAGE, {"van": "2026-11-01", "tot": "2026-11-30"})

    assert response.status_code == 200
    text = page_text(response)
    assert "Van 1 november 2026 tot en met 30 november 2026 (30 dagen)" in text
    assert "De afgelopen 30 dagen" not in text
    assert [r.label for r in response.context["overview"].communities] == ["Ahorn"]
    assert response.context["tables"][0]["total"][1] == 3
    assert f"{CSV}?van=2026-11-01&amp;tot=2026-11-30" in response.content.decode()


def test_the_csv_holds_the_same_range(client, ahorn, monkeypatch):
    monkeypatch.setattr(selectors, "SUPPRESS_BELOW", 1)
    admin_login(client, ahorn["librarian"])

    response = client.get(CSV, {"van": "2026-11-01", "tot": "2026-11-30"})

    assert response.status_code == 200
    assert "kenniscloud-activiteit-2026-11-01-tot-2026-11-30.csv" in response["Content-Disposition"]
    header, *rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert header[:4] == ["Peildatum", "Vanaf", "Tot en met", "Dagen"]
    total = next(row for row in rows if row[4] == "Totaal")
    assert total[:4] == ["2026-12-09", "2026-11-01", "2026-11-30", "30"]
    assert total[8] == "3"  # contributions
    assert len(rows) == 2  # the community and the total: one period, no theme


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"van": "2026-11-30", "tot": "2026-11-01"}, "tot", "De laatste dag ligt vóór de eerste"),
        ({"van": "2023-01-01", "tot": "2026-11-30"}, "tot", "Kies hoogstens 732 dagen"),
        ({"van": "gisteren", "tot": "2026-11-30"}, "van", "Vul een datum in"),
        ({"van": "2026-11-01", "tot": ""}, "tot", "Vul ook de laatste dag in"),
        ({"van": "2027-01-01", "tot": "2027-01-31"}, "van", "De eerste dag ligt in de toekomst"),
    ],
)
def test_a_wrong_range_says_why_next_to_the_field(client, ahorn, query, field, message):
    admin_login(client, ahorn["librarian"])

    response = client.get(PAGE, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<p class="error-message" id="id_{field}_error">{message}' in html
    assert f'aria-describedby="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    # Nothing is counted for a wrong range: the page falls back to the usual windows.
    assert [p.key for p in response.context["overview"].periods] == [30, 90]


def test_a_wrong_range_for_the_csv_goes_to_the_page_with_the_message(client, ahorn):
    admin_login(client, ahorn["librarian"])

    response = client.get(CSV, {"van": "2026-11-30", "tot": "2026-11-01"}, follow=True)

    assert response.redirect_chain[0][0] == f"{PAGE}?van=2026-11-30&tot=2026-11-01"
    assert "De laatste dag ligt vóór de eerste dag." in page_text(response)


def test_the_range_is_for_librarians_only(client, ahorn):
    admin_login(client, UserFactory(is_staff=True))

    assert client.get(CSV, {"van": "2026-11-01", "tot": "2026-11-30"}).status_code in (302, 403)


def _days(first: str, last: str):
    from datetime import date

    return date.fromisoformat(first), date.fromisoformat(last)
