"""/zoeken/: the page, its states, the header field and a locked query count."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from communities.models import Community
from tests.communities.factories import CommunityFactory, ThemeFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_every_page_has_a_labelled_search_field_in_the_header(client):
    content = client.get("/gemeenschappen/").content.decode()
    form = re.search(r'<form class="site-search"[^>]*>(.*?)</form>', content, re.S)
    assert form is not None
    assert 'role="search"' in content and 'action="/zoeken/"' in content
    assert '<label class="visually-hidden" for="site-search-q">Zoek in KennisCloud</label>' in (
        form.group(1)
    )
    assert 'name="q"' in form.group(1)


def test_empty_query_explains_what_can_be_found(client):
    response = client.get("/zoeken/")
    assert response.status_code == 200
    assert "Zoek in bijdragen en reacties" in page_text(response)


def test_results_show_the_hit_with_a_marked_excerpt_and_counts(client, community):
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


def test_no_result_says_so_and_helps(client):
    text = page_text(client.get("/zoeken/?q=xylofoonreparatie"))
    assert "Niets gevonden voor “xylofoonreparatie”" in text
    assert "bekijk de gemeenschappen" in text


def test_a_facet_narrows_the_results_and_keeps_the_other_counts(client, community):
    ContributionFactory(community=community, title="Buurtmoestuin", body="Zaaien.")
    other = CommunityFactory(title="Tuinders Zuid", slug="tuinders-zuid")
    ContributionFactory(community=other, title="Moestuin op het dak", body="Zaaien.")
    response = client.get("/zoeken/?q=zaaien&gemeenschap=tuinders-zuid")
    text = page_text(response)
    assert "1 resultaat" in text
    assert "Moestuin op het dak" in text and "Buurtmoestuin" not in text
    # The community facet still counts the other community, to switch to it.
    assert "Energiecoöperatie Noord (1)" in text


def test_the_query_is_escaped(client):
    response = client.get('/zoeken/?q=<script>alert(1)</script>"')
    assert "<script>alert(1)" not in response.content.decode()


def test_english_results_link_to_english_pages(client, community):
    contribution = ContributionFactory(community=community, title="Moestuin", body="Zaaien.")
    content = client.get("/en/zoeken/?q=moestuin").content.decode()
    assert f'href="/en/bijdragen/{contribution.pk}/"' in content


@pytest.mark.parametrize("logged_in", [False, True])
def test_query_count_does_not_grow_with_the_results(client, member, theme, logged_in):
    if logged_in:
        client.force_login(member)
    communities = [
        CommunityFactory(visibility=Community.Visibility.OPEN, themes=[theme]) for _ in range(3)
    ]
    tags = ["moestuin", "kompost"]

    def add(n):
        for i in range(n):
            ContributionFactory(
                community=communities[i % 3],
                title=f"Zaaien in de moestuin {i}",
                body="Wat zaai je in maart?",
                tags=tags,
                themes=[theme, ThemeFactory()],
            )

    assert_constant_queries(
        client, "/zoeken/?q=zaaien", add, label=f"/zoeken/ {'member' if logged_in else 'anon'}"
    )


def test_plain_word_on_any_database(client, community):
    """The fallback on SQLite (icontains) and PostgreSQL both find a plain word."""
    ContributionFactory(community=community, title="Repaircafé open", body="Elke zaterdag.")
    text = page_text(client.get("/zoeken/?q=zaterdag"))
    assert "Repaircafé open" in text, connection.vendor


def test_the_demo_is_found(client, capsys):
    from django.core.management import call_command

    call_command("load_demo")
    capsys.readouterr()
    response = client.get("/zoeken/?q=zonnepanelen")
    assert "Niets gevonden" not in page_text(response)
    assert response.content.decode().count('class="search-hit"') >= 2


def test_pages_of_twenty_and_a_bad_page_number(client, community):
    for i in range(23):
        ContributionFactory(community=community, title=f"Kringloop {i}", body="Spullen.")
    first = page_text(client.get("/zoeken/?q=kringloop&volgorde=nieuwste"))
    assert "23 resultaten" in first and "Pagina 1 van 2" in first
    assert "Kringloop 22" in first and "Kringloop 2 " not in first
    second = client.get("/zoeken/?q=kringloop&volgorde=nieuwste&pagina=2")
    assert "Kringloop 2 " in page_text(second) and "Kringloop 22" not in page_text(second)
    assert 'href="?q=kringloop&amp;volgorde=nieuwste&amp;pagina=1"' in second.content.decode()
    for bad in ("abc", "999", "-1"):
        assert client.get(f"/zoeken/?q=kringloop&pagina={bad}").status_code == 200


def test_a_theme_hit_shows_no_date_a_contribution_hit_does(client, community):
    # A theme has no date of its own: the entry's date is only when it was indexed.
    ThemeFactory(title="Moestuinieren in de wijk", intro="Over moestuinen.")
    ContributionFactory(community=community, title="Onze moestuin op het plein")

    content = client.get("/zoeken/?q=moestuin").content.decode()

    hits = content[content.index('<ol class="search-hits">') :]
    hits = hits[: hits.index("</ol>")].split('<li class="search-hit">')[1:]
    assert len(hits) == 2
    for hit in hits:
        is_theme = "wijk" in re.sub(r"<[^>]+>", "", hit)
        assert ("<time" in hit) is not is_theme
