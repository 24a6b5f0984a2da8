"""Dutch as residents type it, on PostgreSQL (the `dutch_unaccent` configuration)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from search.selectors import search_for
from tests.knowledge.factories import ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TEXTS = {
    "woningen": ("Woningen delen", "Drie gezinnen delen hun woningen in de binnenstad."),
    "wonen": ("Samen wonen", "Wij wonen met vier generaties onder één dak."),
    "duurzaam": ("Duurzaamheid in de wijk", "Wat doen buren aan duurzaamheid?"),
    "cafe": ("Het repaircafé", "Elke zaterdag repareren vrijwilligers in het café."),
    "belgie": ("Fietsen door België", "Een fietsroute langs de grens met België."),
    "curacao": ("Verhalen uit Curaçao", "Ouderen vertellen over hun jeugd op Curaçao."),
    "zonne": ("Zonnepanelen op het dak", "Hoeveel leveren zonnepanelen op een plat dak op?"),
    "digitaal": ("Digitale inclusie", "Hulp bij de digitale overheid voor iedereen."),
    "kinderen": ("Digitale inclusie voor kinderen", "Lessen voor kinderen op school."),
    "moestuin": ("De moestuin", "Wat zaai je in maart in een moestuin?"),
    "kippen": ("Kippen houden", "Kippen in de achtertuin: wat mag?"),
}


@pytest.fixture
def corpus(db):
    return {
        key: ContributionFactory(title=title, body=body) for key, (title, body) in TEXTS.items()
    }


def found(query: str) -> set[str]:
    result = search_for(AnonymousUser(), query, kind="contribution")
    titles = {hit.title.replace("<mark>", "").replace("</mark>", "") for hit in result.hits}
    assert result.total == len(result.hits)
    return {key for key, (title, _body) in TEXTS.items() if title in titles}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("woning", {"woningen"}),  # singular finds the plural
        ("woningen", {"woningen"}),
        ("woont", set()),  # "woont" is its own stem: nothing lives here with that form
        ("wonen", {"wonen", "woningen"}),  # the stem "won" is a prefix of both
        ("woon", {"wonen", "woningen"}),
        ("duurzame", {"duurzaam"}),  # adjective and noun share the stem "duurzam"
        ("DUURZAAMHEID", {"duurzaam"}),  # case
        ("cafe", {"cafe"}),  # accents folded both ways
        ("café", {"cafe"}),
        ("Belgie", {"belgie"}),
        ("curacao", {"curacao"}),  # ç is folded by unaccent, not by the stemmer
        ("Curaçao", {"curacao"}),
        ("zonne", {"zonne"}),  # a compound's head by its first part
        ("repair", {"cafe"}),
    ],
)
def test_dutch_word_forms(corpus, query, expected):
    assert found(query) == expected


def test_verb_form_and_plural_of_the_same_word(corpus):
    ContributionFactory(title="Hoe woont u?", body="Een enquête.")
    hits = search_for(AnonymousUser(), "woont").hits
    assert [h.title.replace("<mark>", "").replace("</mark>", "") for h in hits] == ["Hoe woont u?"]


def test_quoted_phrase_needs_the_words_in_that_order(corpus):
    ContributionFactory(title="Inclusie", body="Digitaal is niet iedereen mee; inclusie telt.")
    assert found('"digitale inclusie"') == {"digitaal", "kinderen"}
    assert found('"inclusie digitale"') == set()


def test_minus_excludes_a_word(corpus):
    assert found("digitale -kinderen") == {"digitaal"}


@pytest.mark.parametrize("word", ["of", "or", "OF"])
def test_of_and_or_find_either(corpus, word):
    assert found(f"moestuin {word} kippen") == {"moestuin", "kippen"}
    assert found("moestuin kippen") == set()  # without it, both words are needed


def test_title_weighs_more_than_body(db):
    in_body = ContributionFactory(title="Een vraag", body="Iets over de bieb en bibliotheken.")
    in_title = ContributionFactory(title="De bibliotheek van morgen", body="Een vraag.")
    hits = search_for(AnonymousUser(), "bibliotheek", kind="contribution").hits
    assert [hit.url for hit in hits] == [in_title.get_absolute_url(), in_body.get_absolute_url()]


def test_excerpt_marks_the_matched_words_and_escapes_the_rest(db):
    ContributionFactory(
        title="Zonnepanelen <script>",
        body="Ik wil <b>zonnepanelen</b> & een warmtepomp. Wie heeft ervaring met zonnepanelen?",
    )
    hit = search_for(AnonymousUser(), "zonne").hits[0]
    assert str(hit.title) == "<mark>Zonnepanelen</mark> &lt;script&gt;"
    assert "<mark>zonnepanelen</mark>" in hit.excerpt
    assert "&amp;" in hit.excerpt
    assert "<b>" not in hit.excerpt and "<script>" not in hit.excerpt
    assert "<mark>warmtepomp</mark>" not in hit.excerpt
