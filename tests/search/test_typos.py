"""Typo tolerance: "Bedoelde je …?" from the word list of the public index (search/typos.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community
from search.models import SearchTerm
from search.selectors import search_for
from search.typos import (
    _proposals_python,
    _refresh_python,
    search_terms_refresh,
    typo_corrected_query,
)
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

TEXTS = [
    ("Zonnepanelen op het dak", "Hoeveel leveren zonnepanelen op een plat dak op?"),
    ("Samen isoleren", "We isoleren de spouwmuur van twintig huizen in één keer."),
    ("De buurtmoestuin zoekt handen", "Wie helpt zaaien in de buurtmoestuin?"),
    ("Een coöperatie voor de wijk", "De coöperatie koopt stroom in voor alle buren."),
]


@pytest.fixture
def corpus(community):
    for title, body in TEXTS:
        ContributionFactory(community=community, title=title, body=body)
    search_terms_refresh()


def did_you_mean(query: str, viewer=None, **filters) -> str:
    result = search_for(viewer or AnonymousUser(), query, **filters)
    return result.did_you_mean


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("typed", "proposal"),
    [
        ("zonnepanleen", "zonnepanelen"),  # two letters swapped
        ("isoleern", "isoleren"),
        ("buurtmoestin", "buurtmoestuin"),  # a letter missing
        ("Buurtmoestuinn", "buurtmoestuin"),  # a letter too many, and a capital
        ("coperatie", "cooperatie"),  # typed without the trema and with a letter missing
        ("coöperatei", "cooperatie"),  # with the trema, letters swapped
        ("isoleern -zonnepanelen", "isoleren -zonnepanelen"),  # an exclusion stays as typed
    ],
)
def test_a_dutch_typo_gets_a_proposal_that_finds_something(corpus, typed, proposal):
    result = search_for(AnonymousUser(), typed)
    assert result.total == 0
    assert result.did_you_mean == proposal
    assert search_for(AnonymousUser(), proposal).total >= 1


@pytest.mark.postgres
def test_a_quoted_phrase_is_never_corrected(corpus):
    assert typo_corrected_query('"zonnepanleen op" isoleern') == '"zonnepanleen op" isoleren'
    # ...and the corrected query finds nothing (the phrase still does not occur): no proposal.
    assert did_you_mean('"zonnepanleen op" isoleern') == ""


def test_no_proposal_when_the_query_finds_something(corpus):
    with CaptureQueriesContext(connection) as ctx:
        result = search_for(AnonymousUser(), "zonnepanelen")
    assert result.total >= 1 and result.did_you_mean == ""
    assert not [q for q in ctx.captured_queries if "search_searchterm" in q["sql"]]


def test_no_proposal_for_nonsense(corpus):
    assert did_you_mean("xylofoonreparatie") == ""


@pytest.mark.postgres
def test_a_proposal_is_only_made_when_the_viewer_finds_something_with_it(corpus, community):
    # With a filter that leaves nothing, the corrected query finds nothing either.
    assert did_you_mean("zonnepanleen", kind="meetup") == ""
    assert did_you_mean("zonnepanleen", kind="contribution") == "zonnepanelen"


@pytest.mark.postgres
@pytest.mark.parametrize("visibility", list(Community.Visibility))
def test_a_word_of_a_private_community_is_never_proposed(member, visibility):
    club = CommunityFactory(visibility=visibility)
    MembershipFactory(user=member, community=club)
    ContributionFactory(community=club, title="Vogelkooien bouwen", body="Met gaas en hout.")
    search_terms_refresh()
    in_list = SearchTerm.objects.filter(word="vogelkooien").exists()
    proposals = {did_you_mean("vogelkooin"), did_you_mean("vogelkooin", viewer=member)}
    if visibility == Community.Visibility.PRIVATE:
        assert not in_list
        assert proposals == {""}  # not even to its own members
    else:
        assert in_list
        assert proposals == {"vogelkooien"}


def test_the_refresh_is_idempotent_and_follows_the_index(community):
    for title, body in TEXTS:
        ContributionFactory(community=community, title=title, body=body)
    first = search_terms_refresh()
    words = list(SearchTerm.objects.order_by("word").values_list("word", "frequency"))
    assert search_terms_refresh() == first == len(words)
    assert list(SearchTerm.objects.order_by("word").values_list("word", "frequency")) == words
    assert ("zonnepanelen", 1) in words and ("cooperatie", 1) in words  # accents folded
    assert not [w for w, _n in words if len(w) < 4 or not w.isalpha()]
    community.visibility = Community.Visibility.PRIVATE
    community.save()
    search_terms_refresh()
    assert not SearchTerm.objects.filter(word="zonnepanelen").exists()


def test_the_list_is_capped_to_the_most_frequent_words(community):
    for body in ("moestuin kippen", "kippen", "zaaien"):
        ContributionFactory(community=community, title="Moestuin", body=body)

    def words():
        return list(
            SearchTerm.objects.order_by("-frequency", "word").values_list("word", "frequency")
        )

    assert search_terms_refresh() > 3
    everything = words()
    assert ("moestuin", 3) in everything and ("kippen", 2) in everything
    assert search_terms_refresh(limit=3) == 3
    assert words() == everything[:3]


def test_the_python_fallback_counts_and_proposes(community):
    """The SQLite code path, run on whatever database the suite uses."""
    for title, body in TEXTS:
        ContributionFactory(community=community, title=title, body=body)
    _refresh_python(1000)
    assert SearchTerm.objects.get(word="cooperatie").frequency == 1
    assert _proposals_python(["zonnepanleen", "buurtmoestin", "zonne", "xylofoon"]) == {
        "zonnepanleen": "zonnepanelen",
        "buurtmoestin": "buurtmoestuin",
    }


def test_the_fallback_proposes_on_any_database(client, corpus):
    text = page_text(client.get("/zoeken/?q=buurtmoestin"))
    assert "Bedoelde je: buurtmoestuin?" in text, connection.vendor


def test_search_rebuild_fills_the_word_list(community, capsys):
    ContributionFactory(community=community, title="Zonnepanelen", body="Op het dak.")
    SearchTerm.objects.all().delete()
    call_command("search_rebuild")
    assert "Typo word list rebuilt" in capsys.readouterr().out
    assert SearchTerm.objects.filter(word="zonnepanelen").exists()


def test_the_page_links_the_corrected_query_and_keeps_the_filters(client, corpus):
    response = client.get("/zoeken/?q=zonnepanleen&soort=contribution&volgorde=nieuwste")
    content = response.content.decode()
    assert "Bedoelde je: zonnepanelen?" in page_text(response)
    assert (
        '<a href="?q=zonnepanelen&amp;soort=contribution&amp;volgorde=nieuwste">zonnepanelen</a>'
        in content
    )
    assert "Niets gevonden voor “zonnepanleen”" in page_text(response)


@pytest.mark.parametrize("logged_in", [False, True])
def test_query_count_of_a_page_without_results(client, member, community, logged_in):
    if logged_in:
        client.force_login(member)

    def add(n):
        for i in range(n):
            ContributionFactory(
                community=community, title=f"Zonnepanelen {i}", body=f"Op dak nummer {i}."
            )
        search_terms_refresh()

    assert_constant_queries(
        client,
        "/zoeken/?q=zonnepanleen",
        add,
        label=f"/zoeken/ no result {'member' if logged_in else 'anon'}",
    )
    assert "Bedoelde je: zonnepanelen?" in page_text(client.get("/zoeken/?q=zonnepanleen"))


def test_the_demo_corrects_a_typo(client, capsys):
    call_command("load_demo")
    capsys.readouterr()
    text = page_text(client.get("/zoeken/?q=zonnepanleen"))
    assert "Bedoelde je: zonnepanelen?" in text


@pytest.mark.postgres
def test_the_lookup_uses_the_trigram_index(corpus):
    """Measured on 200 000 words: GiST nearest words p50 50 ms a typo, GIN with `%` 790 ms."""
    from search.typos import _PROPOSALS_SQL, MIN_SIMILARITY, TRIGRAM_CANDIDATES

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny
        cursor.execute(
            f"EXPLAIN {_PROPOSALS_SQL}", [["zonnepanleen"], TRIGRAM_CANDIDATES, MIN_SIMILARITY]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan, plan
    assert plan.count("Index Scan using search_term_word_gist") == 2, plan  # prefix and nearest
    assert "Order By: ((word)::text <-> " in plan, plan
