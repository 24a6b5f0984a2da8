"""Who hears about reports: the moderators of a case when something is reported, and the
reporters when it is decided.

In-site notifications are written in the caller's transaction (a handful of rows: the hosts,
moderators and librarians of one case, or its reporters), so "told at once" holds even when the
broker is down. Mail goes through the reply mail (`notifications.reply_mail`): throttled and
bundled per member, with their reply-mail preference and muted communities honoured, so a wave
of spam reports is one mail an hour, not one per report.

Authors never learn who reported them: these notifications carry no actor, and reporters are
told only about their own report.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import translation

from notifications.events import reply_mail_wanted
from notifications.models import Notification

from . import targets
from .models import Case, ModerationAction, Report
from .selectors import case_moderator_ids

Kind = Notification.Kind
TITLE_CHARS = 200
EXCERPT_CHARS = 300


def _path(name: str, **kwargs) -> str:
    # Stored without language prefix; the notification view adds the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


def case_reported_notify(
    *, case: Case, obj: Model, reporter_id: int, new_round: bool = False
) -> list[int]:
    """Tell the moderators of `case` that `obj` was reported: once per case and person and
    round (the unique constraint on Notification), in-site and by mail per their preferences.
    Neither the reporter of this report nor the author of the object is told. Caller holds the
    case lock. `new_round`: the case was decided and is open again, so the notices of the last
    round make way for new ones (else the constraint would keep the moderators in the dark).
    Returns the members newly notified."""
    if new_round:
        Notification.objects.filter(case=case, kind=Kind.CASE_REPORTED).delete()
    recipients = [pk for pk in case_moderator_ids(case) if pk not in (reporter_id, case.author_id)]
    if not recipients:
        return []
    told = set(
        Notification.objects.filter(
            case=case, kind=Kind.CASE_REPORTED, recipient_id__in=recipients
        ).values_list("recipient_id", flat=True)
    )
    recipients = [pk for pk in recipients if pk not in told]
    if not recipients:
        return []
    info = targets.target_info(obj)
    # Where they act on it: the case's page in the review queue.
    url = _path("moderation:case_detail", pk=case.pk)
    wanting = set(reply_mail_wanted(recipients, community_id=case.community_id))
    notifications = [
        Notification(
            recipient_id=pk,
            kind=Kind.CASE_REPORTED,
            community_id=case.community_id,
            case=case,
            title=info.title[:TITLE_CHARS],
            excerpt=info.excerpt[:EXCERPT_CHARS],
            url=url,
            mail=Notification.Mail.PENDING if pk in wanting else Notification.Mail.NONE,
        )
        for pk in recipients
    ]
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    from notifications.tasks import reply_mail_send

    for pk in sorted(wanting):
        reply_mail_send.delay_on_commit(pk)
    return recipients


def _case_title(case: Case) -> str:
    """What the case is about, also when the object is gone (the log keeps its name)."""
    obj = case.target
    if obj is not None and targets.is_reportable(obj):
        return targets.target_info(obj).title
    logged = (
        ModerationAction.objects.filter(case=case)
        .exclude(object_repr="")
        .order_by("-created_at")
        .values_list("object_repr", flat=True)
        .first()
    )
    return logged or str(case)


def notify_reporters_decided(case: Case) -> int:
    """After a moderator decided `case` (state closed, `decision` and `decided_at` set): each
    member who reported it before the decision gets a REPORT_DECIDED notification, in-site
    only, linking to their own reports, where the decision shows. Call it in the deciding
    transaction; safe to call twice. Returns how many were written."""
    if not case.decision or case.decided_at is None:
        return 0
    reporter_ids = list(
        Report.objects.filter(case=case, created_at__lte=case.decided_at, reporter__is_active=True)
        .order_by("reporter_id")
        .values_list("reporter_id", flat=True)
    )
    told = set(
        Notification.objects.filter(
            case=case, kind=Kind.REPORT_DECIDED, recipient_id__in=reporter_ids
        ).values_list("recipient_id", flat=True)
    )
    reporter_ids = [pk for pk in reporter_ids if pk not in told]
    if not reporter_ids:
        return 0
    title = _case_title(case)[:TITLE_CHARS]
    url = _path("moderation:report_list_own")
    notifications = [
        Notification(
            recipient_id=pk,
            kind=Kind.REPORT_DECIDED,
            community_id=case.community_id,
            case=case,
            title=title,
            url=url,
        )
        for pk in reporter_ids
    ]
    # ignore_conflicts: a concurrent call may have written some of them; the constraint decides.
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    return len(notifications)
