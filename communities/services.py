"""Every write to members and memberships. Views call these; nothing else writes."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Community, Library, Membership, User
from .selectors import LIBRARIAN_GROUP, user_can_manage, user_is_host
from .signals import membership_decided, membership_ended
from .subcommunities import community_tree_errors
from .suspension import require_can_act

logger = logging.getLogger(__name__)

HANDLE_MAX = 40


def _handle_base(display_name: str, email: str) -> str:
    base = slugify(display_name) or slugify(email.split("@")[0]) or "lid"
    return base[: HANDLE_MAX - 5].strip("-") or "lid"


def member_handle_propose(*, display_name: str, email: str) -> str:
    """A free handle derived from the name: `anna-de-vries`, else `anna-de-vries-2`, …"""
    base = _handle_base(display_name, email)
    taken = set(User.objects.filter(handle__startswith=base).values_list("handle", flat=True))
    if base not in taken:
        return base
    for n in range(2, 1000):
        candidate = f"{base}-{n}"
        if candidate not in taken:
            return candidate
    return f"{base}-{get_random_string(4).lower()}"


def member_assign_handle(*, user: User) -> None:
    """Give a new member a unique handle; the unique constraint settles a race."""
    for _attempt in range(5):
        user.handle = member_handle_propose(display_name=user.display_name, email=user.email)
        try:
            with transaction.atomic():
                user.save(update_fields=["handle"] if user.pk else None)
            return
        except IntegrityError:
            logger.info("handle %s taken concurrently, trying another", user.handle)
    raise IntegrityError("could not find a free handle")


@transaction.atomic
def member_update_profile(*, user: User, data: dict, expertise: list[str] | None = None) -> User:
    """Save the profile fields a member may edit themselves."""
    require_can_act(user)
    editable = {
        "display_name",
        "bio",
        "region",
        "avatar",
        "website",
        "phone",
        "contact_visibility",
        "findable",
        "language",
        "handle",
    }
    for field, value in data.items():
        if field not in editable:
            raise ValueError(f"{field} is not editable by members")
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save()
    if expertise is not None:
        user.expertise.set(expertise, clear=True)
    return user


@transaction.atomic
def membership_join(*, user: User, community: Community) -> Membership:
    """Join an open community, or ask to join one on request. Private ones take invitations."""
    require_can_act(user)
    if community.visibility == Community.Visibility.PRIVATE:
        raise PermissionDenied(_("Voor een besloten gemeenschap heb je een uitnodiging nodig."))
    # A subcommunity: join its parent first, by the parent's own rules (an open parent at
    # once, one on request as a request). Until the parent's hosts approve, the request for
    # the sub waits too, also when the sub is open: no way into the parent through a sub.
    parent_active = True
    if community.parent_id is not None:
        parent_membership = membership_join(user=user, community=_parent_of(community))
        parent_active = parent_membership.is_active
    state = (
        Membership.State.ACTIVE
        if community.visibility == Community.Visibility.OPEN and parent_active
        else Membership.State.PENDING
    )
    membership, created = Membership.objects.get_or_create(
        user=user,
        community=community,
        defaults={
            "state": state,
            "activated_at": timezone.now() if state == Membership.State.ACTIVE else None,
        },
    )
    if membership.state == Membership.State.BLOCKED:
        # The blocked row stays (the unique constraint) so that joining again is refused.
        raise PermissionDenied(
            _("Je kunt geen lid worden van deze gemeenschap: een beheerder heeft je geblokkeerd.")
        )
    if created and state == Membership.State.PENDING and parent_active:
        # Hosts hear of a request they can decide; one waiting for the parent comes later.
        from .tasks import membership_request_notify_hosts

        membership_request_notify_hosts.delay_on_commit(membership.pk)
    return membership


def _parent_of(community: Community) -> Community:
    """The parent of a subcommunity: no query when the caller loaded it (select_related)."""
    parent = community.parent
    if parent is None:
        raise Community.DoesNotExist(f"community {community.pk} has no parent")
    return parent


def _parent_membership_is_active(user_id: int, community: Community) -> bool:
    if community.parent_id is None:
        return True
    return Membership.objects.filter(
        user_id=user_id, community_id=community.parent_id, state=Membership.State.ACTIVE
    ).exists()


def _sub_memberships(user_id: int, community: Community):
    """The member's rows in the subcommunities of `community`, locked; blocks stay."""
    return (
        Membership.objects.select_for_update()
        .filter(user_id=user_id, community__parent=community)
        .exclude(state=Membership.State.BLOCKED)
        .select_related("community")
    )


def _sub_requests_follow_parent(membership: Membership) -> None:
    """The parent membership became active: what waited for it goes on. A request for an open
    sub is granted; one for a sub on request now goes to that sub's hosts."""
    from .tasks import membership_request_notify_hosts

    for waiting in _sub_memberships(membership.user_id, membership.community).filter(
        state=Membership.State.PENDING
    ):
        if waiting.community.visibility == Community.Visibility.OPEN:
            waiting.state = Membership.State.ACTIVE
            waiting.activated_at = timezone.now()
            waiting.save(update_fields=["state", "activated_at"])
        else:
            membership_request_notify_hosts.delay_on_commit(waiting.pk)


def _end_sub_memberships(user_id: int, community: Community, last_host_message: str) -> None:
    """Leaving (or being removed from) a community ends its subs' memberships too. Caller is
    in a transaction; the last host of a sub cannot go this way either."""
    for sub_membership in _sub_memberships(user_id, community):
        if sub_membership.role == Membership.Role.HOST and sub_membership.is_active:
            _require_another_host(
                sub_membership.community,
                last_host_message % {"community": sub_membership.community.title},
            )
        sub_membership.delete()
        membership_ended.send(
            sender=Membership, user_id=user_id, community=sub_membership.community
        )


def membership_end_in_subs(*, user_id: int, community: Community) -> None:
    """A member is blocked in `community` (moderation.blocks): their memberships in its subs
    end with it, as when they are removed. Caller is in a transaction."""
    _end_sub_memberships(
        user_id,
        community,
        _("Dit is de enige beheerder van %(community)s. Maak daar eerst iemand anders beheerder."),
    )


def _lock_membership(membership_id: int, community: Community) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, community=community)
        .select_related("user", "community")
        .first()
    )
    if membership is None:
        raise ValidationError(_("Deze aanvraag bestaat niet meer."))
    return membership


@transaction.atomic
def membership_approve(*, by: User, community: Community, membership_id: int) -> Membership:
    if not user_can_manage(by, community):
        raise PermissionDenied
    membership = _lock_membership(membership_id, community)
    if membership.state == Membership.State.ACTIVE:
        return membership
    if membership.state == Membership.State.BLOCKED:
        raise ValidationError(_("Dit lid is geblokkeerd. Hef eerst de blokkade op."))
    if not _parent_membership_is_active(membership.user_id, community):
        raise ValidationError(
            _(
                "%(name)s is nog geen lid van %(parent)s. Een subgemeenschap volgt de "
                "hoofdgemeenschap: keur daar eerst de aanvraag goed."
            )
            % {"name": membership.user.display_name, "parent": _parent_of(community).title}
        )
    membership.state = Membership.State.ACTIVE
    membership.activated_at = timezone.now()
    membership.save(update_fields=["state", "activated_at"])
    _sub_requests_follow_parent(membership)
    from .tasks import membership_approved_notify

    membership_approved_notify.delay_on_commit(membership.pk)
    membership_decided.send(
        sender=Membership,
        user_id=membership.user_id,
        community=community,
        approved=True,
        by=by,
    )
    return membership


@transaction.atomic
def membership_decline(*, by: User, community: Community, membership_id: int) -> None:
    if not user_can_manage(by, community):
        raise PermissionDenied
    membership = _lock_membership(membership_id, community)
    if membership.state != Membership.State.PENDING:
        raise ValidationError(_("Alleen een openstaande aanvraag kan worden afgewezen."))
    user_id = membership.user_id
    # Requests for its subs waited for this one: they end with it.
    _sub_memberships(user_id, community).filter(state=Membership.State.PENDING).delete()
    membership.delete()
    from .tasks import membership_decline_notify

    membership_decline_notify.delay_on_commit(user_id, community.pk)
    membership_decided.send(
        sender=Membership, user_id=user_id, community=community, approved=False, by=by
    )


def _require_another_host(community: Community, message: str) -> None:
    """Refuse to remove a host when they are the last one. Caller is in a transaction.

    Every host row is locked, so two hosts stepping down at once cannot both succeed.
    """
    hosts = list(
        Membership.objects.select_for_update()
        .filter(community=community, role=Membership.Role.HOST, state=Membership.State.ACTIVE)
        .values_list("pk", flat=True)
    )
    if len(hosts) <= 1:
        raise ValidationError(message)


@transaction.atomic
def membership_leave(*, user: User, community: Community) -> None:
    """Leave a community or withdraw a request. The last host cannot leave their community."""
    membership = (
        Membership.objects.select_for_update().filter(user=user, community=community).first()
    )
    # A blocked member is no member; their row stays so that they cannot join again.
    if membership is None or membership.state == Membership.State.BLOCKED:
        return
    if membership.role == Membership.Role.HOST and membership.is_active:
        _require_another_host(
            community, _("Je bent de enige beheerder. Maak eerst iemand anders beheerder.")
        )
    _end_sub_memberships(
        user.pk,
        community,
        _("Je bent de enige beheerder van %(community)s. Maak daar eerst iemand anders beheerder."),
    )
    membership.delete()
    membership_ended.send(sender=Membership, user_id=user.pk, community=community)


@transaction.atomic
def membership_remove(*, by: User, community: Community, membership_id: int) -> None:
    """A host or a librarian of the community's library ends someone's membership, or
    withdraws a request. The last host cannot be removed."""
    if not user_is_host(by, community):
        raise PermissionDenied
    membership = _lock_membership(membership_id, community)
    if membership.state == Membership.State.BLOCKED:
        # Deleting the row would lift the block without a word in the moderation log.
        raise ValidationError(
            _(
                "Dit lid is geblokkeerd. Hef de blokkade op via de ledenpagina van de "
                "gemeenschap op de site."
            )
        )
    if membership.role == Membership.Role.HOST and membership.is_active:
        _require_another_host(
            community, _("Dit is de enige beheerder. Maak eerst iemand anders beheerder.")
        )
    _end_sub_memberships(
        membership.user_id,
        community,
        _("Dit is de enige beheerder van %(community)s. Maak daar eerst iemand anders beheerder."),
    )
    membership.delete()
    membership_ended.send(sender=Membership, user_id=membership.user_id, community=community)


@transaction.atomic
def membership_add(*, by: User, community: Community, user: User) -> Membership:
    """A host adds someone directly: the way into a private community. In a subcommunity
    only members of the parent, unless `by` may add them to the parent too."""
    if not user_can_manage(by, community):
        raise PermissionDenied
    if not _parent_membership_is_active(user.pk, community):
        parent = _parent_of(community)
        if not user_can_manage(by, parent):
            raise ValidationError(
                _(
                    "%(name)s is nog geen lid van %(parent)s. Een beheerder van %(parent)s "
                    "voegt hen daar eerst toe."
                )
                % {"name": user.display_name, "parent": parent.title}
            )
        membership_add(by=by, community=parent, user=user)
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user,
        community=community,
        defaults={"state": Membership.State.ACTIVE, "activated_at": timezone.now()},
    )
    if membership.state == Membership.State.BLOCKED:
        raise ValidationError(
            _("%(name)s is geblokkeerd in deze gemeenschap. Hef eerst de blokkade op.")
            % {"name": user.display_name}
        )
    if not created and membership.state == Membership.State.PENDING:
        membership.state = Membership.State.ACTIVE
        membership.activated_at = timezone.now()
        membership.save(update_fields=["state", "activated_at"])
        _sub_requests_follow_parent(membership)
    return membership


@transaction.atomic
def membership_set_role(
    *, by: User, community: Community, membership_id: int, role: str
) -> Membership:
    if not user_is_host(by, community):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError(_("Onbekende rol."))
    membership = _lock_membership(membership_id, community)
    if membership.state != Membership.State.ACTIVE:
        raise ValidationError(_("Keur de aanvraag eerst goed."))
    if membership.role == Membership.Role.HOST and role != Membership.Role.HOST:
        _require_another_host(
            community, _("Dit is de enige beheerder. Maak eerst iemand anders beheerder.")
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def community_tree_lock(*, community: Community) -> None:
    """Check the place of `community` in the tree (communities.subcommunities) under locks,
    right before the caller saves it in the same transaction.

    `clean()` checks the same rules without locks; two librarians saving at once (A under B
    and B under A, or A under B while C goes under A) could each pass it. Both saves touch a
    common row here (a community and its parent), locked in one order, so the second waits
    and then sees the first."""
    ids = sorted({pk for pk in (community.pk, community.parent_id) if pk is not None})
    list(Community.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
    errors = community_tree_errors(community)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def community_set_premoderation(*, by: User, community: Community, mode: str) -> Community:
    """A host (or a librarian of its library) chooses which posts wait for approval. Posts
    already waiting keep waiting: switching off approves nothing by itself."""
    if not user_is_host(by, community):
        raise PermissionDenied
    if mode not in Community.Premoderation.values:
        raise ValidationError({"premoderation": _("Kies een van de mogelijkheden.")})
    community.premoderation = mode
    community.save(update_fields=["premoderation"])
    return community


@transaction.atomic
def membership_admin_add(*, by: User, community: Community, user: User, role: str) -> Membership:
    """A membership added in the Wagtail admin: active from now, like membership_add, with the
    role handed out through membership_set_role."""
    membership = membership_add(by=by, community=community, user=user)
    if role != membership.role:
        membership = _set_role_at_field(by, community, membership.pk, role)
    return membership


@transaction.atomic
def membership_admin_update(
    *, by: User, community: Community, membership_id: int, state: str, role: str
) -> Membership:
    """A membership edited in the Wagtail admin, changed the way the site changes it.

    A request set to active is approved with membership_approve (the member gets a mail and is
    a member from now: "lid sinds"); the role changes with membership_set_role (never the last
    host away). An active member is not sent back to "requested". Errors name their field;
    the caller's transaction rolls everything back.
    """
    if not user_can_manage(by, community):
        raise PermissionDenied
    membership = _lock_membership(membership_id, community)
    if state != membership.state and Membership.State.BLOCKED in (state, membership.state):
        # Blocking writes the moderation log with a reason: that is the site's member page.
        raise ValidationError(
            {
                "state": _(
                    "Blokkeren en een blokkade opheffen doe je op de ledenpagina van de "
                    "gemeenschap op de site."
                )
            }
        )
    if state == Membership.State.PENDING and membership.state == Membership.State.ACTIVE:
        raise ValidationError(
            {
                "state": _(
                    "Een lid zet je niet terug naar aangevraagd. Verwijder het lidmaatschap als "
                    "het moet stoppen."
                )
            }
        )
    if state == Membership.State.ACTIVE and membership.state == Membership.State.PENDING:
        membership = membership_approve(by=by, community=community, membership_id=membership_id)
    if role != membership.role:
        membership = _set_role_at_field(by, community, membership_id, role)
    return membership


def _set_role_at_field(by: User, community: Community, membership_id: int, role: str) -> Membership:
    try:
        return membership_set_role(
            by=by, community=community, membership_id=membership_id, role=role
        )
    except ValidationError as error:
        raise ValidationError({"role": error.messages}) from error


@transaction.atomic
def library_add_librarian(*, library: Library, user: User) -> None:
    """Make `user` a librarian of `library`: the role (group) and the scope (the library).

    Setting people up is a superuser's job (the Wagtail admin, or the demo); there is no `by`.
    """
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    user.groups.add(group)
    library.librarians.add(user)
    # Forget the cached answers of communities.selectors on this object.
    for cached in ("_is_librarian", "_library_ids"):
        user.__dict__.pop(cached, None)
