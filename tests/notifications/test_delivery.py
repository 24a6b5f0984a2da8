"""Planning and sending digests: eligibility, exactly once, SMTP failures, the mail itself."""

from __future__ import annotations

import datetime as dt
import smtplib
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import timezone

from knowledge.models import Contribution
from notifications import delivery, services
from notifications.models import DigestDelivery, MailAddressStatus
from notifications.periods import Period
from notifications.tokens import unsubscribe_token
from tests.communities.factories import MembershipFactory, UserFactory
from tests.knowledge.factories import ContributionFactory
from tests.notifications.factories import DeliveryFactory, PreferencesFactory, current_period

pytestmark = pytest.mark.django_db

SENT = DigestDelivery.State.SENT


@pytest.fixture
def news(community, host):
    """Something new in the community, by its host."""
    return ContributionFactory(community=community, author=host, title="Wie heeft zonnepanelen?")


@pytest.fixture
def plan(django_capture_on_commit_callbacks):
    """Plan a period and run the send tasks it queues on commit (eager, in process)."""

    def run(period=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.digest_plan(period=period or current_period())

    return run


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_plan_and_send_gives_each_member_one_digest(plan, community, news, membership, member):
    period = current_period()

    plan(period)
    plan(period)  # the beat fired twice

    assert len(mails_to(member.email)) == 1
    assert DigestDelivery.objects.get(user=member, period_key=period.key).state == SENT
    assert DigestDelivery.objects.filter(user=member).count() == 1


def test_the_digest_mail_has_text_html_absolute_links_and_one_click_unsubscribe(
    plan, community, news, membership, member, settings
):
    settings.SITE_URL = "https://kenniscloud.example.org"
    plan(current_period())

    [message] = mails_to(member.email)
    token = unsubscribe_token(member.pk)
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<https://kenniscloud.example.org/uitschrijven/{token}/>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Wie heeft zonnepanelen?" in message.body
    assert f"https://kenniscloud.example.org/bijdragen/{news.pk}/" in message.body
    assert "Je krijgt dit omdat je lid bent van Energiecoöperatie Noord." in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="https://kenniscloud.example.org/bijdragen/{news.pk}/"' in html
    assert '<html lang="nl">' in html
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed["Message-ID"].startswith("<digest.")


def test_the_digest_is_in_the_members_language(plan, community, news, membership, member, settings):
    settings.SITE_URL = "https://kenniscloud.example.org"
    member.language = "en"
    member.save()

    plan(current_period())

    [message] = mails_to(member.email)
    assert '<html lang="en">' in message.alternatives[0][0]
    # English pages live under /en/.
    assert f"https://kenniscloud.example.org/en/bijdragen/{news.pk}/" in message.body
    assert "/en/uitschrijven/" in message.extra_headers["List-Unsubscribe"]


def test_nothing_new_sends_nothing(plan, community, membership, member):
    plan(current_period())

    assert mail.outbox == []
    assert DigestDelivery.objects.get(user=member).state == DigestDelivery.State.SKIPPED


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: UserFactory(verified=False), id="unverified"),
        pytest.param(lambda: UserFactory(is_active=False), id="suspended"),
        pytest.param(lambda: PreferencesFactory(digest_frequency="off").user, id="opted-out"),
        pytest.param(lambda: PreferencesFactory(digest_frequency="daily").user, id="daily"),
    ],
)
def test_who_gets_no_weekly_digest(plan, community, news, make):
    user = make()
    MembershipFactory(community=community, user=user)

    plan(current_period("weekly"))

    assert mails_to(user.email) == []
    assert not DigestDelivery.objects.filter(user=user).exists()


def test_a_blocked_address_gets_nothing(plan, community, news, membership, member):
    MailAddressStatus.objects.create(
        email=member.email, permanent_failures=3, blocked_at=news.created_at
    )

    plan(current_period())

    assert mails_to(member.email) == []


# The digest hour is 07:00: a post at night belongs to the period that ends this morning.
@pytest.mark.parametrize("local_time", ["00:30", "06:59", "07:00", "12:00", "23:59"])
def test_daily_members_get_the_daily_digest(clock, plan, community, host, member, local_time):
    clock.set(f"2026-12-08T{local_time}")
    PreferencesFactory(user=member, digest_frequency="daily")
    MembershipFactory(community=community, user=member)
    ContributionFactory(community=community, author=host, title="Wie heeft zonnepanelen?")

    plan(current_period("daily"))

    [message] = mails_to(member.email)
    assert "Wie heeft zonnepanelen?" in message.body


def test_a_member_who_opts_out_after_planning_is_skipped(community, news, membership, member):
    delivery_row = DeliveryFactory(user=member)
    PreferencesFactory(user=member, digest_frequency="off")

    delivery.digest_send_batch([delivery_row.pk])

    delivery_row.refresh_from_db()
    assert delivery_row.state == DigestDelivery.State.SKIPPED
    assert mail.outbox == []


def test_a_deleted_member_leaves_nothing_to_send(community, news, membership, member):
    delivery_row = DeliveryFactory(user=member)
    member.delete()

    result = delivery.digest_send_batch([delivery_row.pk])

    assert result.sent == [] and mail.outbox == []


# --- the claim protocol ------------------------------------------------------------------------


def test_a_sent_delivery_is_never_sent_again(community, news, membership, member):
    delivery_row = DeliveryFactory(user=member)

    delivery.digest_send_batch([delivery_row.pk])
    delivery.digest_send_batch([delivery_row.pk])  # the task was delivered twice

    assert len(mails_to(member.email)) == 1


def test_a_delivery_whose_sender_died_while_sending_is_sent_again(
    community, news, membership, member
):
    """At least once: a row left 'sending' by a dead worker is resent (see delivery.py)."""
    delivery_row = DeliveryFactory(user=member, state="sending", attempts=1)

    delivery.digest_send_batch([delivery_row.pk])

    delivery_row.refresh_from_db()
    assert (delivery_row.state, delivery_row.attempts) == (SENT, 2)
    assert len(mails_to(member.email)) == 1


def test_a_delivery_that_keeps_killing_its_worker_ends_failed(community, news, membership, member):
    delivery_row = DeliveryFactory(user=member, state="sending", attempts=delivery.MAX_ATTEMPTS)

    delivery.digest_send_batch([delivery_row.pk])

    delivery_row.refresh_from_db()
    assert delivery_row.state == DigestDelivery.State.FAILED
    assert mail.outbox == []


class FailingBackend(EmailBackend):
    """Refuses with the exception in `error`, then (when `times` runs out) delivers."""

    error: Exception
    times = 1

    def send_messages(self, messages):
        if FailingBackend.times > 0:
            FailingBackend.times -= 1
            raise FailingBackend.error
        return super().send_messages(messages)


def failing(error: Exception, times: int = 1):
    FailingBackend.error = error
    FailingBackend.times = times
    return override_settings(EMAIL_BACKEND=f"{__name__}.FailingBackend")


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPRecipientsRefused({"x@example.org": (450, b"Mailbox busy")}),
        smtplib.SMTPDataError(421, b"Try again later"),
    ],
    ids=["disconnected", "refused-connection", "4xx-recipient", "4xx-data"],
)
def test_temporary_failures_are_retried_with_backoff(
    community, news, membership, member, error, monkeypatch
):
    countdowns = []
    from notifications import tasks

    monkeypatch.setattr(
        tasks.digest_send_batch,
        "apply_async",
        lambda args, countdown: countdowns.append((args, countdown)),
    )
    delivery_row = DeliveryFactory(user=member)

    with failing(error):
        tasks.digest_send_batch([delivery_row.pk])

    delivery_row.refresh_from_db()
    assert (delivery_row.state, delivery_row.attempts) == (DigestDelivery.State.PENDING, 1)
    assert delivery_row.last_error
    [((ids,), countdown)] = countdowns
    assert ids == [delivery_row.pk]
    assert 45 <= countdown <= 75  # about a minute at the first attempt

    tasks.digest_send_batch(ids)  # the retry: now the server accepts

    delivery_row.refresh_from_db()
    assert delivery_row.state == SENT
    assert len(mails_to(member.email)) == 1


def test_temporary_failures_stop_at_the_cap(community, news, membership, member):
    """Eager tasks retry at once, so the whole retry chain runs here."""
    delivery_row = DeliveryFactory(user=member)

    with failing(smtplib.SMTPServerDisconnected("gone"), times=100):
        from notifications.tasks import digest_send_batch

        digest_send_batch([delivery_row.pk])

    delivery_row.refresh_from_db()
    assert delivery_row.state == DigestDelivery.State.FAILED
    assert delivery_row.attempts == delivery.MAX_ATTEMPTS


def test_delay_grows_with_attempts():
    assert delivery.retry_countdown(1) < delivery.retry_countdown(3) <= 60 * 60 * 1.2
    assert delivery.retry_countdown(30) <= 60 * 60 * 1.2


def refused():
    return smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


def test_a_permanent_refusal_is_recorded_and_three_block_the_address(
    plan, community, membership, member
):
    # Three weekly periods that all contain today.
    periods = [Period("weekly", timezone.localdate() + dt.timedelta(days=n)) for n in (1, 2, 3)]
    deliveries = [DeliveryFactory(user=member, period_key=p.key) for p in periods]
    ContributionFactory(community=community)

    for n, row in enumerate(deliveries, start=1):
        with failing(refused()):
            delivery.digest_send_batch([row.pk])
        row.refresh_from_db()
        assert row.state == DigestDelivery.State.FAILED
        assert "550" in row.last_error
        status = MailAddressStatus.objects.get(email=member.email)
        assert status.permanent_failures == n

    assert status.is_blocked
    plan(current_period())
    assert mails_to(member.email) == []


def test_a_delivered_mail_resets_the_failure_count(plan, community, news, membership, member):
    MailAddressStatus.objects.create(email=member.email, permanent_failures=2)

    plan(current_period())

    assert MailAddressStatus.objects.get(email=member.email).permanent_failures == 0


def test_a_hidden_contribution_is_not_news(plan, community, membership, member):
    ContributionFactory(community=community, status=Contribution.Status.HIDDEN)

    plan(current_period())

    assert mail.outbox == []


def test_run_plans_daily_every_day_and_weekly_on_the_weekday(settings, member):
    from zoneinfo import ZoneInfo

    settings.DIGEST_WEEKDAY = "wednesday"
    wednesday = dt.datetime(2025, 3, 12, 7, 0, 5, tzinfo=ZoneInfo("Europe/Amsterdam"))

    assert set(services.digest_run(now=wednesday)) == {
        "daily:2025-03-12",
        "weekly:2025-03-12",
        "requeued",
    }
    assert set(services.digest_run(now=wednesday + dt.timedelta(days=1))) == {
        "daily:2025-03-13",
        "requeued",
    }
    assert DigestDelivery.objects.filter(user=member, period_key="weekly:2025-03-12").exists()
