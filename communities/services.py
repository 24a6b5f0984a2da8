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
    state = (
        Membership.State.ACTIVE
        if community.visibility == Community.Visibility.OPEN
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
    if created and state == Membership.State.PENDING:
        from .tasks import membership_request_notify_hosts

        membership_request_notify_hosts.delay_on_commit(membership.pk)
    return membership


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
    membership.state = Membership.State.ACTIVE
    membership.activated_at = timezone.now()
    membership.save(update_fields=["state", "activated_at"])
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
    membership.delete()
    membership_ended.send(sender=Membership, user_id=membership.user_id, community=community)


@transaction.atomic
def membership_add(*, by: User, community: Community, user: User) -> Membership:
    """A host adds someone directly: the way into a private community."""
    if not user_can_manage(by, community):
        raise PermissionDenied
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
