"""Removing and blocking a member from one community, and lifting the block (issue 11).

A blocked membership keeps its row with the state BLOCKED: the unique constraint on (member,
community) then keeps them from joining or asking again (`membership_join` refuses), and every
reader that asks for state ACTIVE treats them as not a member, so a private community is out of
sight at once. Lifting the block deletes the row: the member is where someone who never joined
is, and may join again.

Hosts of the community and the librarians of its library block (`user_is_host`, as for
removing a member); moderators do not. Hosts, moderators and librarians themselves cannot be
blocked: make a host or moderator a plain member first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.models import Community, Membership, User
from communities.selectors import user_is_host, user_is_library_librarian
from communities.services import membership_end_in_subs
from communities.signals import membership_ended
from communities.suspension import require_can_act

from .log import record
from .models import ModerationAction


def _lock(community: Community, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, community=community)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationError(_("Dit lidmaatschap bestaat niet meer."))
    return membership


@transaction.atomic
def membership_block(
    *, by: User, community: Community, membership_id: int, reason: str
) -> Membership:
    """Remove a member (or a request) from `community` and keep them from coming back."""
    require_can_act(by)  # a suspended host moderates nothing, as in the queue
    if not user_is_host(by, community):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom je dit lid blokkeert.")})
    membership = _lock(community, membership_id)
    if membership.state == Membership.State.BLOCKED:
        return membership
    member = membership.user
    if membership.user_id == by.pk:
        raise ValidationError(_("Je kunt jezelf niet blokkeren."))
    if membership.role != Membership.Role.MEMBER:
        raise ValidationError(
            _("Een beheerder of moderator blokkeer je niet. Maak diegene eerst gewoon lid.")
        )
    if member.is_superuser or user_is_library_librarian(member, community.library_id):
        raise ValidationError(_("Een bibliothecaris van deze gemeenschap blokkeer je niet."))
    was_member = membership.is_active
    # Blocked in a community is out of its subcommunities too (communities.subcommunities).
    membership_end_in_subs(user_id=member.pk, community=community)
    membership.state = Membership.State.BLOCKED
    membership.activated_at = None
    membership.save(update_fields=["state", "activated_at"])
    record(
        ModerationAction.Action.BLOCK,
        actor=by,
        obj=member,
        member=member,
        community=community,
        library=community.library,
        reason=reason,
    )
    if was_member:
        # What hangs on the membership ends with it, as when a host removes someone (RSVPs for
        # a private community's meetups).
        membership_ended.send(sender=Membership, user_id=member.pk, community=community)
    return membership


@transaction.atomic
def membership_unblock(
    *, by: User, community: Community, membership_id: int, reason: str = ""
) -> None:
    """Lift a block: the row goes, and the member may join (or ask) again."""
    require_can_act(by)
    if not user_is_host(by, community):
        raise PermissionDenied
    membership = _lock(community, membership_id)
    if membership.state != Membership.State.BLOCKED:
        raise ValidationError(_("Dit lid is niet geblokkeerd."))
    member = membership.user
    membership.delete()
    record(
        ModerationAction.Action.UNBLOCK,
        actor=by,
        obj=member,
        member=member,
        community=community,
        library=community.library,
        reason=(reason or "").strip(),
    )
