"""KENNISCLOUD_SEARCH_ENGINE=wagtail: the site's search through Wagtail's search backend
(search/engine.py), here its database backend, the same interface OpenSearch and Elasticsearch
have. The page, the visibility rule, filters, facets, suggestions and removal work as with the
default engine; on PostgreSQL with the Dutch configuration of the search migrations."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from communities.models import Community
from communities.selectors import community_visibility_filter
from knowledge.models import Contribution
from search import engine
from search.selectors import search_for, search_suggest
from search.services import search_rebuild
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wagtail_engine(settings):
    settings.KENNISCLOUD_SEARCH_ENGINE = "wagtail"
    backend = {"BACKEND": "wagtail.search.backends.database"}
    if connection.vendor == "postgresql":
        backend["SEARCH_CONFIG"] = "dutch_unaccent"
    settings.WAGTAILSEARCH_BACKENDS = {"default": backend}


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Create content inside it: the backend is written after the commit, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_contribution_is_found_marked_and_counted(client, community, indexed):
    with indexed():
        contribution = ContributionFactory(
            community=community,
            title="Moestuin in de wijk",
            body="Wie wil er meedoen aan de moestuin achter de bibliotheek?",
        )
    response = client.get("/zoeken/?q=moestuin")
    text = page_text(response)
    assert "1 resultaat voor “moestuin”" in text
    content = response.content.decode()
    assert f'href="{contribution.get_absolute_url()}"' in content
    assert "<mark>moestuin</mark>" in content.lower()
    assert "Bijdragen (1)" in text and "Energiecoöperatie Noord (1)" in text


@pytest.mark.postgres
def test_dutch_stems_and_accents_through_the_backend(community, indexed):
    with indexed():
        ContributionFactory(
            community=community, title="Woningen isoleren", body="Samen met de Coöperatie."
        )
    for query in ("woning", "isoleer", "cooperatie"):
        assert search_for(AnonymousUser(), query).total == 1, query


def test_phrase_and_exclusion(community, indexed):
    with indexed():
        ContributionFactory(community=community, title="Zonnepanelen op het dak", body="Dak.")
        ContributionFactory(community=community, title="Groen dak", body="Sedum op het dak.")
    viewer = AnonymousUser()
    assert {_plain(hit.title) for hit in search_for(viewer, "dak -sedum").hits} == {
        "Zonnepanelen op het dak"
    }
    assert search_for(viewer, '"groen dak"').total == 1


def test_filters_facets_and_newest_first(client, community, indexed):
    other = CommunityFactory(title="Tuinders Zuid", slug="tuinders-zuid")
    with indexed():
        ContributionFactory(community=community, title="Buurtmoestuin", body="Zaaien.")
        ContributionFactory(community=other, title="Moestuin op het dak", body="Zaaien.")
        ContributionFactory(community=other, title="Later gezaaid", body="Zaaien.")
    text = page_text(client.get("/zoeken/?q=zaaien&gemeenschap=tuinders-zuid&volgorde=nieuwste"))
    assert "2 resultaten" in text and "Buurtmoestuin" not in text
    assert text.index("Later gezaaid") < text.index("Moestuin op het dak")
    assert "Energiecoöperatie Noord (1)" in text  # the community facet leaves its own filter out


def test_private_content_is_never_found_nor_suggested(indexed):
    """Random visibility and membership: what the backend returns is narrowed by the database's
    own rule, so a viewer finds exactly the rows of the communities they may see."""
    rng = random.Random(7)
    with indexed():
        communities = [
            CommunityFactory(visibility=rng.choice(list(Community.Visibility))) for _ in range(6)
        ]
        for i in range(18):  # fewer than a page of results
            ContributionFactory(community=rng.choice(communities), title=f"Kringloop {i}")
    members = [UserFactory() for _ in range(3)]
    for member in members:
        for community in rng.sample(communities, 2):
            MembershipFactory(user=member, community=community)
    for viewer in [AnonymousUser(), *members]:
        may_see = Community.objects.filter(community_visibility_filter(viewer))
        allowed = set(
            Contribution.objects.filter(community__in=may_see).values_list("title", flat=True)
        )
        result = search_for(viewer, "kringloop", order="nieuwste")
        assert {_plain(hit.title) for hit in result.hits} == allowed, viewer
        assert result.total == len(allowed)
        suggested = {
            s.title for group in search_suggest(viewer, "kringl") for s in group.suggestions
        }
        assert (suggested and suggested <= allowed) or not allowed


def _plain(title: str) -> str:
    return title.replace("<mark>", "").replace("</mark>", "")


def test_a_hidden_contribution_is_gone_at_once(community, indexed):
    with indexed():
        contribution = ContributionFactory(community=community, title="Repaircafé zaterdag")
    assert search_for(AnonymousUser(), "repaircafe").total == 1
    with indexed():
        contribution.status = Contribution.Status.HIDDEN
        contribution.save()
    assert search_for(AnonymousUser(), "repaircafe").total == 0


def test_rebuild_fills_the_backend(community, indexed, settings):
    settings.KENNISCLOUD_SEARCH_ENGINE = "postgresql"  # written while the engine was another
    ContributionFactory(community=community, title="Taalcafé in de bibliotheek")
    settings.KENNISCLOUD_SEARCH_ENGINE = "wagtail"
    assert search_for(AnonymousUser(), "taalcafe").total == 0
    with indexed():
        search_rebuild()
    assert search_for(AnonymousUser(), "taalcafe").total == 1


def test_writes_leave_the_backend_alone_with_the_default_engine(community, settings):
    from wagtail.search.models import IndexEntry

    settings.KENNISCLOUD_SEARCH_ENGINE = "postgresql"
    before = IndexEntry.objects.count()
    ContributionFactory(community=community, title="Niet in Wagtails index")
    assert not engine.uses_wagtail()
    assert IndexEntry.objects.count() == before


def test_a_renamed_region_is_found_by_its_new_slug(community, indexed):
    from communities.models import Region

    region = Region.objects.create(name="Oost", slug="oost")
    with indexed():
        community.region = region
        community.save()
        ContributionFactory(community=community, title="Buurtbus in Oost")
    assert search_for(AnonymousUser(), "buurtbus", region="oost").total == 1
    with indexed():
        region.slug = "oost-brabant"
        region.save()
    assert search_for(AnonymousUser(), "buurtbus", region="oost-brabant").total == 1
