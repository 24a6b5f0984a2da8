"""Suspending an account site-wide, and lifting the suspension (issue 11).

A librarian suspends a member for a period or, with no end, for good, and says why. The member
can still read; every write service refuses through `communities.suspension.require_can_act`,
which compares with the clock, so a period that is over ends without anyone acting.

Who may suspend whom (`member_suspend_refusal`):
- superusers: anyone but a superuser or themselves;
- librarians: members of a community of one of their libraries (any membership row: active,
  requested or blocked), but never staff (librarians, organisers) or superusers;
- nobody else.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Library, Membership, User
from communities.selectors import (
    LIBRARIAN_GROUP,
    ORGANISER_GROUP,
    user_library_ids,
    user_manages_all_communities,
)

from .log import record
from .models import ModerationAction


def member_suspend_refusal(by: User, user: User) -> str | None:
    """Why `by` may not suspend `user` (a translated sentence), or None when they may."""
    if not by.is_authenticated or not by.is_active:
        return _("Je mag dit account niet schorsen.")
    if by.pk == user.pk:
        return _("Je kunt je eigen account niet schorsen.")
    if user.is_superuser:
        return _("Een beheerder van de hele site kun je niet schorsen.")
    if user_manages_all_communities(by):
        return None
    library_ids = user_library_ids(by)
    if not library_ids:
        return _("Je mag dit account niet schorsen.")
    if user.is_staff or user.groups.filter(name__in=[LIBRARIAN_GROUP, ORGANISER_GROUP]).exists():
        return _(
            "Een bibliothecaris of organisator kun je niet schorsen. Vraag het een beheerder "
            "van de hele site."
        )
    if not Membership.objects.filter(user=user, community__library_id__in=library_ids).exists():
        return _("Dit lid doet niet mee in een gemeenschap van jouw bibliotheek.")
    return None


def member_can_be_suspended_by(by: User, user: User) -> bool:
    return member_suspend_refusal(by, user) is None


def _log_library(by: User, user: User) -> Library | None:
    """The library whose librarians read this in the moderation log: the actor's library the
    member takes part in, else (a superuser acting) the member's first library."""
    memberships = Membership.objects.filter(user=user).select_related("community__library")
    if not user_manages_all_communities(by):
        memberships = memberships.filter(community__library_id__in=user_library_ids(by))
    membership = memberships.order_by("community__library_id").first()
    return membership.community.library if membership else None


def _lock_member(by: User, user: User) -> User:
    refusal = member_suspend_refusal(by, user)
    if refusal:
        raise PermissionDenied(refusal)
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def account_suspend(*, by: User, user: User, until: datetime | None, reason: str) -> User:
    """Suspend `user` until `until` (None: for good), with a reason the member reads.

    Suspending someone who is already suspended replaces the end and the reason; the
    suspension keeps its start. Errors name their field ("until", "reason").
    """
    now = timezone.now()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Schrijf op waarom. Het lid leest deze reden.")
    if until is not None and until <= now:
        errors["until"] = _("Kies een moment in de toekomst, of schors voorgoed.")
    if errors:
        raise ValidationError(errors)
    member = _lock_member(by, user)
    if not member.is_suspended_at(now):
        member.suspended_at = now
    member.suspended_until = until
    member.suspension_reason = reason
    member.full_clean(exclude=["password"])
    member.save(update_fields=["suspended_at", "suspended_until", "suspension_reason"])
    record(
        ModerationAction.Action.SUSPEND,
        actor=by,
        obj=member,
        member=member,
        library=_log_library(by, member),
        reason=reason,
    )
    _sync(user, member)
    return member


@transaction.atomic
def account_unsuspend(*, by: User, user: User, reason: str = "") -> User:
    """Lift the suspension of `user` now. A suspension that already ran out is refused: there
    is nothing to lift."""
    member = _lock_member(by, user)
    if not member.is_suspended_at(timezone.now()):
        raise ValidationError(_("Dit account is niet geschorst."))
    member.suspended_at = None
    member.suspended_until = None
    member.suspension_reason = ""
    member.save(update_fields=["suspended_at", "suspended_until", "suspension_reason"])
    record(
        ModerationAction.Action.UNSUSPEND,
        actor=by,
        obj=member,
        member=member,
        library=_log_library(by, member),
        reason=(reason or "").strip(),
    )
    _sync(user, member)
    return member


def _sync(user: User, member: User) -> None:
    """The caller's object shows what was stored."""
    user.suspended_at = member.suspended_at
    user.suspended_until = member.suspended_until
    user.suspension_reason = member.suspension_reason
