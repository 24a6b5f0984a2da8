"""Moderators decide a case: dismiss, hide (with a reason the author reads), restore, delete,
or warn the author. One at a time or in bulk for a spam wave.

Each decision locks the case row (`select_for_update`) before it reads anything, so two
moderators, or one double click, decide one after the other; the second finds the work done and
changes nothing (`DecisionResult.changed` is False), writing no second log row and sending no
second notice. Bulk decisions lock all their cases first, in id order (no two waves wait on
each other in a circle), check every one, and then decide them in the same transaction: all or
nothing.

Every act is written to the log through `moderation.log.record` in the same transaction. The
author hears about hiding, restoring and warnings; the reporters that a decision was made
(`moderation.notify.notify_reporters_decided`), never by whom, and the author never by whom
they were reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import User
from communities.suspension import require_can_act
from notifications.models import Notification

from .. import targets
from ..log import record
from ..models import Case, ModerationAction
from ..notify import notify_reporters_decided
from ..queue import case_can_decide

REASON_MAX = 2000
EXCERPT_CHARS = 300
TITLE_CHARS = 200

DISMISS = "dismiss"
HIDE = "hide"
RESTORE = "restore"
DELETE = "delete"
WARN = "warn"
ACTIONS = (DISMISS, HIDE, RESTORE, DELETE, WARN)
# The author reads these reasons: a decision that needs one refuses without it.
NEEDS_REASON = (HIDE, WARN)


@dataclass(frozen=True)
class DecisionResult:
    case: Case
    changed: bool


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Schrijf een reden op. De auteur leest die.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Houd de reden korter dan %(max)s tekens.") % {"max": REASON_MAX}}
        )
    return reason


def _lock_case(by: User, case_id: int) -> Case:
    """The case, locked until the end of the transaction, or PermissionDenied when `by` may
    not decide it (also when it does not exist: nobody learns what is reported elsewhere)."""
    require_can_act(by)
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not case_can_decide(by, case):
        raise PermissionDenied(_("Je mag over deze melding niet beslissen."))
    return case


def _target(case: Case) -> Model | None:
    return targets.target_load_many([(case.content_type_id, case.object_id)]).get(
        (case.content_type_id, case.object_id)
    )


def _close(case: Case, by: User, decision: str, reason: str = "") -> None:
    """Caller holds the lock. A decision ends the round: what the rules hid is now decided
    (`auto_hidden` off), and later reports start a new round."""
    case.state = Case.State.CLOSED
    case.decision = decision
    case.reason = reason
    case.auto_hidden = False
    case.decided_at = timezone.now()
    case.decided_by = by
    case.save(
        update_fields=["state", "decision", "reason", "auto_hidden", "decided_at", "decided_by"]
    )


def _log(action: str, by: User, case: Case, obj: Model | None, reason: str = "") -> None:
    record(
        action,
        actor=by,
        obj=obj,
        case=case,
        member=case.author,
        community=case.community,
        library=case.library,
        reason=reason,
    )


def _community_path(case: Case) -> str:
    if case.community is None:
        return "/"
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("communities:community_detail", kwargs={"slug": case.community.slug})


def _tell_author(
    case: Case,
    obj: Model | None,
    kind: str,
    *,
    by: User,
    reason: str = "",
    url: str | None = None,
) -> None:
    """One notice to the author, in-site. The unique constraint allows one per kind and case:
    a second hiding of the same object replaces the first notice, so it shows as new. `url`
    overrides the object's own (a deleted object has none left to link to)."""
    author = case.author
    if author is None or not author.is_active or author.pk == by.pk:
        return
    if obj is not None:
        # Stored without language prefix; the notification view adds the reader's.
        with translation.override(settings.LANGUAGE_CODE):
            info = targets.target_info(obj)
        title, url = info.title, url or info.url
    else:
        title, url = str(case), url or "/"
    Notification.objects.filter(recipient=author, kind=kind, case=case).delete()
    Notification.objects.create(
        recipient=author,
        kind=kind,
        community=case.community,
        case=case,
        title=title[:TITLE_CHARS],
        excerpt=reason[:EXCERPT_CHARS],
        url=url,
    )


@transaction.atomic
def case_dismiss(*, by: User, case_id: int, reason: str = "") -> DecisionResult:
    """Nothing wrong: close the case. What the rules hid while waiting for this decision is
    shown again, and its author told so."""
    reason = _clean_reason(reason, required=False)
    case = _lock_case(by, case_id)
    if case.state == Case.State.CLOSED and case.decision == Case.Decision.DISMISSED:
        return DecisionResult(case, changed=False)
    obj = _target(case)
    restored = False
    if obj is not None and case.auto_hidden and targets.target_is_hidden(obj):
        targets.target_restore(obj, case.status_before)
        restored = True
    _close(case, by, Case.Decision.DISMISSED)
    _log(ModerationAction.Action.DISMISS, by, case, obj, reason)
    if restored:
        _tell_author(case, obj, Notification.Kind.CONTENT_RESTORED, by=by)
    notify_reporters_decided(case)
    return DecisionResult(case, changed=True)


@transaction.atomic
def case_hide(*, by: User, case_id: int, reason: str) -> DecisionResult:
    """Hide the object from everyone but its moderators and its author, who reads `reason`."""
    reason = _clean_reason(reason, required=True)
    case = _lock_case(by, case_id)
    obj = _target(case)
    if obj is None:
        raise ValidationError(_("Dit bestaat niet meer; er valt niets te verbergen."))
    hidden = targets.target_is_hidden(obj)
    if case.state == Case.State.CLOSED and case.decision == Case.Decision.HIDDEN and hidden:
        return DecisionResult(case, changed=False)
    if not hidden:
        case.status_before = targets.target_hide(obj)
        case.save(update_fields=["status_before"])
    _close(case, by, Case.Decision.HIDDEN, reason)
    _log(ModerationAction.Action.HIDE, by, case, obj, reason)
    _tell_author(case, obj, Notification.Kind.CONTENT_HIDDEN, by=by, reason=reason)
    notify_reporters_decided(case)
    return DecisionResult(case, changed=True)


@transaction.atomic
def case_restore(*, by: User, case_id: int, reason: str = "") -> DecisionResult:
    """Show a hidden object again, as it was before (`Case.status_before`)."""
    reason = _clean_reason(reason, required=False)
    case = _lock_case(by, case_id)
    obj = _target(case)
    if obj is None:
        raise ValidationError(_("Dit bestaat niet meer; er valt niets terug te zetten."))
    if not targets.target_is_hidden(obj):
        if case.state == Case.State.CLOSED and case.decision == Case.Decision.RESTORED:
            return DecisionResult(case, changed=False)
        raise ValidationError(_("Dit is niet verborgen; er valt niets terug te zetten."))
    targets.target_restore(obj, case.status_before)
    _close(case, by, Case.Decision.RESTORED)
    _log(ModerationAction.Action.RESTORE, by, case, obj, reason)
    _tell_author(case, obj, Notification.Kind.CONTENT_RESTORED, by=by)
    notify_reporters_decided(case)
    return DecisionResult(case, changed=True)


@transaction.atomic
def case_delete(*, by: User, case_id: int, reason: str = "") -> DecisionResult:
    """Remove the object for good (a comment: its words; the thread keeps its place). A member
    profile is not deleted: hide it, or suspend the account."""
    reason = _clean_reason(reason, required=False)
    case = _lock_case(by, case_id)
    if case.state == Case.State.CLOSED and case.decision == Case.Decision.DELETED:
        return DecisionResult(case, changed=False)
    obj = _target(case)
    if obj is not None and targets.target_kind(obj) == targets.MEMBER:
        raise ValidationError(
            _("Een profiel kun je niet verwijderen. Verberg het, of laat het account schorsen.")
        )
    # Logged before the row goes: the log keeps its name and id.
    _log(ModerationAction.Action.DELETE, by, case, obj, reason)
    # The author hears what went and why (the notice keeps the title), never from whom; it
    # links to the community, as the object has no page left.
    _tell_author(
        case,
        obj,
        Notification.Kind.CONTENT_DELETED,
        by=by,
        reason=reason,
        url=_community_path(case),
    )
    if obj is not None and targets.target_can_delete(obj):
        targets.target_delete(obj)
    _close(case, by, Case.Decision.DELETED)
    notify_reporters_decided(case)
    return DecisionResult(case, changed=True)


@transaction.atomic
def author_warn(*, by: User, case_id: int, reason: str) -> DecisionResult:
    """Warn the author, who reads `reason`. Leaves the case as it is: a warning goes with a
    decision, or stands alone. Once per case and round (since its last decision)."""
    reason = _clean_reason(reason, required=True)
    case = _lock_case(by, case_id)
    if case.author_id is None:
        raise ValidationError(_("Er is geen auteur om te waarschuwen."))
    since = case.decided_at or case.opened_at
    warned = ModerationAction.objects.filter(
        case=case, action=ModerationAction.Action.WARN, created_at__gte=since
    )
    if warned.exists():
        return DecisionResult(case, changed=False)
    obj = _target(case)
    _log(ModerationAction.Action.WARN, by, case, obj, reason)
    _tell_author(case, obj, Notification.Kind.MODERATION_WARNING, by=by, reason=reason)
    return DecisionResult(case, changed=True)


_DECIDE = {
    DISMISS: case_dismiss,
    HIDE: case_hide,
    RESTORE: case_restore,
    DELETE: case_delete,
    WARN: author_warn,
}


def case_decide(*, by: User, case_id: int, action: str, reason: str = "") -> DecisionResult:
    """One of ACTIONS on one case, by name (the queues' forms post the name)."""
    decide = _DECIDE.get(action)
    if decide is None:
        raise ValidationError({"action": _("Kies wat er moet gebeuren.")})
    return decide(by=by, case_id=case_id, reason=reason)


@transaction.atomic
def cases_decide(
    *, by: User, case_ids: Iterable[int], action: str, reason: str = ""
) -> list[DecisionResult]:
    """The same decision on many cases (a spam wave), in one transaction: either every case is
    decided or none is. Refuses the whole when `by` may not decide one of them, or one of them
    cannot take the action (restoring what is not hidden); cases already decided this way are
    left as they are."""
    if action not in _DECIDE:
        raise ValidationError({"action": _("Kies wat er moet gebeuren.")})
    _clean_reason(reason, required=action in NEEDS_REASON)
    ids = sorted({int(pk) for pk in case_ids})
    if not ids:
        raise ValidationError({"cases": _("Kies eerst een of meer meldingen.")})
    require_can_act(by)
    # All locks first, in id order: two bulk decisions over overlapping waves cannot deadlock.
    cases = list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(cases) != len(ids) or not all(case_can_decide(by, case) for case in cases):
        raise PermissionDenied(_("Je mag over een of meer van deze meldingen niet beslissen."))
    return [_DECIDE[action](by=by, case_id=case.pk, reason=reason) for case in cases]
