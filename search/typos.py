"""Typo tolerance: "Bedoelde je …?" from a word list of the public index.

`search_terms_refresh()` (the write, nightly and after `search_rebuild`) rebuilds
`SearchTerm` from every row an anonymous visitor may find, so a word that occurs only in a
private community is never in the list and never proposed to anyone. `typo_corrected_query()`
(the read, only when a query found nothing) replaces each plain word of the query that the list
does not know by its most similar word. `search_for` shows the correction only when it finds
something the viewer may see.

PostgreSQL: `ts_stat` over a `simple` tsvector of `unaccent(lower(text))` builds the list, and
the trigram distance `<->` (a GiST `gist_trgm_ops` index, migration 0006: GIN cannot order by
distance) gives the nearest words; difflib's edit ratio picks among them, then frequency.
SQLite: a word count in Python and `difflib` over the most frequent words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import QuerySet

from .models import SearchEntry, SearchTerm

# Bounded work: the list keeps the most frequent words only (a nightly job; ~20 ms a lookup on
# 24k words at 1M rows, wave2 research section 1).
TERMS_MAX = 200_000
MIN_LETTERS = 4
MAX_LETTERS = 60  # SearchTerm.word's max_length: longer "words" are noise
# PostgreSQL: the trigram index gives the TRIGRAM_CANDIDATES nearest words, kept above
# MIN_SIMILARITY (pg_trgm's own default for `%`); 0.4 would miss a swap near the end of a short word
# (isoleern/isoleren: 0.385). Of those, the closest by difflib's edit ratio wins, at CUTOFF or
# better: that ratio forgives a swapped pair of letters, trigrams do not.
MIN_SIMILARITY = 0.3
TRIGRAM_CANDIDATES = 10
CUTOFF = 0.75
# SQLite: difflib compares with this many of the most frequent words.
FALLBACK_CANDIDATES = 20_000


def _public_entries() -> QuerySet[SearchEntry]:
    """Rows everyone may find: what search shows an anonymous visitor (one rule, in selectors,
    imported here because selectors imports this module)."""
    from .selectors import _visible

    return SearchEntry.objects.filter(_visible(AnonymousUser()))


def fold(text: str) -> str:
    """Lower case without accents (Python's take on `unaccent(lower(…))`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@transaction.atomic
def search_terms_refresh(*, limit: int = TERMS_MAX) -> int:
    """Rebuild the word list from the public index; returns how many words it holds.

    Idempotent: the list depends only on the index. Readers keep seeing the old list until the
    commit; a second refresh at the same time waits for the first (table lock).
    """
    if connection.vendor == "postgresql":
        return _refresh_postgresql(limit)
    return _refresh_python(limit)


_REFRESH_SQL = """
INSERT INTO search_searchterm (word, frequency)
SELECT word, ndoc FROM ts_stat(%s)
WHERE char_length(word) BETWEEN %s AND %s AND word !~ '[[:digit:][:punct:]]'
ORDER BY ndoc DESC, word
LIMIT %s
"""


def _refresh_postgresql(limit: int) -> int:
    # ts_stat takes its documents as SQL text: the ORM's filter, its parameters bound by psycopg.
    inner, params = _public_entries().values("pk").query.sql_with_params()
    documents = connection.ops.compose_sql(  # type: ignore[attr-defined]  # PostgreSQL's ops
        "SELECT to_tsvector('simple', unaccent(lower(concat_ws(' ', title, keywords, summary, "
        f"body)))) FROM search_searchentry WHERE id IN ({inner})",
        params,
    )
    with connection.cursor() as cursor:
        # EXCLUSIVE lets readers in but not a second refresh: its DELETE would miss our rows.
        cursor.execute("LOCK TABLE search_searchterm IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM search_searchterm")
        cursor.execute(_REFRESH_SQL, [documents, MIN_LETTERS, MAX_LETTERS, limit])
        return cursor.rowcount


def _words(text: str) -> set[str]:
    return {
        word
        for word in re.findall(r"\w+", fold(text))
        if word.isalpha() and MIN_LETTERS <= len(word) <= MAX_LETTERS
    }


def _refresh_python(limit: int) -> int:
    counts: Counter[str] = Counter()
    rows = _public_entries().values_list("title", "keywords", "summary", "body")
    for row in rows.iterator(chunk_size=500):
        counts.update(_words(" ".join(row)))
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word, frequency=n) for word, n in top], batch_size=1000
    )
    return len(top)


# --- Proposals ----------------------------------------------------------------------------------


def _plain_terms(query: str) -> list[re.Match[str]]:
    """The words a correction may replace: not in a quoted phrase, not a -word, not `or`/`of`,
    letters only and long enough to be in the list."""
    return [
        token
        for token in re.finditer(r'"[^"]*"?|\S+', query)
        if token.group().isalpha()
        and len(token.group()) >= MIN_LETTERS
        and token.group().lower() not in ("or", "of")
    ]


_PROPOSALS_SQL = """
SELECT t.typed, t.term, nearest.word
FROM (
    SELECT typed, term,
           EXISTS (SELECT 1 FROM search_searchterm WHERE word LIKE term || '%%') AS known
    FROM (SELECT typed, unaccent(lower(typed)) AS term FROM unnest(%s::text[]) AS typed) AS terms
) AS t
LEFT JOIN LATERAL (
    SELECT word, word <-> t.term AS distance, frequency FROM search_searchterm
    WHERE NOT t.known
    ORDER BY word <-> t.term
    LIMIT %s
) AS nearest ON 1 - nearest.distance > %s
ORDER BY t.typed, nearest.distance, nearest.frequency DESC, nearest.word
"""


def _closest(term: str, candidates: list[str]) -> str | None:
    """The candidate with the best edit ratio (difflib's), if at least CUTOFF. The first of
    equals wins, so candidates come most similar and most frequent first."""
    best, best_ratio = None, CUTOFF
    matcher = difflib.SequenceMatcher(b=term)
    for word in candidates:
        matcher.set_seq1(word)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio or (best is None and ratio == best_ratio):
            best, best_ratio = word, ratio
    return best


def _proposals_postgresql(terms: list[str]) -> dict[str, str]:
    """One query for all terms: a term that is a word of the list, or the start of one (the
    search matches prefixes), needs no correction; for the others the GiST trigram index gives
    the nearest words (`<->`, migration 0006), and the closest by edit ratio wins."""
    with connection.cursor() as cursor:
        cursor.execute(_PROPOSALS_SQL, [terms, TRIGRAM_CANDIDATES, MIN_SIMILARITY])
        rows = cursor.fetchall()
    candidates: dict[tuple[str, str], list[str]] = {}
    for typed, term, word in rows:
        if word is not None:
            candidates.setdefault((typed, term), []).append(word)
    proposals = {}
    for (typed, term), words in candidates.items():
        if closest := _closest(term, words):
            proposals[typed] = closest
    return proposals


def _proposals_python(terms: list[str]) -> dict[str, str]:
    candidates = list(
        SearchTerm.objects.order_by("-frequency", "word").values_list("word", flat=True)[
            :FALLBACK_CANDIDATES
        ]
    )
    proposals = {}
    for term in terms:
        word = fold(term)
        if SearchTerm.objects.filter(word__startswith=word).exists():
            continue
        if closest := _closest(word, candidates):
            proposals[term] = closest
    return proposals


def typo_corrected_query(query: str) -> str:
    """`query` with each unknown plain word replaced by the most similar word of the list;
    quoted phrases, -words and `or` stay as typed. "" when there is nothing to correct."""
    tokens = _plain_terms(query)
    if not tokens:
        return ""
    terms = list(dict.fromkeys(token.group() for token in tokens))
    if connection.vendor == "postgresql":
        proposals = _proposals_postgresql(terms)
    else:
        proposals = _proposals_python(terms)
    if not proposals:
        return ""
    out, last = [], 0
    for token in tokens:
        out += [query[last : token.start()], proposals.get(token.group(), token.group())]
        last = token.end()
    return "".join(out) + query[last:]
