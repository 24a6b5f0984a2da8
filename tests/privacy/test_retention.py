"""Retention (issue 12): beat jobs delete what is past its period and keep the rest.

Every job: what is old goes, what is not stays, a second run does nothing more, and staff are
never touched. Times come from the `clock` fixture, never from the hour the suite runs at.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from communities.deletion import DELETED_MEMBER_NAME, account_delete
from communities.models import Membership, User
from kenniscloud.celery import app as celery_app
from knowledge.models import Contribution
from meetups.models import Rsvp, WalkIn
from notifications import services as notification_services
from notifications.models import DigestDelivery, MailAddressStatus, Notification
from notifications.periods import Period
from privacy import retention, tasks
from tests.communities.factories import MembershipFactory, UserFactory
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory

DAY = dt.timedelta(days=1)


def _joined_now(**fields):
    """A user who joins at the clock's now (date_joined's default reads the real clock)."""
    return UserFactory(date_joined=timezone.now(), **fields)


def _user_exists(user) -> bool:
    return User.objects.filter(pk=user.pk).exists()


def _deleted_marker(user) -> bool:
    user.refresh_from_db()
    return not user.is_active and user.display_name == DELETED_MEMBER_NAME


# --- The periods, for the privacy statement ----------------------------------------------------


def test_the_periods_follow_the_settings(settings):
    settings.RETENTION_READ_NOTIFICATIONS_DAYS = 200
    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 0
    periods = {str(p.what): p for p in retention.retention_periods()}
    assert periods["Gelezen meldingen, nadat je ze las"].days == 200
    inactive = periods["Accounts waarmee niet meer is ingelogd, na de laatste keer inloggen"]
    assert inactive.days is None  # off

    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 730
    settings.RETENTION_INACTIVE_WARNING_DAYS = 30
    inactive = retention.retention_periods()[-1]
    assert inactive.days == 760  # the warning period comes on top
    assert "730" in str(inactive.why) and "30" in str(inactive.why)
    # Every entry says what, how long and why.
    assert all(str(p.what) and str(p.why) for p in retention.retention_periods())


# --- 1. Access needs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_access_needs_are_wiped_a_day_after_the_meetup(clock, settings):
    settings.RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP = 1
    clock.set("2026-12-01T10:00")
    start = timezone.now() + dt.timedelta(days=3)
    past = MeetupFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    later = MeetupFactory(starts_at=start + DAY, ends_at=start + DAY + dt.timedelta(hours=2))
    done = RsvpFactory(meetup=past, access_needs="Rolstoelplek")
    plain = RsvpFactory(meetup=past, access_needs="")
    upcoming = RsvpFactory(meetup=later, access_needs="Ringleiding")

    # Before the meetup and on the day after it, organisers may still need them.
    clock.set(past.ends_at + DAY - dt.timedelta(minutes=1))
    assert tasks.retention_access_needs_wipe() == 0
    done.refresh_from_db()
    assert done.access_needs == "Rolstoelplek"

    clock.set(past.ends_at + DAY + dt.timedelta(minutes=1))
    assert tasks.retention_access_needs_wipe() == 1
    done.refresh_from_db()
    upcoming.refresh_from_db()
    assert done.access_needs == ""
    assert done.state == Rsvp.State.GOING  # only the needs go; the RSVP stays
    assert upcoming.access_needs == "Ringleiding"
    assert Rsvp.objects.filter(pk=plain.pk).exists()
    assert tasks.retention_access_needs_wipe() == 0  # idempotent


@pytest.mark.django_db
def test_walk_ins_lose_their_names_a_month_after_the_meetup_and_still_count(clock, settings):
    settings.RETENTION_WALK_INS_DAYS_AFTER_MEETUP = 30
    clock.set("2026-12-01T10:00")
    start = timezone.now() + dt.timedelta(days=3)
    past = MeetupFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    later = MeetupFactory(starts_at=start + 40 * DAY, ends_at=start + 40 * DAY + DAY / 12)
    guest = WalkIn.objects.create(meetup=past, name="Truus de Buurvrouw", email="truus@example.org")
    nameless_mail = WalkIn.objects.create(meetup=past, name="Kees", email="")
    coming = WalkIn.objects.create(meetup=later, name="Joop", email="joop@example.org")

    clock.set(past.ends_at + 30 * DAY - dt.timedelta(minutes=1))
    assert tasks.retention_walk_ins_anonymise() == 0

    clock.set(past.ends_at + 30 * DAY + dt.timedelta(minutes=1))
    assert tasks.retention_walk_ins_anonymise() == 2
    guest.refresh_from_db()
    nameless_mail.refresh_from_db()
    coming.refresh_from_db()
    assert (guest.name, guest.email, nameless_mail.name) == ("", "", "")
    assert guest.shown_name == "Binnenloper (naam gewist)"  # on the attendee list and its CSV
    assert past.walk_ins.count() == 2  # they still count as present
    assert (coming.name, coming.email) == ("Joop", "joop@example.org")
    assert tasks.retention_walk_ins_anonymise() == 0  # idempotent


# --- 2. Read notifications ---------------------------------------------------------------------


def _notification(recipient, community, **fields) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        kind=Notification.Kind.MEMBERSHIP_APPROVED,
        community=community,
        **fields,
    )


@pytest.mark.django_db
def test_read_notifications_go_after_a_year_and_unread_ones_stay(
    clock, settings, member, community
):
    settings.RETENTION_READ_NOTIFICATIONS_DAYS = 365
    clock.set("2025-01-01T12:00")
    old_read = _notification(member, community, read_at=timezone.now())
    unread = _notification(member, community)
    clock.set("2025-06-01T12:00")
    recent_read = _notification(member, community, read_at=timezone.now())

    clock.set("2026-01-01T11:59")
    assert tasks.retention_read_notifications_purge() == 0

    clock.set("2026-01-01T12:01")
    assert tasks.retention_read_notifications_purge() == 1
    assert not Notification.objects.filter(pk=old_read.pk).exists()
    assert Notification.objects.filter(pk__in=[unread.pk, recent_read.pk]).count() == 2
    assert tasks.retention_read_notifications_purge() == 0


# --- 3. Digest deliveries, and failure records of unused addresses ----------------------------


def _delivery(user, period: Period, state: str) -> DigestDelivery:
    return DigestDelivery.objects.create(
        user=user,
        frequency=period.frequency,
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        state=state,
    )


@pytest.mark.django_db
def test_digest_deliveries_go_after_their_period_but_never_open_ones(clock, settings):
    settings.RETENTION_DIGEST_DELIVERY_DAYS = 90
    clock.set("2026-12-07T10:00")
    member = UserFactory()
    old = Period("daily", dt.date(2026, 9, 7))  # ended 91 days ago
    young = Period("daily", dt.date(2026, 9, 9))  # ended 89 days ago
    sent_old = _delivery(member, old, DigestDelivery.State.SENT)
    failed_old = _delivery(UserFactory(), old, DigestDelivery.State.FAILED)
    pending_old = _delivery(UserFactory(), old, DigestDelivery.State.PENDING)
    sending_old = _delivery(UserFactory(), old, DigestDelivery.State.SENDING)
    sent_young = _delivery(member, young, DigestDelivery.State.SENT)

    result = tasks.retention_digest_deliveries_purge()
    assert result["deliveries"] == 2
    left = set(DigestDelivery.objects.values_list("pk", flat=True))
    assert left == {pending_old.pk, sending_old.pk, sent_young.pk}
    assert sent_old.pk not in left and failed_old.pk not in left
    assert tasks.retention_digest_deliveries_purge()["deliveries"] == 0


@pytest.mark.django_db
def test_a_period_digest_run_could_plan_again_keeps_its_deliveries(clock, settings):
    """The delivery row is what stops a period going out twice: even with a retention of zero
    days, the row of the period the digest run plans today stays, so a second run (beat firing
    twice, a run by hand) plans nothing."""
    settings.RETENTION_DIGEST_DELIVERY_DAYS = 0
    clock.set("2026-12-07T07:30")  # a Monday, just after the digest hour
    member = UserFactory()  # verified, weekly digest by default
    today = Period("daily", dt.date(2026, 12, 7))
    weekly = Period("weekly", dt.date(2026, 12, 7))
    _delivery(member, today, DigestDelivery.State.SENT)
    _delivery(member, weekly, DigestDelivery.State.SENT)
    three_days_ago = _delivery(member, Period("daily", dt.date(2026, 12, 4)), "sent")

    assert tasks.retention_digest_deliveries_purge()["deliveries"] == 1
    assert not DigestDelivery.objects.filter(pk=three_days_ago.pk).exists()
    assert notification_services.digest_plan(period=weekly) == 0  # nothing to send again
    assert DigestDelivery.objects.filter(user=member, period_key=weekly.key).count() == 1


@pytest.mark.django_db
def test_failure_records_of_addresses_no_account_uses_are_deleted():
    member = UserFactory(email="Mila@Example.org")
    EmailAddress.objects.create(user=member, email="oud@example.org", verified=True)
    kept = MailAddressStatus.objects.create(email="mila@example.org", permanent_failures=3)
    second = MailAddressStatus.objects.create(email="oud@example.org", permanent_failures=1)
    orphan = MailAddressStatus.objects.create(email="weg@example.org", permanent_failures=3)

    assert tasks.retention_digest_deliveries_purge()["addresses"] == 1
    left = set(MailAddressStatus.objects.values_list("pk", flat=True))
    assert left == {kept.pk, second.pk}
    assert orphan.pk not in left
    assert tasks.retention_digest_deliveries_purge()["addresses"] == 0


# --- 5. Accounts never confirmed ---------------------------------------------------------------


@pytest.mark.django_db
def test_accounts_never_confirmed_are_deleted_after_thirty_days(clock, settings, community):
    settings.RETENTION_UNCONFIRMED_ACCOUNT_DAYS = 30
    clock.set("2026-11-01T10:00")
    unconfirmed = _joined_now(verified=False)
    EmailAddress.objects.create(user=unconfirmed, email=unconfirmed.email, verified=False)
    with_traces = _joined_now(verified=False)
    post = ContributionFactory(author=with_traces, community=community)
    confirmed = _joined_now()  # never logged in, but confirmed: the other job's, if any
    staff = _joined_now(verified=False, is_staff=True)
    superuser = _joined_now(verified=False, is_superuser=True)
    clock.set("2026-11-03T10:00")
    young = _joined_now(verified=False)

    clock.set("2026-12-01T09:59")  # 29 days and 23:59 later
    assert tasks.retention_unconfirmed_accounts_delete() == {
        "deleted": 0,
        "anonymised": 0,
        "failed": 0,
    }

    clock.set("2026-12-01T10:01")
    assert tasks.retention_unconfirmed_accounts_delete() == {
        "deleted": 1,
        "anonymised": 1,
        "failed": 0,
    }
    assert not _user_exists(unconfirmed)
    assert not EmailAddress.objects.filter(email=unconfirmed.email).exists()
    # Something they left stays, under the deleted name (account_delete), not orphaned.
    assert _deleted_marker(with_traces)
    post.refresh_from_db()
    assert post.author_id == with_traces.pk
    for kept in (confirmed, staff, superuser, young):
        assert _user_exists(kept)
        kept.refresh_from_db()
        assert kept.is_active

    # Idempotent: the anonymised row is not taken again.
    assert tasks.retention_unconfirmed_accounts_delete() == {
        "deleted": 0,
        "anonymised": 0,
        "failed": 0,
    }


@pytest.mark.django_db
def test_an_account_that_ever_logged_in_or_has_a_role_is_not_unconfirmed(clock, librarian):
    clock.set("2026-10-01T10:00")
    logged_in = UserFactory(verified=False)
    User.objects.filter(pk=logged_in.pk).update(last_login=timezone.now())
    librarian.emailaddress_set.update(verified=False)
    User.objects.filter(pk=librarian.pk).update(date_joined=timezone.now())
    clock.set("2026-12-07T10:00")
    assert tasks.retention_unconfirmed_accounts_delete()["deleted"] == 0
    assert _user_exists(logged_in) and _user_exists(librarian)


# --- 6. Inactive accounts ----------------------------------------------------------------------


@pytest.fixture
def inactive_on(settings):
    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 365
    settings.RETENTION_INACTIVE_WARNING_DAYS = 30
    return settings


def _last_login(user, moment) -> None:
    User.objects.filter(pk=user.pk).update(last_login=moment)
    user.refresh_from_db()


@pytest.mark.django_db
def test_inactive_accounts_are_left_alone_by_default(clock, member):
    assert settings.RETENTION_INACTIVE_ACCOUNT_DAYS == 0  # the shipped default: off
    clock.set("2026-12-07T10:00")
    _last_login(member, timezone.now() - 10 * 365 * DAY)
    assert tasks.retention_inactive_accounts() == {"withdrawn": 0}
    member.refresh_from_db()
    assert member.inactivity_warned_at is None
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_inactive_member_is_warned_once_in_their_language(clock, inactive_on, librarian):
    clock.set("2026-12-07T10:00")
    english = UserFactory(language="en", display_name="Emma")
    dutch = UserFactory(language="nl", display_name="Daan")
    active = UserFactory()
    never = UserFactory()  # confirmed, never logged in: counted from joining
    staff = UserFactory(is_staff=True)
    superuser = UserFactory(is_superuser=True)
    User.objects.filter(pk=never.pk).update(date_joined=timezone.now() - 400 * DAY)
    for user in (english, dutch, staff, superuser, librarian):
        _last_login(user, timezone.make_aware(dt.datetime(2025, 11, 30, 12)))
    _last_login(active, timezone.now() - 364 * DAY)

    result = tasks.retention_inactive_accounts()
    assert result == {"deleted": 0, "refused": 0, "failed": 0, "warned": 3, "unreachable": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([english.email, dutch.email, never.email])
    for user in (english, dutch, never):
        user.refresh_from_db()
        assert user.inactivity_warned_at == timezone.now()
    for user in (active, staff, superuser, librarian):
        user.refresh_from_db()
        assert user.inactivity_warned_at is None

    by_address = {m.to[0]: m for m in mail.outbox}
    to_emma = by_address[english.email]
    html = to_emma.alternatives[0][0]
    assert to_emma.alternatives[0][1] == "text/html"
    assert '<html lang="en">' in html
    assert "30 November 2025" in to_emma.body  # English month names
    assert "6 January 2027" in to_emma.body  # removed from this day on
    assert "/en/accounts/login/" in to_emma.body
    to_daan = by_address[dutch.email]
    assert '<html lang="nl">' in to_daan.alternatives[0][0]
    assert "30 november 2025" in to_daan.body
    assert "Hallo Daan" in to_daan.body
    assert to_daan.extra_headers["Auto-Submitted"] == "auto-generated"

    # Sent once: the next runs warn nobody again.
    clock.tick(dt.timedelta(hours=1))
    assert tasks.retention_inactive_accounts()["warned"] == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_logging_in_withdraws_the_warning(clock, inactive_on, client, member):
    clock.set("2026-12-07T10:00")
    _last_login(member, timezone.now() - 400 * DAY)
    tasks.retention_inactive_accounts()
    member.refresh_from_db()
    assert member.inactivity_warned_at is not None

    clock.tick(10 * DAY)
    client.force_login(member)  # django.contrib.auth.login: user_logged_in
    member.refresh_from_db()
    assert member.inactivity_warned_at is None
    assert member.last_login == timezone.now()

    clock.tick(30 * DAY)
    assert tasks.retention_inactive_accounts()["deleted"] == 0
    assert member.is_active


@pytest.mark.django_db
def test_a_warned_member_who_stays_away_is_deleted_and_their_posts_stay(
    clock, inactive_on, community
):
    clock.set("2026-12-07T10:00")
    member = UserFactory(display_name="Wim Weg")
    post = ContributionFactory(author=member, community=community, title="Zonnepanelen op zink")
    host = MembershipFactory(
        community=community, role=Membership.Role.HOST, user__display_name="Hanna"
    ).user
    for user in (member, host):
        _last_login(user, timezone.now() - 400 * DAY)
    # A deleted account is skipped, also when it looks long inactive.
    gone = UserFactory()
    _last_login(gone, timezone.now() - 400 * DAY)
    account_delete(user=gone, delete_content=False)

    assert tasks.retention_inactive_accounts()["warned"] == 2
    clock.tick(30 * DAY - dt.timedelta(minutes=1))
    assert tasks.retention_inactive_accounts()["deleted"] == 0

    clock.tick(dt.timedelta(minutes=2))
    result = tasks.retention_inactive_accounts()
    # The last host of a community is refused by account_delete; the rest goes on.
    assert result == {"deleted": 1, "refused": 1, "failed": 0, "warned": 0, "unreachable": 0}
    assert _deleted_marker(member)
    post = Contribution.objects.get(pk=post.pk)
    assert post.author.display_name == DELETED_MEMBER_NAME
    assert post.title == "Zonnepanelen op zink"
    host.refresh_from_db()
    assert host.is_active
    assert len(mail.outbox) == 2  # no second warning to anyone

    # Idempotent: the deleted account is not taken again.
    assert tasks.retention_inactive_accounts()["deleted"] == 0


@pytest.mark.django_db
def test_a_warning_that_could_not_be_sent_is_tried_again(clock, inactive_on, member, monkeypatch):
    clock.set("2026-12-07T10:00")
    _last_login(member, timezone.now() - 400 * DAY)

    def refuse(self, *args, **kwargs):
        raise OSError("mail server away")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert tasks.retention_inactive_accounts()["failed"] == 1
    member.refresh_from_db()
    assert member.inactivity_warned_at is None  # no warning on record: never removed unwarned

    monkeypatch.undo()
    clock.tick(dt.timedelta(hours=1))
    assert tasks.retention_inactive_accounts()["warned"] == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_switching_the_job_off_withdraws_standing_warnings(clock, inactive_on, member):
    clock.set("2026-12-07T10:00")
    _last_login(member, timezone.now() - 400 * DAY)
    tasks.retention_inactive_accounts()
    inactive_on.RETENTION_INACTIVE_ACCOUNT_DAYS = 0
    assert tasks.retention_inactive_accounts() == {"withdrawn": 1}

    # Switched on again much later: a new warning first, never a removal straight away.
    inactive_on.RETENTION_INACTIVE_ACCOUNT_DAYS = 365
    clock.tick(100 * DAY)
    assert tasks.retention_inactive_accounts() == {
        "deleted": 0,
        "refused": 0,
        "failed": 0,
        "warned": 1,
        "unreachable": 0,
    }


@pytest.mark.django_db
def test_an_address_that_refuses_all_mail_gets_the_warning_on_record(clock, inactive_on, member):
    clock.set("2026-12-07T10:00")
    _last_login(member, timezone.now() - 400 * DAY)
    MailAddressStatus.objects.create(
        email=member.email, permanent_failures=3, blocked_at=timezone.now()
    )
    assert tasks.retention_inactive_accounts()["unreachable"] == 1
    assert mail.outbox == []
    member.refresh_from_db()
    assert member.inactivity_warned_at == timezone.now()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_warn_each_member_once_and_delete_each_once(clock, inactive_on):
    clock.set("2026-12-07T10:00")
    members = [UserFactory() for _ in range(6)]
    for user in members:
        _last_login(user, timezone.now() - 400 * DAY)

    def race(job) -> list:
        barrier = threading.Barrier(2)
        results, errors = [], []

        def run():
            try:
                barrier.wait()
                results.append(job())
            except BaseException as error:  # reported to the test
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        return results

    results = race(retention.inactive_accounts_warn)
    assert sum(r["warned"] for r in results) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in members)

    clock.tick(31 * DAY)
    results = race(retention.inactive_accounts_delete)
    assert sum(r["deleted"] for r in results) == 6
    assert sum(r["failed"] for r in results) == 0
    assert all(_deleted_marker(user) for user in members)


# --- The beat schedule -------------------------------------------------------------------------

RETENTION_TASKS = {
    "retention-access-needs": "privacy.tasks.retention_access_needs_wipe",
    "retention-walk-ins": "privacy.tasks.retention_walk_ins_anonymise",
    "retention-read-notifications": "privacy.tasks.retention_read_notifications_purge",
    "retention-digest-deliveries": "privacy.tasks.retention_digest_deliveries_purge",
    "retention-unconfirmed-accounts": "privacy.tasks.retention_unconfirmed_accounts_delete",
    "retention-inactive-accounts": "privacy.tasks.retention_inactive_accounts",
    "data-export-purge": "privacy.tasks.data_export_purge",
}


@pytest.mark.parametrize(("entry", "task"), RETENTION_TASKS.items())
def test_beat_runs_every_retention_job(entry, task):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] == task
    assert import_string(task).name == task
    assert task in celery_app.tasks
