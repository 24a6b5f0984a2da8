"""schema.org data parses as JSON and says what the page is: a DiscussionForumPosting for a
contribution, an Article for an article, the Event of a meetup, the WebSite and its Library on
the home page. Only public content carries it, and it cannot end its <script> early."""

from __future__ import annotations

import json

import pytest

from tests.knowledge.factories import ContributionFactory
from tests.sharing.conftest import head_of

pytestmark = pytest.mark.django_db


def _data(client, path) -> list[dict]:
    head = head_of(client.get(path))
    return [json.loads(script) for script in head.jsonld]


def test_contribution_is_a_discussion_forum_posting(client, site):
    contribution = site["contribution"]
    [data] = _data(client, contribution.get_absolute_url())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "DiscussionForumPosting"
    assert data["headline"] == "Zonnepanelen op een plat dak"
    assert data["text"] == "Hoeveel panelen passen er op een plat dak?"
    assert data["url"].endswith(contribution.get_absolute_url())
    assert data["author"] == {
        "@type": "Person",
        "name": "Fien de Vries",
        "url": data["url"].split("/bijdragen/")[0] + "/leden/fien/",
    }
    assert data["datePublished"].startswith(str(contribution.created_at.year))
    assert data["dateModified"]
    # One published comment; the one waiting for approval does not count.
    assert data["commentCount"] == 1
    comments = [
        counter
        for counter in data["interactionStatistic"]
        if counter["interactionType"] == "https://schema.org/CommentAction"
    ]
    assert comments[0]["userInteractionCount"] == 1
    assert data["isPartOf"]["name"] == "Energie Noord"
    assert data["isPartOf"]["url"].endswith("/gemeenschappen/energie-noord/")
    assert data["keywords"] == ["zonnepanelen"]


def test_a_former_members_contribution_names_no_profile(client, site):
    contribution = ContributionFactory(community=site["public"], author=None)
    [data] = _data(client, contribution.get_absolute_url())
    assert data["author"] == {"@type": "Person", "name": "Een oud-lid"}


def test_script_cannot_be_closed_by_a_title(client, site):
    contribution = ContributionFactory(
        community=site["public"], title="Dak </script><script>alert(1)</script> & meer"
    )
    content = client.get(contribution.get_absolute_url()).content.decode()
    head = content.split("</head>")[0]
    assert "<script>alert(1)" not in head
    [data] = _data(client, contribution.get_absolute_url())
    assert data["headline"] == "Dak </script><script>alert(1)</script> & meer"


def test_jsonld_carries_the_csp_nonce(client, site):
    response = client.get(site["contribution"].get_absolute_url())
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script type="application/ld+json" nonce="{nonce}">' in response.content.decode()


def test_article_is_an_article(client, site):
    article = site["article"]
    [data] = _data(client, article.url)
    assert data["@type"] == "Article"
    assert data["headline"] == "Wat de energiecafés ons leerden"
    assert data["description"] == "Een korte samenvatting."
    assert data["author"] == {"@type": "Person", "name": "Marieke"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["datePublished"] and data["dateModified"]
    assert data["image"][0].startswith("http")
    assert data["about"] == [{"@type": "Thing", "name": "Duurzaam wonen"}]


def test_meetup_keeps_its_event(client, site):
    [data] = _data(client, site["meetup"].get_absolute_url())
    assert data["@type"] == "Event"
    assert data["name"] == "Zonnepanelenavond"


def test_home_page_names_the_site_and_its_libraries(client, site):
    [data] = _data(client, "/")
    graph = {node["@type"]: node for node in data["@graph"]}
    assert graph["WebSite"]["name"] == "KennisCloud"
    assert "{search_term_string}" in graph["WebSite"]["potentialAction"]["target"]["urlTemplate"]
    library = graph["Library"]
    assert library["name"] == "Bibliotheek Midden-Brabant"
    assert library["url"] == "https://www.bibliotheek.example.org"
    assert library["email"] == "info@bibliotheek.example.org"
    assert {"@id": library["@id"]} in graph["WebSite"]["publisher"]


def test_private_contribution_has_no_structured_data(client, site):
    from tests.communities.factories import MembershipFactory

    MembershipFactory(user=site["author"], community=site["private"])
    client.force_login(site["author"])
    assert _data(client, site["secret"].get_absolute_url()) == []


def test_text_is_plain_with_entities_decoded(client, site):
    contribution = ContributionFactory(community=site["public"], body="Huur & koop **samen**")
    [data] = _data(client, contribution.get_absolute_url())
    assert data["text"] == "Huur & koop samen"
