"""Benchmark: build the weekly digests of a generated population of 100 000 members.

    python manage.py bench_digest [--members 100000] [--communities 300] [--regenerate]

Needs PostgreSQL (DATABASE_URL). Works in its own database (`kc_bench_digest` unless
--database says otherwise), created and migrated when missing, so the real data is never touched.
The population is generated once with COPY and reused by later runs (--regenerate makes it anew).

Measured, SMTP excluded: planning (one DigestDelivery per member) and building every digest
into a complete email (subject, text, HTML, headers), with the wall time, the peak memory
(ru_maxrss of this process) and the number of queries.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import time
from contextlib import contextmanager

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community, Library, Membership, Region, Theme, User
from knowledge.models import Comment, Contribution
from meetups.models import Meetup
from notifications import services
from notifications.digest import DigestBuilder
from notifications.mail import DigestRenderer
from notifications.models import (
    CommunityFollow,
    DigestDelivery,
    NotificationPreferences,
    RegionFollow,
    ThemeFollow,
)
from notifications.periods import Period
from notifications.selectors import digest_recipients

CHUNK = 2000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _template(model, now) -> dict:
    """A value for every concrete column: the field default, else NULL, '' or now."""
    values = {}
    for f in model._meta.concrete_fields:
        if isinstance(f, models.AutoField):
            continue
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif isinstance(f, models.DateTimeField):
            value = now
        else:
            value = ""
        values[f.column] = value
    return values


def copy_rows(model, rows, now) -> int:
    """COPY `rows` (dicts of column overrides) into `model`'s table. Returns the row count."""
    template = _template(model, now)
    columns = list(template)
    count = 0
    with connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                merged = {**template, **row}
                copy.write_row([merged[c] for c in columns])
                count += 1
    return count


class Command(BaseCommand):
    help = "Generate 100 000 members in a separate PostgreSQL database and build their digests."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=100_000)
        parser.add_argument("--communities", type=int, default=300)
        parser.add_argument("--database", default="kc_bench_digest")
        parser.add_argument("--regenerate", action="store_true")
        parser.add_argument("--seed", type=int, default=20250310)
        parser.add_argument(
            "--mime",
            action="store_true",
            help="also encode each email as MIME bytes, as the SMTP backend does when sending",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_digest needs PostgreSQL: set DATABASE_URL.")
        self._use_database(options["database"])
        if options["regenerate"] or User.objects.count() != options["members"]:
            started = time.perf_counter()
            self._generate(options["members"], options["communities"], options["seed"])
            self.stdout.write(f"generated population in {time.perf_counter() - started:.1f}s")
        self._bench(options["members"], options["mime"])

    # --- database --------------------------------------------------------------------------

    def _use_database(self, name: str) -> None:
        if name in ("kenniscloud", "test_kenniscloud"):
            raise CommandError(f"refusing to use the database {name!r}")
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
                self.stdout.write(f"created database {name}")
        connections["default"].close()
        connection.settings_dict["NAME"] = name
        self.stdout.write(f"database: {name}")
        call_command("migrate", verbosity=0, interactive=False)

    @transaction.atomic
    def _generate(self, n_members: int, n_communities: int, seed: int) -> None:
        rng = random.Random(seed)
        now = timezone.now()
        tables = [
            DigestDelivery,
            CommunityFollow,
            ThemeFollow,
            RegionFollow,
            NotificationPreferences,
            Comment,
            Contribution,
            Meetup,
            Membership,
            Community,
            Theme,
            Region,
            Library,
            User,
        ]
        with connection.cursor() as cursor:
            names = ", ".join(f'"{m._meta.db_table}"' for m in tables)
            cursor.execute(f"TRUNCATE {names}, account_emailaddress RESTART IDENTITY CASCADE")
        library = Library.objects.create(name="Bench", slug="bench", contact_email="b@example.org")
        regions = Region.objects.bulk_create(
            [Region(name=f"Regio {i}", slug=f"regio-{i}") for i in range(20)]
        )
        themes = Theme.objects.bulk_create(
            [Theme(title=f"Thema {i}", slug=f"thema-{i}", sort_order=i) for i in range(30)]
        )
        communities = Community.objects.bulk_create(
            [
                Community(
                    title=f"Gemeenschap {i}",
                    slug=f"gemeenschap-{i}",
                    description="Bench",
                    library=library,
                    region=rng.choice(regions),
                    visibility="private" if i % 10 == 0 else "open",
                )
                for i in range(n_communities)
            ]
        )
        Community.themes.through.objects.bulk_create(
            [
                Community.themes.through(community_id=c.pk, theme_id=t.pk)
                for c in communities
                for t in rng.sample(themes, 2)
            ]
        )
        password = make_password("bench-digest")
        region_ids = [r.pk for r in regions]
        copy_rows(
            User,
            (
                {
                    "password": password,
                    "email": f"lid{i}@bench.example.org",
                    "handle": f"lid-{i}",
                    "display_name": f"Lid {i}",
                    "region_id": region_ids[i % len(region_ids)],
                    "language": "en" if i % 7 == 0 else "nl",
                    "is_active": i % 200 != 0,
                }
                for i in range(n_members)
            ),
            now,
        )
        user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
        copy_rows(
            User._meta.apps.get_model("account", "EmailAddress"),
            (
                {
                    "user_id": pk,
                    "email": f"lid{i}@bench.example.org",
                    "verified": i % 20 != 0,
                    "primary": True,
                }
                for i, pk in enumerate(user_ids)
            ),
            now,
        )
        community_ids = [c.pk for c in communities]
        members_of: dict[int, list[int]] = {c: [] for c in community_ids}
        membership_rows = []
        for pk in user_ids:
            for community_id in rng.sample(community_ids, rng.choice((1, 2, 2, 3, 4))):
                members_of[community_id].append(pk)
                membership_rows.append(
                    {"user_id": pk, "community_id": community_id, "activated_at": now}
                )
        copy_rows(Membership, membership_rows, now)
        self._generate_content(rng, now, community_ids, members_of, region_ids)
        self._generate_preferences(rng, now, user_ids, members_of, themes, region_ids)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"{len(user_ids)} members, {len(community_ids)} communities, "
            f"{len(membership_rows)} memberships"
        )

    def _generate_content(self, rng, now, community_ids, members_of, region_ids) -> None:
        week = 6 * 24 * 3600
        rows = []
        for community_id in community_ids:
            for k in range(30):  # 20 this week, 10 older
                age = rng.randint(60, week) if k < 20 else rng.randint(week * 2, week * 8)
                created = now - dt.timedelta(seconds=age)
                rows.append(
                    {
                        "community_id": community_id,
                        "author_id": rng.choice(members_of[community_id] or [None]),
                        "title": f"Bijdrage {community_id}-{k}",
                        "body": "Wie weet hier meer van?",
                        "body_html": "<p>Wie weet hier meer van?</p>",
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        copy_rows(Contribution, rows, now)
        contributions = list(Contribution.objects.values_list("pk", "community_id"))
        comments = []
        for pk, community_id in contributions:
            for _k in range(rng.choice((0, 1, 2, 5, 8))):
                created = now - dt.timedelta(seconds=rng.randint(60, week))
                comments.append(
                    {
                        "contribution_id": pk,
                        "author_id": rng.choice(members_of[community_id] or [None]),
                        "body": "Ja!",
                        "body_html": "<p>Ja!</p>",
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        copy_rows(Comment, comments, now)
        meetups = []
        for community_id in community_ids:
            for _k in range(3):
                starts = now + dt.timedelta(hours=rng.randint(30, 24 * 20))
                meetups.append(
                    {
                        "community_id": community_id,
                        "title": f"Bijeenkomst {community_id}",
                        "description": "Bench",
                        "starts_at": starts,
                        "ends_at": starts + dt.timedelta(hours=2),
                        "status": "published",
                        "address": "Stationsstraat 1, Tilburg",
                        "created_at": now - dt.timedelta(days=rng.randint(0, 12)),
                    }
                )
        copy_rows(Meetup, meetups, now)
        self.stdout.write(f"{len(rows)} contributions, {len(comments)} comments")

    def _generate_preferences(self, rng, now, user_ids, members_of, themes, region_ids) -> None:
        preferences, mutes, theme_follows, region_follows = [], [], [], []
        member_communities: dict[int, list[int]] = {}
        for community_id, members in members_of.items():
            for pk in members:
                member_communities.setdefault(pk, []).append(community_id)
        for i, pk in enumerate(user_ids):
            if i % 10 == 0:
                preferences.append({"user_id": pk, "digest_frequency": "daily"})
            elif i % 20 == 1:
                preferences.append({"user_id": pk, "digest_frequency": "off"})
            if i % 10 == 2:
                mutes.append(
                    {"user_id": pk, "community_id": member_communities[pk][0], "level": "muted"}
                )
            if i % 5 == 3:
                theme_follows.append({"user_id": pk, "theme_id": rng.choice(themes).pk})
            if i % 10 == 4:
                region_follows.append({"user_id": pk, "region_id": rng.choice(region_ids)})
        copy_rows(NotificationPreferences, preferences, now)
        copy_rows(CommunityFollow, mutes, now)
        copy_rows(ThemeFollow, theme_follows, now)
        copy_rows(RegionFollow, region_follows, now)

    # --- the benchmark ---------------------------------------------------------------------

    @contextmanager
    def _measure(self, label: str):
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            yield
        self.stdout.write(
            f"{label}: {time.perf_counter() - started:.1f}s wall "
            f"({time.process_time() - cpu:.1f}s CPU in this process; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores), "
            f"{len(queries.captured_queries)} queries, peak RSS {_peak_mb():.0f} MB"
        )

    def _bench(self, n_members: int, mime: bool) -> None:
        period = Period("weekly", timezone.localdate() + dt.timedelta(days=1))
        self.stdout.write(
            f"period {period.key}: {period.start:%Y-%m-%d %H:%M} - {period.end:%H:%M}"
        )
        DigestDelivery.objects.filter(period_key=period.key).delete()
        queue = services._queue
        services._queue = lambda ids: None  # plan only; the build below is the send path
        try:
            with self._measure("plan (a pending delivery per recipient)"):
                services.digest_plan(period=period)
        finally:
            services._queue = queue
        self.stdout.write(
            f"  {DigestDelivery.objects.filter(period_key=period.key).count()} deliveries"
        )
        built = with_news = 0
        with self._measure(f"build {n_members} members' digests into emails (no SMTP)"):
            recipients = list(
                digest_recipients(period.frequency).order_by("pk").values_list("pk", flat=True)
            )
            builder = DigestBuilder(period)
            renderer = DigestRenderer()
            for start in range(0, len(recipients), CHUNK):
                digests = builder.build(recipients[start : start + CHUNK])
                for digest in digests.values():
                    built += 1
                    if digest.has_news:
                        message = renderer.message(digest, delivery_id=digest.recipient.pk)
                        if mime:  # what the SMTP backend does first; off by default
                            message.message().as_bytes()
                        with_news += 1
        self.stdout.write(f"  {built} digests built, {with_news} emails with news")
