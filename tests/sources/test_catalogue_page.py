"""The catalogue page of a contribution: titles for members, the contribution's title as the
search only when the contribution is public, and never an error when the catalogue fails."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from tests.communities.factories import MembershipFactory
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries
from tests.sources.conftest import Route

pytestmark = pytest.mark.django_db


def _fresh() -> str:
    """A term no earlier run has cached (the cache outlives the test database)."""
    return uuid.uuid4().hex[:8]


def _docs(n: int) -> bytes:
    docs = [
        {"key": f"/works/OL{i}W", "title": f"Boek {i} <script>x</script>", "author_name": ["A"]}
        for i in range(n)
    ]
    return json.dumps({"docs": docs}).encode()


@pytest.fixture
def openlibrary(settings, page_server):
    settings.CATALOGUE_PROVIDER = "openlibrary"
    settings.CATALOGUE_OPENLIBRARY_URL = page_server.url("/ol")
    settings.CATALOGUE_TIMEOUT = 0.5
    page_server.routes["/ol/search.json"] = Route(_docs(2), content_type="application/json")
    return page_server


def _url(contribution, **query) -> str:
    url = reverse("sources:catalogue_suggestions", kwargs={"pk": contribution.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_member_sees_titles_for_a_public_contribution(client, member, community, openlibrary):
    contribution = ContributionFactory(community=community, title=f"Isoleren {_fresh()}")
    client.force_login(member)
    html = client.get(_url(contribution)).content.decode()
    assert "Boek 0 &lt;script&gt;x&lt;/script&gt;" in html
    assert f'href="{openlibrary.url("/ol/works/OL1W")}"' in html
    assert "q=Isoleren" in openlibrary.requests[0]
    # The contribution page links here, for members.
    detail = client.get(contribution.get_absolute_url()).content.decode()
    assert _url(contribution) in detail


def test_a_private_contributions_title_does_not_leave_the_site(
    client, member, private_community, openlibrary
):
    MembershipFactory(user=member, community=private_community)
    contribution = ContributionFactory(community=private_community, title="Geheim plan")
    client.force_login(member)
    response = client.get(_url(contribution))
    assert response.status_code == 200
    assert openlibrary.requests == []
    client.get(_url(contribution, q=f"isoleren{_fresh()}"))
    assert len(openlibrary.requests) == 1 and "Geheim" not in openlibrary.requests[0]


def test_visitors_log_in_first_and_a_hidden_contribution_stays_hidden(
    client, member, private_community, openlibrary
):
    contribution = ContributionFactory(community=private_community)
    assert client.get(_url(contribution)).status_code == 302
    client.force_login(member)
    assert client.get(_url(contribution)).status_code == 404
    assert openlibrary.requests == []


def test_without_a_catalogue_there_is_no_page_and_no_link(client, member, community, settings):
    settings.CATALOGUE_PROVIDER = ""
    contribution = ContributionFactory(community=community)
    client.force_login(member)
    assert client.get(_url(contribution)).status_code == 404
    assert _url(contribution) not in client.get(contribution.get_absolute_url()).content.decode()


def test_a_failing_catalogue_shows_an_empty_list(client, member, community, openlibrary):
    openlibrary.routes["/ol/search.json"] = Route(b"oeps", status=503)
    contribution = ContributionFactory(community=community, title=f"Stuk {_fresh()}")
    client.force_login(member)
    response = client.get(_url(contribution))
    assert response.status_code == 200
    assert "Geen titels gevonden" in response.content.decode()


def test_the_page_takes_as_many_queries_for_3_titles_as_for_30(
    client, member, community, openlibrary
):
    contribution = ContributionFactory(community=community)
    client.force_login(member)
    shown = [0]

    def add(n):
        shown[0] += n
        openlibrary.routes["/ol/search.json"] = Route(
            _docs(shown[0]), content_type="application/json"
        )

    assert_constant_queries(
        client,
        lambda: _url(contribution, q=f"woord{_fresh()}"),
        add,
        label="catalogue suggestions",
    )
