"""Residents report (*melden*): one report per person and object, a daily cap per person, and
auto-hide once enough trusted members reported.

Locks, always in this order, so that two reports never wait on each other in a circle:

1. the reporter's row (`User`; with a reported member's row, in id order): their reports are
   made one at a time, so the daily count read under it is exact, however many arrive at once;
2. the case's row (`Case`): the reports on one object are counted one at a time, so the
   third trusted reporter is seen by exactly one transaction, which hides the object.

The unique constraints decide the rest: one case per object (two first reports racing to open
it), one report per person and case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import User
from communities.suspension import require_can_act
from kenniscloud.common.ratelimit import RateLimited, throttle

from .. import selectors, targets
from ..log import record
from ..models import Case, ModerationAction, Report
from ..notify import case_reported_notify

DAY = timedelta(days=1)
NOTE_MAX = 1000


class ReportLimitReached(RateLimited):
    """The reporter made MODERATION_REPORTS_PER_DAY reports in the last 24 hours.

    A `RateLimited` like the other limits, so every door answers it the same way (429);
    `retry_after`: seconds until the oldest of them is a day old and one more may be made.
    Counted in the database, not the cache: stored reports are what the cap is about."""

    def __init__(self, message: str, *, retry_after: float):
        super().__init__(message, retry_after=retry_after, action="report", rule="per_day")


@dataclass(frozen=True)
class ReportResult:
    report: Report
    case: Case
    # This report made the object hidden (the threshold was reached just now).
    auto_hidden: bool


def _validate(reason: str, note: str) -> str:
    errors = {}
    if reason not in Report.Reason.values:
        errors["reason"] = _("Kies waarom je dit meldt.")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("Houd je toelichting korter dan %(max)s tekens.") % {"max": NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    return note


@transaction.atomic
def report_create(*, reporter: User, obj: Model, reason: str, note: str = "") -> ReportResult:
    """`reporter` reports `obj` (a contribution, comment, meetup or member profile).

    Refuses, with a translated message: anonymous or suspended members (PermissionDenied),
    what the reporter may not see (Http404, as its page), their own content, a second report
    of the same object, a bad reason or a too long note (ValidationError), more than
    MODERATION_REPORTS_PER_DAY reports in 24 hours (ReportLimitReached), and reports in quick
    succession (RateLimited, the pause of RATE_LIMITS["report"]). Both of the last carry
    `retry_after`. Nothing is stored when it refuses.
    """
    if not reporter.is_authenticated or not reporter.is_active:
        raise PermissionDenied(_("Log in om iets te melden."))
    require_can_act(reporter)
    selectors.report_target_check_visible(reporter, obj)
    author = targets.target_author(obj)
    if author is not None and author.pk == reporter.pk:
        raise ValidationError(_("Je kunt niet melden wat je zelf hebt geplaatst."), code="own")
    note = _validate(reason, note)

    now = timezone.now()
    _lock_reporter_within_daily_cap(reporter, now, also=obj if isinstance(obj, User) else None)
    case = _case_lock_or_open(obj, now)
    if Report.objects.filter(case=case, reporter=reporter).exists():
        raise ValidationError(_("Je hebt dit al gemeld."), code="duplicate")
    trusted = selectors.reporter_is_trusted(
        reporter, community=case.community, library_id=case.library_id, now=now
    )
    # The pause between two reports (RATE_LIMITS["report"]), charged last: a report refused
    # above costs nothing. Raises RateLimited, and the transaction stores nothing.
    throttle(reporter, "report", moment=now)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                case=case,
                reporter=reporter,
                reason=reason,
                note=note,
                trusted=trusted,
                created_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("Je hebt dit al gemeld."), code="duplicate") from None

    case.report_count += 1
    fields = ["report_count"]
    reopened = case.state == Case.State.CLOSED
    if reopened:
        # New reports after a decision open the case again; the earlier decision stays on it
        # until the next one, and the reports it settled no longer count towards auto-hide.
        # `auto_hidden` means "hidden by the rules, pending a decision": that one was made.
        case.state = Case.State.OPEN
        case.auto_hidden = False
        fields += ["state", "auto_hidden"]
    case.save(update_fields=fields)
    hidden = _auto_hide_if_due(case, obj, now)
    case_reported_notify(case=case, obj=obj, reporter_id=reporter.pk, new_round=reopened)
    return ReportResult(report=report, case=case, auto_hidden=hidden)


def _lock_reporter_within_daily_cap(
    reporter: User, now: datetime, *, also: User | None = None
) -> None:
    """Lock the reporter's row, then count their reports of the last 24 hours under it.

    `also`: a reported member, whose row auto-hide writes (`profile_hidden`). Both rows are
    locked now, in id order, so that two members reporting each other cannot deadlock."""
    ids = sorted({reporter.pk, also.pk} if also is not None else {reporter.pk})
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    limit = selectors.reports_per_day()
    recent = list(
        Report.objects.filter(reporter=reporter, created_at__gt=now - DAY)
        .order_by("created_at")
        .values_list("created_at", flat=True)[: max(limit, 1)]
    )
    if len(recent) < limit:
        return
    oldest = recent[0] if recent else now
    retry_after = (oldest + DAY - now).total_seconds()
    raise ReportLimitReached(
        ngettext(
            "Je hebt in 24 uur al %(limit)s melding gedaan; meer kan niet. "
            "Probeer het later nog eens.",
            "Je hebt in 24 uur al %(limit)s meldingen gedaan; meer kan niet. "
            "Probeer het later nog eens.",
            limit,
        )
        % {"limit": limit},
        retry_after=retry_after,
    )


def _case_lock_or_open(obj: Model, now: datetime) -> Case:
    """The case of `obj`, locked; opened when this is its first report. Two first reports at
    once: one INSERT wins, the other waits for it, fails on the unique constraint, and then
    locks the winner's row."""
    content_type = ContentType.objects.get_for_model(obj)
    lookup = {"content_type": content_type, "object_id": obj.pk}
    case = Case.objects.select_for_update().filter(**lookup).first()
    if case is not None:
        return case
    try:
        with transaction.atomic():
            return Case.objects.create(
                **lookup,
                community=targets.target_community(obj),
                library_id=targets.target_library_id(obj),
                author=targets.target_author(obj),
                opened_at=now,
            )
    except IntegrityError:
        return Case.objects.select_for_update().get(**lookup)


def _auto_hide_if_due(case: Case, obj: Model, now: datetime) -> bool:
    """Hide `obj` once MODERATION_AUTO_HIDE_REPORTS distinct trusted members reported it since
    the case's last decision. Caller holds the case lock, so exactly one report tips it."""
    if case.state != Case.State.OPEN or case.auto_hidden or targets.target_is_hidden(obj):
        return False
    counted = Report.objects.filter(case=case, trusted=True)
    if case.decided_at is not None:
        counted = counted.filter(created_at__gt=case.decided_at)
    if counted.count() < selectors.auto_hide_reports():
        return False
    case.status_before = targets.target_hide(obj)
    case.auto_hidden = True
    case.save(update_fields=["status_before", "auto_hidden"])
    record(
        ModerationAction.Action.AUTO_HIDE,
        actor=None,
        obj=obj,
        case=case,
        member=case.author,
        community=case.community,
        library=case.library,
    )
    return True
