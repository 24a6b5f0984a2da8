"""A mail server that stops answering, slow batches and dead senders: bounded waits, no lost mail.

The real SMTP backend talks to `SmtpSink` on loopback. The kill test with a real worker is in
test_worker.py.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from kenniscloud.celery import app
from notifications import delivery, services, tasks
from notifications.models import DigestDelivery
from tests.knowledge.factories import ContributionFactory
from tests.notifications.factories import DeliveryFactory
from tests.notifications.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
State = DigestDelivery.State


@pytest.fixture
def news(community, host):
    return ContributionFactory(community=community, author=host, title="Wie heeft zonnepanelen?")


@pytest.fixture
def smtp(settings):
    """Point Django's real SMTP backend at a sink; `smtp(sink)` switches to another sink."""

    def use(sink: SmtpSink) -> SmtpSink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        return sink

    return use


# --- configuration ------------------------------------------------------------------------------


def _smtp_backend_in_production(**environ: str) -> str:
    """The class and timeout of the mail backend that production settings build from `environ`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kenniscloud.settings.production",
        DJANGO_SECRET_KEY="a-test-key-that-is-long-and-random-enough-for-check-deploy-1234567",
        DJANGO_ALLOWED_HOSTS="kenniscloud.example.org",
        DATABASE_URL="postgres://kc@db.example.org:5432/kenniscloud",
        REDIS_URL="redis://redis.example.org:6379/0",
        KENNISCLOUD_SITE_URL="https://kenniscloud.example.org",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
        **environ,
    )
    code = (
        "import django; django.setup()\n"
        "from django.core.mail import get_connection\n"
        "c = get_connection()\n"
        "print(type(c).__module__, c.host, c.port, c.use_tls, c.timeout)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_smtp_backend_built_from_email_url_waits_at_most_email_timeout():
    assert _smtp_backend_in_production() == (
        "django.core.mail.backends.smtp smtp.example.org 587 True 10"
    )
    assert _smtp_backend_in_production(EMAIL_TIMEOUT="3").endswith(" 3")


MAIL_TASK_MODULES = ("notifications.tasks.", "meetups.tasks.", "communities.tasks.")


def test_every_mail_task_has_time_limits_below_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    tasks = {name: t for name, t in app.tasks.items() if name.startswith(MAIL_TASK_MODULES)}
    assert "notifications.tasks.digest_send_batch" in tasks and len(tasks) >= 20

    for name, task in tasks.items():
        assert task.soft_time_limit and task.time_limit, name
        assert task.soft_time_limit < task.time_limit < visibility, name
        # A countdown longer than the visibility timeout would be handed out twice.
        assert (getattr(task, "retry_backoff_max", 0) or 0) < visibility, name
        # A mail that retries on SMTP trouble retries when the server is too slow, too.
        if getattr(task, "autoretry_for", ()):
            assert SoftTimeLimitExceeded in task.autoretry_for, name
    # Jitter included, a digest retry waits less than the visibility timeout too.
    assert visibility > delivery.RETRY_MAX_SECONDS * 1.2
    # The sweep leaves a running batch and a waiting retry alone.
    assert delivery.CLAIM_STALE_AFTER.total_seconds() > max(
        delivery.BATCH_TIME_LIMIT, delivery.RETRY_MAX_SECONDS * 1.2
    )


def test_nothing_waits_longer_than_a_few_minutes_for_the_sweep():
    sweep = settings.CELERY_BEAT_SCHEDULE["digest-sweep"]
    assert sweep["task"] == "notifications.tasks.digest_sweep"
    assert delivery.CLAIM_STALE_AFTER + dt.timedelta(seconds=sweep["schedule"]) <= dt.timedelta(
        minutes=7
    )
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 10 * 60


# --- one connection per batch --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_sends_over_one_smtp_connection_and_commits_each_message(
    smtp, community, news, host
):
    from tests.communities.factories import MembershipFactory

    members = [MembershipFactory(community=community).user for _n in range(5)]
    rows = [DeliveryFactory(user=m) for m in members]

    with smtp(SmtpSink(delay=0.01)) as sink:
        result = delivery.digest_send_batch([r.pk for r in rows])

    assert sink.connections == 1
    assert sink.delivered() == {m.email: 1 for m in members}
    assert sorted(result.sent) == sorted(r.pk for r in rows)
    assert set(DigestDelivery.objects.values_list("state", flat=True)) == {State.SENT}


@pytest.mark.django_db
def test_a_server_that_hangs_up_after_some_messages_gets_the_rest_on_a_new_connection(
    smtp, community, news, host
):
    from tests.communities.factories import MembershipFactory

    members = [MembershipFactory(community=community).user for _n in range(5)]
    rows = [DeliveryFactory(user=m) for m in members]

    with smtp(SmtpSink(delay=0.01, hang_up_after=3)) as sink:
        result = delivery.digest_send_batch([r.pk for r in rows])

    assert sink.connections == 2
    assert sink.delivered() == {m.email: 1 for m in members}
    assert result.retry == {}
    assert set(DigestDelivery.objects.values_list("state", flat=True)) == {State.SENT}


# --- a mail server that never answers ------------------------------------------------------------


def _locked(pk: int) -> bool:
    """Whether another transaction holds the row lock of delivery `pk` (PostgreSQL)."""
    try:
        with transaction.atomic():
            DigestDelivery.objects.select_for_update(nowait=True).filter(pk=pk).exists()
    except DatabaseError:
        return True
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_never_answers_releases_the_lock_and_the_delivery_stays_retryable(
    smtp, settings, community, news, membership, member
):
    # EMAIL_TIMEOUT as configured (10 s): the test waits for it.
    row = DeliveryFactory(user=member)
    outcome: dict = {}

    def send():
        try:
            outcome["result"] = delivery.digest_send_batch([row.pk])
        finally:
            connections.close_all()

    sink = smtp(SmtpSink(silent=True)).__enter__()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        assert sink.wait_for(lambda s: s.connections == 1)
        assert _locked(row.pk)  # the sender holds the row while it waits for the server
        sender.join(timeout=20)
        assert not sender.is_alive(), "the sender still waits for a silent mail server"
        assert settings.EMAIL_TIMEOUT == 10
    finally:
        sink.stop()  # hang up: a sender without a timeout is released here
        sender.join(timeout=10)

    assert not _locked(row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.PENDING, 1)
    assert "timed out" in row.last_error
    assert outcome["result"].retry == {row.pk: 1}  # queued again with backoff

    with smtp(SmtpSink()) as answering:  # the server is back: the retry delivers
        delivery.digest_send_batch([row.pk])

    row.refresh_from_db()
    assert row.state == State.SENT
    assert answering.delivered() == {member.email: 1}


# --- the sweep ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_requeues_deliveries_whose_sender_is_gone_and_leaves_the_rest(
    community, news, django_capture_on_commit_callbacks
):
    from tests.communities.factories import MembershipFactory

    now = timezone.now()
    ago = lambda minutes: now - dt.timedelta(minutes=minutes)  # noqa: E731

    def row(**fields):
        user = MembershipFactory(community=community).user
        return DeliveryFactory(user=user, **fields)

    died_sending = row(state=State.SENDING, attempts=1, claimed_at=ago(6))
    died_waiting = row(claimed_at=ago(6))  # leased by a batch that died before reaching it
    lost_task = row()
    running = row(state=State.SENDING, attempts=1, claimed_at=ago(1))
    in_its_batch = row(claimed_at=ago(1))
    just_planned = row()
    done = row(state=State.SENT, claimed_at=ago(60))
    DigestDelivery.objects.filter(pk=lost_task.pk).update(created_at=ago(31))
    DigestDelivery.objects.filter(pk=just_planned.pk).update(created_at=ago(5))

    with django_capture_on_commit_callbacks(execute=True):  # eager: the batches run here
        assert services.digest_requeue_stale(now=now) == 3

    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert sent_to == sorted(r.user.email for r in (died_sending, died_waiting, lost_task))
    states = dict(DigestDelivery.objects.values_list("pk", "state"))
    assert [states[r.pk] for r in (running, in_its_batch, just_planned, done)] == [
        State.SENDING,
        State.PENDING,
        State.PENDING,
        State.SENT,
    ]


# --- a batch that hits its time limit ------------------------------------------------------------


class SlowServerBackend(EmailBackend):
    """Delivers, except that the batch's soft time limit strikes during the second message."""

    calls = 0

    def send_messages(self, messages):
        SlowServerBackend.calls += 1
        if SlowServerBackend.calls == 2:
            raise SoftTimeLimitExceeded()
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_batch_that_hits_its_time_limit_hands_the_rest_to_a_new_task(
    settings, community, news, host
):
    from tests.communities.factories import MembershipFactory

    settings.EMAIL_BACKEND = f"{__name__}.SlowServerBackend"
    SlowServerBackend.calls = 0
    members = [MembershipFactory(community=community).user for _n in range(3)]
    rows = [DeliveryFactory(user=m) for m in members]

    summary = tasks.digest_send_batch([r.pk for r in rows])  # eager: the new task runs here

    assert summary == {"requeued": 2}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    attempts = dict(DigestDelivery.objects.values_list("user_id", "attempts"))
    assert [attempts[m.pk] for m in members] == [1, 2, 1]  # the second was in flight
    assert set(DigestDelivery.objects.values_list("state", flat=True)) == {State.SENT}
