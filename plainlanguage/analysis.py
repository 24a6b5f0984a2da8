"""How readable a Dutch text is: pure functions, no database, no request (issue 17, B1).

The advice is a hint next to the field, never a verdict and never a reason to refuse a post.
Every measure here is an approximation of what a reader finds hard; the thresholds are the
published ones where there are any, and documented where we chose them.

- Text: Markdown is stripped (by linear regular expressions, see `blocks_from_markdown`) and
  only the words a reader sees are kept; each paragraph, heading, list item and table cell is
  a block of its own, so a heading without a full stop never runs into the next sentence.
  Fenced code is left out, and so are web addresses.
- Sentences end at . ! ? … followed by a space and a capital, a digit or a quote, except after
  a known abbreviation (bijv., o.a., enz. …) or an initial (J. Jansen).
- Words are runs of letters; "e-mail", "Noord-Brabant" and "zo'n" are one word. Numbers are not
  words (Flesch and LIX count reading, and a number has no syllables to count).
- Syllables: see `syllables()`.

The scores:
- Flesch-Douma, W. H. Douma (1960), "De leesbaarheid van landbouwbladen", the Dutch version of
  Flesch's reading ease (R. Flesch, 1948, J. Appl. Psych. 32): 206.835 - 0.93 * words/sentences
  - 77 * syllables/words. Higher is easier; 60-70 is "standaard".
- LIX, C.-H. Björnsson (1968), "Läsbarhet": words/sentences + 100 * long words/words, a long
  word having more than 6 letters. Its usual reading: below 25 children's books, 25-35 easy,
  35-45 medium (newspapers), 45-55 hard (specialist texts), above 55 very hard (legal and
  scientific texts). We map below 35 to "Makkelijk", 35 up to 45 to "B1" and 45 and up to
  "Moeilijk". The level follows LIX alone: it counts letters, which are exact, where
  Flesch-Douma depends on our syllable approximation. Flesch-Douma is shown beside it.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Fewer words than this: no score (a score of two sentences says nothing), only jargon tips.
MIN_WORDS_FOR_SCORE = 30
# B1 guidelines (Rijksoverheid "Direct Duidelijk", Stichting Makkelijk Lezen): on average about
# 15 words a sentence, hardly ever more than 20.
LONG_SENTENCE_WORDS = 20
# LIX's long word (Björnsson): more than 6 letters.
LIX_LONG_WORD_LETTERS = 6
# A word worth a tip is longer than that: more than 12 letters, or 5 syllables or more. Dutch
# has many everyday words of 4 syllables (informatie, activiteit, bibliotheek) that B1 readers
# know; the compounds and Latin words beyond them are the ones to split or replace.
TIP_WORD_LETTERS = 12
TIP_WORD_SYLLABLES = 5
# LIX bands (Björnsson), see the module's docstring.
LIX_EASY_BELOW = 35
LIX_HARD_FROM = 45
MAX_TIPS = 5
MAX_LONG_SENTENCE_TIPS = 2
MAX_LONG_WORDS_QUOTED = 3
QUOTE_MAX_CHARS = 160

EASY, B1, HARD = "easy", "b1", "hard"


@dataclass(frozen=True)
class JargonEntry:
    """A word from the librarians' list (plainlanguage.models.JargonTerm), as the analysis
    needs it: picklable, so the list can live in the cache."""

    term: str
    plain: str = ""
    note: str = ""


@dataclass(frozen=True)
class Tip:
    kind: str  # "jargon", "long_sentence", "passive" or "long_words"
    message: str
    quote: str = ""


@dataclass(frozen=True)
class Advice:
    words: int
    sentences: int
    flesch_douma: float | None = None
    lix: float | None = None
    level: str | None = None  # EASY, B1 or HARD; None for a short text
    tips: tuple[Tip, ...] = field(default_factory=tuple)

    @property
    def score(self) -> float | None:
        """The number the level is read from: LIX."""
        return self.lix

    @property
    def label(self) -> str:
        return level_label(self.level) if self.level else ""

    def as_json(self) -> dict:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "flesch_douma": self.flesch_douma,
            "lix": self.lix,
            "level": self.level,
            "label": self.label,
            "tips": [{"kind": t.kind, "message": t.message, "quote": t.quote} for t in self.tips],
        }


def level_label(level: str) -> str:
    return {EASY: _("Makkelijk"), B1: _("B1"), HARD: _("Moeilijk")}[level]


# --- From Markdown (or HTML) to blocks of plain text -------------------------------------------

# A web address, without the punctuation after it (the full stop still ends the sentence).
_URL_RE = re.compile(r"(?:https?://|www\.)\S*[^\s.,;:!?)]", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")

# Markdown by regular expressions, not by a parser: the check runs while people type, and a
# CommonMark parser takes seconds on some 20 000-character inputs ("[[[[…", "*a *a …"). Each
# expression here is linear. What a reader sees is what counts, so this is close enough.
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~).*?(?:^ {0,3}\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
# A line that starts a block of its own: a heading, a list item, a table row. Headings and
# rows end at their line; a list item goes on until a blank line or the next block.
_BLOCK_START_RE = re.compile(r"^ {0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|\|)")
_ONE_LINE_BLOCK_RE = re.compile(r"^ {0,3}(?:#{1,6}\s|\|)")
_BLOCK_MARKER_RE = re.compile(r"^ {0,3}(?:#{1,6}\s+|[-*+]\s+|\d{1,9}[.)]\s+)")
# A quote's markers, on every line of it: the quoted text reads as any other.
_QUOTE_RE = re.compile(r"^ {0,3}(?:>\s?)+")
_TABLE_RULE_RE = re.compile(r"^[\s|:-]+$")
_IMAGE_OR_LINK_RE = re.compile(r"!?\[([^\[\]\n]{0,500})\]\([^()\s\[\]]{0,2000}\)")
_AUTOLINK_RE = re.compile(r"<[^<>\s]*>")
_EMPHASIS_RE = re.compile(r"[*_~`]+")


def blocks_from_markdown(source: str) -> list[str]:
    """The text of each paragraph, heading, list item and table cell, as a reader sees it:
    markers, link targets, web addresses and fenced code left out."""
    blocks: list[str] = []
    lines: list[str] = []
    for raw in _FENCE_RE.sub("\n", source or "").splitlines():
        line = _QUOTE_RE.sub("", raw)
        if not line.strip() or _BLOCK_START_RE.match(line):
            blocks.extend(_markdown_block(" ".join(lines)))
            lines = []
        if line.strip():
            lines.append(line)
            if _ONE_LINE_BLOCK_RE.match(line):
                blocks.extend(_markdown_block(lines.pop()))
    blocks.extend(_markdown_block(" ".join(lines)))
    return blocks


def _markdown_block(text: str) -> list[str]:
    text = _BLOCK_MARKER_RE.sub("", text.strip())
    if _TABLE_RULE_RE.match(text):
        return []  # a table's |---|---|
    text = _IMAGE_OR_LINK_RE.sub(r"\1", text)
    text = _EMPHASIS_RE.sub("", _AUTOLINK_RE.sub(" ", text))
    cells = (_clean(cell) for cell in text.split("|"))
    return [cell for cell in cells if cell]


_BLOCK_END_RE = re.compile(r"</(?:p|h[1-6]|li|td|th|blockquote|div)>|<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")


def blocks_from_html(source: str) -> list[str]:
    """The same for rich text (the Wagtail editor's): every block element is a block."""
    blocks = []
    for chunk in _BLOCK_END_RE.split(source or ""):
        text = _clean(html_lib.unescape(_TAG_RE.sub(" ", chunk)))
        if text:
            blocks.append(text)
    return blocks


def _clean(text: str) -> str:
    return _SPACE_RE.sub(" ", _URL_RE.sub(" ", text)).strip()


# --- Sentences and words -----------------------------------------------------------------------

# Dutch abbreviations that end in a full stop inside a sentence (lower case, without the stop).
ABBREVIATIONS = {
    "bijv", "bv", "bijvoorbeeld", "o.a", "d.w.z", "m.b.t", "t.o.v", "i.p.v", "z.s.m", "enz",
    "etc", "e.d", "e.a", "ca", "nr", "blz", "art", "jl", "a.s", "dhr", "mevr", "mr", "dr", "drs",
    "ir", "ing", "prof", "st", "zgn", "evt", "incl", "excl", "resp", "tel", "vs", "min", "max",
    "n.a.v", "t.a.v", "m.i.v", "p.p", "i.v.m", "o.b.v", "a.d.h.v", "m.n", "z.g.a.n",
}  # fmt: skip

# Typographic quotes and apostrophes as escapes: they look like the plain ones.
OPENING_QUOTES = "\"'\u201c\u2018(["
CLOSING_QUOTES = "\"'\u201d\u2019)]"
APOSTROPHES = "'\u2019"
# Possessive, and only from the first of a run of stops: linear on "......" without a space.
_BOUNDARY_RE = re.compile(rf"(?<![.!?…])[.!?…]++[{re.escape(CLOSING_QUOTES)}]*+\s+")
_WORD_RE = re.compile(rf"[^\W\d_]+(?:[{APOSTROPHES}-][^\W\d_]+)*")


def sentences_of(block: str) -> list[str]:
    sentences = []
    start = 0
    for match in _BOUNDARY_RE.finditer(block):
        following = block[match.end() : match.end() + 1]
        if not following or not (
            following.isupper() or following.isdigit() or following in OPENING_QUOTES
        ):
            continue
        word_start = max(block.rfind(" ", start, match.start()) + 1, start)
        if block[match.start()] == "." and _is_abbreviation(block[word_start : match.start()]):
            continue
        sentences.append(block[start : match.end()].strip())
        start = match.end()
    rest = block[start:].strip()
    if rest:
        sentences.append(rest)
    return [s for s in sentences if words_of(s)]


def _is_abbreviation(last: str) -> bool:
    """Whether the word before a full stop (`last`, without it) is an abbreviation."""
    last = last.lstrip(OPENING_QUOTES)
    if len(last) == 1 and last.isupper():
        return True  # an initial: "J. Jansen"
    return last.lower() in ABBREVIATIONS


def words_of(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def letters(word: str) -> int:
    return sum(1 for ch in word if ch.isalpha())


# --- Syllables ---------------------------------------------------------------------------------

# Vowel groups read as one syllable, longest first: the triphthongs, then the long vowels and
# diphthongs. "ij" needs no entry: j is not a vowel, so "ij" is the single vowel i.
_VOWEL_UNITS = (
    "aai", "ooi", "oei", "eeu", "ieu",
    "aa", "ee", "oo", "uu", "ie", "oe", "ou", "au", "ei", "eu", "ui", "oi", "ai",
)  # fmt: skip
_VOWELS = set("aeiouy")


@functools.lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """The number of syllables of a Dutch word: an approximation, good for a readability score.

    Each run of vowels (a e i o u y) is read left to right as units, the longest first from
    `_VOWEL_UNITS`; every unit is a syllable. So "huis", "leeuw", "nieuw" and "mooi" have one
    and "situatie" (si-tu-a-tie), "theater" and "materiaal" split where two vowels are not a
    Dutch digraph. A diaeresis starts a new syllable (ideeën, België, geïnteresseerd); "qu"
    is read as "kw". A final e is a syllable (a schwa), as it is in Dutch.

    Known misses: "eu" in Latin words (museum: 2 instead of 3), "ui"/"ei" in loanwords, and
    words without vowels (btw, gft), which count as one. They shift a score by very little.
    """
    total = 0
    for part in re.split(rf"[{APOSTROPHES}-]", word):
        total += _syllables_of_part(part)
    return max(1, total)


def _syllables_of_part(part: str) -> int:
    letters_only: list[str] = []
    for ch in unicodedata.normalize("NFD", part.lower().replace("qu", "kw")):
        if ch == "\u0308" and letters_only:
            # A diaeresis splits: a marker (not a vowel) before the vowel it sits on.
            letters_only.insert(len(letters_only) - 1, "|")
        elif not unicodedata.combining(ch):
            letters_only.append(ch)
    text = "".join(letters_only)
    count = 0
    i = 0
    while i < len(text):
        if text[i] not in _VOWELS:
            i += 1
            continue
        for unit in _VOWEL_UNITS:
            if text.startswith(unit, i):
                i += len(unit)
                break
        else:
            i += 1
        count += 1
    return count


# --- Passive voice -----------------------------------------------------------------------------

WORDEN = {"word", "wordt", "worden", "werd", "werden"}
ZIJN = {"is", "zijn", "was", "waren", "ben", "bent"}
# Words that look like a past participle (ge...d/t/en, be/ver/ont/her...d/t) but are not one:
# nouns, adjectives and the infinitives of verbs that start with ge-.
NOT_PARTICIPLES = {
    "gebied", "gebieden", "gedicht", "gedichten", "gezicht", "gezichten", "gewicht", "gerecht",
    "gerechten", "gebouwen", "gemeenten", "gedachten", "gewoonten", "gebit", "gebed", "gezond",
    "geschikt", "gewend", "geweest", "geworden", "geven", "gebruiken", "geloven", "genieten",
    "gebeuren", "gelden", "getuigen", "geraken", "gewennen", "gebeurt", "gelooft", "geniet",
    "gebruikt", "gezin", "gezinnen", "gebergte", "gehoor", "gemak", "geluk", "geheim",
    "geest", "geesten", "gemoed",
}  # fmt: skip
_GE_PARTICIPLE_RE = re.compile(r"^ge[a-zà-ÿ]{2,}(?:d|t|en)$|^ge[dgs]t?aan$")  # gezet, gedaan
_PREFIX_PARTICIPLE_RE = re.compile(r"^(?:be|ver|ont|her)[a-zà-ÿ]{3,}(?:d|t)$")
# Separable verbs put ge- after their particle: ingediend, vastgesteld, opgenomen, toegekend.
_SEPARABLE_PARTICIPLE_RE = re.compile(
    r"^(?:aan|af|bij|in|mee|na|om|op|over|toe|uit|vast|voor|terug|weg|samen|vrij|los|neer|goed"
    r"|klaar|kwijt|teleur)"
    r"ge[a-zà-ÿ]{3,}(?:d|t|en)$"
)


def _is_participle(word: str) -> bool:
    if word in NOT_PARTICIPLES or word.endswith("heid"):
        return False
    if word.endswith("end") and not word.endswith("iend"):
        return False  # a present participle (werkend) or bekend; (in)gediend is past
    return any(
        pattern.match(word)
        for pattern in (_GE_PARTICIPLE_RE, _PREFIX_PARTICIPLE_RE, _SEPARABLE_PARTICIPLE_RE)
    )


def is_passive(sentence: str) -> bool:
    """A hint of the passive voice: a form of "worden" with a past participle ("wordt
    beoordeeld"), or a form of "zijn" with a past participle and "door" ("is door de gemeente
    besloten"). "Zijn" alone is left alone: "ik ben gegaan" is active."""
    words = [w.lower() for w in words_of(sentence)]
    if not any(_is_participle(w) for w in words):
        return False
    if WORDEN.intersection(words):
        return True
    return bool(ZIJN.intersection(words)) and "door" in words


# --- Jargon ------------------------------------------------------------------------------------


_INFLECTIONS = ("en", "s", "'s", "\u2019s", "e", "n")


def jargon_hits(text: str, jargon: Iterable[JargonEntry]) -> list[tuple[JargonEntry, str]]:
    """Each term of the list that occurs in `text`, with the form it has there: whole words,
    any case, the last word with a plural or inflection ending (-en, -s, -e, -n) allowed.
    First found first.

    Word by word against an index of the terms' first words, not a regular expression per
    term: a list of hundreds of terms costs no more than a few.
    """
    by_first: dict[str, list[tuple[list[str], JargonEntry]]] = {}
    for entry in jargon:
        term_words = [w.lower() for w in words_of(entry.term)]
        if term_words:
            by_first.setdefault(term_words[0], []).append((term_words, entry))
    spans = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    found: dict[str, tuple[JargonEntry, str]] = {}
    for i, (word, _start, _end) in enumerate(spans):
        candidates = [*by_first.get(word, [])]
        for ending in _INFLECTIONS:
            if word.endswith(ending) and len(word) > len(ending):
                candidates.extend(by_first.get(word[: -len(ending)], []))
        for term_words, entry in candidates:
            if entry.term in found or not _matches(term_words, spans[i : i + len(term_words)]):
                continue
            found[entry.term] = (entry, text[spans[i][1] : spans[i + len(term_words) - 1][2]])
    return list(found.values())


def _matches(term_words: list[str], spans: list[tuple[str, int, int]]) -> bool:
    if len(spans) < len(term_words):
        return False
    *head, last = term_words
    if [word for word, _s, _e in spans[:-1]] != head:
        return False
    word = spans[-1][0]
    return word == last or any(word == last + ending for ending in _INFLECTIONS)


# --- The advice --------------------------------------------------------------------------------


def analyse_markdown(source: str, jargon: Sequence[JargonEntry] = ()) -> Advice:
    return analyse_blocks(blocks_from_markdown(source), jargon)


def analyse_blocks(blocks: Sequence[str], jargon: Sequence[JargonEntry] = ()) -> Advice:
    sentences = [s for block in blocks for s in sentences_of(block)]
    words = [w for s in sentences for w in words_of(s)]
    jargon_tips = [
        _jargon_tip(entry, found) for entry, found in jargon_hits(" ".join(blocks), jargon)
    ]
    if len(words) < MIN_WORDS_FOR_SCORE:
        return Advice(
            words=len(words), sentences=len(sentences), tips=tuple(jargon_tips[:MAX_TIPS])
        )
    syllable_count = sum(syllables(w) for w in words)
    per_sentence = len(words) / len(sentences)
    flesch_douma = 206.835 - 0.93 * per_sentence - 77 * syllable_count / len(words)
    long_share = sum(1 for w in words if letters(w) > LIX_LONG_WORD_LETTERS) / len(words)
    lix = per_sentence + 100 * long_share
    tips = _interleaved(
        jargon_tips,
        _long_sentence_tips(sentences),
        _passive_tips(sentences),
        _long_word_tips(words, jargon),
    )
    return Advice(
        words=len(words),
        sentences=len(sentences),
        flesch_douma=round(flesch_douma, 1),
        lix=round(lix, 1),
        level=lix_level(lix),
        tips=tuple(tips[:MAX_TIPS]),
    )


def _interleaved(*kinds: list[Tip]) -> list[Tip]:
    """The first tip of each kind, then the second of each…: five tips of one kind would hide
    the others."""
    tips = []
    for rank in range(max(map(len, kinds), default=0)):
        tips.extend(kind[rank] for kind in kinds if rank < len(kind))
    return tips


def lix_level(lix: float) -> str:
    if lix < LIX_EASY_BELOW:
        return EASY
    if lix < LIX_HARD_FROM:
        return B1
    return HARD


def _quote(text: str) -> str:
    if len(text) <= QUOTE_MAX_CHARS:
        return text
    return text[: QUOTE_MAX_CHARS - 1].rsplit(" ", 1)[0] + " …"


def _jargon_tip(entry: JargonEntry, found: str) -> Tip:
    if entry.plain:
        message = _("„%(term)s” is vaktaal. Schrijf liever: %(plain)s.") % {
            "term": found,
            "plain": entry.plain,
        }
    else:
        message = _("„%(term)s” is vaktaal. Zeg in gewone woorden wat je bedoelt.") % {
            "term": found
        }
    if entry.note:
        message = f"{message} {entry.note}"
    return Tip(kind="jargon", message=message, quote=found)


def _long_sentence_tips(sentences: Sequence[str]) -> list[Tip]:
    long = sorted(
        (s for s in sentences if len(words_of(s)) > LONG_SENTENCE_WORDS),
        key=lambda s: -len(words_of(s)),
    )
    return [
        Tip(
            kind="long_sentence",
            message=_(
                "Deze zin heeft %(count)d woorden. Maak er twee zinnen van: tot %(limit)d "
                "woorden leest makkelijker."
            )
            % {"count": len(words_of(s)), "limit": LONG_SENTENCE_WORDS},
            quote=_quote(s),
        )
        for s in long[:MAX_LONG_SENTENCE_TIPS]
    ]


def _passive_tips(sentences: Sequence[str]) -> list[Tip]:
    passive = [s for s in sentences if is_passive(s)]
    if not passive:
        return []
    return [
        Tip(
            kind="passive",
            message=_(
                "Lijdende vorm. Zeg liever wie iets doet: „De gemeente beoordeelt je aanvraag” "
                "in plaats van „Je aanvraag wordt beoordeeld”."
            ),
            quote=_quote(passive[0]),
        )
    ]


def _long_word_tips(words: Sequence[str], jargon: Sequence[JargonEntry]) -> list[Tip]:
    known = {entry.term.lower() for entry in jargon}
    long: list[str] = []
    for word in words:
        if word.lower() in known or word in long:
            continue
        if letters(word) > TIP_WORD_LETTERS or syllables(word) >= TIP_WORD_SYLLABLES:
            long.append(word)
            if len(long) == MAX_LONG_WORDS_QUOTED:
                break
    if not long:
        return []
    return [
        Tip(
            kind="long_words",
            message=_("Lange woorden lezen moeilijk. Kun je ze korter zeggen of splitsen?"),
            quote=", ".join(long),
        )
    ]
