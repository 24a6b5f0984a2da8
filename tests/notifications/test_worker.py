"""Digests with the real thing: Redis as broker, a `celery worker` process, PostgreSQL, SMTP.

The worker runs `tests.notifications.worker_settings` (production broker options and time
limits) against pytest's test database. The tests count what every member really received:
after a period is planned twice (mail written to files, `tests.notifications.mailbox`), and
after the worker is killed with SIGKILL while it sends to an SMTP server on loopback that takes
50 ms to accept each message (`tests.notifications.smtp_sink`), restarted, and swept.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from communities.models import User
from kenniscloud.celery import app
from notifications import delivery, services
from notifications.models import DigestDelivery
from notifications.tasks import digest_plan
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ContributionFactory
from tests.notifications.factories import current_period
from tests.notifications.mailbox import delivered
from tests.notifications.smtp_sink import SmtpSink

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
MAIL_DELAY = 0.3
FINAL = {DigestDelivery.State.SENT, DigestDelivery.State.SKIPPED, DigestDelivery.State.FAILED}


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Starts `celery -A kenniscloud worker` processes, each in its own process group."""

    def __init__(self, tmp_path: Path, **env: str):
        self.queue = f"kc-test-digest-{uuid.uuid4().hex[:10]}"
        self.maildir = tmp_path / "mail"
        self.maildir.mkdir()
        self.logdir = tmp_path
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "KC_TEST_QUEUE": self.queue,
            "KC_TEST_MAILDIR": str(self.maildir),
            "KC_TEST_MAIL_DELAY": str(MAIL_DELAY),
            "DJANGO_LOG_LEVEL": "WARNING",
            **env,
        }

    def start(self, concurrency: int = 1) -> subprocess.Popen:
        n = len(self.processes)
        log = (self.logdir / f"worker-{n}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kenniscloud",
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{n}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool children die with it
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.logdir.glob("worker-*.log")))


def _forget_unacked(channel, queue: str) -> None:
    """Drop the killed worker's unacknowledged messages of `queue` from Redis, so that no later
    worker on this Redis database restores them to a queue nobody reads."""
    client = channel.client
    for tag, payload in client.hgetall(channel.unacked_key).items():
        _message, _exchange, routing_key = json.loads(payload)
        if routing_key == queue:
            client.hdel(channel.unacked_key, tag)
            client.zrem(channel.unacked_index_key, tag)


@pytest.fixture
def workers(tmp_path):
    # This process publishes to the real broker instead of running tasks in process, to the
    # workers' queue (the sweep below queues from here).
    eager, queue = app.conf.task_always_eager, app.conf.task_default_queue
    pool = Workers(tmp_path)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = pool.queue
    try:
        yield pool
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = eager, queue
        pool.stop_all()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(pool.queue)
            _forget_unacked(conn.default_channel, pool.queue)


def _population(members: int, quiet: int = 0) -> list:
    """`members` members with news in their community, and `quiet` ones without."""
    busy = CommunityFactory()
    ContributionFactory(community=busy, title="Repaircafé zoekt vrijwilligers")
    users = [MembershipFactory(community=busy).user for _n in range(members)]
    silent = CommunityFactory()
    users += [MembershipFactory(community=silent).user for _n in range(quiet)]
    return users


def _wait_until_the_dead_release_their_locks(timeout: float = 30) -> None:
    """Until no other database session holds a lock on the delivery table (a session that
    locked rows also holds a row-share or row-exclusive lock on their table)."""
    table = DigestDelivery._meta.db_table
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = %s AND l.pid <> pg_backend_pid()",
                [table],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"another session still holds locks on {table} after {timeout}s")


def _wait_until_done(workers: Workers, period_key: str, timeout: float = 60):
    """Until every member (the contributions' authors too) has a finished delivery."""
    expected = User.objects.count()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = list(
            DigestDelivery.objects.filter(period_key=period_key).values_list("state", flat=True)
        )
        # Marked sent only after the mail file is written: final states mean all arrived.
        if len(states) == expected and set(states) <= FINAL:
            return
        time.sleep(0.2)
    raise AssertionError(
        f"deliveries not done within {timeout}s: "
        f"{list(DigestDelivery.objects.values_list('state', flat=True))}\n{workers.logs()}"
    )


def test_a_period_planned_twice_sends_each_member_one_digest(workers):
    users = _population(members=8, quiet=2)
    period = current_period()
    workers.env["KC_TEST_BATCH_SIZE"] = "4"  # several batches, on two processes
    workers.start(concurrency=2)

    digest_plan.apply_async((period.key,), queue=workers.queue)
    digest_plan.apply_async((period.key,), queue=workers.queue)

    _wait_until_done(workers, period.key)
    assert delivered(workers.maildir) == {u.email: 1 for u in users[:8]}
    states = DigestDelivery.objects.filter(period_key=period.key).values_list("state", flat=True)
    assert sorted(states) == ["sent"] * 8 + ["skipped"] * 3  # the quiet ones and the author


SMTP_DELAY = 0.05  # seconds the mail server takes to accept a message
MEMBERS = 400  # three batches of at most 200: two sending at the kill, one still queued
CONCURRENCY = 2  # worker processes: each can have one message in flight when killed


def test_a_worker_killed_while_it_sends_loses_nothing_and_duplicates_only_what_was_in_flight(
    workers,
):
    users = _population(members=MEMBERS)
    period = current_period()
    with SmtpSink(delay=SMTP_DELAY) as sink:
        workers.env["KC_TEST_EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
        first = workers.start(concurrency=CONCURRENCY)
        digest_plan.apply_async((period.key,), queue=workers.queue)

        # SIGKILL once a quarter went out, while the server takes a message in from each process.
        assert sink.wait_for(
            lambda s: len(s.messages) >= MEMBERS // 4 and s.in_flight >= CONCURRENCY, timeout=90
        ), workers.logs()
        in_flight = sink.in_flight
        workers.kill(first)
        killed_at = time.monotonic()
        before = sum(sink.delivered().values())
        open_rows = DigestDelivery.objects.filter(
            period_key=period.key, state__in=DigestDelivery.OPEN_STATES
        )
        left, leased = open_rows.count(), open_rows.filter(claimed_at__isnull=False).count()
        assert before < MEMBERS and leased > 0

        # Redis keeps the dead batches' messages for its visibility timeout (5 minutes); the
        # beat sweep takes their rows as soon as their lease is stale. This is the sweep as it
        # runs then: the clock is moved, not the production settings. The batch nobody started
        # is still in the queue; the restarted worker takes it and the sweep's batches.
        # The sweep skips rows a live sender holds locked; the killed processes' database
        # sessions hold theirs until PostgreSQL notices the dead clients (a moment, longer on a
        # busy machine). Production's next sweep, 2 minutes on, takes what this one skipped;
        # the test sweeps once, so it waits for the locks to go first.
        _wait_until_the_dead_release_their_locks()
        later = timezone.now() + delivery.CLAIM_STALE_AFTER + dt.timedelta(seconds=1)
        requeued = services.digest_requeue_stale(now=later)
        workers.start(concurrency=CONCURRENCY)
        _wait_until_done(workers, period.key)
        waited = time.monotonic() - killed_at

    received = sink.delivered()
    lost = [u.email for u in users if received[u.email] == 0]
    duplicates = sum(n - 1 for n in received.values())
    print(
        f"\nkilled after {before} of {MEMBERS} mails with {in_flight} in flight; {left} left "
        f"open, {requeued} re-queued by the sweep; done {waited:.1f}s after the kill; "
        f"{duplicates} duplicates; {sink.connections} SMTP connections"
    )
    assert requeued == leased
    assert lost == []
    assert set(received) == {u.email for u in users}
    assert duplicates <= CONCURRENCY
    assert waited < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    states = DigestDelivery.objects.filter(period_key=period.key).values_list("state", flat=True)
    assert sorted(states) == ["sent"] * MEMBERS + ["skipped"]  # and the author: own news
    # One SMTP connection per batch task: the three planned, then the sweep's.
    batch = getattr(settings, "DIGEST_BATCH_SIZE", 200)
    assert sink.connections <= 3 + math.ceil(requeued / batch)
