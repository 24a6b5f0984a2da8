"""A meetup's route links, and the next meetup on the community cards (issue 16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from meetups.models import Meetup
from tests.communities.factories import CommunityFactory
from tests.html import page_text
from tests.meetups.factories import BranchFactory, MeetupFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


# --- Route links -----------------------------------------------------------------------------


def test_meetup_with_an_address_links_to_openstreetmap_and_the_phones_map_app(client):
    meetup = MeetupFactory(address="Stationsplein 1, 5038 TC Tilburg")

    content = client.get(meetup.get_absolute_url()).content.decode()

    query = "Stationsplein%201%2C%205038%20TC%20Tilburg"
    assert f'href="https://www.openstreetmap.org/search?query={query}"' in content
    assert f'href="geo:0,0?q={query}"' in content
    assert "Route plannen (OpenStreetMap)" in page_text(client.get(meetup.get_absolute_url()))


def test_meetup_at_a_branch_routes_to_the_branch(client):
    branch = BranchFactory(street="Kerkstraat 2", postcode="5038 AA", city="Tilburg")
    meetup = MeetupFactory(branch=branch, address="")

    content = client.get(meetup.get_absolute_url()).content.decode()

    assert "search?query=Kerkstraat%202%2C%205038%20AA%20Tilburg" in content


def test_online_meetup_has_no_route_and_the_page_loads_nothing_from_elsewhere(client):
    meetup = MeetupFactory(address="", branch=None, online_url="https://meet.example.org/x")

    content = client.get(meetup.get_absolute_url()).content.decode()

    assert "openstreetmap" not in content and "geo:" not in content
    # No embedded map: no frame, image or script from another site.
    assert "<iframe" not in content
    for tag in ("<img", "<script", "<link"):
        for piece in content.split(tag)[1:]:
            src = piece.split(">", 1)[0]
            assert "openstreetmap" not in src and "//tile" not in src


# --- Next meetup on the community cards ------------------------------------------------------


def _in(days: int, hours: int = 0):
    return timezone.now() + timedelta(days=days, hours=hours)


def test_community_card_shows_the_next_meetup(client, community):
    MeetupFactory(community=community, title="Later", starts_at=_in(9), ends_at=_in(9, 2))
    MeetupFactory(community=community, title="Eerst", starts_at=_in(3), ends_at=_in(3, 2))
    MeetupFactory(
        community=community,
        title="Afgelast",
        status=Meetup.Status.CANCELLED,
        starts_at=_in(1),
        ends_at=_in(1, 2),
    )
    MeetupFactory(community=community, title="Voorbij", starts_at=_in(-3), ends_at=_in(-3, 2))

    text = page_text(client.get("/gemeenschappen/"))

    assert "Volgende bijeenkomst: Eerst" in text
    assert "Later" not in text and "Afgelast" not in text and "Voorbij" not in text


def test_community_card_shows_no_meetup_the_viewer_may_not_see(client, community):
    MeetupFactory(community=community, title="Concept", status=Meetup.Status.DRAFT)
    MeetupFactory(community=community, title="Voorstel", status=Meetup.Status.PROPOSED)

    text = page_text(client.get("/gemeenschappen/"))

    assert "Volgende bijeenkomst" not in text


def test_private_community_meetup_stays_off_the_list_for_outsiders(client, member):
    private = CommunityFactory(title="Besloten kring", visibility=Community.Visibility.PRIVATE)
    MeetupFactory(community=private, title="Geheim overleg")
    client.force_login(member)

    text = page_text(client.get("/gemeenschappen/"))

    assert "Geheim overleg" not in text


def test_the_next_meetups_of_all_cards_cost_one_query(client):
    def add(n):
        for _ in range(n):
            community = CommunityFactory()
            MeetupFactory(community=community, starts_at=_in(2), ends_at=_in(2, 2))
            MeetupFactory(community=community, starts_at=_in(5), ends_at=_in(5, 2))

    assert_constant_queries(client, "/gemeenschappen/", add, label="/gemeenschappen/ with meetups")
    with CaptureQueriesContext(connection) as queries:
        client.get("/gemeenschappen/")
    on_meetups = [q["sql"] for q in queries.captured_queries if '"meetups_meetup"' in q["sql"]]
    assert len(on_meetups) == 1
