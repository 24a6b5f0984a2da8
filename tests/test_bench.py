"""`make bench` starts gunicorn with production settings: the environment it builds must satisfy
what production requires, or the benchmark dies before it measures anything (it did, when
production began to require KENNISCLOUD_SITE_URL and Redis)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

ROOT = Path(__file__).resolve().parent.parent


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.redis
def test_the_bench_environment_starts_production_settings(monkeypatch):
    monkeypatch.setenv("BENCH_REDIS_URL", settings.REDIS_URL)
    monkeypatch.setenv("BENCH_DATABASE_URL", "")  # the SQLite fallback: no database is touched
    env, database, cache = _bench_module().bench_environment()
    assert (database, cache) == ("SQLite (fallback)", "Redis")
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.stdout.strip() == "started", started.stderr[-2000:]


def test_the_bench_says_it_needs_redis(monkeypatch):
    monkeypatch.setenv("BENCH_REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens there
    monkeypatch.setenv("BENCH_DATABASE_URL", "")
    with pytest.raises(SystemExit, match="need Redis"):
        _bench_module().bench_environment()


def _search_bench_module():
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_search_bench_generates_chooses_terms_and_measures_the_view(capsys):
    """The search benchmark at a tiny scale: the corpus it generates is found by the search, its
    bands hold the terms it says, and every request it times answered 200 (it stops otherwise)."""
    from communities.models import Community
    from search.models import SearchEntry, SearchTerm
    from search.selectors import search_for

    bench = _search_bench_module()
    times = bench.generate(2000, verbose=False)
    assert SearchEntry.objects.count() == 2000 and SearchTerm.objects.exists()
    assert {"rows (text + tsvector)", "index search_entry_vector", "total"} <= set(times)
    terms = bench.choose_terms(2)
    for name, found in terms.bands.items():
        low, high = next((lo, hi) for n, lo, hi in bench.scaled_bands(2000) if n == name)
        assert all(low <= count < high for _word, count in found), name
    assert terms.bands["rare"] and terms.bands["medium"] and terms.prefixes
    # Private communities hold rows; the anonymous visitor finds none, in hits or in counts.
    assert SearchEntry.objects.filter(community__visibility="private").exists()
    private = set(Community.objects.filter(visibility="private").values_list("title", flat=True))
    word = max((found for band in terms.bands.values() for found in band), key=lambda f: f[1])[0]
    anonymous = search_for(AnonymousUser(), word)
    assert anonymous.total > 0
    assert not {hit.community for hit in anonymous.hits} & private
    assert not {facet.label for facet in anonymous.communities} & private

    rows = bench.measure(terms, repeat=1)
    assert {row.band for row in rows} == {
        "rare",
        "medium",
        "common",
        "very common",
        "typo",
        "suggestion",
        "+ community",
        "+ theme",
    }
    assert {row.viewer for row in rows} == {"anonymous", "member"}
    icontains = bench.measure_icontains(terms, 1)
    bench.print_table(rows, icontains, terms)
    table = capsys.readouterr().out
    assert "p95 ms" in table and "suggestion" in table and "factor" in table


def test_the_short_mode_shortens_every_scenario(monkeypatch):
    monkeypatch.delenv("BENCH_SECONDS", raising=False)
    monkeypatch.setenv("BENCH_SHORT", "1")
    short = _bench_module()
    monkeypatch.setenv("BENCH_SHORT", "0")
    full = _bench_module()
    monkeypatch.setenv("BENCH_SHORT", "1")
    monkeypatch.setenv("BENCH_SECONDS", "3")
    chosen = _bench_module()

    assert (short.SECONDS, short.WARM_UP_SECONDS) == (2, 1)
    assert (full.SECONDS, full.WARM_UP_SECONDS) == (10, 2)
    assert chosen.SECONDS == 3


def test_bench_pages_chooses_pages_and_refuses_a_misspelt_one():
    bench = _bench_module()
    pages = {name: f"/{name}/" for name in bench.PAGES}

    assert bench.chosen_pages(pages, "") == pages
    assert list(bench.chosen_pages(pages, "search, home")) == ["home", "search"]
    with pytest.raises(SystemExit, match=r"unknown page.*kontribution"):
        bench.chosen_pages(pages, "home,kontribution")


def test_the_table_compares_every_scenario_with_the_bare_view(capsys):
    bench = _bench_module()
    results = [
        bench.Result("bare view /gezond/", 400.0, 10.0, 30.0, 1.5, 0),
        bench.Result("meetup, logged in", 100.0, 40.0, 90.0, 12.0, 0),
    ]

    bench.print_table(results)

    table = capsys.readouterr().out
    assert "vs bare" in table and "CPU ms/req" in table
    row = next(line for line in table.splitlines() if line.startswith("meetup, logged in"))
    assert row.split()[-6:] == ["100", "0.25", "40.00", "90.00", "12.00", "0"]


@pytest.mark.django_db
def test_the_bench_finds_every_public_page_in_the_demo(client, capsys):
    """The pages `make bench` measures are picked from the demo content: each must exist and
    answer a visitor and the demo member, or the benchmark stops halfway."""
    from django.core.cache import cache
    from django.core.management import call_command

    from communities.models import User

    bench = _bench_module()
    cache.clear()
    call_command("load_demo")
    capsys.readouterr()

    pages = bench.public_pages()

    assert list(pages) == list(bench.PAGES)
    assert set(pages) >= bench.CACHED_PAGES
    for name, url in pages.items():
        assert client.get(url).status_code == 200, (name, url)
    client.force_login(User.objects.get(email=bench.DEMO_USER))
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        assert "/accounts/logout/" in response.content.decode(), (name, url)
