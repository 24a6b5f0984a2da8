"""Search, scoped to what the viewer may see: hits, the total and every facet count.

One interface in front of the engine: `search_for` is all the views know. On PostgreSQL it uses
the weighted tsvector of migration 0002 (`dutch_unaccent`: Dutch stemming, accents folded);
elsewhere (SQLite) every word must occur somewhere in the text (icontains), newest first.

Who may find a row is decided here, by the rule the lists use: a row of a community the viewer
may see (`community_visibility_filter`), or a row without a community. Rows exist only for what
is published (search/services.py), so hidden and draft content is never a candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Concat, Left
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from communities.models import Community
from communities.selectors import Viewer, community_visibility_filter

from . import engine
from .models import SearchEntry
from .terms import query_terms
from .typos import fold, typo_corrected_query

PER_PAGE = 20
# The work a query causes is bounded by its newest matches: relevance ranks only these, and the
# total and every facet count are counted over them, fetched once. Counting or ranking every match
# of a very common word costs seconds on a million rows (wave2 research, section 1; `make bench`);
# past the cap the page says "meer dan 1000" and that the counts are over the newest 1000.
# `make bench` on a million rows (README, Search): the view for a common word took p50 1.9 s with
# 5 000 candidates, 0.3 s with 1 000, 0.13 s with 200 (an oversubscribed machine).
RANK_CANDIDATES = 1000
COUNT_CANDIDATES = RANK_CANDIDATES
MAX_QUERY_CHARS = 200
ORDERS = ("relevantie", "nieuwste")
FACET_LIMIT = 20

# Private-use characters mark the matched words in ts_headline's output; the text is escaped
# first and only then are they turned into <mark>, so nothing in the content becomes markup.
_START, _STOP = "\ue000", "\ue001"
_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_TITLE_OPTIONS = f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true"


class _Vector(Expression):
    """The generated `search_vector` column (not a model field: see search/models.py), on
    whatever alias the entry table has in this query, subqueries included."""

    output_field = TextField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


class _PrefixQuery(Func):
    """websearch_to_tsquery (quoted phrase, -word, or) with every lexeme made a prefix (`:*`),
    so "zonne" finds "zonnepanelen": PostgreSQL's Dutch stemmer does not split compounds. The
    whole expression is immutable, so PostgreSQL folds it to a constant once per query."""

    template = (
        "regexp_replace(websearch_to_tsquery('dutch_unaccent', %(expressions)s)::text, "
        r"'''(?:[^'']|'''')*''', '\&:*', 'g')::tsquery"
    )
    output_field = TextField()


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _Headline(Func):
    template = "ts_headline('dutch_unaccent', %(expressions)s)"
    output_field = TextField()


def _tsquery(query: str) -> _PrefixQuery:
    return _PrefixQuery(Value(query))


class _EqualsAny(Func):
    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _among(field: str, ids: list[int]) -> Q | _EqualsAny:
    """`field` is one of `ids`. On PostgreSQL one array parameter (`= ANY(%s)`): a thousand
    `IN (%s, …)` placeholders made psycopg parse each such statement anew, ~8 ms a statement
    in Python (`make bench`); a statement with one placeholder is parsed once and cached."""
    if not _is_postgresql():
        return Q(**{f"{field}__in": ids})
    return _EqualsAny(F(field), Value(list(ids)))


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False
    href: str = ""


@dataclass
class SearchHit:
    kind: str
    kind_label: str
    url: str
    date: datetime
    title: SafeString
    excerpt: SafeString
    community: str = ""

    @property
    def shows_date(self) -> bool:
        """A theme's date is only when it was indexed, and when a member joined is not on
        their profile either: neither is shown."""
        return self.kind not in (SearchEntry.Kind.THEME, SearchEntry.Kind.MEMBER)


@dataclass
class SearchResult:
    query: str
    filters: dict[str, str]
    order: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 0
    kinds: list[Facet] = field(default_factory=list)
    themes: list[Facet] = field(default_factory=list)
    communities: list[Facet] = field(default_factory=list)
    regions: list[Facet] = field(default_factory=list)
    # "Bedoelde je …?": the query with its typos corrected, when that finds something.
    did_you_mean: str = ""
    # More than COUNT_CANDIDATES matches: `total` and the facets count the newest `cap` only.
    capped: bool = False
    cap: int = COUNT_CANDIDATES

    @property
    def searched(self) -> bool:
        return bool(self.query)

    @property
    def facet_groups(self) -> tuple[list[Facet], ...]:
        """In the order of FILTER_PARAMS."""
        return (self.kinds, self.themes, self.communities, self.regions)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def _normalise_query(query: str) -> str:
    """Trimmed and capped; the Dutch "of" between words means "or" (outside quotes)."""
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    parts = query.split('"')
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        parts[i] = re.sub(r"(?<=\S) (?:of|OF|Of) (?=\S)", " or ", parts[i])
    return '"'.join(parts)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _tsvector() -> bool:
    """The text is matched, ranked and marked by the table's own tsvector (not Wagtail's search
    backend, search/engine.py, nor the SQLite fallback)."""
    return _is_postgresql() and not engine.uses_wagtail()


def _visible(viewer: Viewer) -> Q:
    communities = Community.objects.filter(community_visibility_filter(viewer)).values("pk")
    if engine.uses_wagtail():
        # A search backend filters by values it holds, not by a subquery.
        ids = list(communities.values_list("pk", flat=True))
        return Q(community__isnull=True) | Q(community__in=ids)
    return Q(community__isnull=True) | Q(community__in=communities)


FILTER_PARAMS = ("soort", "thema", "gemeenschap", "regio")
_FILTER_LOOKUPS = {
    "soort": "kind",
    "thema": "themes__slug",
    "gemeenschap": "community__slug",
    "regio": "region__slug",
}


def _scope(viewer: Viewer, filters: dict[str, str], *, skip: str = "") -> QuerySet:
    """The rows `viewer` may find, with the chosen filters but `skip`: no text yet."""
    qs = SearchEntry.objects.filter(_visible(viewer))
    for name, value in filters.items():
        if name != skip:
            qs = qs.filter(**{_FILTER_LOOKUPS[name]: value})
    return qs


def _matching(viewer: Viewer, query: str, filters: dict[str, str], *, skip: str = "") -> QuerySet:
    """The rows of `_scope` whose text matches, by the tsvector or (SQLite) icontains."""
    qs = _scope(viewer, filters, skip=skip)
    if _is_postgresql():
        return qs.filter(_Matches(_Vector(), _tsquery(query)))
    return qs.filter(_sqlite_match(query))


def _newest_matches(
    viewer: Viewer, query: str, filters: dict[str, str], *, skip: str = ""
) -> list[tuple]:
    """The newest COUNT_CANDIDATES + 1 matches (one more, to know there are more), as
    _CANDIDATE_FIELDS, by whichever engine finds the text."""
    if not engine.uses_wagtail():
        return _candidates(_matching(viewer, query, filters, skip=skip))
    ids = engine.newest_ids(_scope(viewer, filters, skip=skip), query, COUNT_CANDIDATES + 1)
    rows = SearchEntry.objects.filter(_among("pk", ids)).values_list(*_CANDIDATE_FIELDS)
    by_pk = {row[0]: row for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _finds_anything(viewer: Viewer, query: str, filters: dict[str, str]) -> bool:
    if engine.uses_wagtail():
        return bool(engine.newest_ids(_scope(viewer, filters), query, 1))
    return _matching(viewer, query, filters).exists()


# --- The SQLite fallback -------------------------------------------------------------------------


def _sqlite_match(query: str) -> Q:
    def anywhere(term: str) -> Q:
        return (
            Q(title__icontains=term)
            | Q(keywords__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
        )

    terms = query_terms(query)
    match = Q()
    for term in terms.included:
        match &= anywhere(term)
    for term in terms.excluded:
        match &= ~anywhere(term)
    return match


def _mark_terms(text: str, terms: list[str]) -> str:
    """Escaped text with each occurrence of a term in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for found in pattern.finditer(text):
        out += [escape(text[last : found.start()]), f"<mark>{escape(found.group())}</mark>"]
        last = found.end()
    return "".join(out) + escape(text[last:])


def _window(text: str, terms: list[str], width: int = 220) -> str:
    lowered = text.lower()
    starts = [i for i in (lowered.find(t.lower()) for t in terms) if i >= 0]
    start = max(0, min(starts) - width // 3) if starts else 0
    excerpt = text[start : start + width]
    return ("… " if start else "") + excerpt + (" …" if start + width < len(text) else "")


# --- Results -------------------------------------------------------------------------------------


def _marked(text: str) -> SafeString:
    safe = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(safe)  # escaped above; only our own <mark> added


def _page_ids(candidates: list[int], query: str, order: str, offset: int) -> list[int]:
    """One page of `candidates` (the newest matches, newest first): as they are, or ranked."""
    if order == "nieuwste":
        return candidates[offset : offset + PER_PAGE]
    if engine.uses_wagtail():
        return engine.ranked_ids(candidates[:RANK_CANDIDATES], query, offset, PER_PAGE)
    if not _is_postgresql():
        return candidates[offset : offset + PER_PAGE]
    ranked = (
        SearchEntry.objects.filter(_among("pk", candidates[:RANK_CANDIDATES]))
        .annotate(
            # Normalisation 1|32: longer texts count less, and rank/(rank+1).
            rank=Func(
                _Vector(),
                _tsquery(query),
                Value(1 | 32),
                function="ts_rank_cd",
                output_field=FloatField(),
            )
        )
        .order_by("-rank", "-date", "-pk")
    )
    return list(ranked.values_list("pk", flat=True)[offset : offset + PER_PAGE])


def _hits(ids: list[int], query: str) -> list[SearchHit]:
    """The page's rows with their excerpts: ts_headline runs on these rows only."""
    fields = ["pk", "kind", "url", "date", "title", "summary", "body", "community__title"]
    qs = SearchEntry.objects.filter(_among("pk", ids))
    if _tsvector():
        qs = qs.annotate(
            title_marked=_Headline(F("title"), _tsquery(query), Value(_TITLE_OPTIONS)),
            # Discourse's lesson: ts_headline is slow on long texts, so only their beginning.
            excerpt_marked=_Headline(
                Left(Concat("summary", Value(" "), "body", output_field=TextField()), 5000),
                _tsquery(query),
                Value(_HEADLINE_OPTIONS),
            ),
        )
        fields += ["title_marked", "excerpt_marked"]
    rows = {row["pk"]: row for row in qs.values(*fields)}
    include = list(query_terms(query).included)
    kinds = dict(SearchEntry.Kind.choices)
    # Rows hold the Dutch URL (at the root); every indexed page lives under i18n_patterns, so
    # another language is the same path behind its prefix.
    language = translation.get_language()
    prefix = f"/{language}" if language and language != settings.LANGUAGE_CODE else ""
    hits = []
    for pk in ids:
        row = rows[pk]
        if "excerpt_marked" in row:
            title, excerpt = _marked(row["title_marked"]), _marked(row["excerpt_marked"])
        else:
            text = f"{row['summary']} {row['body']}".strip()
            title = mark_safe(_mark_terms(row["title"], include))  # escaped
            excerpt = mark_safe(_mark_terms(_window(text, include), include))
        url = row["url"]
        if prefix and url.startswith("/"):
            url = prefix + url
        hits.append(
            SearchHit(
                kind=row["kind"],
                kind_label=str(kinds[row["kind"]]),
                url=url,
                date=row["date"],
                title=title,
                excerpt=excerpt,
                community=row["community__title"] or "",
            )
        )
    return hits


# What a facet needs of each candidate: (pk, kind, community slug, title, region slug, name).
_CANDIDATE_FIELDS = (
    "pk",
    "kind",
    "community__slug",
    "community__title",
    "region__slug",
    "region__name",
)


def _candidates(matched: QuerySet) -> list[tuple]:
    """The newest COUNT_CANDIDATES + 1 matches (one more, to know there are more). On PostgreSQL
    looked for among the newest rows first (`_windowed_candidates`), on SQLite one query."""
    wanted = COUNT_CANDIDATES + 1
    if _is_postgresql():
        return _windowed_candidates(matched, wanted)
    return list(_newest(matched)[:wanted])


def _newest(matched: QuerySet) -> QuerySet:
    return matched.order_by("-date", "-pk").values_list(*_CANDIDATE_FIELDS)


# --- Newest matches first, by windows of the newest rows ------------------------------------------
#
# To find a word's newest thousand matches PostgreSQL either walks the date index backwards and
# tests each row's tsvector (cheap for a word in every tenth row, ruinous for one in every
# hundredth: 74 000 wide rows walked, 100 ms, for a word in 1.6% of a million rows), or it fetches
# every match the GIN index names and sorts them (cheap for a rare word, seconds for a very
# common one). Its estimate of how many rows a prefix tsquery matches is too rough to choose
# well. So the search measures: it first looks among the newest FIRST_WINDOW rows, where either
# plan is bounded by the window. A word found too seldom there has a density; the search goes on
# below that window, into the window that should hold the rest (WINDOW_MARGIN to spare): by
# walking when the word is dense (WALK_DENSITY or more, the walk stops once it has enough), else
# through the GIN index alone. A window is "every row dated on or after the date of the N-th
# newest row"; each step searches only below the last, so the rows found are the same as one
# query's, newest first: only the work differs. Boundary dates are cached for
# WINDOW_CACHE_SECONDS: an older boundary makes a window a little larger, never wrong.
# A chosen filter goes into every step: a kind, community or region is one more condition on the
# entry row (PostgreSQL combines its index with the GIN one); a theme is a join, and a common word
# within a theme stays the slowest search (`make bench`, README "Search").

FIRST_WINDOW = 8_192
WINDOWS = (16_384, 32_768, 65_536, 131_072, 262_144, 524_288)
WINDOW_MARGIN = 1.3
# Measured on a million rows (`make bench`): a walk costs ~1.3 µs a row walked; the GIN index
# ~0.45 µs a match (all of them, not only the window's) plus ~4 µs a row fetched. The two meet
# near 3.5% of rows (with a fewer rows the GIN side is cheaper, but then both are).
WALK_DENSITY = 0.035
WINDOW_CACHE_SECONDS = 600


def _window_start(rows: int) -> datetime | None:
    """The date of the `rows`-th newest row (of every row, whoever may find it: the boundary only
    sizes the work); None when there are not that many. One index-only scan, then cached."""
    key = f"search:window-start:{rows}"
    cached = cache.get(key)
    if cached is None:
        newest = SearchEntry.objects.order_by("-date").values_list("date", flat=True)
        found = list(newest[rows - 1 : rows])
        cached = found[0].isoformat() if found else ""
        cache.set(key, cached, WINDOW_CACHE_SECONDS)
    return datetime.fromisoformat(cached) if cached else None


def _all_matches_newest(matched: QuerySet, wanted: int) -> list[tuple]:
    """The newest `wanted` of `matched`, PostgreSQL made to collect every match through the GIN
    index and sort them (a MATERIALIZED common table expression is a planning fence: the
    ORDER BY ... LIMIT outside it cannot turn it into a walk down the date index)."""
    sql, params = matched.values_list(*_CANDIDATE_FIELDS, "date").query.sql_with_params()
    date = len(_CANDIDATE_FIELDS) + 1  # 1-based column numbers of the inner select
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matches AS MATERIALIZED ({sql}) SELECT * FROM matches "
            f"ORDER BY {date} DESC, 1 DESC LIMIT %s",
            [*params, wanted],
        )
        return [row[: len(_CANDIDATE_FIELDS)] for row in cursor.fetchall()]


def _windowed_candidates(matched: QuerySet, wanted: int) -> list[tuple]:
    start = _window_start(FIRST_WINDOW)
    if start is None:  # a small index: one query is cheap, however PostgreSQL plans it
        return list(_newest(matched)[:wanted])
    found = list(_newest(matched.filter(date__gte=start))[:wanted])
    searched = FIRST_WINDOW  # rows, newest first, searched so far
    while len(found) < wanted:
        density = max(len(found), 1) / searched
        needed = searched + (wanted - len(found)) * WINDOW_MARGIN / density
        rows = next((n for n in WINDOWS if n > searched and n >= needed), None)
        next_start = _window_start(rows) if rows else None
        if next_start is not None and next_start > start:
            # Boundaries are cached one by one: after many new rows a larger window's may be
            # newer than the last one's. Then this step is empty, never a repeat.
            next_start = start
        older = matched.filter(date__lt=start)
        if next_start is not None:
            older = older.filter(date__gte=next_start)
        left = wanted - len(found)
        if density >= WALK_DENSITY:
            found += _newest(older)[:left]
        else:
            found += _all_matches_newest(older, left)
        if next_start is None or rows is None:
            break
        start, searched = next_start, rows
    return found


def _counted(rows: list[tuple], slug: int, title: int, chosen: str | None) -> list[Facet]:
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        if row[slug] is not None:
            key = (row[slug], row[title])
            counts[key] = counts.get(key, 0) + 1
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))[:FACET_LIMIT]
    return [Facet(value, label, n, value == chosen) for (value, label), n in top]


def _facets(
    viewer: Viewer, query: str, filters: dict[str, str], candidates: list[tuple]
) -> dict[str, list[Facet]]:
    """Counts per kind, theme, community and region, each over the matches of the other
    filters (so choosing a kind still shows how many of each other kind there are), and each
    over the newest COUNT_CANDIDATES of those: `candidates` when no filter is left out, else
    one more bounded query per chosen filter."""

    def rows(skip: str) -> list[tuple]:
        if skip not in filters:
            return candidates[:COUNT_CANDIDATES]
        return _newest_matches(viewer, query, filters, skip=skip)[:COUNT_CANDIDATES]

    kinds = dict(SearchEntry.Kind.choices)
    by_kind: dict[str, int] = {}
    for row in rows("soort"):
        by_kind[row[1]] = by_kind.get(row[1], 0) + 1
    themed = [row[0] for row in rows("thema")]
    by_theme = (
        SearchEntry.themes.through.objects.filter(_among("searchentry_id", themed))
        .values("theme__slug", "theme__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "theme__title")[:FACET_LIMIT]
        if themed
        else []
    )
    return {
        "kinds": [
            Facet(kind, str(kinds[kind]), n, kind == filters.get("soort"))
            for kind, n in sorted(by_kind.items(), key=lambda item: list(kinds).index(item[0]))
        ],
        "themes": [
            Facet(
                r["theme__slug"],
                r["theme__title"],
                r["n"],
                r["theme__slug"] == filters.get("thema"),
            )
            for r in by_theme
        ],
        "communities": _counted(rows("gemeenschap"), 2, 3, filters.get("gemeenschap")),
        "regions": _counted(rows("regio"), 4, 5, filters.get("regio")),
    }


def search_for(
    viewer: Viewer,
    query: str,
    *,
    kind: str | None = None,
    theme: str | None = None,
    community: str | None = None,
    region: str | None = None,
    order: str = "relevantie",
    page: int | str | None = 1,
) -> SearchResult:
    """What `viewer` finds for `query`: one page of hits, the total and the facets.

    `theme`, `community` and `region` are slugs, `kind` a SearchEntry.Kind; values that do not
    exist simply match nothing. An empty query searches nothing (and costs no query).
    """
    query = _normalise_query(query or "")
    filters = {
        name: value
        for name, value in {
            "soort": kind,
            "thema": theme,
            "gemeenschap": community,
            "regio": region,
        }.items()
        if value
    }
    order = order if order in ORDERS else "relevantie"
    result = SearchResult(query=query, filters=filters, order=order)
    if not query:
        return result
    candidates = _newest_matches(viewer, query, filters)
    result.capped, result.cap = len(candidates) > COUNT_CANDIDATES, COUNT_CANDIDATES
    ids = [row[0] for row in candidates[:COUNT_CANDIDATES]]
    result.total = len(ids)
    result.num_pages = max(1, -(-result.total // PER_PAGE))
    try:
        result.page = min(max(1, int(page or 1)), result.num_pages)
    except (TypeError, ValueError):
        result.page = 1
    if result.total:
        page_ids = _page_ids(ids, query, order, (result.page - 1) * PER_PAGE)
        result.hits = _hits(page_ids, query)
    else:
        corrected = typo_corrected_query(query)
        if corrected and _finds_anything(viewer, corrected, filters):
            result.did_you_mean = corrected
    for name, facets in _facets(viewer, query, filters, candidates).items():
        setattr(result, name, facets)
    return result


# --- Suggestions while typing --------------------------------------------------------------------

SUGGEST_MIN_CHARS = 3
SUGGEST_PER_KIND = 5
SUGGEST_MAX_CHARS = 60
# Suggestions come from the newest this many rows of each kind: a bound on the work per
# keystroke (the full search still finds everything).
SUGGEST_CANDIDATES = 5000


def _letters_with_accents() -> dict[str, str]:
    """Each ASCII letter with every Latin letter that folds to it ("e": "eÈÉÊËèéêë…")."""
    variants: dict[str, str] = {}
    for code in range(0xC0, 0x180):  # Latin-1 Supplement and Latin Extended-A
        letter = chr(code)
        base = fold(letter)
        if len(base) == 1 and base.isascii() and base.isalpha():
            variants[base] = variants.get(base, base) + letter
    return variants


_ACCENTED = _letters_with_accents()


def _accent_pattern(text: str) -> str:
    """A case-insensitive regular expression (PostgreSQL's `~*` and Python's `re` alike) that
    finds `text` with or without accents: "cooperatie" and "coöperatie" both become
    "c[cÇç…][oÒ…ö…][oÒ…ö…]p…", which finds "Energiecoöperatie" and "Cooperatie". Character
    classes rather than `unaccent(title)`: no function call on each of the candidate rows
    (measured: a class costs about a tenth more than a plain `~*`, unaccent() half as much again),
    and the same pattern works on SQLite, where Django's REGEXP is Python's `re`."""
    return "".join(f"[{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in fold(text))


@dataclass
class Suggestion:
    title: str
    url: str


@dataclass
class SuggestionGroup:
    kind: str
    label: str
    suggestions: list[Suggestion]


def _suggest_rows(viewer: Viewer, query: str, per_kind: int) -> list[dict]:
    """The newest `per_kind` visible rows of every kind whose title contains `query`, case and
    accents ignored (`_accent_pattern`).

    On PostgreSQL one query: per kind, the newest SUGGEST_CANDIDATES rows (walked backwards on
    the (kind, object_id) index of the unique constraint, so never more) are matched with `~*`
    and the newest `per_kind` kept; a UNION ALL joins the kinds. The work is bounded whatever
    the letters: an index walk of 1M rows for a rare word took 0.5 s. SQLite cannot limit a
    branch of a compound query, so there it is one small query per kind (Django's REGEXP).
    Wagtail's search backend (search/engine.py) offers titles with a word starting with the
    letters instead."""
    visible = SearchEntry.objects.filter(_visible(viewer))
    fields = ("pk", "kind", "title", "url", "date")
    if engine.uses_wagtail():
        return [
            {name: getattr(entry, name) for name in fields}
            for entry in engine.suggested(visible, query, per_kind)
        ]
    pattern = _accent_pattern(query)
    if not _is_postgresql():
        return [
            row
            for kind in SearchEntry.Kind.values
            for row in visible.filter(kind=kind, title__iregex=pattern)
            .order_by("-date", "-pk")
            .values(*fields)[:per_kind]
        ]
    branches, params = [], []
    for kind in SearchEntry.Kind.values:
        newest = visible.filter(kind=kind).order_by("-object_id").values(*fields)
        sql, newest_params = newest[:SUGGEST_CANDIDATES].query.sql_with_params()
        branches.append(
            f"(SELECT * FROM ({sql}) AS newest WHERE newest.title ~* %s "
            "ORDER BY newest.date DESC, newest.pk DESC LIMIT %s)"
        )
        params += [*newest_params, pattern, per_kind]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def search_suggest(
    viewer: Viewer, query: str, *, per_kind: int = SUGGEST_PER_KIND
) -> list[SuggestionGroup]:
    """Titles `viewer` may find that contain `query`, newest first, at most `per_kind` of each
    kind, grouped in the order of SearchEntry.Kind. Fewer than three characters: nothing (and
    no query). Rows exist only for published content, so drafts and hidden content are never
    suggested; `_visible` is the rule `search_for` uses."""
    query = " ".join((query or "").split())[:SUGGEST_MAX_CHARS]
    if len(query) < SUGGEST_MIN_CHARS:
        return []
    rows = _suggest_rows(viewer, query, per_kind)
    language = translation.get_language()
    prefix = f"/{language}" if language and language != settings.LANGUAGE_CODE else ""
    groups = []
    for kind, label in SearchEntry.Kind.choices:
        found = sorted(
            (row for row in rows if row["kind"] == kind),
            key=lambda row: (row["date"], row["pk"]),
            reverse=True,
        )
        if found:
            suggestions = [
                Suggestion(
                    row["title"], prefix + row["url"] if row["url"].startswith("/") else row["url"]
                )
                for row in found
            ]
            groups.append(SuggestionGroup(kind, str(label), suggestions))
    return groups
