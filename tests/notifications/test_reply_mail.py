"""Reply and mention mails: preferences, eligibility, the hourly throttle and bundling.

Time is passed in (`now=`), never slept: the throttle is tested at chosen moments.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection

from kenniscloud.common import ratelimit
from knowledge import services as knowledge_services
from notifications import reply_mail, tasks
from notifications.models import MailAddressStatus, Notification, ReplyMailState
from tests.communities.factories import MembershipFactory, UserFactory
from tests.knowledge.factories import ContributionFactory
from tests.notifications.factories import CommunityFollowFactory, PreferencesFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
Mail = Notification.Mail


@pytest.fixture
def author(community):
    return MembershipFactory(
        community=community, user__display_name="Anna Auteur", user__handle="anna"
    ).user


@pytest.fixture
def replier(community):
    return MembershipFactory(
        community=community, user__display_name="Rik Reageerder", user__handle="rik"
    ).user


@pytest.fixture
def contribution(community, author):
    return ContributionFactory(community=community, author=author, title="Zonnepanelen")


@pytest.fixture
def queued(monkeypatch):
    """Replace the task queue for reply mails: record the members, send nothing yet. The tests
    then call the sender themselves at chosen moments."""
    calls: list[tuple] = []
    monkeypatch.setattr(
        tasks.reply_mail_send, "delay_on_commit", lambda *args: calls.append(("now", *args))
    )
    monkeypatch.setattr(
        tasks.reply_mail_send,
        "apply_async",
        lambda args, eta=None, **kw: calls.append(("eta", *args, eta)),
    )
    return calls


def comment(capture, contribution, author, body="Wij deden het vorig jaar.", parent=None):
    # These tests put several comments in one moment to see what the mail does with them; the
    # posting limits (tests/moderation/test_ratelimits.py) have nothing to say about that.
    with capture(execute=True), ratelimit.exempt():
        return knowledge_services.comment_create(
            author=author, contribution=contribution, body=body, parent=parent
        )


def test_the_first_reply_is_mailed_at_once(
    django_capture_on_commit_callbacks, contribution, author, replier
):
    comment(django_capture_on_commit_callbacks, contribution, replier, body="Klopt, @anna!")

    [message] = mail.outbox
    assert message.to == [author.email]
    assert message.subject == 'Rik Reageerder reageerde op je bijdrage "Zonnepanelen"'
    assert "Klopt, @anna!" in message.body
    assert f"/bijdragen/{contribution.pk}/#reactie-" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="nl">' in html and "Rik Reageerder reageerde" in html
    assert Notification.objects.get(recipient=author).mail == Mail.SENT


def test_later_events_wait_for_the_window_and_go_out_bundled(
    django_capture_on_commit_callbacks, queued, contribution, author, replier, community
):
    comment(django_capture_on_commit_callbacks, contribution, replier, body="Eén")
    assert reply_mail.reply_mail_send(user_id=author.pk, now=T0).status == "sent"
    assert len(mail.outbox) == 1

    other = MembershipFactory(community=community, user__display_name="Sam").user
    comment(django_capture_on_commit_callbacks, contribution, replier, body="Twee")
    comment(django_capture_on_commit_callbacks, contribution, other, body="Drie")
    later = reply_mail.reply_mail_send(user_id=author.pk, now=T0 + dt.timedelta(minutes=10))

    assert (later.status, later.count) == ("throttled", 2)
    assert later.opens_at == T0 + dt.timedelta(hours=1)
    assert later.schedule is True
    assert len(mail.outbox) == 1
    # Asked again before the window opens: still waiting, and no second task for the same time.
    again = reply_mail.reply_mail_send(user_id=author.pk, now=T0 + dt.timedelta(minutes=30))
    assert (again.status, again.schedule) == ("throttled", False)

    opened = reply_mail.reply_mail_send(user_id=author.pk, now=T0 + dt.timedelta(hours=1))

    assert (opened.status, opened.count) == ("sent", 2)
    assert len(mail.outbox) == 2
    bundle = mail.outbox[1]
    assert bundle.subject == "2 nieuwe reacties en vermeldingen op KennisCloud"
    assert "Twee" in bundle.body and "Drie" in bundle.body and "Eén" not in bundle.body
    assert ReplyMailState.objects.get(pk=author.pk).scheduled_for is None
    assert not Notification.objects.filter(recipient=author, mail=Mail.PENDING).exists()


def test_running_the_sender_twice_sends_once(
    django_capture_on_commit_callbacks, queued, contribution, author, replier
):
    comment(django_capture_on_commit_callbacks, contribution, replier)

    first = reply_mail.reply_mail_send(user_id=author.pk, now=T0)
    second = reply_mail.reply_mail_send(user_id=author.pk, now=T0)

    assert (first.status, second.status) == ("sent", "nothing")
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_one_mail(monkeypatch, community):
    """The second sender waits on the member's row lock while the first talks SMTP, then finds
    nothing left to send."""
    author = MembershipFactory(community=community).user
    replier = MembershipFactory(community=community).user
    contribution = ContributionFactory(community=community, author=author)
    monkeypatch.setattr(tasks.reply_mail_send, "delay_on_commit", lambda *args: None)
    contribution.comments.create(author=replier, body="x", body_html="<p>x</p>")
    assert Notification.objects.get(recipient=author).mail == Mail.PENDING
    in_smtp = threading.Event()
    release = threading.Event()
    results = {}
    original_send = mail.EmailMultiAlternatives.send

    def slow_send(self, *args, **kwargs):
        in_smtp.set()
        release.wait(5)
        return original_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", slow_send)

    def run(name):
        try:
            results[name] = reply_mail.reply_mail_send(user_id=author.pk, now=T0).status
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert in_smtp.wait(5)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second sender should wait for the row lock"
    release.set()
    first.join(5)
    second.join(5)

    assert results == {"first": "sent", "second": "nothing"}
    assert len(mail.outbox) == 1


def _run_task_at(moment, user_id):
    from django.utils import timezone

    original = timezone.now
    try:
        timezone.now = lambda: moment
        return tasks.reply_mail_send.run(user_id)
    finally:
        timezone.now = original


def test_the_task_queues_itself_for_a_window_that_opens_within_minutes(
    django_capture_on_commit_callbacks, queued, contribution, author, replier
):
    ReplyMailState.objects.create(user=author, last_sent_at=T0)
    comment(django_capture_on_commit_callbacks, contribution, replier)
    assert queued == [("now", author.pk)]

    assert _run_task_at(T0 + dt.timedelta(minutes=57), author.pk) == "throttled"

    assert queued[-1] == ("eta", author.pk, T0 + dt.timedelta(hours=1))
    assert mail.outbox == []


def test_a_window_that_opens_later_is_left_to_the_sweep_not_to_a_long_eta(
    django_capture_on_commit_callbacks, queued, contribution, author, replier
):
    """Redis hands a message that waits past the visibility timeout (5 minutes) out again, so
    an ETA an hour ahead would run many times; the sweep sends it when the window opens."""
    ReplyMailState.objects.create(user=author, last_sent_at=T0)
    comment(django_capture_on_commit_callbacks, contribution, replier)

    assert _run_task_at(T0 + dt.timedelta(minutes=5), author.pk) == "throttled"

    assert queued == [("now", author.pk)]  # no ETA an hour ahead
    Notification.objects.update(created_at=T0)  # the comment came at T0
    assert reply_mail.reply_mail_due(now=T0 + dt.timedelta(minutes=59)) == []
    assert reply_mail.reply_mail_due(now=T0 + dt.timedelta(hours=1)) == [author.pk]


@pytest.mark.parametrize(
    "setup",
    ["reply_mail_off", "muted", "unverified", "blocked", "inactive"],
)
def test_preferences_and_eligibility_stop_the_mail(
    django_capture_on_commit_callbacks, contribution, author, replier, community, setup
):
    if setup == "reply_mail_off":
        PreferencesFactory(user=author, reply_mail=False)
    elif setup == "muted":
        CommunityFollowFactory(user=author, community=community, level="muted")
    elif setup == "unverified":
        EmailAddress.objects.filter(user=author).update(verified=False)
    elif setup == "blocked":
        MailAddressStatus.objects.create(email=author.email, blocked_at=T0)
    elif setup == "inactive":
        author.is_active = False
        author.save()

    comment(django_capture_on_commit_callbacks, contribution, replier)

    assert mail.outbox == []
    notifications = Notification.objects.filter(recipient=author)
    if setup == "inactive":
        assert not notifications.exists()
    else:  # still told on the site, just not by mail
        assert [n.mail for n in notifications] == [Mail.NONE]


def test_a_change_of_mind_before_the_window_opens_is_respected(
    django_capture_on_commit_callbacks, queued, contribution, author, replier
):
    comment(django_capture_on_commit_callbacks, contribution, replier)
    PreferencesFactory(user=author, reply_mail=False)

    outcome = reply_mail.reply_mail_send(user_id=author.pk, now=T0)

    assert outcome.status == "skipped"
    assert mail.outbox == []
    assert Notification.objects.get(recipient=author).mail == Mail.SKIPPED


def test_new_contributions_are_never_mailed(django_capture_on_commit_callbacks, community, author):
    fan = MembershipFactory(community=community).user
    CommunityFollowFactory(user=fan, community=community, level="all")

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.contribution_create(
            author=author, community=community, kind="idea", title="Nieuw", body="Tekst"
        )

    assert Notification.objects.get(recipient=fan).mail == Mail.NONE
    assert mail.outbox == []


def test_a_mention_in_a_new_contribution_is_mailed(
    django_capture_on_commit_callbacks, community, author
):
    named = UserFactory(handle="genoemd")

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.contribution_create(
            author=author,
            community=community,
            kind="idea",
            title="Idee",
            body="Wat vind jij, @genoemd?",
        )

    [message] = mail.outbox
    assert message.to == [named.email]
    assert 'Anna Auteur noemde je bij "Idee"' in message.subject


def test_the_mail_is_in_the_members_language(
    settings, django_capture_on_commit_callbacks, contribution, author, replier
):
    author.language = "en"
    author.save()

    comment(django_capture_on_commit_callbacks, contribution, replier)

    [message] = mail.outbox
    assert f"{settings.SITE_URL}/en/bijdragen/{contribution.pk}/#reactie-" in message.body
    assert "/en/instellingen/" in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


def test_the_limit_is_configurable(
    settings, django_capture_on_commit_callbacks, queued, contribution, author, replier
):
    settings.REPLY_MAIL_MAX_PER_HOUR = 3
    comment(django_capture_on_commit_callbacks, contribution, replier, body="Eén")
    reply_mail.reply_mail_send(user_id=author.pk, now=T0)
    comment(django_capture_on_commit_callbacks, contribution, replier, body="Twee")

    early = reply_mail.reply_mail_send(user_id=author.pk, now=T0 + dt.timedelta(minutes=19))
    on_time = reply_mail.reply_mail_send(user_id=author.pk, now=T0 + dt.timedelta(minutes=20))

    assert (early.status, on_time.status) == ("throttled", "sent")
    assert len(mail.outbox) == 2


def test_a_limit_of_zero_sends_none(
    settings, django_capture_on_commit_callbacks, contribution, author, replier
):
    settings.REPLY_MAIL_MAX_PER_HOUR = 0

    comment(django_capture_on_commit_callbacks, contribution, replier)

    assert mail.outbox == []
    assert Notification.objects.get(recipient=author).mail == Mail.SKIPPED


def test_the_sweep_finds_members_whose_window_opened(
    django_capture_on_commit_callbacks, queued, contribution, author, replier, community
):
    waiting = MembershipFactory(community=community).user
    other = ContributionFactory(community=community, author=waiting)
    comment(django_capture_on_commit_callbacks, contribution, replier)
    comment(django_capture_on_commit_callbacks, other, replier)
    ReplyMailState.objects.create(user=waiting, last_sent_at=T0)
    Notification.objects.update(created_at=T0)

    assert reply_mail.reply_mail_due(now=T0 + dt.timedelta(minutes=1)) == []  # too fresh
    assert reply_mail.reply_mail_due(now=T0 + dt.timedelta(minutes=30)) == [author.pk]
    assert reply_mail.reply_mail_due(now=T0 + dt.timedelta(minutes=61)) == sorted(
        [author.pk, waiting.pk]
    )


def test_a_temporary_smtp_failure_keeps_the_mail_for_a_retry(
    monkeypatch, django_capture_on_commit_callbacks, queued, contribution, author, replier
):
    comment(django_capture_on_commit_callbacks, contribution, replier)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        reply_mail.reply_mail_send(user_id=author.pk, now=T0)

    assert Notification.objects.get(recipient=author).mail == Mail.PENDING
    assert ReplyMailState.objects.get(pk=author.pk).last_sent_at is None


def test_a_refused_address_is_recorded_and_the_mail_dropped(
    monkeypatch, django_capture_on_commit_callbacks, queued, contribution, author, replier
):
    comment(django_capture_on_commit_callbacks, contribution, replier)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({author.email: (550, b"no such user")})

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    outcome = reply_mail.reply_mail_send(user_id=author.pk, now=T0)

    assert outcome.status == "failed"
    assert Notification.objects.get(recipient=author).mail == Mail.SKIPPED
    assert MailAddressStatus.objects.get(email=author.email).permanent_failures == 1
