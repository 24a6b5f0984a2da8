"""The agenda /bijeenkomsten/: upcoming and archive, filters, pages and query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from meetups.models import Meetup
from tests.communities.factories import CommunityFactory, RegionFactory, ThemeFactory
from tests.html import field_errors, page_text
from tests.meetups.factories import BranchFactory, MeetupFactory, RsvpFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _past(**kwargs) -> Meetup:
    start = timezone.now() - timedelta(days=kwargs.pop("days_ago", 3))
    return MeetupFactory(starts_at=start, ends_at=start + timedelta(hours=2), **kwargs)


def _titles(response) -> list[str]:
    """The card titles on the page, in order."""
    content = response.content.decode()
    return re.findall(r'<h3 class="card__title">\s*<a href="[^"]+">([^<]+)</a>', content)


def test_agenda_shows_upcoming_published_meetups_soonest_first(client):
    now = timezone.now()
    MeetupFactory(title="Later", starts_at=now + timedelta(days=9))
    MeetupFactory(title="Eerst", starts_at=now + timedelta(days=2))
    MeetupFactory(title="Afgelast", status=Meetup.Status.CANCELLED)
    MeetupFactory(title="Concept", status=Meetup.Status.DRAFT)
    MeetupFactory(title="Voorstel", status=Meetup.Status.PROPOSED)
    _past(title="Geweest")

    response = client.get("/bijeenkomsten/")

    titles = _titles(response)
    assert titles.index("Eerst") < titles.index("Later")
    assert "Afgelast" in titles  # Shown with its badge, so people who planned to come see it.
    assert not {"Concept", "Voorstel", "Geweest"} & set(titles)
    assert "3 bijeenkomsten" in page_text(response)


@pytest.mark.parametrize("url", ["/bijeenkomsten/archief/", "/bijeenkomsten/?archief=1"])
def test_archive_shows_what_is_over_latest_first(client, url):
    _past(title="Vorige week", days_ago=7)
    _past(title="Gisteren", days_ago=1)
    MeetupFactory(title="Straks")
    _past(title="Oud concept", status=Meetup.Status.DRAFT)

    response = client.get(url)

    assert _titles(response) == ["Gisteren", "Vorige week"]
    assert "Archief van bijeenkomsten" in page_text(response)
    # No "places left" for what is over.
    assert "plaatsen vrij" not in page_text(response)


def test_agenda_links_to_the_archive_and_back(client):
    assert 'href="/bijeenkomsten/archief/"' in client.get("/bijeenkomsten/").content.decode()
    assert 'href="/bijeenkomsten/"' in client.get("/bijeenkomsten/archief/").content.decode()


def test_meetups_of_a_private_community_stay_hidden(client, outsider, private_community):
    MeetupFactory(title="Besloten avond", community=private_community)
    client.force_login(outsider)

    assert "Besloten avond" not in _titles(client.get("/bijeenkomsten/"))


# --- Filters ----------------------------------------------------------------------------------


def test_filter_form_is_labelled_and_works_without_javascript(client):
    content = client.get("/bijeenkomsten/").content.decode()

    assert 'method="get"' in content
    for name in ["thema", "gemeenschap", "regio", "vestiging", "waar"]:
        assert f'for="id_{name}"' in content
    assert '<button type="submit" class="button button--primary">' in content


def test_filter_by_theme(client, theme):
    MeetupFactory(title="Over isoleren").themes.add(theme)
    MeetupFactory(title="Over iets anders").themes.add(ThemeFactory())

    response = client.get(f"/bijeenkomsten/?thema={theme.slug}")

    assert _titles(response) == ["Over isoleren"]
    assert "Wis de filters" in page_text(response)


def test_filter_by_community(client, community):
    MeetupFactory(title="Van de coöperatie", community=community)
    MeetupFactory(title="Van een ander", community=CommunityFactory())

    response = client.get(f"/bijeenkomsten/?gemeenschap={community.slug}")

    assert _titles(response) == ["Van de coöperatie"]


def test_filter_by_region_uses_the_branch_or_else_the_community(client):
    north = RegionFactory(name="Noord", slug="noord")
    south = RegionFactory(name="Zuid", slug="zuid")
    MeetupFactory(title="In een vestiging in het noorden", branch=BranchFactory(region=north))
    MeetupFactory(
        title="Buurthuis, gemeenschap uit het noorden",
        address="Buurthuis",
        community=CommunityFactory(region=north),
    )
    MeetupFactory(
        title="Vestiging in het zuiden, gemeenschap uit het noorden",
        branch=BranchFactory(region=south),
        community=CommunityFactory(region=north),
    )

    response = client.get("/bijeenkomsten/?regio=noord")

    assert sorted(_titles(response)) == [
        "Buurthuis, gemeenschap uit het noorden",
        "In een vestiging in het noorden",
    ]


def test_filter_by_branch(client):
    branch = BranchFactory(name="Centrale bibliotheek")
    MeetupFactory(title="In de centrale", branch=branch)
    MeetupFactory(title="Elders", branch=BranchFactory())

    response = client.get(f"/bijeenkomsten/?vestiging={branch.pk}")

    assert _titles(response) == ["In de centrale"]
    assert "Centrale bibliotheek" in page_text(response)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("online", ["Alleen online", "Hybride"]),
        ("ter-plaatse", ["Hybride", "In de bieb"]),
        ("", ["Alleen online", "Hybride", "In de bieb"]),
    ],
)
def test_filter_online_or_on_site(client, where, expected):
    MeetupFactory(title="Alleen online", online_url="https://meet.example.org/a")
    MeetupFactory(
        title="Hybride",
        address="Markt 1",
        online_url="https://meet.example.org/b",
        is_hybrid=True,
    )
    MeetupFactory(title="In de bieb", branch=BranchFactory())

    response = client.get(f"/bijeenkomsten/?waar={where}")

    assert sorted(_titles(response)) == expected


def test_filters_combine_and_apply_to_the_archive(client, theme, community):
    match = _past(title="Geweest, passend", community=community)
    match.themes.add(theme)
    _past(title="Geweest, ander thema", community=community)
    MeetupFactory(title="Komt nog, passend", community=community).themes.add(theme)

    response = client.get(
        f"/bijeenkomsten/archief/?thema={theme.slug}&gemeenschap={community.slug}"
    )

    assert _titles(response) == ["Geweest, passend"]


def test_an_unknown_filter_value_is_shown_at_its_field(client):
    MeetupFactory(title="Gewoon zichtbaar")

    response = client.get("/bijeenkomsten/?thema=bestaat-niet")

    assert response.status_code == 200
    assert field_errors(response, "thema")
    assert _titles(response) == ["Gewoon zichtbaar"]


def test_no_results_with_filters_says_so(client, theme):
    response = client.get(f"/bijeenkomsten/?thema={theme.slug}")

    assert "Geen bijeenkomsten gevonden met deze filters." in page_text(response)


# --- Pages, places and query counts -----------------------------------------------------------


def test_agenda_is_paginated_and_pages_keep_the_filters(client, theme):
    start = timezone.now() + timedelta(days=1)
    for i in range(25):
        meetup = MeetupFactory(title=f"Avond {i:02d}", starts_at=start + timedelta(hours=i))
        meetup.themes.add(theme)

    first = client.get(f"/bijeenkomsten/?thema={theme.slug}")
    second = client.get(f"/bijeenkomsten/?thema={theme.slug}&pagina=2")

    assert len(_titles(first)) == 20
    assert _titles(second) == [f"Avond {i}" for i in range(20, 25)]
    assert f'href="?thema={theme.slug}&amp;pagina=2"' in first.content.decode()
    assert "Pagina 2 van 2" in page_text(second)
    # Past the last page: the last page, not an error.
    assert _titles(client.get("/bijeenkomsten/?pagina=99")) == _titles(second)


def test_cards_show_places_left(client):
    meetup = MeetupFactory(capacity=4)
    RsvpFactory(meetup=meetup)

    assert "Nog 3 plaatsen vrij" in page_text(client.get("/bijeenkomsten/"))


@pytest.fixture
def filtered_world(theme, community):
    """What the filtered agenda's items share: a theme, a community, a branch in a region."""
    region = RegionFactory(name="Midden", slug="midden")
    branch = BranchFactory(region=region)

    def add(count):
        for _ in range(count):
            meetup = MeetupFactory(community=community, branch=branch)
            meetup.themes.add(theme)
            RsvpFactory(meetup=meetup)

    query = f"thema={theme.slug}&gemeenschap={community.slug}&regio=midden&waar=ter-plaatse"
    return add, query


def test_filtered_agenda_costs_constant_queries(client, filtered_world):
    add, query = filtered_world

    assert_constant_queries(client, f"/bijeenkomsten/?{query}", add, label="agenda, filtered")


def test_filtered_agenda_for_a_member_costs_constant_queries(client, member, filtered_world):
    add, query = filtered_world
    client.force_login(member)

    assert_constant_queries(
        client, f"/bijeenkomsten/?{query}", add, label="agenda, filtered, member"
    )


def test_archive_costs_constant_queries(client, theme):
    def add(count):
        for _ in range(count):
            meetup = _past()
            meetup.themes.add(theme)
            RsvpFactory(meetup=meetup)

    assert_constant_queries(
        client, f"/bijeenkomsten/archief/?thema={theme.slug}", add, label="agenda archive"
    )


def test_proposals_page_costs_constant_queries(client, host, community):
    client.force_login(host)

    def add(count):
        for _ in range(count):
            MeetupFactory(community=community, status=Meetup.Status.PROPOSED)
            MeetupFactory(community=community, status=Meetup.Status.DRAFT)

    assert_constant_queries(client, "/bijeenkomsten/voorstellen/", add, label="proposals page")


def test_community_page_still_shows_upcoming_meetups(client, community):
    MeetupFactory(title="Zonnige avond", community=community)

    assert "Zonnige avond" in page_text(client.get(community.get_absolute_url()))


def test_theme_page_still_shows_upcoming_meetups(client, theme):
    MeetupFactory(title="Thema-avond").themes.add(theme)

    assert "Thema-avond" in page_text(client.get(theme.get_absolute_url()))
