"""Filters, cursor pagination and the constant cost of every list endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as tz

import pytest
from django.utils import timezone

from api.pagination import cursor_encode
from knowledge.models import Contribution
from tests.communities.factories import CommunityFactory, ThemeFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory, article_create
from tests.meetups.factories import BranchFactory, MeetupFactory
from tests.querycount import assert_constant_queries


def _ids(client, url, **params) -> list[int]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- Filters ----------------------------------------------------------------------------------


def test_contribution_filters(client, world):
    public = world.public_contribution.pk
    on_request = world.on_request_contribution.pk
    url = "/api/v1/contributions/"
    assert _ids(client, url) == [on_request, public]
    assert _ids(client, url, theme="duurzaam-wonen") == [public]
    assert _ids(client, url, community="energie-noord") == [public]
    assert _ids(client, url, community="woongroep-zuid") == [on_request]
    assert _ids(client, url, region="tilburg") == [public]
    assert _ids(client, url, tag="isolatie") == [public]
    # A private community's slug filters to nothing, as a slug that does not exist does.
    assert _ids(client, url, community="geheim-besloten") == []
    assert _ids(client, url, community="bestaat-niet") == []
    assert _ids(client, url, theme="bestaat-niet") == []


def test_since_means_created_or_changed_after(client, world, clock):
    # After the world was made (at the real time).
    clock.set("2027-02-01T12:00")
    old = ContributionFactory(community=world.open_community, title="Oud")
    clock.set("2027-02-05T12:00")
    new = ContributionFactory(community=world.open_community, title="Nieuw")
    url = "/api/v1/contributions/"
    assert _ids(client, url, since="2027-02-03T00:00:00+01:00") == [new.pk]
    clock.set("2027-02-06T12:00")
    old.title = "Oud, maar bijgewerkt"
    old.save()
    assert _ids(client, url, since="2027-02-03T00:00:00+01:00") == [new.pk, old.pk]
    # A moment without a time zone is ambiguous: refused, with the field named.
    response = client.get(url, {"since": "2027-02-03T00:00:00"})
    assert response.status_code == 422
    assert "since" in response.content.decode()


def test_community_filters(client, world):
    url = "/api/v1/communities/"
    slugs = lambda **params: [c["slug"] for c in client.get(url, params).json()["items"]]  # noqa: E731
    assert set(slugs()) == {"energie-noord", "woongroep-zuid"}
    assert slugs(region="tilburg") == ["energie-noord"]
    CommunityFactory(slug="elders", themes=[ThemeFactory(slug="samen-leven")])
    assert slugs(theme="samen-leven") == ["elders"]


def test_meetup_agenda_and_filters(client, world):
    url = "/api/v1/meetups/"
    later = MeetupFactory(
        title="Later", starts_at=timezone.now() + timedelta(days=20), community=world.open_community
    )
    upcoming = [m["title"] for m in client.get(url).json()["items"]]
    assert upcoming == ["Energiecafé", "Later"]  # soonest first
    assert [m["title"] for m in client.get(url, {"when": "past"}).json()["items"]] == ["Terugblik"]
    assert [m["title"] for m in client.get(url, {"region": "tilburg"}).json()["items"]] == [
        "Energiecafé",
        "Later",  # in a community of the region, not at a branch
    ]
    assert _ids(client, url, theme="duurzaam-wonen") == [world.public_meetup.pk]
    assert _ids(client, url, community="energie-noord") == [world.public_meetup.pk, later.pk]
    detail = client.get(f"{url}{world.public_meetup.pk}/").json()
    assert detail["places_left"] == 12
    assert detail["place"]["name"] == "Vestiging Centrum"
    assert detail["status"] == "published"


def test_article_filters(client, world):
    url = "/api/v1/articles/"
    other = article_create("Over iets anders")
    assert _ids(client, url) == [other.pk, world.public_article.pk]
    assert _ids(client, url, theme="duurzaam-wonen") == [world.public_article.pk]
    detail = client.get(f"{url}{world.public_article.pk}/").json()
    assert detail["text"] == "Wat we samen leerden over isoleren."
    assert detail["url"].endswith("/artikelen/wat-de-energiecafes-ons-leerden/")


# --- Cursor pagination ------------------------------------------------------------------------


@pytest.fixture
def many_contributions(world, clock):
    """55 more contributions, several at the very same moment (ties broken by id)."""
    clock.set("2026-11-01T10:00")
    made = []
    for n in range(55):
        if n % 5 == 0:
            clock.tick(timedelta(minutes=1))
        made.append(ContributionFactory(community=world.open_community, title=f"Bijdrage {n}"))
    return made


def test_cursor_pages_have_no_duplicates_and_no_gaps(client, world, many_contributions):
    expected = list(
        Contribution.objects.filter(
            status="published", community__visibility__in=["open", "on_request"]
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 7} if cursor is None else {"limit": 7, "cursor": cursor}
        body = client.get("/api/v1/contributions/", params).json()
        assert len(body["items"]) <= 7
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    assert pages == -(-len(expected) // 7)


def test_an_item_published_while_paging_shifts_nothing(client, world, many_contributions, clock):
    first = client.get("/api/v1/contributions/", {"limit": 10}).json()
    clock.tick(timedelta(hours=1))
    ContributionFactory(community=world.open_community, title="Net geplaatst")
    second = client.get(
        "/api/v1/contributions/", {"limit": 10, "cursor": first["next_cursor"]}
    ).json()
    everything = _all_ids(client)
    first_ids = [i["id"] for i in first["items"]]
    second_ids = [i["id"] for i in second["items"]]
    # The second page goes on exactly where the first stopped.
    start = everything.index(first_ids[-1]) + 1
    assert second_ids == everything[start : start + 10]


def _all_ids(client) -> list[int]:
    ids, cursor = [], None
    while True:
        params = {"limit": 50} if cursor is None else {"limit": 50, "cursor": cursor}
        body = client.get("/api/v1/contributions/", params).json()
        ids += [item["id"] for item in body["items"]]
        if (cursor := body["next_cursor"]) is None:
            return ids


def test_limit_is_capped_at_50(client, world, many_contributions):
    assert len(client.get("/api/v1/contributions/", {"limit": 50}).json()["items"]) == 50
    assert len(client.get("/api/v1/contributions/").json()["items"]) == 20  # the default
    response = client.get("/api/v1/contributions/", {"limit": 51})
    assert response.status_code == 422
    assert "limit" in response.content.decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "niet-base64!",
        "bm9n",  # base64 of "nog": not JSON
        cursor_encode(timezone.now(), 1)[:-3],  # cut short
        "WyIyMDI2LTEyLTAxIiwgMV0",  # a moment without a time zone
        "WyIyMDI2LTEyLTAxVDAwOjAwOjAwKzAwOjAwIiwgImVlbiJd",  # an id that is not a number
        # a moment that has no UTC equivalent, and an id beyond the database's bigint
        cursor_encode(datetime(9999, 12, 31, 23, 0, tzinfo=tz(timedelta(hours=-5))), 1),
        cursor_encode(timezone.now(), 2**63),
    ],
)
def test_a_bad_cursor_is_a_400_that_says_what_to_do(client, world, cursor):
    response = client.get("/api/v1/contributions/", {"cursor": cursor})
    assert response.status_code == 400
    assert "next_cursor" in response.json()["detail"]


# --- A constant number of queries, whatever the length ----------------------------------------


def test_contribution_list_queries_are_constant(client, world):
    theme = world.theme

    def add(n):
        for _ in range(n):
            contribution = ContributionFactory(
                community=world.open_community, tags=["isolatie", "zon"], themes=[theme]
            )
            CommentFactory(contribution=contribution)

    assert_constant_queries(
        client, "/api/v1/contributions/?limit=50", add, label="api contributions"
    )


def test_community_list_queries_are_constant(client, world):
    def add(n):
        for _ in range(n):
            CommunityFactory(themes=[world.theme])

    assert_constant_queries(client, "/api/v1/communities/?limit=50", add, label="api communities")


def test_theme_list_queries_are_constant(client, world):
    assert_constant_queries(
        client, "/api/v1/themes/", lambda n: ThemeFactory.create_batch(n), label="api themes"
    )


def test_meetup_list_queries_are_constant(client, world):
    branch = BranchFactory()

    def add(n):
        for _ in range(n):
            MeetupFactory(community=world.open_community, branch=branch)

    assert_constant_queries(client, "/api/v1/meetups/?limit=50", add, label="api meetups")


def test_article_list_queries_are_constant(client, world):
    def add(n):
        for i in range(n):
            article_create(f"Artikel {timezone.now().timestamp()} {i}", themes=[world.theme])

    assert_constant_queries(client, "/api/v1/articles/?limit=50", add, label="api articles")
