"""Exactly once with the real thing: Redis as broker, a `celery worker` process, PostgreSQL.

The worker runs `tests.notifications.worker_settings` against pytest's test database and writes
each mail it "sends" to a file (`tests.notifications.mailbox`), so the test counts what every
member really received: after a period is planned twice, and after the worker is killed with
SIGKILL in the middle of sending and started again.
"""

from __future__ import annotations

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

from communities.models import User
from kenniscloud.celery import app
from notifications.models import DigestDelivery
from notifications.tasks import digest_plan
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ContributionFactory
from tests.notifications.factories import current_period
from tests.notifications.mailbox import delivered, in_flight

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

    def __init__(self, tmp_path: Path):
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


@pytest.fixture
def workers(tmp_path):
    # This process publishes to the real broker instead of running tasks in process.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    pool = Workers(tmp_path)
    try:
        yield pool
    finally:
        app.conf.task_always_eager = eager
        pool.stop_all()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(pool.queue)


def _population(members: int, quiet: int = 0) -> list:
    """`members` members with news in their community, and `quiet` ones without."""
    busy = CommunityFactory()
    ContributionFactory(community=busy, title="Repaircafé zoekt vrijwilligers")
    users = [MembershipFactory(community=busy).user for _n in range(members)]
    silent = CommunityFactory()
    users += [MembershipFactory(community=silent).user for _n in range(quiet)]
    return users


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
    workers.start(concurrency=2)

    digest_plan.apply_async((period.key,), queue=workers.queue)
    digest_plan.apply_async((period.key,), queue=workers.queue)

    _wait_until_done(workers, period.key)
    assert delivered(workers.maildir) == {u.email: 1 for u in users[:8]}
    states = DigestDelivery.objects.filter(period_key=period.key).values_list("state", flat=True)
    assert sorted(states) == ["sent"] * 8 + ["skipped"] * 3  # the quiet ones and the author


def _kill_while_a_mail_is_in_flight(workers: Workers, process, after: int) -> None:
    """SIGKILL once `after` mails arrived and the next one is halfway its SMTP talk."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(list(workers.maildir.glob("*.eml"))) >= after:
            fresh = [
                marker
                for marker in in_flight(workers.maildir)
                if time.time() - marker.stat().st_mtime < MAIL_DELAY / 3
            ]
            if fresh:
                workers.kill(process)
                return
        time.sleep(0.01)
    raise AssertionError(f"no mail in flight to kill the worker on\n{workers.logs()}")


def test_a_worker_killed_mid_run_loses_nothing_and_duplicates_nothing(workers):
    users = _population(members=12)
    period = current_period()
    first = workers.start(concurrency=1)
    digest_plan.apply_async((period.key,), queue=workers.queue)

    _kill_while_a_mail_is_in_flight(workers, first, after=3)

    arrived = delivered(workers.maildir)
    assert 3 <= sum(arrived.values()) < 12
    # Killed in the middle of sending: the claimed delivery is left 'sending'.
    interrupted = DigestDelivery.objects.get(period_key=period.key, state="sending")

    workers.start(concurrency=1)
    _wait_until_done(workers, period.key)

    assert delivered(workers.maildir) == {u.email: 1 for u in users}
    interrupted.refresh_from_db()
    assert (interrupted.state, interrupted.attempts) == ("sent", 2)
    assert DigestDelivery.objects.filter(period_key=period.key, state="sent").count() == 12
