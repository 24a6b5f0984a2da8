"""Tag pages /tags/<slug>/ ("Alles over …"): what shows for whom, addresses, links, pages,
query counts, and the anonymous page cache."""

from __future__ import annotations

import html
import os
import re

import pytest
from django.test import Client
from taggit.models import Tag

from communities import services as community_services
from kenniscloud.common.cache import generation_bump
from kenniscloud.common.middleware import HEADER
from knowledge.models import Contribution
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    content = response.content.decode()
    return [
        html.unescape(t)
        for t in re.findall(
            r'<h3 class="card__title">\s*<a href="/bijdragen/\d+/">([^<]+)</a>', content
        )
    ]


def _members(response) -> list[str]:
    content = response.content.decode()
    return [
        html.unescape(n)
        for n in re.findall(
            r'<h3 class="card__title">\s*<a href="/leden/[^"]+/">([^<]+)</a>', content
        )
    ]


# --- What shows, for whom ---------------------------------------------------------------------


def test_everything_with_the_tag_across_open_communities(client, community):
    other = CommunityFactory(title="Repair Café West")
    ContributionFactory(community=community, title="Panelen op een plat dak", tags=["zonnepanelen"])
    ContributionFactory(community=other, title="Omvormer kapot", tags=["Zonnepanelen", "reparatie"])
    ContributionFactory(community=other, title="Fiets lek", tags=["reparatie"])
    ContributionFactory(
        community=community,
        title="Verborgen bijdrage",
        tags=["zonnepanelen"],
        status=Contribution.Status.HIDDEN,
    )

    response = client.get("/tags/zonnepanelen/")

    assert response.status_code == 200
    assert "Alles over zonnepanelen" in page_text(response)
    assert sorted(_titles(response)) == ["Omvormer kapot", "Panelen op een plat dak"]
    assert "2 bijdragen" in page_text(response)


def test_private_contributions_only_for_members_of_that_community(
    client, community, private_community
):
    ContributionFactory(community=community, title="Open over warmtepompen", tags=["warmtepomp"])
    ContributionFactory(
        community=private_community, title="Besloten over warmtepompen", tags=["warmtepomp"]
    )

    assert _titles(client.get("/tags/warmtepomp/")) == ["Open over warmtepompen"]
    client.force_login(UserFactory())  # logged in, not a member
    assert _titles(client.get("/tags/warmtepomp/")) == ["Open over warmtepompen"]

    insider = UserFactory()
    MembershipFactory(user=insider, community=private_community)
    client.force_login(insider)
    assert sorted(_titles(client.get("/tags/warmtepomp/"))) == [
        "Besloten over warmtepompen",
        "Open over warmtepompen",
    ]


def test_a_tag_used_only_in_a_private_community_is_not_found_by_outsiders(
    client, private_community
):
    ContributionFactory(community=private_community, tags=["geheim plan"])

    assert client.get("/tags/geheim-plan/").status_code == 404

    insider = UserFactory()
    MembershipFactory(user=insider, community=private_community)
    client.force_login(insider)
    assert client.get("/tags/geheim-plan/").status_code == 200


def test_an_unknown_tag_is_404(client):
    assert client.get("/tags/bestaat-niet/").status_code == 404


def test_members_who_opted_in_with_that_expertise(client, community):
    fien = UserFactory(display_name="Fien Vindbaar", findable=True)
    fien.expertise.set(["zonnepanelen"])
    nora = UserFactory(display_name="Nora Niet")  # not findable
    nora.expertise.set(["zonnepanelen"])
    ContributionFactory(community=community, tags=["zonnepanelen"])

    response = client.get("/tags/zonnepanelen/")

    assert _members(response) == ["Fien Vindbaar"]
    assert "Nora Niet" not in page_text(response)


def test_a_tag_only_a_member_who_did_not_opt_in_has_is_404(client):
    UserFactory(display_name="Nora Niet").expertise.set(["borduren"])

    assert client.get("/tags/borduren/").status_code == 404


def test_many_members_link_on_to_who_knows_what(client):
    for n in range(14):
        UserFactory(display_name=f"Lid {n:02}", findable=True).expertise.set(["fietsen"])

    response = client.get("/tags/fietsen/")

    assert len(_members(response)) == 12
    assert 'href="/wie-weet-wat/?kennis=fietsen"' in response.content.decode()
    assert "Bekijk alle 14 mensen op Wie weet wat" in page_text(response)


# --- Addresses: slugs, names with spaces and diacritics ---------------------------------------


def test_a_name_with_spaces_and_capitals_is_found_by_its_slug(client, community):
    ContributionFactory(community=community, title="Samen opwekken", tags=["Zonne Energie"])

    assert _titles(client.get("/tags/zonne-energie/")) == ["Samen opwekken"]
    response = client.get("/tags/Zonne%20Energie/")
    assert response.status_code == 301
    assert response["Location"] == "/tags/zonne-energie/"


def test_diacritics_stay_in_the_address_and_may_be_left_out(client, community):
    ContributionFactory(community=community, title="Samen een coöperatie", tags=["Coöperatie"])
    tag = Tag.objects.get(name="Coöperatie")
    assert tag.slug == "coöperatie"

    response = client.get("/tags/co%C3%B6peratie/")
    assert _titles(response) == ["Samen een coöperatie"]
    without = client.get("/tags/cooperatie/")
    assert without.status_code == 301
    assert without["Location"] == "/tags/co%C3%B6peratie/"


def test_a_tag_without_a_slug_shows_without_a_link(client, community):
    ContributionFactory(community=community, title="Rare tekens", tags=["?!"])

    response = client.get("/gemeenschappen/energie-noord/")

    assert response.status_code == 200
    assert '<span class="tag">?!</span>' in response.content.decode()


# --- Tags link to their page ------------------------------------------------------------------


def test_tags_on_cards_contribution_pages_and_profiles_link_to_the_tag_page(
    client, community, member
):
    member.expertise.set(["Coöperatie"])
    contribution = ContributionFactory(community=community, author=member, tags=["Coöperatie"])
    link = '<a class="tag" href="/tags/co%C3%B6peratie/">Coöperatie</a>'

    assert link in client.get(contribution.get_absolute_url()).content.decode()
    assert link in client.get(community.get_absolute_url()).content.decode()
    assert link in client.get(member.get_absolute_url()).content.decode()


# --- Pages and queries ------------------------------------------------------------------------


def test_contributions_are_paginated(client, community):
    for n in range(25):
        ContributionFactory(community=community, title=f"Bijdrage nummer {n:02}", tags=["fietsen"])

    first = client.get("/tags/fietsen/")
    second = client.get("/tags/fietsen/?pagina=2")

    assert len(_titles(first)) == 20
    assert len(_titles(second)) == 5
    assert "25 bijdragen" in page_text(first)


@pytest.fixture
def tagged_world(community):
    def add(n):
        for _ in range(n):
            ContributionFactory(community=CommunityFactory(), tags=["zonnepanelen", "isolatie"])
            ContributionFactory(community=community, tags=["zonnepanelen"])
            user = UserFactory(findable=True)
            user.expertise.set(["zonnepanelen", "isolatie"])
            MembershipFactory(user=user, community=community)

    return add


def test_tag_page_costs_constant_queries(client, tagged_world):
    assert_constant_queries(client, "/tags/zonnepanelen/", tagged_world, label="tag page, visitor")


def test_tag_page_for_a_member_costs_constant_queries(client, member, community, tagged_world):
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    assert_constant_queries(client, "/tags/zonnepanelen/", tagged_world, label="tag page, member")


# --- The anonymous page cache -----------------------------------------------------------------


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def page_cache(request, settings):
    if request.param == "redis":
        location, backend = settings.REDIS_URL, "kenniscloud.common.redis_cache.FailSoftRedisCache"
    else:
        location, backend = "tag-page-cache-tests", "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": location,
            "KEY_PREFIX": f"kc-tag-page-cache-tests-{os.getpid()}",
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    generation_bump()
    return request.param


def _cached_twice(client, url):
    client.get(url)
    response = client.get(url)
    assert response[HEADER] == "hit", url
    return response


def test_opting_in_and_out_shows_at_once_on_cached_pages(page_cache, community):
    visitor = Client()
    fien = UserFactory(display_name="Fien Vindbaar")
    fien.expertise.set(["zonnepanelen"])
    ContributionFactory(community=community, tags=["zonnepanelen"])
    _cached_twice(visitor, "/wie-weet-wat/")
    _cached_twice(visitor, "/tags/zonnepanelen/")

    community_services.member_update_profile(user=fien, data={"findable": True})

    assert "Fien Vindbaar" in page_text(visitor.get("/wie-weet-wat/"))
    assert "Fien Vindbaar" in page_text(visitor.get("/tags/zonnepanelen/"))

    _cached_twice(visitor, "/wie-weet-wat/")
    community_services.member_update_profile(user=fien, data={"findable": False})
    assert "Fien Vindbaar" not in page_text(visitor.get("/wie-weet-wat/"))


def test_tag_writes_alone_show_at_once_on_cached_pages(page_cache, community):
    """Only the taggit rows change here (no save of the member or the contribution): the
    through-model writes themselves must invalidate."""
    visitor = Client()
    fien = UserFactory(display_name="Fien Vindbaar", findable=True)
    fien.expertise.set(["isolatie"])
    contribution = ContributionFactory(
        community=community, title="Welke isolatie voor de vloer?", tags=["isolatie"]
    )
    _cached_twice(visitor, "/tags/isolatie/")
    _cached_twice(visitor, "/wie-weet-wat/")

    fien.expertise.add("vloerverwarming")
    assert "vloerverwarming" in page_text(visitor.get("/wie-weet-wat/"))

    _cached_twice(visitor, "/tags/isolatie/")
    contribution.tags.remove("isolatie")
    assert "Welke isolatie voor de vloer?" not in page_text(visitor.get("/tags/isolatie/"))
