"""Deciding a case: each action's effect on the object, the log, the author and the reporters;
who may decide; double clicks; bulk decisions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Membership
from communities.selectors import LIBRARIAN_GROUP
from knowledge import selectors as knowledge_selectors
from knowledge.models import Comment, Contribution
from moderation.models import ModerationAction
from moderation.services import decisions
from notifications.models import Notification
from search.models import SearchEntry
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.moderation.cases import case_for

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def author(community):
    return MembershipFactory(community=community, user__display_name="Arie Auteur").user


@pytest.fixture
def contribution(community, author):
    return ContributionFactory(community=community, author=author, title="Koop nu goedkoop")


def _librarian_of(library):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])
    library.librarians.add(user)
    return user


def _log(case):
    return list(
        ModerationAction.objects.filter(case=case).order_by("pk").values_list("action", flat=True)
    )


def _notices(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_hide_hides_everywhere_and_tells_the_author(host, contribution, author, outsider):
    case = case_for(contribution)
    result = decisions.case_hide(by=host, case_id=case.pk, reason="Reclame hoort hier niet.")
    assert result.changed
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.HIDDEN
    assert contribution not in knowledge_selectors.contribution_list_visible_to(outsider)
    assert not SearchEntry.objects.filter(kind="contribution", object_id=contribution.pk).exists()
    case.refresh_from_db()
    assert (case.state, case.decision, case.reason) == (
        "closed",
        "hidden",
        "Reclame hoort hier niet.",
    )
    assert case.decided_by == host and case.status_before == "published"
    (notice,) = _notices(author, Kind.CONTENT_HIDDEN)
    assert notice.excerpt == "Reclame hoort hier niet." and notice.actor is None
    assert notice.url == contribution.get_absolute_url()
    assert _log(case) == ["hide"]
    row = ModerationAction.objects.get(case=case)
    assert (row.actor, row.member, row.reason) == (host, author, "Reclame hoort hier niet.")
    assert row.object_repr == "Koop nu goedkoop" and row.library == contribution.community.library
    # Each reporter is told a decision was made; not who made it.
    decided = Notification.objects.filter(kind=Kind.REPORT_DECIDED, case=case)
    assert decided.count() == 1 and decided.get().actor is None


def test_hide_needs_a_reason_and_stores_nothing_without(host, contribution):
    case = case_for(contribution)
    with pytest.raises(ValidationError) as error:
        decisions.case_hide(by=host, case_id=case.pk, reason="   ")
    assert "reason" in error.value.message_dict
    contribution.refresh_from_db()
    assert contribution.status == "published" and _log(case) == []


def test_double_click_hides_once(host, contribution, author):
    case = case_for(contribution)
    assert decisions.case_hide(by=host, case_id=case.pk, reason="Spam").changed
    assert not decisions.case_hide(by=host, case_id=case.pk, reason="Spam").changed
    assert _log(case) == ["hide"]
    assert len(_notices(author, Kind.CONTENT_HIDDEN)) == 1


def test_restore_brings_it_back(host, contribution, author, outsider):
    case = case_for(contribution, auto_hide=True)
    contribution.refresh_from_db()
    assert contribution.status == "hidden"
    result = decisions.case_restore(by=host, case_id=case.pk)
    assert result.changed
    contribution.refresh_from_db()
    assert contribution.status == "published"
    assert contribution in knowledge_selectors.contribution_list_visible_to(outsider)
    assert SearchEntry.objects.filter(kind="contribution", object_id=contribution.pk).exists()
    case.refresh_from_db()
    assert (case.state, case.decision, case.auto_hidden) == ("closed", "restored", False)
    assert len(_notices(author, Kind.CONTENT_RESTORED)) == 1
    # A second click changes nothing; restoring what is not hidden otherwise is refused.
    assert not decisions.case_restore(by=host, case_id=case.pk).changed
    other = case_for(ContributionFactory(community=contribution.community))
    with pytest.raises(ValidationError):
        decisions.case_restore(by=host, case_id=other.pk)
    assert _log(case) == ["restore"] and _log(other) == []


def test_hide_then_restore_gives_back_the_status_before(host, community, author):
    pending = ContributionFactory(community=community, author=author, status="pending")
    case = case_for(pending)
    decisions.case_hide(by=host, case_id=case.pk, reason="Twijfel")
    decisions.case_restore(by=host, case_id=case.pk)
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_dismiss_restores_only_what_the_rules_hid(host, contribution, author):
    case = case_for(contribution, auto_hide=True)
    decisions.case_dismiss(by=host, case_id=case.pk)
    contribution.refresh_from_db()
    assert contribution.status == "published"
    assert len(_notices(author, Kind.CONTENT_RESTORED)) == 1
    case.refresh_from_db()
    assert (case.state, case.decision) == ("closed", "dismissed")
    assert not decisions.case_dismiss(by=host, case_id=case.pk).changed
    assert _log(case) == ["dismiss"]

    plain = case_for(ContributionFactory(community=contribution.community, author=author))
    decisions.case_dismiss(by=host, case_id=plain.pk)
    assert len(_notices(author, Kind.CONTENT_RESTORED)) == 1  # nothing was hidden


def test_delete_comment_keeps_the_thread(host, contribution, author):
    comment = CommentFactory(contribution=contribution, author=author, body="koop koop koop")
    case = case_for(comment)
    decisions.case_delete(by=host, case_id=case.pk, reason="Spam")
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == ""
    assert not decisions.case_delete(by=host, case_id=case.pk).changed
    assert _log(case) == ["delete"]
    row = ModerationAction.objects.get(case=case)
    assert row.object_id == comment.pk and row.reason == "Spam"


def test_delete_contribution_removes_it_and_the_log_keeps_its_name(host, contribution):
    case = case_for(contribution)
    decisions.case_delete(by=host, case_id=case.pk)
    assert not Contribution.objects.filter(pk=contribution.pk).exists()
    case.refresh_from_db()
    assert case.decision == "deleted"
    row = ModerationAction.objects.get(case=case)
    assert (row.action, row.object_repr, row.object_id) == (
        "delete",
        "Koop nu goedkoop",
        contribution.pk,
    )


def test_delete_tells_the_author_what_went_and_why(host, contribution, author, community):
    case = case_for(contribution)
    decisions.case_delete(by=host, case_id=case.pk, reason="Reclame.")
    (notice,) = _notices(author, Kind.CONTENT_DELETED)
    assert (notice.title, notice.excerpt, notice.actor) == ("Koop nu goedkoop", "Reclame.", None)
    # Nothing left to link to but the community it was in.
    assert notice.url == f"/gemeenschappen/{community.slug}/"
    assert not decisions.case_delete(by=host, case_id=case.pk).changed
    assert len(_notices(author, Kind.CONTENT_DELETED)) == 1


def test_a_profile_is_not_deleted(community, author):
    librarian = _librarian_of(community.library)
    case = case_for(author)
    with pytest.raises(ValidationError):
        decisions.case_delete(by=librarian, case_id=case.pk)
    assert _log(case) == []


def test_warn_tells_the_author_once(host, contribution, author):
    case = case_for(contribution)
    with pytest.raises(ValidationError):
        decisions.author_warn(by=host, case_id=case.pk, reason="")
    assert decisions.author_warn(by=host, case_id=case.pk, reason="Let op je toon.").changed
    assert not decisions.author_warn(by=host, case_id=case.pk, reason="Let op je toon.").changed
    (notice,) = _notices(author, Kind.MODERATION_WARNING)
    assert notice.excerpt == "Let op je toon."
    case.refresh_from_db()
    assert case.state == "open"  # a warning is no decision
    assert _log(case) == ["warn"]


def test_a_second_hiding_notifies_the_author_again(host, contribution, author):
    case = case_for(contribution)
    decisions.case_hide(by=host, case_id=case.pk, reason="Eerste keer")
    decisions.case_restore(by=host, case_id=case.pk)
    decisions.case_hide(by=host, case_id=case.pk, reason="Tweede keer")
    (notice,) = _notices(author, Kind.CONTENT_HIDDEN)
    assert notice.excerpt == "Tweede keer"
    assert _log(case) == ["hide", "restore", "hide"]


def test_scope_per_community(host, contribution):
    other = ContributionFactory(community=CommunityFactory(library=contribution.community.library))
    case = case_for(other)
    with pytest.raises(PermissionDenied):
        decisions.case_hide(by=host, case_id=case.pk, reason="Niet van mij")
    other.refresh_from_db()
    assert other.status == "published" and _log(case) == []


def test_moderators_decide_members_do_not(community, contribution, member, membership):
    case = case_for(contribution)
    with pytest.raises(PermissionDenied):
        decisions.case_dismiss(by=member, case_id=case.pk)
    Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.MODERATOR)
    assert decisions.case_dismiss(by=member, case_id=case.pk).changed


def test_scope_per_library(community, contribution):
    librarian = _librarian_of(community.library)
    elsewhere = ContributionFactory(community=CommunityFactory())
    mine, theirs = case_for(contribution), case_for(elsewhere)
    assert decisions.case_hide(by=librarian, case_id=mine.pk, reason="Spam").changed
    with pytest.raises(PermissionDenied):
        decisions.case_hide(by=librarian, case_id=theirs.pk, reason="Spam")
    # A host of a community decides nothing about a profile: that is for librarians.
    profile = case_for(contribution.author)
    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    with pytest.raises(PermissionDenied):
        decisions.case_hide(by=host, case_id=profile.pk, reason="Spam")
    assert decisions.case_hide(by=librarian, case_id=profile.pk, reason="Spam").changed
    contribution.author.refresh_from_db()
    assert contribution.author.profile_hidden


def test_superuser_decides_everywhere(contribution, admin_user):
    case = case_for(contribution)
    assert decisions.case_dismiss(by=admin_user, case_id=case.pk).changed


def test_a_suspended_host_decides_nothing(host, contribution):
    host.suspended_at = timezone.now()
    host.save(update_fields=["suspended_at"])
    case = case_for(contribution)
    with pytest.raises(PermissionDenied):
        decisions.case_dismiss(by=host, case_id=case.pk)


def test_bulk_hides_a_spam_wave_in_one_go(host, community, author):
    wave = ContributionFactory.create_batch(4, community=community, author=author)
    comment = CommentFactory(contribution=wave[0], author=author)
    cases = [case_for(c) for c in [*wave, comment]]
    results = decisions.cases_decide(
        by=host, case_ids=[c.pk for c in cases], action="hide", reason="Spamgolf"
    )
    assert all(r.changed for r in results)
    assert set(
        Contribution.objects.filter(pk__in=[c.pk for c in wave]).values_list("status", flat=True)
    ) == {"hidden"}
    assert Comment.objects.get(pk=comment.pk).status == "hidden"
    assert ModerationAction.objects.filter(action="hide", actor=host).count() == 5


def test_bulk_is_all_or_nothing(host, community, author):
    mine = ContributionFactory(community=community, author=author)
    theirs = ContributionFactory(community=CommunityFactory())
    cases = [case_for(mine), case_for(theirs)]
    with pytest.raises(PermissionDenied):
        decisions.cases_decide(by=host, case_ids=[c.pk for c in cases], action="delete")
    assert Contribution.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2
    assert not ModerationAction.objects.exists()
    # One that cannot take the action stops the others too.
    hidden = case_for(ContributionFactory(community=community), auto_hide=True)
    shown = case_for(ContributionFactory(community=community))
    with pytest.raises(ValidationError):
        decisions.cases_decide(by=host, case_ids=[hidden.pk, shown.pk], action="restore")
    assert not ModerationAction.objects.exists()
    with pytest.raises(ValidationError):
        decisions.cases_decide(by=host, case_ids=[hidden.pk], action="hide", reason="")
    with pytest.raises(ValidationError):
        decisions.cases_decide(by=host, case_ids=[], action="dismiss")
    with pytest.raises(ValidationError):
        decisions.case_decide(by=host, case_id=hidden.pk, action="explode")


def test_the_log_is_append_only_by_its_services(host, contribution):
    """Deciding never rewrites earlier rows: each act adds one."""
    case = case_for(contribution)
    decisions.case_hide(by=host, case_id=case.pk, reason="Eerst")
    first = ModerationAction.objects.get(case=case)
    decisions.case_restore(by=host, case_id=case.pk, reason="Toch goed")
    first_again = ModerationAction.objects.get(pk=first.pk)
    assert (first_again.action, first_again.reason, first_again.created_at) == (
        first.action,
        first.reason,
        first.created_at,
    )
    assert _log(case) == ["hide", "restore"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_click_hides_once(community, author):
    """Two moderators click "Verbergen" at once: the case lock lets one decide; the other finds
    it done."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    contribution = ContributionFactory(community=community, author=author)
    case = case_for(contribution)

    def click(_n):
        try:
            return decisions.case_hide(by=host, case_id=case.pk, reason="Spam").changed
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        changed = list(pool.map(click, range(4)))
    assert changed.count(True) == 1
    assert ModerationAction.objects.filter(case=case).count() == 1
    assert Notification.objects.filter(kind=Kind.CONTENT_HIDDEN, case=case).count() == 1


@pytest.mark.postgres
def test_the_database_refuses_to_change_or_delete_a_log_row(host, contribution):
    """Append-only whoever writes: the shell, the Django admin or a bug in a service."""
    from django.db import DatabaseError, transaction

    case = case_for(contribution)
    decisions.case_hide(by=host, case_id=case.pk, reason="Eerst")
    row = ModerationAction.objects.get(case=case)
    for attempt in (
        lambda: ModerationAction.objects.filter(pk=row.pk).update(reason="Anders"),
        lambda: ModerationAction.objects.filter(pk=row.pk).update(actor=contribution.author),
        lambda: ModerationAction.objects.filter(pk=row.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    # What ON DELETE SET NULL does when the moderator's account goes is allowed.
    ModerationAction.objects.filter(pk=row.pk).update(actor=None)
    row.refresh_from_db()
    assert (row.reason, row.actor_id) == ("Eerst", None)
