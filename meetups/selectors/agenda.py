"""The public agenda and its filters, and planning: drafts and proposals to decide on, and what
the viewer may plan on a community's page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from communities.models import Branch, Community, Membership, Region, Theme, User
from communities.selectors import (
    Viewer,
    community_visibility_filter,
    user_is_active_member,
    user_library_ids,
)

from ..models import Meetup, Rsvp
from .visibility import (
    _visible,
    meetup_can_create_in,
    meetup_manage_filter,
    user_is_organiser,
)


def meetup_list_upcoming_visible_to(
    user: Viewer, *, community: Community | None = None, theme=None
) -> QuerySet[Meetup]:
    qs = _visible(user).filter(ends_at__gte=timezone.now())
    if community is not None:
        qs = qs.filter(community=community)
    if theme is not None:
        qs = qs.filter(themes=theme)
    return (
        qs.select_related("community", "branch")
        .annotate(going_count=Count("rsvps", filter=Q(rsvps__state=Rsvp.State.GOING)))
        .order_by("starts_at")
    )


def meetup_next_per_community(user: Viewer, community_ids: list[int]) -> dict[int, Meetup]:
    """The next published meetup not yet over of each of `community_ids`, as far as the viewer
    may see it, by community id: one query for a whole list of community cards."""
    if not community_ids:
        return {}
    first = Window(
        RowNumber(), partition_by=[F("community_id")], order_by=[F("starts_at"), F("pk")]
    )
    meetups = (
        _visible(user)
        .filter(
            community_id__in=community_ids,
            status=Meetup.Status.PUBLISHED,
            ends_at__gte=timezone.now(),
        )
        .annotate(rank=first)
        .filter(rank=1)
    )
    return {meetup.community_id: meetup for meetup in meetups}


WHERE_ONLINE = "online"
WHERE_ON_SITE = "ter-plaatse"


def meetup_list_agenda(
    user: Viewer,
    *,
    archive: bool = False,
    theme: Theme | None = None,
    community: Community | None = None,
    region: Region | None = None,
    branch: Branch | None = None,
    where: str = "",
) -> QuerySet[Meetup]:
    """The public agenda: upcoming meetups (soonest first) or the archive (latest first)."""
    now = timezone.now()
    qs = _visible(user)
    qs = qs.filter(ends_at__lt=now) if archive else qs.filter(ends_at__gte=now)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if community is not None:
        qs = qs.filter(community=community)
    if branch is not None:
        qs = qs.filter(branch=branch)
    if region is not None:
        # In the region: at one of its branches, or elsewhere for a community of the region.
        qs = qs.filter(Q(branch__region=region) | Q(branch__isnull=True, community__region=region))
    if where == WHERE_ONLINE:
        qs = qs.exclude(online_url="")
    elif where == WHERE_ON_SITE:
        qs = qs.filter(Q(branch__isnull=False) | ~Q(address=""))
    order = ("-starts_at", "-pk") if archive else ("starts_at", "pk")
    return (
        qs.select_related("community", "branch")
        .annotate(going_count=Count("rsvps", filter=Q(rsvps__state=Rsvp.State.GOING)))
        .order_by(*order)
    )


def agenda_community_choices(user: Viewer) -> QuerySet[Community]:
    return Community.objects.filter(community_visibility_filter(user)).order_by("title")


def agenda_branch_choices() -> QuerySet[Branch]:
    return Branch.objects.select_related("library").order_by("name")


def _hosted_communities(user: User) -> QuerySet:
    return Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role=Membership.Role.HOST
    ).values("community_id")


def community_list_hosted_by(user: Viewer) -> QuerySet[Community]:
    """The communities where the viewer may plan meetups as a host."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(pk__in=_hosted_communities(user)).order_by("title")


def community_choices_for_meetup(user: Viewer, meetup: Meetup) -> QuerySet[Community]:
    """Where the viewer may plan `meetup`: organisers in every community they may see,
    librarians in those of their libraries, hosts in those they host; and the one it is in."""
    if not user.is_authenticated:
        return Community.objects.none()
    if user_is_organiser(user):
        choices = community_visibility_filter(user)
    else:
        choices = Q(pk__in=_hosted_communities(user))
        if library_ids := list(user_library_ids(user)):
            choices |= Q(library_id__in=library_ids)
    if meetup.community_id is not None:
        choices |= Q(pk=meetup.community_id)
    return Community.objects.filter(choices).order_by("title")


def user_plans_meetups(user: Viewer) -> bool:
    """Whether the viewer may plan a meetup somewhere: organisers, librarians of a library
    and hosts."""
    if not user.is_authenticated:
        return False
    return (
        user_is_organiser(user)
        or bool(user_library_ids(user))
        or _hosted_communities(user).exists()
    )


def _managed_by(user: Viewer, qs: QuerySet[Meetup]) -> QuerySet[Meetup]:
    scope = meetup_manage_filter(user)
    return qs if scope is None else qs.filter(scope)


def meetup_list_proposals_to_decide(user: Viewer) -> QuerySet[Meetup]:
    """Proposals the viewer may approve or decline: all for organisers, their libraries' for
    librarians, their own community's for hosts."""
    if not user.is_authenticated:
        return Meetup.objects.none()
    qs = _managed_by(user, Meetup.objects.filter(status=Meetup.Status.PROPOSED))
    return qs.select_related("community", "proposed_by", "branch").order_by("starts_at", "pk")


def meetup_list_drafts_managed_by(user: Viewer) -> QuerySet[Meetup]:
    """Drafts the viewer may complete and publish (see meetup_manage_filter)."""
    if not user.is_authenticated:
        return Meetup.objects.none()
    qs = _managed_by(user, Meetup.objects.filter(status=Meetup.Status.DRAFT))
    return qs.select_related("community", "branch").order_by("starts_at", "pk")


def meetup_list_own_proposals(user: Viewer) -> QuerySet[Meetup]:
    """The viewer's proposals that still wait for a decision."""
    if not user.is_authenticated:
        return Meetup.objects.none()
    return (
        Meetup.objects.filter(proposed_by=user, status=Meetup.Status.PROPOSED)
        .select_related("community")
        .order_by("starts_at", "pk")
    )


def meetup_proposal_count(community: Community) -> int:
    return Meetup.objects.filter(community=community, status=Meetup.Status.PROPOSED).count()


@dataclass(frozen=True)
class MeetupPlanning:
    """What the viewer may do about meetups on a community's page."""

    can_create: bool
    can_propose: bool
    proposal_count: int


def meetup_planning_for(user: Viewer, community: Community) -> MeetupPlanning | None:
    """Hosts and organisers plan (and see the proposals waiting for them); members propose.
    None for anyone else."""
    if not user.is_authenticated:
        return None
    if meetup_can_create_in(user, community):
        return MeetupPlanning(True, False, meetup_proposal_count(community))
    if user_is_active_member(user, community):
        return MeetupPlanning(False, True, 0)
    return None
