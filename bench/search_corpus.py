"""The generated corpus of the search benchmark (bench/search.py): Dutch-like search rows in SQL.

Words come from a fixed vocabulary: Dutch function words first (the `dutch` configuration drops
most of them, as it does in real text), then real Dutch nouns, verbs and adjectives (some with
accents or a trema) and compounds of a first part and a head ("buurt" + "moestuin"), then a long
tail of pronounceable made-up words. Each word of a title, keyword list or body is drawn with
probability ~ 1/rank (Zipf, s = 1): the index of a word is floor(exp(u * ln(n))). With
~90 words a row that gives every band the benchmark needs: a few dozen words in more than 100k
of a million rows, a few hundred in 20k-100k, thousands in 1k-20k, and tens of thousands below.

The text is drawn in Python and streamed with COPY (the server computes the generated tsvector,
which is most of the minutes a million rows take), never saved row by row through the ORM.
(Drawing it in SQL from a text[] vocabulary was tried: an array element is found by walking the
array, and a toasted array is detoasted on every access, so that took minutes for 2 000 rows.)
"""

from __future__ import annotations

import math
import random

# Bump when the text or the layout of the corpus changes: the benchmark database is rebuilt.
CORPUS_VERSION = "search-corpus-1"


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    "de het een en van in op te dat die is voor met niet zijn aan er maar om ook als bij nog "
    "wel uit dan naar dit kan wat zo over we je ze hun door"
)

WORDS = _words(
    "bibliotheek buurt wijk gemeente bewoners vrijwilligers vereniging school kinderen ouders "
    "jongeren ouderen gezondheid zorg energie klimaat natuur water groen tuin voedsel boeken "
    "lezen leren taal cursus workshop bijeenkomst avond ochtend middag week maand jaar "
    "project plan idee vraag antwoord ervaring kennis informatie onderzoek verhaal "
    "geschiedenis kunst muziek theater film sport spel fiets auto bus trein station straat "
    "plein park bos dorp stad provincie regio brabant limburg utrecht zeeland friesland "
    "drenthe gelderland twente rotterdam amsterdam eindhoven tilburg waalwijk breda nijmegen "
    "zwolle groningen maastricht café ideeën financiële reünie privé coördinatie België "
    "curaçao geïnteresseerd enquête creëren efficiënt hygiëne patiënt kopiëren geëvalueerd "
    "beëindigen naïef cliënt ruïne duurzaam digitaal sociaal lokaal gezond samen nieuw oud "
    "groot klein mooi belangrijk moeilijk makkelijk eerlijk open gratis betaalbaar bereikbaar "
    "toegankelijk veilig schoon werken wonen huren kopen verkopen delen helpen praten "
    "luisteren schrijven rekenen maken repareren koken tuinieren wandelen fietsen zwemmen "
    "dansen zingen spelen bouwen isoleren besparen opwekken organiseren ontmoeten uitnodigen "
    "aanmelden inschrijven ophalen brengen huis woning huurder eigenaar coöperatie collectief "
    "initiatief stichting fonds subsidie aanvraag budget begroting raad wethouder "
    "burgemeester ambtenaar politiek verkiezing democratie inspraak participatie burgerberaad "
    "petitie nieuwsbrief website telefoon computer internet wifi laptop tablet smartphone app "
    "printer programma software wachtwoord privacy veiligheid oplichting phishing nepnieuws "
    "mediawijsheid factcheck armoede schulden werkloosheid eenzaamheid mantelzorg dementie "
    "beperking inclusie diversiteit nieuwkomers statushouders integratie inburgering "
    "vluchtelingen migratie warmtepomp zonnepaneel isolatie dubbelglas spouwmuur "
    "vloerverwarming laadpaal regenwater tegelwip geveltuin insecten bijen vogels egels bomen "
    "bloemen zaden compost afval plastic recycling kringloop tweedehands ruilen lenen "
    "gereedschap naaimachine"
)

FIRST_PARTS = _words(
    "buurt wijk zonne lees taal energie repair klimaat moes voedsel zorg jeugd ouderen buren "
    "boeken kennis dorps stads water natuur fiets spel muziek huiswerk schrijf digi leer "
    "gemeenschaps vrijwilligers bewoners burger"
)

HEADS = _words(
    "huis club café coach tuin bank hulp raad project avond plan groep netwerk punt kring "
    "fonds winkel markt dag week festival atelier werkplaats bieb kamer lab school team "
    "vereniging initiatief"
)

_ONSETS = _words("b d f g h j k l m n p r s t v w z br dr gr kl kr pl pr sl sp st tr vl zw sch")
_VOWELS = _words("a e i o u aa ee oo uu ie oe ei ui ou eu ij")
_CODAS = ["", "", "", "n", "r", "l", "s", "t", "k", "m", "nd", "ng", "rt", "st"]
_ACCENTED = {"e": "ë", "i": "ï", "o": "ö", "u": "ü"}


def _made_up_word(rng: random.Random) -> str:
    syllables = rng.choice((2, 2, 2, 3))
    word = "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
    )
    if rng.random() < 0.02:  # now and then a trema, as in "geïnteresseerd"
        letters = [i for i, c in enumerate(word) if c in _ACCENTED and i > 0]
        if letters:
            i = rng.choice(letters)
            word = word[:i] + _ACCENTED[word[i]] + word[i + 1 :]
    return word


def vocabulary(seed: int, size: int = 60_000) -> list[str]:
    """The words in rank order (rank 1 first). Deterministic for a seed."""
    rng = random.Random(seed)
    compounds = [first + head for first in FIRST_PARTS for head in HEADS]
    rng.shuffle(compounds)
    real = list(dict.fromkeys(WORDS))
    rng.shuffle(real)
    # The real words and a third of the compounds take the ranks after the function words, where
    # the frequent content words of a real corpus are; the other compounds spread further down.
    head_count = len(compounds) // 3
    content = real + compounds[:head_count]
    rng.shuffle(content)
    seen = set(FUNCTION_WORDS) | set(content) | set(compounds)
    tail: list[str] = []
    while len(FUNCTION_WORDS) + len(content) + len(tail) < size - (len(compounds) - head_count):
        word = _made_up_word(rng)
        if word not in seen and len(word) >= 5:
            seen.add(word)
            tail.append(word)
    for compound in compounds[head_count:]:
        tail.insert(rng.randrange(0, min(len(tail), 20_000)), compound)
    return FUNCTION_WORDS + content + tail


# --- Rows ------------------------------------------------------------------------------------


class TextMaker:
    """Titles, keyword lists and bodies: words drawn ~1/rank from the vocabulary.

    The inverse of the Zipf (s = 1) distribution, floor(exp(u * ln(n))), one random() a word:
    ~20 µs a row, where random.choices over cumulative weights took ten times that."""

    def __init__(self, words: list[str], seed: int):
        self.rng = random.Random(seed)
        self.words = words

    def text(self, count: int, low: int = 0) -> str:
        """`count` words of rank `low` + 1 and later."""
        words, draw, exp = self.words, self.rng.random, math.exp
        span, base = math.log(len(words) - low + 1), low - 1
        return " ".join([words[base + int(exp(draw() * span))] for _ in range(count)])

    def row(self, g: int) -> tuple[str, str, str]:
        title = self.text(4 + g % 5, low=20)
        return title[:1].upper() + title[1:], self.text(2 + g % 2, low=60), self.text(70 + g % 21)


def community_index(g: int, communities: int) -> int:
    """0-based; skewed like real communities (a few large, many small): ~1/rank of the index."""
    fraction = ((g * 2654435761) % 1000003) / 1000003
    return min(communities - 1, int(math.exp(fraction * math.log(communities + 1))) - 1)
