"""`make bench`: throughput of the key pages against a bare Django view, on loopback.

Runs gunicorn (production settings, several sync workers) against a benchmark database with the
demo content, and `wrk` against it, one scenario after the other:

  bare view          /gezond/ in the same process: the ceiling for a Django request here
  every public page  home, themes, dossier, community, contribution, agenda, meetup, profile,
                     article and search results for a common word: anonymous (served from the
                     page cache) and logged in as a demo member (rendered)
  ... cache off      home and dossier anonymous again with ANONYMOUS_PAGE_CACHE_SECONDS=0

BENCH_PAGES (comma-separated names from `PAGES`) measures only those pages, for a quick look.
BENCH_SHORT=1 is the short mode (`make bench BENCH_SHORT=1`): 2 s per scenario after a 1 s warm-up
instead of 10 s after 2 s, so every page still shows up in the table in about two minutes; for
checking that the benchmark runs, or a rough look on a busy machine, not for the numbers.

A plain script rather than a management command, because it chooses the database and cache
before Django reads its settings: PostgreSQL `kc_bench` when it answers, else a SQLite file, said
in the output, and Redis, which production settings require. It never touches the site's own
database.

Environment: BENCH_DATABASE_URL (set it empty to force the SQLite fallback), BENCH_REDIS_URL,
BENCH_SECONDS (per scenario, default 10), BENCH_CONNECTIONS (default 8), BENCH_WORKERS
(default 2 x cores). wrk and gunicorn share the machine, so the ratios mean more than the
absolute numbers; the CPU time per request of the gunicorn workers is the steadiest figure when
other work shares the cores.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEMO_USER = "henk@example.org"

SHORT = os.environ.get("BENCH_SHORT", "") not in ("", "0")
SECONDS = int(os.environ.get("BENCH_SECONDS", "2" if SHORT else "10"))
WARM_UP_SECONDS = 1 if SHORT else 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
CORES = os.cpu_count() or 1
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * CORES)))
THREADS = max(1, min(CORES, CONNECTIONS))
# A word that many demo contributions, communities and meetups hold: a search with a full page
# of results and facets, the common case.
SEARCH_WORD = "samen"
# The public pages, in the order of the table.
PAGES = (
    "home",
    "themes",
    "dossier",
    "community",
    "contribution",
    "agenda",
    "meetup",
    "profile",
    "article",
    "search",
)
# Pages every anonymous visitor gets from the page cache (ANONYMOUS_PAGE_CACHE_VIEWS): when one
# of them is not, the benchmark stops, as that is a regression. Search is rendered for anonymous
# visitors too (every query would be a key of its own) and the table says so.
CACHED_PAGES = set(PAGES) - {"search"}


# --- Choosing the services, before Django starts ----------------------------------------------


def postgres_ready(url: str) -> bool:
    """Create the benchmark database when the server answers; False when it does not."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(server, connect_timeout=3, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"PostgreSQL not reachable ({error.__class__.__name__}); falling back to SQLite.")
        return False
    return True


def redis_ready(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except redis.RedisError as error:
        print(f"Redis not reachable ({error.__class__.__name__}); falling back to local memory.")
        return False


def bench_environment() -> tuple[dict[str, str], str, str]:
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    if not (database_url and postgres_ready(database_url)):
        VAR.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{VAR / 'bench.sqlite3'}"
    if not (redis_url and redis_ready(redis_url)):
        # Production settings refuse to start without REDIS_URL, and a site without its shared
        # cache is not the one we measure.
        sys.exit(
            "make bench runs production settings, which need Redis: none answers at "
            f"{redis_url or '(BENCH_REDIS_URL not set)'}. "
            "Start redis-server or set BENCH_REDIS_URL."
        )
    env = {
        "DJANGO_SETTINGS_MODULE": "kenniscloud.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(VAR / "static"),
        "DJANGO_MEDIA_ROOT": str(VAR / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "kc-bench",
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_URL": "consolemail://",
        "KENNISCLOUD_SITE_URL": "http://127.0.0.1",
        "ANONYMOUS_PAGE_CACHE_SECONDS": "300",
    }
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite (fallback)"
    cache = "Redis"
    return env, database, cache


# --- Preparing the data, with Django ----------------------------------------------------------


def prepare() -> tuple[str, dict[str, str]]:
    """Migrate, load the demo, collect static files. Returns a session id of a demo member and
    the address of each public page, picked from the demo content."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from communities.models import User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    client.force_login(User.objects.get(email=DEMO_USER))
    session_id = client.cookies["sessionid"].value
    pages = public_pages()
    connections.close_all()  # the workers open their own
    return session_id, pages


def public_pages() -> dict[str, str]:
    """The busiest public example of each kind of page: what a visitor most likely lands on."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from communities.models import Community, Theme, User
    from knowledge.models import ArticlePage, Contribution
    from meetups.models import Meetup

    public = ~Q(community__visibility=Community.Visibility.PRIVATE)
    theme = _theme_with_dossier() or Theme.objects.order_by("pk").first()
    community = (
        Community.objects.exclude(visibility=Community.Visibility.PRIVATE)
        .annotate(n=Count("contributions"))
        .order_by("-n", "pk")
        .first()
    )
    contribution = (
        Contribution.objects.filter(public, status=Contribution.Status.PUBLISHED)
        .annotate(n=Count("comments"))
        .order_by("-n", "pk")
        .first()
    )
    meetup = (
        Meetup.objects.filter(
            public | Q(community__isnull=True),
            status=Meetup.Status.PUBLISHED,
            starts_at__gt=timezone.now(),
        )
        .order_by("starts_at", "pk")
        .first()
    )
    author = (
        User.objects.filter(profile_hidden=False, is_active=True)
        .annotate(n=Count("contributions", filter=Q(contributions__status="published")))
        .order_by("-n", "pk")
        .first()
    )
    article = ArticlePage.objects.live().public().order_by("pk").first()
    return {
        "home": "/",
        "themes": "/themas/",
        "dossier": f"/themas/{theme.slug}/",
        "community": community.get_absolute_url(),
        "contribution": contribution.get_absolute_url(),
        "agenda": "/bijeenkomsten/",
        "meetup": meetup.get_absolute_url(),
        "profile": author.get_absolute_url(),
        "article": article.url,
        "search": f"/zoeken/?q={SEARCH_WORD}",
    }


def _theme_with_dossier():
    try:
        from knowledge.models import ThemeDossier
    except ImportError:
        return None
    dossier = ThemeDossier.objects.filter(live=True, theme__isnull=False).select_related("theme")
    first = dossier.order_by("pk").first()
    return first.theme if first else None


# --- Serving and measuring --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as in docker-compose.yml (sync workers), on loopback."""

    def __init__(self, env: dict[str, str], **overrides: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "kenniscloud.wsgi",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{self.port}",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env, **overrides})
        self._wait()

    def _wait(self) -> None:
        for _attempt in range(100):
            try:
                fetch(self.base + "/gezond/")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not come up")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers used so far; Linux only, else NaN.

        Unlike requests per second, this hardly moves when other processes share the cores.
        """
        ticks = 0
        try:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # the process ended meanwhile
                if int(fields[1]) == self.process.pid:  # ppid: a worker of ours
                    ticks += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            return float("nan")
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def fetch(url: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


@dataclass
class Result:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # per request, in the gunicorn workers
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def wrk(server: Server, label: str, path: str, cookie: str = "") -> Result:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    # A generous timeout: on a busy machine a slow page is measured, not dropped as an error.
    base = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "--timeout=30s", "--latency", *headers]
    url = server.base + path
    subprocess.run([*base, f"-d{WARM_UP_SECONDS}s", url], check=True, capture_output=True)
    cpu_before = server.cpu_seconds()
    output = subprocess.run(
        [*base, f"-d{SECONDS}s", url], check=True, capture_output=True, text=True
    ).stdout
    cpu = server.cpu_seconds() - cpu_before
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses:|timeout)\s*(\d+)", output)
    )
    result = Result(
        label=label,
        requests_per_second=float(rps.group(1)) if rps else 0.0,
        p50_ms=_latency(output, "50"),
        p99_ms=_latency(output, "99"),
        cpu_ms=cpu * 1000 / int(total.group(1)) if total and int(total.group(1)) else float("nan"),
        errors=errors,
    )
    print(f"  {label:<36} {result.requests_per_second:>9.0f} req/s", flush=True)
    return result


def check(url: str, *, cookie: str = "", cached: bool | None, logged_in: bool) -> bool:
    """A few requests first: a benchmark of an error page or of the wrong visitor is worthless.
    Returns whether the page came from the page cache; `cached` None only reports that.

    With the local-memory fallback each worker has its own cache, so a hit may take a request
    per worker to show.
    """
    hits = 0
    for _attempt in range(2 * WORKERS + 2):
        status, headers, body = fetch(url, cookie)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        if logged_in != ("/accounts/logout/" in body):
            raise SystemExit(f"{url}: expected logged_in={logged_in}")
        hits += headers.get("X-Page-Cache") == "hit"
    if cached is not None and bool(hits) != cached:
        raise SystemExit(f"{url}: expected the page cache {'on' if cached else 'off'}")
    return bool(hits)


def main() -> int:
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt install wrk (Debian/Ubuntu).", file=sys.stderr)
        return 1
    env, database, cache = bench_environment()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(f"Preparing the benchmark database ({database}), demo content and static files...")
    session_id, pages = prepare()
    pages = chosen_pages(pages, os.environ.get("BENCH_PAGES", ""))
    cookie = f"sessionid={session_id}"
    print(
        f"gunicorn: {WORKERS} sync workers on 127.0.0.1; wrk: {THREADS} threads, {CONNECTIONS} "
        f"connections, {SECONDS} s per scenario; {CORES} cores shared by both; {load()}.\n"
        f"Database: {database}. Cache: {cache}. Pages:\n"
        + "".join(f"  {name:<13} {url}\n" for name, url in pages.items())
    )
    results = []
    server = Server(env)
    try:
        from_cache = {}
        for name, url in pages.items():
            expected = True if name in CACHED_PAGES else None
            from_cache[name] = check(server.base + url, cached=expected, logged_in=False)
            check(server.base + url, cookie=cookie, cached=False, logged_in=True)
        results.append(wrk(server, "bare view /gezond/", "/gezond/"))
        for name, url in pages.items():
            how = "anonymous, page cache" if from_cache[name] else "anonymous, rendered"
            results.append(wrk(server, f"{name}, {how}", url))
        for name, url in pages.items():
            results.append(wrk(server, f"{name}, logged in", url, cookie))
    finally:
        server.stop()
    uncached = {name: url for name, url in pages.items() if name in ("home", "dossier")}
    if uncached:
        server = Server(env, ANONYMOUS_PAGE_CACHE_SECONDS="0")
        try:
            for name, url in uncached.items():
                check(server.base + url, cached=False, logged_in=False)
                results.append(wrk(server, f"{name}, anonymous, cache off", url))
        finally:
            server.stop()
    print_table(results)
    print(f"After the run: {load()}.")
    if SHORT:
        print(f"Short mode (BENCH_SHORT): {SECONDS} s per scenario; a check, not a measurement.")
    return 1 if any(r.errors for r in results) else 0


def chosen_pages(pages: dict[str, str], names: str) -> dict[str, str]:
    """The pages BENCH_PAGES names (all when empty), in the order of the table; a misspelt name
    stops the run rather than silently measuring less."""
    chosen = {name.strip() for name in names.split(",") if name.strip()}
    unknown = chosen - set(pages)
    if unknown:
        raise SystemExit(
            f"BENCH_PAGES: unknown page(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(pages)}"
        )
    return {name: url for name, url in pages.items() if not chosen or name in chosen}


def load() -> str:
    """The machine's load, printed beside the numbers: other work on the cores moves req/s."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def print_table(results: list[Result]) -> None:
    bare = results[0].requests_per_second or 1.0
    print()
    print(
        f"{'scenario':<36} {'req/s':>9} {'vs bare':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'CPU ms/req':>11} {'errors':>7}"
    )
    for r in results:
        print(
            f"{r.label:<36} {r.requests_per_second:>9.0f} {r.requests_per_second / bare:>8.2f} "
            f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.cpu_ms:>11.2f} {r.errors:>7}"
        )
    print(
        "CPU ms/req: user + system time of the gunicorn workers per request; PostgreSQL and "
        "Redis not included.\nGoals (issue 13): anonymous >= 0.5x the bare view, logged in "
        ">= 0.15x and none below 0.10x."
    )


if __name__ == "__main__":
    sys.exit(main())
