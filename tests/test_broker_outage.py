"""With the Celery broker (Redis) down, a request that queues a task still answers, and the task
is kept in the database and queued once the broker is back: nothing is lost.

The broker is a loopback port nobody listens on; the machine's Redis is never stopped. The
requests commit for real (transactional tests), so `delay_on_commit` publishes inside the
request as in production.
"""

from __future__ import annotations

import logging

import pytest
from celery.contrib.django.task import DjangoTask
from django.core import mail
from django.test import Client

from kenniscloud.celery import app
from kenniscloud.common.models import UnsentTask
from kenniscloud.common.publish import FailSoftTask
from kenniscloud.common.tasks import unsent_tasks_resend
from knowledge.models import Comment
from notifications.models import Notification
from tests.communities.factories import MembershipFactory, UserFactory
from tests.knowledge.factories import ContributionFactory
from tests.redis_switch import dead_port

pytestmark = pytest.mark.django_db(transaction=True)


def _use_broker(url: str | None, *, eager: bool) -> None:
    app.conf.broker_url = url
    app.conf.task_always_eager = eager
    # Celery keeps its connection and producer pools per app: start from new ones.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    before = app.conf.broker_url, app.conf.task_always_eager
    _use_broker(f"redis://127.0.0.1:{dead_port()}/0", eager=False)
    yield
    _use_broker(*before[:1], eager=before[1])


def broker_back() -> None:
    """The broker answers again; here the tasks run in process, as a worker would run them."""
    _use_broker("memory://", eager=True)


@pytest.fixture
def discussion(community):
    author = MembershipFactory(community=community, user__display_name="Anna Auteur").user
    replier = MembershipFactory(community=community, user__display_name="Ruben Reageerder").user
    contribution = ContributionFactory(community=community, author=author, title="Warmtecamera?")
    return contribution, replier


def test_a_comment_is_saved_and_its_notifications_follow_when_the_broker_is_back(
    discussion, broker_down, caplog
):
    contribution, replier = discussion
    client = Client()
    client.force_login(replier)

    response = client.post(f"/bijdragen/{contribution.pk}/reacties/", {"body": "Ik heb er een."})

    assert response.status_code == 302
    comment = Comment.objects.get(contribution=contribution)
    kept = UnsentTask.objects.get()
    assert (kept.name, kept.args) == ("notifications.tasks.comment_posted_notify", [comment.pk])
    assert "could not queue task notifications.tasks.comment_posted_notify" in caplog.text
    assert not Notification.objects.filter(recipient=contribution.author).exists()

    unsent_tasks_resend()  # still down: kept for the next run
    assert UnsentTask.objects.count() == 1

    broker_back()
    assert unsent_tasks_resend() == 1

    assert not UnsentTask.objects.exists()
    notification = Notification.objects.get(recipient=contribution.author)
    assert notification.comment == comment


def test_without_fail_soft_queueing_the_saved_comment_answers_500(
    discussion, broker_down, monkeypatch
):
    """What FailSoftTask prevents: Celery's own delay_on_commit raises after the commit."""
    monkeypatch.setattr(FailSoftTask, "delay_on_commit", DjangoTask.delay_on_commit)
    contribution, replier = discussion
    client = Client(raise_request_exception=False)
    client.force_login(replier)

    response = client.post(f"/bijdragen/{contribution.pk}/reacties/", {"body": "Ik heb er een."})

    assert response.status_code == 500
    assert Comment.objects.filter(contribution=contribution).exists()  # saved all the same


def test_signing_up_answers_and_the_confirmation_mail_follows_when_the_broker_is_back(
    broker_down, db
):
    client = Client()

    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "Nina Nieuw",
            "email": "nina@example.org",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 302
    assert mail.outbox == []
    assert UnsentTask.objects.get().name == "kenniscloud.common.tasks.account_mail_send"

    broker_back()
    unsent_tasks_resend()

    [message] = mail.outbox
    assert message.to == ["nina@example.org"]
    assert "/accounts/confirm-email/" in message.body


def test_a_publish_that_fails_costs_well_under_a_second(broker_down, db, caplog):
    import time

    caplog.set_level(logging.ERROR, logger="kenniscloud.common.publish")
    user = UserFactory()
    started = time.monotonic()

    Client().post("/accounts/password/reset/", {"email": user.email})

    assert time.monotonic() - started < 1.5
    assert UnsentTask.objects.get().name == "kenniscloud.common.tasks.account_mail_send"
    assert len(caplog.records) == 1


@pytest.mark.redis
def test_signing_up_does_not_wait_for_the_mail_server(settings, db):
    """The confirmation mail goes through the broker; a mail server that is down costs the
    sign-up nothing (before, allauth sent it in the request: a refused SMTP connection was a
    500 for a member who was already created)."""
    import uuid

    import redis

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", dead_port()
    queue = f"kc-test-signup-{uuid.uuid4().hex[:10]}"
    before = app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue
    _use_broker(settings.REDIS_URL, eager=False)
    app.conf.task_default_queue = queue
    try:
        response = Client().post(
            "/accounts/signup/",
            {
                "display_name": "Nina Nieuw",
                "email": "nina@example.org",
                "password1": "een-lang-wachtwoord-42",
                "password2": "een-lang-wachtwoord-42",
                "accept_terms": "on",
            },
        )
    finally:
        _use_broker(before[0], eager=before[1])
        app.conf.task_default_queue = before[2]
        queued = redis.Redis.from_url(settings.REDIS_URL)
        waiting = queued.llen(queue)
        queued.delete(queue)

    assert response.status_code == 302
    assert waiting == 1
    assert not UnsentTask.objects.exists()
