"""Reads for reporting: what a member may report, whether they count as trusted, and their own
reports with what became of them.

A member may report only what they may see, by the same selectors the pages use: whoever gets
a 404 on the page gets a 404 on the report form too, and learns nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Membership, User
from communities.selectors import (
    LIBRARIAN_GROUP,
    Viewer,
    community_manager_ids,
    member_get_visible,
    user_can_manage,
)
from knowledge.models import Comment, Contribution
from knowledge.selectors import contribution_get_visible
from meetups.selectors.visibility import meetup_get_visible

from . import targets
from .models import Case, Report

# What a reporter reads for each kind of reported object.
KIND_LABELS = {
    targets.CONTRIBUTION: _("Bijdrage"),
    targets.COMMENT: _("Reactie"),
    targets.MEETUP: _("Bijeenkomst"),
    targets.MEMBER: _("Profiel"),
}


def reports_per_day() -> int:
    return int(settings.MODERATION_REPORTS_PER_DAY)


def trust_days() -> int:
    return int(settings.MODERATION_TRUST_DAYS)


def auto_hide_reports() -> int:
    # Below 1 would hide on no report at all.
    return max(1, int(settings.MODERATION_AUTO_HIDE_REPORTS))


# --- What a member may report ----------------------------------------------------------------


def report_target_get_visible(user: Viewer, kind: str, pk) -> Model:
    """The object of `kind` ("bijdrage", "reactie", "bijeenkomst", "lid") with id `pk`, when
    `user` may see it; 404 otherwise, as on its own page."""
    obj = targets.target_get(kind, pk)
    report_target_check_visible(user, obj)
    return obj


def report_target_check_visible(user: Viewer, obj: Model) -> None:
    """Raise 404 unless `user` may see `obj` where it is shown on the site."""
    if isinstance(obj, Contribution):
        contribution_get_visible(user, obj.pk)
    elif isinstance(obj, Comment):
        _check_comment_visible(user, obj)
    elif isinstance(obj, User):
        member_get_visible(user, obj.handle)
    else:
        from meetups.models import Meetup

        if not isinstance(obj, Meetup):
            raise Http404
        meetup_get_visible(user, obj.pk)


def _check_comment_visible(user: Viewer, comment: Comment) -> None:
    """As the contribution page: its contribution visible, the comment not deleted, and hidden
    or waiting comments only for those who moderate (and a waiting one for its author)."""
    contribution = contribution_get_visible(user, comment.contribution_id)
    if comment.is_deleted:
        raise Http404
    if comment.is_hidden or comment.is_pending:
        own = user.is_authenticated and comment.author_id == user.pk
        if not ((comment.is_pending and own) or user_can_manage(user, contribution.community)):
            raise Http404


def report_exists(reporter: Viewer, obj: Model) -> bool:
    """Whether `reporter` already reported `obj` (one report per person and object)."""
    if not reporter.is_authenticated:
        return False
    return Report.objects.filter(
        reporter=reporter,
        case__content_type=ContentType.objects.get_for_model(obj),
        case__object_id=obj.pk,
    ).exists()


# --- Trust -----------------------------------------------------------------------------------


def reporter_is_trusted(
    reporter: User,
    *,
    community: Community | None,
    library_id: int | None,
    now: datetime | None = None,
) -> bool:
    """Whether `reporter`'s report counts towards auto-hide.

    At once: superusers, hosts and moderators of `community`, librarians of `library_id`
    (of that library only, not of another). Otherwise an account older than
    MODERATION_TRUST_DAYS with at least one published contribution or comment: a report count
    must not become a weapon of fresh accounts made for it.
    """
    if not reporter.is_active:
        return False
    if reporter.is_superuser:
        return True
    if community is not None and (
        Membership.objects.filter(
            user=reporter,
            community=community,
            state=Membership.State.ACTIVE,
            role__in=Membership.MANAGING_ROLES,
        ).exists()
    ):
        return True
    if (
        library_id is not None
        and User.objects.filter(
            pk=reporter.pk, groups__name=LIBRARIAN_GROUP, libraries=library_id
        ).exists()
    ):
        return True
    now = now or timezone.now()
    if reporter.date_joined > now - timedelta(days=trust_days()):
        return False
    published = Contribution.Status.PUBLISHED
    return (
        Contribution.objects.filter(author=reporter, status=published).exists()
        or Comment.objects.filter(
            author=reporter, status=published, deleted_at__isnull=True
        ).exists()
    )


# --- Who hears about a report ----------------------------------------------------------------


def case_moderator_ids(case: Case) -> list[int]:
    """Who moderates `case`: active hosts and moderators of its community (or of its parent,
    for a subcommunity) and the librarians of its library (group and library both), active
    accounts only. Superusers are left out: they see every queue but are not mailed about
    every library's reports."""
    who = Q(pk__in=[])
    if case.community_id is not None:
        who |= Q(pk__in=community_manager_ids(case.community_id))
    if case.library_id is not None:
        librarians = User.objects.filter(
            groups__name=LIBRARIAN_GROUP, libraries=case.library_id
        ).values("pk")
        who |= Q(pk__in=librarians)
    return list(
        User.objects.filter(who, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


# --- A member's own reports ------------------------------------------------------------------


@dataclass(frozen=True)
class OwnReport:
    """One line of "Wat ik heb gemeld": never anything about other reporters."""

    report: Report
    title: str
    url: str  # "" when the object is gone or no longer visible to the reporter
    kind: str
    kind_label: str
    decided: bool
    decision_label: str
    decided_at: datetime | None


def report_list_own(reporter: User) -> QuerySet[Report]:
    """The reporter's reports, newest first, with their case (one query a page)."""
    return (
        Report.objects.filter(reporter=reporter)
        .select_related("case", "case__content_type")
        .order_by("-created_at", "-pk")
    )


def own_reports_explained(reports: list[Report]) -> list[OwnReport]:
    """What each report was about and what was decided, for one page of `report_list_own`.

    The objects come in with one query per kind (`targets.target_load_many`). A report counts
    as decided once its case was decided after the report was made: a case reopened by later
    reports keeps its earlier decision, which is not about this report.
    """
    objects = targets.target_load_many((r.case.content_type_id, r.case.object_id) for r in reports)
    lines = []
    for report in reports:
        case = report.case
        obj = objects.get((case.content_type_id, case.object_id))
        title, url, kind = "", "", case.content_type.model
        if obj is not None:
            info = targets.target_info(obj)
            title, kind = info.title, info.kind
            # A hidden object's page is a 404 for the reporter: no link to it.
            url = "" if info.is_hidden else info.url
        decided = bool(
            case.decision and case.decided_at is not None and case.decided_at >= report.created_at
        )
        lines.append(
            OwnReport(
                report=report,
                title=title,
                url=url,
                kind=kind,
                kind_label=str(KIND_LABELS.get(kind, _("Iets anders"))),
                decided=decided,
                decision_label=case.get_decision_display() if decided else "",
                decided_at=case.decided_at if decided else None,
            )
        )
    return lines
