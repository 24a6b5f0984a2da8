"""Residents report: once per person and object, a daily cap, auto-hide by three distinct
trusted members, scoped per community and library, and who is told."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from communities.models import Community, Membership
from communities.selectors import LIBRARIAN_GROUP
from kenniscloud.common.ratelimit import RateLimited
from knowledge.models import Contribution
from moderation.models import Case, ModerationAction, Report
from moderation.notify import notify_reporters_decided
from moderation.services.reports import ReportLimitReached, report_create
from notifications.models import Notification
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    UserFactory,
)
from tests.knowledge.factories import CommentFactory, ContributionFactory

SPAM = Report.Reason.SPAM


def _trusted(community: Community | None = None, **kwargs):
    """A member past the trust days with a published contribution."""
    user = UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)
    ContributionFactory(author=user, community=community or CommunityFactory())
    return user


def _fresh(**kwargs):
    """A member who signed up today and posted nothing."""
    return UserFactory(**kwargs)


def _librarian(library, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])
    library.librarians.add(user)
    return user


@pytest.fixture(autouse=True)
def _no_pause_between_reports(settings):
    """These tests make many reports quickly; the pause of RATE_LIMITS["report"] has its own
    tests below."""
    settings.RATE_LIMITS = {}


@pytest.fixture
def post(community):
    return ContributionFactory(community=community, title="Koop nu goedkope zonnepanelen")


# --- The report itself -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_opens_a_case_with_the_objects_community_library_and_author(post):
    reporter = _fresh()

    result = report_create(reporter=reporter, obj=post, reason=SPAM, note="  Reclame.  ")

    case = Case.objects.get()
    assert result.case == case
    assert (case.target, case.community, case.library_id, case.author) == (
        post,
        post.community,
        post.community.library_id,
        post.author,
    )
    assert case.state == Case.State.OPEN
    assert case.report_count == 1
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (reporter, SPAM, "Reclame.")


@pytest.mark.django_db
def test_a_second_report_of_the_same_object_is_refused_with_a_message(post):
    reporter = _fresh()
    report_create(reporter=reporter, obj=post, reason=SPAM)

    with pytest.raises(ValidationError) as refused:
        report_create(reporter=reporter, obj=post, reason=Report.Reason.OTHER)

    assert refused.value.messages == ["Je hebt dit al gemeld."]
    assert Report.objects.count() == 1
    assert Case.objects.get().report_count == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_a_second_report_by_the_same_person(post):
    reporter = _fresh()
    report_create(reporter=reporter, obj=post, reason=SPAM)
    case = Case.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(case=case, reporter=reporter, reason=SPAM, created_at=timezone.now())


def _run_together(calls: list[Callable[[], object]]) -> tuple[list, list[BaseException]]:
    """Every call in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(calls))
    results: list = []
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_report_sent_ten_times_at_once_is_stored_once():
    post = ContributionFactory()
    reporter = _fresh()

    results, errors = _run_together(
        [lambda: report_create(reporter=reporter, obj=post, reason=SPAM) for _ in range(10)]
    )

    assert len(results) == 1
    assert len(errors) == 9
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert Report.objects.count() == 1
    assert Case.objects.get().report_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_first_reports_by_many_members_at_once_open_one_case_and_count_them_all():
    post = ContributionFactory()
    reporters = [_fresh() for _ in range(12)]

    _results, errors = _run_together(
        [lambda r=r: report_create(reporter=r, obj=post, reason=SPAM) for r in reporters]
    )

    assert errors == []
    case = Case.objects.get()
    assert case.report_count == 12 == Report.objects.filter(case=case).count()


@pytest.mark.django_db
def test_own_content_cannot_be_reported(post):
    with pytest.raises(ValidationError) as refused:
        report_create(reporter=post.author, obj=post, reason=SPAM)

    assert refused.value.messages == ["Je kunt niet melden wat je zelf hebt geplaatst."]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_member_cannot_report_their_own_profile():
    member = _fresh()
    with pytest.raises(ValidationError):
        report_create(reporter=member, obj=member, reason=SPAM)


@pytest.mark.django_db
def test_a_bad_reason_or_a_long_note_is_refused_and_nothing_is_stored(post):
    reporter = _fresh()
    with pytest.raises(ValidationError) as refused:
        report_create(reporter=reporter, obj=post, reason="boring", note="x" * 1001)

    assert set(refused.value.message_dict) == {"reason", "note"}
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_content_in_a_private_community_cannot_be_reported_by_outsiders(private_community):
    post = ContributionFactory(community=private_community)
    outsider = _fresh()

    with pytest.raises(Http404):
        report_create(reporter=outsider, obj=post, reason=SPAM)
    assert not Case.objects.exists()

    insider = MembershipFactory(community=private_community).user
    report_create(reporter=insider, obj=post, reason=SPAM)
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_suspended_member_cannot_report(post):
    reporter = _fresh()
    reporter.suspended_at = timezone.now() - timedelta(hours=1)
    reporter.save()

    with pytest.raises(PermissionDenied):
        report_create(reporter=reporter, obj=post, reason=SPAM)
    assert not Report.objects.exists()


# --- The daily cap -----------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(MODERATION_REPORTS_PER_DAY=3)
def test_the_daily_cap_refuses_one_more_and_opens_again_after_a_day(clock):
    clock.set("2026-12-07T10:00")
    reporter = _fresh()
    posts = ContributionFactory.create_batch(5)
    for post in posts[:3]:
        report_create(reporter=reporter, obj=post, reason=SPAM)

    clock.tick(timedelta(hours=20))
    with pytest.raises(ReportLimitReached) as refused:
        report_create(reporter=reporter, obj=posts[3], reason=SPAM)
    assert "3 meldingen" in refused.value.messages[0]
    assert refused.value.retry_after == 4 * 3600
    assert Report.objects.count() == 3
    assert Case.objects.count() == 3  # nothing half-stored for the refused one

    clock.tick(timedelta(hours=4, seconds=1))
    report_create(reporter=reporter, obj=posts[3], reason=SPAM)
    assert Report.objects.count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(MODERATION_REPORTS_PER_DAY=20)
def test_thirty_reports_at_once_store_exactly_the_daily_cap():
    reporter = _fresh()
    posts = ContributionFactory.create_batch(30)

    results, errors = _run_together(
        [lambda p=p: report_create(reporter=reporter, obj=p, reason=SPAM) for p in posts]
    )

    assert len(results) == 20
    assert len(errors) == 10
    assert all(isinstance(e, ReportLimitReached) for e in errors), errors
    assert Report.objects.filter(reporter=reporter).count() == 20


@pytest.mark.django_db
def test_a_pause_between_two_reports_costs_nothing_when_refused(settings, clock):
    settings.RATE_LIMITS = {"report": {"interval": 5, "new_member_interval": 30}}
    clock.set("2026-12-07T10:00")
    elder = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    first, second = ContributionFactory.create_batch(2)
    report_create(reporter=elder, obj=first, reason=SPAM)

    clock.tick(timedelta(seconds=2))
    with pytest.raises(RateLimited) as refused:
        report_create(reporter=elder, obj=second, reason=SPAM)
    assert refused.value.retry_after == 3
    assert "Je meldt snel achter elkaar." in refused.value.messages[0]
    assert Case.objects.count() == 1  # the refused one opened no case
    # A second report of the same object is refused as such, and does not use the pause up.
    with pytest.raises(ValidationError, match=r"Je hebt dit al gemeld\."):
        report_create(reporter=elder, obj=first, reason=SPAM)

    clock.tick(timedelta(seconds=3))
    report_create(reporter=elder, obj=second, reason=SPAM)
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_new_members_wait_longer_between_reports(settings, clock):
    settings.RATE_LIMITS = {"report": {"interval": 5, "new_member_interval": 30}}
    clock.set("2026-12-07T10:00")
    newcomer = _fresh()
    first, second = ContributionFactory.create_batch(2)
    report_create(reporter=newcomer, obj=first, reason=SPAM)

    clock.tick(timedelta(seconds=10))
    with pytest.raises(RateLimited) as refused:
        report_create(reporter=newcomer, obj=second, reason=SPAM)
    assert refused.value.retry_after == 20


# --- Auto-hide ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_three_distinct_trusted_reporters_hide_and_two_do_not(post, community):
    first, second, third = (_trusted(community) for _ in range(3))

    report_create(reporter=first, obj=post, reason=SPAM)
    result = report_create(reporter=second, obj=post, reason=Report.Reason.OFFENSIVE)
    post.refresh_from_db()
    assert post.status == Contribution.Status.PUBLISHED
    assert not result.auto_hidden

    result = report_create(reporter=third, obj=post, reason=SPAM)

    post.refresh_from_db()
    case = Case.objects.get()
    assert result.auto_hidden
    assert post.status == Contribution.Status.HIDDEN
    assert case.auto_hidden
    assert case.status_before == Contribution.Status.PUBLISHED
    assert case.state == Case.State.OPEN  # still waits for a moderator
    action = ModerationAction.objects.get()
    assert action.action == ModerationAction.Action.AUTO_HIDE
    assert action.actor is None
    assert (action.case, action.member, action.community) == (case, post.author, community)


@pytest.mark.django_db
def test_untrusted_reporters_open_a_case_but_do_not_hide(post):
    reporters = [
        _fresh(),  # new account
        _fresh(),
        UserFactory(date_joined=timezone.now() - timedelta(days=30)),  # old, never posted
        _fresh(),
    ]
    # A new account with a post is not trusted yet either.
    ContributionFactory(author=reporters[1])

    for reporter in reporters:
        report_create(reporter=reporter, obj=post, reason=SPAM)

    post.refresh_from_db()
    case = Case.objects.get()
    assert post.status == Contribution.Status.PUBLISHED
    assert (case.report_count, case.auto_hidden) == (4, False)
    assert not Report.objects.filter(trusted=True).exists()
    assert not ModerationAction.objects.exists()


@pytest.mark.django_db
@override_settings(MODERATION_TRUST_DAYS=3)
def test_trust_comes_with_age_and_a_published_comment(post):
    reporter = UserFactory(date_joined=timezone.now() - timedelta(days=4))
    CommentFactory(author=reporter)

    report_create(reporter=reporter, obj=post, reason=SPAM)

    assert Report.objects.get().trusted


@pytest.mark.django_db
def test_hosts_and_moderators_count_at_once(post, community):
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    elder = _trusted(community)

    for reporter in (host, moderator, elder):
        report_create(reporter=reporter, obj=post, reason=SPAM)

    post.refresh_from_db()
    assert post.status == Contribution.Status.HIDDEN
    assert Report.objects.filter(trusted=True).count() == 3


@pytest.mark.django_db
def test_a_host_of_another_community_does_not_count_at_once(post):
    elsewhere = MembershipFactory(role=Membership.Role.HOST).user

    report_create(reporter=elsewhere, obj=post, reason=SPAM)

    assert not Report.objects.get().trusted


@pytest.mark.django_db
def test_librarians_count_at_once_for_their_own_library_only(post, community):
    own = _librarian(community.library)
    other = _librarian(LibraryFactory())

    report_create(reporter=own, obj=post, reason=SPAM)
    report_create(reporter=other, obj=post, reason=SPAM)

    trusted = dict(Report.objects.values_list("reporter_id", "trusted"))
    assert trusted == {own.pk: True, other.pk: False}


@pytest.mark.django_db
def test_reports_on_a_comment_hide_the_comment_not_its_contribution(post, community):
    comment = CommentFactory(contribution=post)
    for _ in range(3):
        report_create(reporter=_trusted(community), obj=comment, reason=SPAM)

    comment.refresh_from_db()
    post.refresh_from_db()
    assert comment.is_hidden
    assert post.status == Contribution.Status.PUBLISHED


@pytest.mark.django_db
def test_after_a_decision_only_new_reports_count(post, community):
    for _ in range(2):
        report_create(reporter=_trusted(community), obj=post, reason=SPAM)
    case = Case.objects.get()
    # A moderator dismissed it (the queue's service does this).
    case.state, case.decision, case.decided_at = "closed", "dismissed", timezone.now()
    case.save()

    report_create(reporter=_trusted(community), obj=post, reason=SPAM)

    case.refresh_from_db()
    post.refresh_from_db()
    assert case.state == Case.State.OPEN
    assert post.status == Contribution.Status.PUBLISHED  # one new trusted report, not three


@pytest.mark.django_db
def test_a_report_after_a_decision_tells_the_moderators_again(post, community):
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    report_create(reporter=_trusted(community), obj=post, reason=SPAM)
    report_create(reporter=_trusted(community), obj=post, reason=SPAM)
    told = Notification.objects.filter(recipient=host, kind=Notification.Kind.CASE_REPORTED)
    assert told.count() == 1  # once per round, not per report
    first = told.get()
    first.read_at = timezone.now()
    first.save()
    case = Case.objects.get()
    case.state, case.decision, case.decided_at = "closed", "dismissed", timezone.now()
    case.save()

    report_create(reporter=_trusted(community), obj=post, reason=SPAM)

    again = told.get()
    assert again.pk != first.pk and again.read_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_trusted_reports_at_once_hide_once():
    community = CommunityFactory()
    post = ContributionFactory(community=community)
    reporters = [_trusted(community) for _ in range(6)]

    results, errors = _run_together(
        [lambda r=r: report_create(reporter=r, obj=post, reason=SPAM) for r in reporters]
    )

    assert errors == []
    assert sum(result.auto_hidden for result in results) == 1
    assert ModerationAction.objects.filter(action="auto_hide").count() == 1
    post.refresh_from_db()
    assert post.status == Contribution.Status.HIDDEN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_members_reporting_each_others_profiles_at_once_hide_both():
    community = CommunityFactory()
    pairs = []
    for _ in range(5):
        first, second = _trusted(community), _trusted(community)
        for profile in (first, second):
            for _ in range(2):
                report_create(reporter=_trusted(community), obj=profile, reason=SPAM)
        pairs.append((first, second))

    calls = []
    for first, second in pairs:
        calls.append(lambda a=first, b=second: report_create(reporter=a, obj=b, reason=SPAM))
        calls.append(lambda a=first, b=second: report_create(reporter=b, obj=a, reason=SPAM))
    results, errors = _run_together(calls)

    assert errors == []
    assert all(result.auto_hidden for result in results)
    for first, second in pairs:
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.profile_hidden and second.profile_hidden


# --- Who is told -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hosts_moderators_and_the_librarians_of_the_library_are_told_once(
    post, community, django_capture_on_commit_callbacks, mailoutbox
):
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    MembershipFactory(community=community)  # a plain member hears nothing
    librarian = _librarian(community.library)
    other_librarian = _librarian(LibraryFactory())

    with django_capture_on_commit_callbacks(execute=True):
        report_create(reporter=_fresh(), obj=post, reason=SPAM)
    with django_capture_on_commit_callbacks(execute=True):
        report_create(reporter=_fresh(), obj=post, reason=SPAM)

    told = Notification.objects.filter(kind=Notification.Kind.CASE_REPORTED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [host.pk, moderator.pk, librarian.pk]
    )
    assert other_librarian.pk not in told.values_list("recipient_id", flat=True)
    notification = told.get(recipient=host)
    assert notification.case == Case.objects.get()
    assert notification.actor is None  # never who reported
    assert notification.title == post.title
    assert notification.url == f"/moderatie/{notification.case_id}/"
    assert notification.sentence == (f'Er is iets gemeld in {community.title}: "{post.title}"')
    # One mail each, right away (their reply-mail window was open).
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        [host.email, moderator.email, librarian.email]
    )
    assert all(post.title in mail.subject for mail in mailoutbox)
    body = mailoutbox[0].body
    assert "omdat je modereert waar iemand iets meldde" in body
    assert "reageerde op wat je schreef" not in body
    assert f"/moderatie/{notification.case_id}/" in body


@pytest.mark.django_db
def test_a_reported_profile_goes_to_the_librarians_of_the_members_library(community):
    member = MembershipFactory(community=community).user
    librarian = _librarian(community.library)
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user

    report_create(reporter=_fresh(), obj=member, reason=SPAM)

    told = Notification.objects.get(kind=Notification.Kind.CASE_REPORTED)
    assert told.recipient == librarian  # a profile has no community, so no hosts
    assert host.pk != told.recipient_id
    assert told.sentence == f'Er is iets gemeld: "{member.display_name}"'


@pytest.mark.django_db
def test_mail_follows_the_moderators_preferences(
    post, community, django_capture_on_commit_callbacks, mailoutbox
):
    from notifications.models import NotificationPreferences

    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    NotificationPreferences.objects.create(user=host, reply_mail=False)

    with django_capture_on_commit_callbacks(execute=True):
        report_create(reporter=_fresh(), obj=post, reason=SPAM)

    notification = Notification.objects.get(recipient=host)
    assert notification.mail == Notification.Mail.NONE
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_author_and_the_reporter_are_not_told_as_moderators(community):
    host_author = MembershipFactory(community=community, role=Membership.Role.HOST).user
    host_reporter = MembershipFactory(community=community, role=Membership.Role.HOST).user
    post = ContributionFactory(community=community, author=host_author)

    report_create(reporter=host_reporter, obj=post, reason=SPAM)

    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_reporters_hear_of_the_decision_without_each_other(post, community):
    first, second = _fresh(), _fresh()
    report_create(reporter=first, obj=post, reason=SPAM)
    report_create(reporter=second, obj=post, reason=SPAM)
    case = Case.objects.get()
    case.state, case.decision, case.decided_at = "closed", "hidden", timezone.now()
    case.save()

    assert notify_reporters_decided(case) == 2
    assert notify_reporters_decided(case) == 0  # safe to call twice

    decided = Notification.objects.filter(kind=Notification.Kind.REPORT_DECIDED)
    assert sorted(decided.values_list("recipient_id", flat=True)) == sorted([first.pk, second.pk])
    notification = decided.get(recipient=first)
    assert notification.actor is None
    assert notification.url == "/melden/mijn/"
    assert notification.sentence == f'Er is besloten over je melding van "{post.title}"'
