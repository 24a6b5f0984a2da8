"""`make bench`, search part (issue 10): latency of the search view on a million generated rows.

    python bench/search.py        (make bench runs it after bench/run.py)

PostgreSQL only, in its own database (`kc_bench_search_corpus`, on the server of
BENCH_DATABASE_URL), created and migrated when missing and REUSED between runs: the corpus is
generated again only when its version (bench/search_corpus.py CORPUS_VERSION), its size or its
seed changed. Generating a million rows takes ~10-20 minutes on two shared cores, most of it the
generated tsvector and the GIN index; a later run starts measuring at once.

What it measures, in process through Django's test Client (the view, template included, not only
the selector): `/zoeken/?q=` for terms chosen from the corpus by how many rows they match (rare
< 1k, medium 1k-20k, common 20k-100k, very common > 100k), a typo (through "Bedoelde je"), and
`/zoeken/suggesties/?q=`; each for an anonymous visitor and for a member of private communities.
Then a sample of the same queries with the SQLite fallback's plain `icontains` scan on the same
rows, for the speed-up factor.

Environment: BENCH_DATABASE_URL (its server is used; default postgres://postgres@127.0.0.1:5432/
kc_bench), BENCH_SEARCH_DATABASE (default kc_bench_search_corpus), BENCH_SEARCH_ROWS (default
1000000), BENCH_SEARCH_TERMS (terms per band, default 15), BENCH_SEARCH_REPEAT (requests per term
and viewer, default 3), BENCH_SEARCH_ICONTAINS_TERMS (terms per band for the icontains scan,
default 2: each costs seconds at a million rows), BENCH_SEARCH_REGENERATE=1 to build anew.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_corpus import (  # noqa: E402
    CORPUS_VERSION,
    TextMaker,
    community_index,
    vocabulary,
)

ROWS = int(os.environ.get("BENCH_SEARCH_ROWS", "1000000"))
TERMS_PER_BAND = int(os.environ.get("BENCH_SEARCH_TERMS", "15"))
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "3"))
ICONTAINS_TERMS = int(os.environ.get("BENCH_SEARCH_ICONTAINS_TERMS", "2"))
SEED = 20261207
COMMUNITIES = 200
THEMES = 24
REGIONS = 12
BATCH = 50_000
YEARS = 5
MEMBER_EMAIL = "lid@bench.example.org"

# Bands by the number of rows a term matches (all rows, prefix included, as search matches them),
# at a million rows; a smaller corpus (BENCH_SEARCH_ROWS, the tests) scales them.
BANDS = (
    ("rare", 1, 1_000),
    ("medium", 1_000, 20_000),
    ("common", 20_000, 100_000),
    ("very common", 100_000, 10**12),
)


def scaled_bands(rows: int) -> list[tuple[str, int, int]]:
    scale = rows / 1_000_000
    return [
        (name, max(1, round(low * scale)), max(2, round(high * scale))) for name, low, high in BANDS
    ]


GOAL_P95_MS = 100
GOAL_SUGGEST_P95_MS = 30
GOAL_FACTOR = 20


def log(message: str) -> None:
    print(message, flush=True)


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --- The database, before Django starts --------------------------------------------------------


def bench_database_url() -> str:
    base = os.environ.get("BENCH_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/kc_bench"
    name = os.environ.get("BENCH_SEARCH_DATABASE", "kc_bench_search_corpus")
    if name in ("kenniscloud", "test_kenniscloud"):
        raise SystemExit(f"refusing to use the database {name!r}")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(server, connect_timeout=3, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
                log(f"created database {name}")
    except psycopg.Error as error:
        log(f"search bench skipped: PostgreSQL not reachable ({error.__class__.__name__})")
        return False
    return True


# --- The corpus, with Django -------------------------------------------------------------------

_META = "bench_search_meta"


def corpus_signature(rows: int) -> str:
    return f"{CORPUS_VERSION} rows={rows} seed={SEED}"


def stored_signature() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {_META} (signature text, built jsonb)")
        cursor.execute(f"SELECT signature FROM {_META}")
        row = cursor.fetchone()
    return row[0] if row else None


def stored_build_times() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT built FROM {_META}")
        row = cursor.fetchone()
    if not row or not row[0]:
        return {}
    # Django reads jsonb as text (it decodes JSON fields itself).
    return json.loads(row[0]) if isinstance(row[0], str) else dict(row[0])


def _text_indexes() -> list[tuple[str, str]]:
    """The GIN and trigram indexes of migration 0002 (name, CREATE statement): dropped while
    loading and created again from the migration's own statements, so the benchmark measures the
    indexes a fresh `migrate` makes."""
    import importlib
    import re

    migration = importlib.import_module("search.migrations.0002_postgresql")
    return re.findall(r"^(CREATE INDEX (\w+) ON .*;)$", migration.VECTOR, re.M)


def generate(rows: int, *, seed: int = SEED, verbose: bool = True) -> dict:
    """Replace the search rows with `rows` generated contributions in ~200 communities.

    Returns the build times in seconds. Runs inside the current connection; at the bench scale
    in autocommit (batches commit one by one), in tests inside their transaction.
    """
    from django.db import connection
    from django.utils import timezone

    from communities.models import Community, Library, Membership, Region, Theme, User
    from search.models import SearchEntry, SearchTerm

    say = log if verbose else (lambda message: None)
    rng = random.Random(seed)
    times: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        SearchTerm.objects.all().delete()
        cursor.execute("TRUNCATE search_searchentry, search_searchentry_themes")
        Membership.objects.filter(user__email=MEMBER_EMAIL).delete()
        User.objects.filter(email=MEMBER_EMAIL).delete()
        Community.objects.filter(slug__startswith="bench-").delete()
        Library.objects.filter(slug="bench-bibliotheek").delete()
        Theme.objects.filter(slug__startswith="bench-").delete()
        Region.objects.filter(slug__startswith="bench-").delete()

        library = Library.objects.create(
            name="Bench-bibliotheek", slug="bench-bibliotheek", contact_email="b@example.org"
        )
        regions = Region.objects.bulk_create(
            Region(name=f"Bench-regio {i}", slug=f"bench-regio-{i}") for i in range(REGIONS)
        )
        themes = Theme.objects.bulk_create(
            Theme(title=f"Bench-thema {i}", slug=f"bench-thema-{i}") for i in range(THEMES)
        )
        visibilities = ["open"] * 14 + ["on_request"] * 3 + ["private"] * 3
        communities = Community.objects.bulk_create(
            Community(
                title=f"Bench-gemeenschap {i}",
                slug=f"bench-gemeenschap-{i}",
                description="Gegenereerd voor de zoekbenchmark.",
                library=library,
                region=regions[i % REGIONS],
                visibility=visibilities[rng.randrange(len(visibilities))],
            )
            for i in range(COMMUNITIES)
        )
        # A member of five private communities, among them a large one.
        member = User.objects.create_user(
            email=MEMBER_EMAIL,
            password="bench-only-password",
            handle="bench-lid",
            display_name="Bench-lid",
        )
        private = [c for c in communities if c.visibility == "private"][:5]
        Membership.objects.bulk_create(
            Membership(user=member, community=c, state=Membership.State.ACTIVE) for c in private
        )
        indexes = [(name, definition) for definition, name in _text_indexes()]
        assert len(indexes) == 2, indexes
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        times["setup"] = time.perf_counter() - started

        newest = timezone.now()
        step = dt.timedelta(seconds=(YEARS * 365 * 86400) / max(rows, 1))
        maker = TextMaker(vocabulary(seed), seed)
        places = [(c.pk, c.region_id) for c in communities]
        columns = (
            "kind, object_id, community_id, region_id, url, date, title, keywords, summary, body"
        )
        loading = time.perf_counter()
        for first in range(1, rows + 1, BATCH):
            last = min(rows, first + BATCH - 1)
            with cursor.cursor.copy(f"COPY search_searchentry ({columns}) FROM STDIN") as copy:
                for g in range(first, last + 1):
                    community_id, region_id = places[community_index(g, len(places))]
                    title, keywords, body = maker.row(g)
                    copy.write_row(
                        (
                            "contribution",
                            g,
                            community_id,
                            region_id,
                            f"/bijdragen/{g}/",
                            newest - (rows - g) * step,
                            title,
                            keywords,
                            "",
                            body,
                        )
                    )
            say(
                f"  rows {last:>9,} of {rows:,}  ({time.perf_counter() - loading:.0f} s, "
                f"load {load_average()})"
            )
        times["rows (text + tsvector)"] = time.perf_counter() - loading

        themed = time.perf_counter()
        # One theme per row, a second for a third of them; the contributions' tags and themes
        # are in `keywords` (weight B) already.
        cursor.execute(
            "INSERT INTO search_searchentry_themes (searchentry_id, theme_id) "
            "SELECT e.id, t.id FROM search_searchentry AS e "
            "JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM communities_theme "
            "      WHERE slug LIKE 'bench-%%') AS t ON t.k = (e.object_id * 7919) %% %s "
            "UNION ALL "
            "SELECT e.id, t.id FROM search_searchentry AS e "
            "JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM communities_theme "
            "      WHERE slug LIKE 'bench-%%') AS t ON t.k = (e.object_id * 104729 + 1) %% %s "
            "WHERE e.object_id %% 3 = 0 AND (e.object_id * 7919) %% %s "
            "      <> (e.object_id * 104729 + 1) %% %s",
            [len(themes)] * 4,
        )
        times["themes"] = time.perf_counter() - themed

        # Inside a transaction (the tests) the deferred foreign-key checks must run first:
        # PostgreSQL creates no index on a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # PostgreSQL's default (64 MB) makes the GIN index of a million rows take 6+ minutes on
        # two busy cores; this session may use more, as an operator's rebuild would.
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in indexes:
            indexing = time.perf_counter()
            cursor.execute(definition)
            times[f"index {name}"] = time.perf_counter() - indexing
            say(f"  index {name}: {times[f'index {name}']:.0f} s")
        analysing = time.perf_counter()
        if connection.in_atomic_block:
            cursor.execute("ANALYZE search_searchentry")
            cursor.execute("ANALYZE search_searchentry_themes")
        else:
            # The visibility map, for index-only scans, as autovacuum would leave it.
            cursor.execute("VACUUM (ANALYZE) search_searchentry")
            cursor.execute("VACUUM (ANALYZE) search_searchentry_themes")
        times["vacuum/analyze"] = time.perf_counter() - analysing

    from search.typos import search_terms_refresh

    refreshing = time.perf_counter()
    words = search_terms_refresh()
    times["typo word list"] = time.perf_counter() - refreshing
    say(f"  typo word list: {words:,} words in {times['typo word list']:.0f} s")
    times["total"] = time.perf_counter() - started
    assert SearchEntry.objects.count() == rows
    return times


def store_signature(signature: str, times: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_META}")
        cursor.execute(f"INSERT INTO {_META} VALUES (%s, %s)", [signature, json.dumps(times)])


# --- Choosing the terms ------------------------------------------------------------------------


def match_count(term: str) -> int:
    """Rows the search's own tsquery matches (prefix included), over all rows."""
    from search.models import SearchEntry
    from search.selectors import _Matches, _tsquery, _Vector

    return SearchEntry.objects.filter(_Matches(_Vector(), _tsquery(term))).count()


@dataclass
class Terms:
    bands: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    typos: list[tuple[str, str]] = field(default_factory=list)  # (typo, the word it came from)
    prefixes: list[str] = field(default_factory=list)


def choose_terms(per_band: int, *, seed: int = SEED) -> Terms:
    """Words of the typo word list (public rows, by document frequency), each counted with the
    search's own query, sorted into the bands; `per_band` of each, spread over the band."""
    from search.models import SearchEntry, SearchTerm

    rng = random.Random(seed)
    words = list(
        SearchTerm.objects.filter(word__regex=r"^[a-z]{5,}$")
        .order_by("-frequency", "word")
        .values_list("word", "frequency")
    )
    bands = scaled_bands(SearchEntry.objects.count())
    terms = Terms(bands={name: [] for name, _low, _high in bands})
    # The word list's frequency (public rows, whole words) estimates the band; the count with the
    # search's own query (all rows, prefix) decides it. Candidates evenly spread over each band.
    for name, low, high in bands:
        estimated = [word for word, frequency in words if low <= frequency < high]
        step = max(1, len(estimated) // (3 * per_band))
        for word in estimated[::step]:
            if len(terms.bands[name]) >= per_band:
                break
            count = match_count(word)
            for other, other_low, other_high in bands:
                if other_low <= count < other_high and len(terms.bands[other]) < per_band:
                    terms.bands[other].append((word, count))
    known = {word for word, _frequency in words}
    for word, _count in terms.bands["medium"] + terms.bands["rare"]:
        typo = _typo(word, rng)
        # A real typo: no word of the list, and the search finds nothing for it (not as a
        # prefix either), so the page goes through "Bedoelde je".
        if typo not in known and match_count(typo) == 0:
            terms.typos.append((typo, word))
    terms.typos = terms.typos[:per_band]
    titles = [word for word, _count in terms.bands["medium"] + terms.bands["common"]] + [
        word for word, _count in terms.bands["very common"]
    ]
    terms.prefixes = [word[: rng.choice((3, 4, 5))] for word in titles][: max(per_band, 1)]
    return terms


def _typo(word: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped, or one left out, not at the first letter."""
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


# --- Measuring ---------------------------------------------------------------------------------


@dataclass
class Row:
    band: str
    viewer: str
    samples_ms: list[float]
    terms: int
    detail: str = ""

    def pct(self, p: float) -> float:
        data = sorted(self.samples_ms)
        if not data:
            return float("nan")
        k = max(0, min(len(data) - 1, round(p / 100 * len(data) + 0.5) - 1))
        return data[k]


def _clients():
    from django.test import Client

    from communities.models import User

    anonymous = Client()
    member = Client()
    user = User.objects.get(email=MEMBER_EMAIL)
    if not user.handle:  # corpora built before the member had one
        User.objects.filter(pk=user.pk).update(handle="bench-lid")
    member.force_login(user)
    return {"anonymous": anonymous, "member": member}


_address = iter(range(1, 10**9))


def _get(client, path: str, params: dict) -> tuple[float, str]:
    # Every request from its own address: the suggestion rate limit is per visitor, and a
    # benchmark is not one visitor typing 60 times a minute.
    n = next(_address)
    started = time.perf_counter()
    response = client.get(
        path, params, REMOTE_ADDR=f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
    )
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}?{urlencode(params)} answered {response.status_code}")
    return elapsed, response.content.decode()


def measure(terms: Terms, *, repeat: int = REPEAT) -> list[Row]:
    clients = _clients()
    rows: list[Row] = []
    for viewer, client in clients.items():
        _get(client, "/zoeken/", {"q": "warm"})  # warm up templates and connections
        for name, _low, _high in BANDS:
            samples = []
            for term, _count in terms.bands[name]:
                for _ in range(repeat):
                    samples.append(_get(client, "/zoeken/", {"q": term})[0])
            rows.append(Row(name, viewer, samples, len(terms.bands[name])))
        samples, corrected = [], 0
        for typo, _word in terms.typos:
            for _ in range(repeat):
                elapsed, content = _get(client, "/zoeken/", {"q": typo})
                samples.append(elapsed)
            corrected += "Bedoelde je" in content
        rows.append(Row("typo", viewer, samples, len(terms.typos), f"{corrected} corrected"))
        samples = []
        for prefix in terms.prefixes:
            for _ in range(repeat):
                samples.append(_get(client, "/zoeken/suggesties/", {"q": prefix})[0])
        rows.append(Row("suggestion", viewer, samples, len(terms.prefixes)))
        # A facet chosen (no goal in the issue; reported to show what a filter costs): the
        # largest community, and a theme (a join, the slowest filter).
        for name, params in FILTERED:
            samples = []
            for band in ("medium", "common"):
                for term, _count in terms.bands[band]:
                    for _ in range(repeat):
                        samples.append(_get(client, "/zoeken/", {"q": term, **params})[0])
            rows.append(Row(name, viewer, samples, len(samples) // max(repeat, 1)))
    return rows


# Bands measured with a filter chosen: medium and common terms. Reported, not judged.
FILTERED = (
    ("+ community", {"gemeenschap": "bench-gemeenschap-0"}),
    ("+ theme", {"thema": "bench-thema-1"}),
)


def measure_icontains(terms: Terms, per_band: int) -> dict[str, list[float]]:
    """The anonymous search view with the SQLite fallback's matching (`icontains` on title,
    keywords, summary and body), on the same rows: what search costs without full-text search."""
    from unittest import mock

    from search import selectors

    clients = _clients()
    results: dict[str, list[float]] = {}
    with mock.patch.object(selectors, "_is_postgresql", lambda: False):
        for name, _low, _high in BANDS:
            samples = []
            for term, _count in terms.bands[name][:per_band]:
                samples.append(_get(clients["anonymous"], "/zoeken/", {"q": term})[0])
            results[name] = samples
    return results


# --- Reporting ---------------------------------------------------------------------------------


def print_table(rows: list[Row], icontains: dict[str, list[float]], terms: Terms) -> bool:
    """The table; True when every goal holds."""
    ok = True
    log("")
    log(
        f"{'band':<12} {'viewer':<10} {'terms':>5} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'goal':>8}  note"
    )
    filtered = {name for name, _params in FILTERED}
    for row in rows:
        goal = GOAL_SUGGEST_P95_MS if row.band == "suggestion" else GOAL_P95_MS
        met = row.pct(95) < goal
        if row.band in filtered:  # no goal: shown for what it costs
            judged, verdict = "-", ""
        else:
            ok &= met
            judged, verdict = f"<{goal}", "ok" if met else "MISSED"
        log(
            f"{row.band:<12} {row.viewer:<10} {row.terms:>5} {len(row.samples_ms):>4} "
            f"{row.pct(50):>8.1f} {row.pct(95):>8.1f} {row.pct(99):>8.1f} "
            f"{judged:>8}  {verdict} {row.detail}"
        )
    if icontains:
        log("")
        log(
            f"{'icontains':<12} {'terms':>5} {'p50 ms':>9} {'max ms':>9} {'FTS p50':>8} "
            f"{'factor':>7}"
        )
        for name, samples in icontains.items():
            if not samples:
                continue
            fts = next(r for r in rows if r.band == name and r.viewer == "anonymous")
            factor = statistics.median(samples) / max(fts.pct(50), 0.001)
            ok &= factor >= GOAL_FACTOR
            log(
                f"{name:<12} {len(samples):>5} {statistics.median(samples):>9.0f} "
                f"{max(samples):>9.0f} {fts.pct(50):>8.1f} {factor:>6.0f}x"
            )
    log("")
    for name, found in terms.bands.items():
        shown = ", ".join(f"{word} ({count:,})" for word, count in found[:6])
        log(f"  {name}: {shown}{' …' if len(found) > 6 else ''}")
    log(f"  typos: {', '.join(t for t, _w in terms.typos[:6])} …")
    log(f"  suggestion prefixes: {', '.join(terms.prefixes[:8])} …")
    return ok


def table_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('search_searchentry')), "
            "pg_size_pretty(pg_relation_size('search_entry_vector'))"
        )
        total, gin = cursor.fetchone()
    return f"table + indexes {total}, GIN {gin}"


def main() -> int:
    url = bench_database_url()
    if not ensure_database(url):
        return 0
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "kenniscloud.settings.test",
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": "0",
            # The suggestion rate limit in process memory: the benchmark measures the view.
            "REDIS_URL": "",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    log(f"Search benchmark: database {url.rsplit('/', 1)[1]}, {ROWS:,} rows, load {load_average()}")
    call_command("migrate", interactive=False, verbosity=0)
    signature = corpus_signature(ROWS)
    if os.environ.get("BENCH_SEARCH_REGENERATE") or stored_signature() != signature:
        log(f"Generating the corpus ({signature}); minutes at a million rows...")
        connection.set_autocommit(True)
        times = generate(ROWS)
        store_signature(signature, times)
    else:
        times = stored_build_times()
        log(f"Reusing the corpus ({signature}).")
    log(f"  {table_size()}")
    for step, seconds in times.items():
        log(f"  build: {step:<40} {seconds:>8.1f} s")
    if os.environ.get("BENCH_SEARCH_BUILD_ONLY"):
        return 0
    log("Choosing terms by their match counts...")
    terms = choose_terms(TERMS_PER_BAND)
    # What a web worker does at its start (kenniscloud/wsgi.py): the view runs as in production.
    from kenniscloud.common.warmup import load_and_freeze

    load_and_freeze()
    log(f"Measuring the search view ({REPEAT} requests per term and viewer), load {load_average()}")
    rows = measure(terms)
    log(f"Measuring the icontains scan ({ICONTAINS_TERMS} terms per band), load {load_average()}")
    icontains = measure_icontains(terms, ICONTAINS_TERMS)
    ok = print_table(rows, icontains, terms)
    log(f"Load average at the end: {load_average()} ({os.cpu_count()} cores)")
    log("All goals met." if ok else "Some goals missed (see MISSED above).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
