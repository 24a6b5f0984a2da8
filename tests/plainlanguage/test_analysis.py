"""The readability analysis of Dutch text (plainlanguage/analysis.py): pure functions."""

from __future__ import annotations

import pytest

from plainlanguage.analysis import (
    B1,
    EASY,
    HARD,
    MAX_TIPS,
    JargonEntry,
    analyse_blocks,
    analyse_markdown,
    blocks_from_html,
    blocks_from_markdown,
    is_passive,
    jargon_hits,
    sentences_of,
    syllables,
    words_of,
)
from tests.plainlanguage import texts

JARGON = [
    JargonEntry("participatie", "meedoen"),
    JargonEntry("teneinde", "om"),
    JargonEntry("in behandeling nemen", "bekijken", "Zeg ook wanneer."),
    JargonEntry("casus"),
]


# --- Syllables ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("huis", 1),
        ("ijs", 1),
        ("leeuw", 1),  # triphthong eeuw
        ("nieuw", 1),
        ("mooi", 1),
        ("zee", 1),
        ("fietsen", 2),
        ("koeien", 2),  # oei + e
        ("mooie", 2),
        ("groeien", 2),
        ("auto", 2),
        ("eieren", 3),
        ("theater", 3),  # e-a: two vowels, not a digraph
        ("radio", 3),
        ("actueel", 3),
        ("ideeën", 3),  # the diaeresis splits
        ("België", 3),
        ("bibliotheek", 4),
        ("informatie", 4),
        ("situatie", 4),
        ("materiaal", 4),
        ("aquarium", 4),  # qu as kw
        ("beëindigen", 4),
        ("vrijwilliger", 4),
        ("organisatie", 5),
        ("geïnteresseerd", 5),
        ("gemeentelijke", 5),
        ("e-mail", 2),
        ("IJsselmeer", 3),
        ("btw", 1),  # no vowel: still one
    ],
)
def test_syllables_of_dutch_words(word, count):
    assert syllables(word) == count


# --- Known texts land in their band -------------------------------------------------------------


def test_a_childrens_book_text_is_easy():
    advice = analyse_markdown(texts.EASY)

    assert advice.level == EASY
    assert advice.lix < 25  # Björnsson: children's books
    assert advice.flesch_douma > 90  # Douma: very easy
    assert advice.tips == ()


def test_a_plain_language_letter_is_b1():
    advice = analyse_markdown(texts.B1)

    assert advice.level == B1
    assert 35 <= advice.lix < 45
    assert 60 <= advice.flesch_douma < 80
    assert not [tip for tip in advice.tips if tip.kind in ("long_sentence", "passive")]


def test_a_legal_paragraph_is_hard():
    advice = analyse_markdown(texts.HARD)

    assert advice.level == HARD
    assert advice.lix > 55  # Björnsson: very hard, legal texts
    assert advice.flesch_douma < 30  # Douma: very hard
    assert {tip.kind for tip in advice.tips} == {"long_sentence", "passive", "long_words"}
    assert len(advice.tips) <= MAX_TIPS


def test_the_labels():
    assert analyse_markdown(texts.EASY).label == "Makkelijk"
    assert analyse_markdown(texts.B1).label == "B1"
    assert analyse_markdown(texts.HARD).label == "Moeilijk"


# --- Tips ---------------------------------------------------------------------------------------


def test_a_long_sentence_is_quoted_with_its_length():
    long = (
        "Omdat de bibliotheek op zaterdag langer open is en er dan ook vrijwilligers zijn die "
        "je kunnen helpen met je computer, je telefoon of je tablet, kun je dan het beste langs "
        "komen."
    )
    advice = analyse_markdown(f"{texts.EASY} {long}")

    tip = next(t for t in advice.tips if t.kind == "long_sentence")
    assert "33 woorden" in tip.message
    assert tip.quote.startswith("Omdat de bibliotheek op zaterdag")
    assert len(tip.quote) <= 160


@pytest.mark.parametrize(
    ("sentence", "passive"),
    [
        ("Je aanvraag wordt beoordeeld.", True),
        ("Het huis werd door de gemeente gebouwd.", True),
        ("De subsidie is door de raad vastgesteld.", True),
        ("De formulieren worden op vrijdag opgehaald.", True),
        ("De aanvraag wordt binnen acht weken ingediend.", True),
        ("De gemeente beoordeelt je aanvraag.", False),
        ("Ik ben gisteren naar huis gegaan.", False),  # "zijn" + participle is not passive
        ("Het werd bekend dat hij wint.", False),
        ("Het gebied wordt groter.", False),
        ("Dat is geregeld.", False),
    ],
)
def test_passive_voice(sentence, passive):
    assert is_passive(sentence) is passive


def test_a_passive_sentence_gets_a_tip():
    sentence = "De nieuwe boeken worden elke week door vrijwilligers in de kast gezet."
    advice = analyse_markdown(f"{texts.EASY} {sentence}")

    tip = next(t for t in advice.tips if t.kind == "passive")
    assert tip.quote == sentence
    assert "wie iets doet" in tip.message


def test_long_words_are_quoted():
    advice = analyse_markdown(f"{texts.EASY} De subsidieaanvraagformulieren liggen klaar.")

    tip = next(t for t in advice.tips if t.kind == "long_words")
    assert tip.quote == "subsidieaanvraagformulieren"


def test_jargon_from_the_list_is_found_in_any_case_and_inflection():
    text = (
        "Participatie is belangrijk. Eén casus, twee casussen. We zullen dat in  behandeling nemen."
    )
    hits = {entry.term: found for entry, found in jargon_hits(text, JARGON)}

    assert hits == {
        "participatie": "Participatie",
        "casus": "casus",
        "in behandeling nemen": "in  behandeling nemen",
    }


def test_jargon_matches_whole_words_only():
    hits = jargon_hits("De casusbespreking en de anticasus.", [JargonEntry("casus")])

    assert hits == []


def test_jargon_tips_name_the_plain_word_and_the_note():
    advice = analyse_markdown(
        f"{texts.EASY} Wij nemen het in behandeling, teneinde snel te helpen.", JARGON
    )

    messages = [t.message for t in advice.tips if t.kind == "jargon"]
    assert "„teneinde” is vaktaal. Schrijf liever: om." in messages
    assert not any("behandeling" in m for m in messages)  # "nemen het in behandeling"


def test_at_most_five_tips_one_of_each_kind_first():
    jargon = [JargonEntry(word) for word in ("hond", "park", "bal", "thee", "koekje", "huis")]
    advice = analyse_markdown(texts.HARD + " " + texts.EASY, jargon)

    kinds = [t.kind for t in advice.tips]
    assert len(kinds) == MAX_TIPS
    assert kinds[:4] == ["jargon", "long_sentence", "passive", "long_words"]


# --- Text -------------------------------------------------------------------------------------


def test_markdown_is_stripped_before_counting():
    source = (
        "## Kop zonder punt\n\n"
        "Lees **dit** en [de uitleg](https://example.org/een-heel-lange-pagina-over-isolatie).\n"
        "Zie ook https://www.example.org/nog-een-adres.\n\n"
        "- eerste punt\n- tweede punt dat verder gaat\n  op de volgende regel\n\n"
        "> Een citaat dat\n> twee regels lang is.\n\n"
        "```\nonbegrijpelijkecomputercode = niet_tellen()\n```\n"
    )

    blocks = blocks_from_markdown(source)

    assert blocks == [
        "Kop zonder punt",
        "Lees dit en de uitleg. Zie ook .",
        "eerste punt",
        "tweede punt dat verder gaat op de volgende regel",
        "Een citaat dat twee regels lang is.",
    ]
    words = [w for block in blocks for w in words_of(block)]
    assert "https" not in words and "onbegrijpelijkecomputercode" not in words


def test_a_table_is_read_cell_by_cell():
    source = "| Wat | Wanneer |\n|---|:---:|\n| Repaircafé | zaterdag |\n"

    assert blocks_from_markdown(source) == ["Wat", "Wanneer", "Repaircafé", "zaterdag"]


def test_rich_text_is_split_at_its_blocks():
    html = "<h2>Een kop</h2><p>Eerste &amp; zin.</p><ul><li>een punt</li></ul>"

    assert blocks_from_html(html) == ["Een kop", "Eerste & zin.", "een punt"]


def test_sentences_do_not_end_at_abbreviations_or_initials():
    block = "Kom bijv. om 10 uur. Dhr. J. Jansen is er ook! Wat denk je? Tot dan"

    assert sentences_of(block) == [
        "Kom bijv. om 10 uur.",
        "Dhr. J. Jansen is er ook!",
        "Wat denk je?",
        "Tot dan",
    ]


def test_a_short_text_gets_no_score_only_jargon_tips():
    advice = analyse_markdown(
        "Dit is een heel lang woord: arbeidsongeschiktheidsverzekering. Het gaat over "
        "participatie.",
        JARGON,
    )

    assert advice.words < 30
    assert advice.lix is None and advice.flesch_douma is None and advice.level is None
    assert advice.label == ""
    assert [t.kind for t in advice.tips] == ["jargon"]


def test_an_empty_text_has_nothing_to_say():
    advice = analyse_blocks([])

    assert (advice.words, advice.sentences, advice.level, advice.tips) == (0, 0, None, ())


def test_the_advice_as_json():
    data = analyse_markdown(texts.HARD, JARGON).as_json()

    assert data["level"] == "hard" and data["label"] == "Moeilijk"
    assert data["lix"] > 55 and data["words"] > 100
    assert {"kind", "message", "quote"} == set(data["tips"][0])
