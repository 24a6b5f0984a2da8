"""Who sees a meetup and who runs it.

Published and cancelled meetups are visible to whoever may see their community (or to everyone
when they belong to none); drafts and proposals only to those who manage them and to the member
who proposed it. Anyone else gets a 404, so they do not learn that it exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from communities.models import Branch, Community, Membership, User
from communities.selectors import (
    LIBRARIAN_GROUP,
    ORGANISER_GROUP,
    Viewer,
    community_visibility_filter,
    user_is_host,
    user_is_library_librarian,
    user_library_ids,
    user_manages_all_communities,
)

from ..models import Meetup, Rsvp, Session


def _visible(user: Viewer) -> QuerySet[Meetup]:
    """Published meetups that belong to no community or to one the viewer may see."""
    communities = Community.objects.filter(community_visibility_filter(user)).values("pk")
    return Meetup.objects.filter(
        Q(community__isnull=True) | Q(community__in=communities),
        status__in=[Meetup.Status.PUBLISHED, Meetup.Status.CANCELLED],
    )


def rsvp_member_may_see_meetup() -> Q:
    """A filter on Rsvp: its member may see the meetup's community.

    The rule of `_visible` (community_visibility_filter) seen from the other side, for many
    members at once: a meetup without a community or in a community that is not private is for
    everyone; a private community's meetups are for its active members, the librarians of its
    library and superusers. Someone who left a private community, or whose community became
    private, drops out.
    """
    active_member = Membership.objects.filter(
        user=OuterRef("user"),
        community=OuterRef("meetup__community"),
        state=Membership.State.ACTIVE,
    )
    librarian = User.objects.filter(
        pk=OuterRef("user"),
        groups__name=LIBRARIAN_GROUP,
        libraries=OuterRef("meetup__community__library"),
    )
    return (
        Q(meetup__community__isnull=True)
        | ~Q(meetup__community__visibility=Community.Visibility.PRIVATE)
        | Q(user__is_superuser=True)
        | Exists(active_member)
        | Exists(librarian)
    )


def rsvp_list_mailable() -> QuerySet[Rsvp]:
    """The RSVPs whose members may still hear about their meetup: active members who may see
    it. Every meetup mail (confirmation, promotion, reminder, change and cancellation notices,
    organiser messages) picks its recipients from here, and checks again just before sending."""
    return Rsvp.objects.filter(rsvp_member_may_see_meetup(), user__is_active=True)


def meetup_get_visible(user: Viewer, pk: int) -> Meetup:
    meetup = _meetup_for_page(_visible(user).filter(pk=pk))
    if meetup is None:
        raise Http404
    return meetup


def _meetup_for_page(qs: QuerySet[Meetup]) -> Meetup | None:
    """The first meetup of `qs` with everything its page shows."""
    return (
        qs.select_related("community", "community__library", "branch", "branch__library")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.annotate(signup_count=Count("signups")).order_by(
                    "starts_at", "room"
                ),
            ),
            "themes",
            "organisers",
        )
        .annotate(going_count=Count("rsvps", filter=Q(rsvps__state=Rsvp.State.GOING)))
        .first()
    )


def meetup_get_viewable(user: Viewer, pk: int) -> Meetup:
    """meetup_get_visible, plus drafts and proposals for those who manage them and for the
    member who proposed it. Nobody else learns that they exist (404)."""
    try:
        return meetup_get_visible(user, pk)
    except Http404:
        if not user.is_authenticated:
            raise
    meetup = _meetup_for_page(
        Meetup.objects.filter(
            pk=pk,
            status__in=[Meetup.Status.PROPOSED, Meetup.Status.DRAFT, Meetup.Status.HIDDEN],
        )
    )
    if meetup is None:
        raise Http404
    # Hidden by moderation: only those who run it see it (to restore it), not the proposer.
    proposer = meetup.proposed_by_id == user.pk and meetup.status != Meetup.Status.HIDDEN
    if not proposer and not meetup_can_manage(user, meetup):
        raise Http404
    return meetup


def user_is_organiser(user: Viewer) -> bool:
    """Library-wide organisers (the Organisatoren group) and superusers run every meetup.

    Librarians are not among them: they run the meetups of their own libraries only
    (`meetup_manage_filter`). The answer is cached on the user.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user_manages_all_communities(user):
        return True
    cached = getattr(user, "_is_organiser", None)
    if cached is None:
        cached = user.groups.filter(name=ORGANISER_GROUP).exists()
        user._is_organiser = cached  # type: ignore[attr-defined]  # cached on the instance
    return cached


def meetup_library_id(community: Community | None, branch: Branch | None) -> int | None:
    """The library a meetup belongs to: its community's, or without one its branch's."""
    if community is not None:
        return community.library_id
    return branch.library_id if branch is not None else None


def meetup_manage_filter(user: Viewer) -> Q | None:
    """A filter on Meetup: the meetups `user` runs. None means all of them (organisers).

    Librarians run those whose community is of one of their libraries (without a community:
    whose branch is); hosts those of the communities they host; anyone those they organise.
    """
    if user_is_organiser(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    hosted = Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role=Membership.Role.HOST
    ).values("community_id")
    mine = Meetup.organisers.through.objects.filter(user_id=user.pk).values("meetup_id")
    scope = Q(community__in=hosted) | Q(pk__in=mine)
    if library_ids := list(user_library_ids(user)):
        scope |= Q(community__library_id__in=library_ids) | Q(
            community__isnull=True, branch__library_id__in=library_ids
        )
    return scope


def meetup_can_manage(user: Viewer, meetup: Meetup) -> bool:
    """Who edits, publishes, cancels and runs `meetup`: organisers, the librarians of its
    library, the hosts of its community and the meetup's own organisers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_organiser(user):
        return True
    if user_is_library_librarian(user, meetup_library_id(meetup.community, meetup.branch)):
        return True
    if meetup.organisers.filter(pk=user.pk).exists():
        return True
    return meetup.community is not None and user_is_host(user, meetup.community)


def meetup_can_create_in(
    user: Viewer, community: Community | None, branch: Branch | None = None
) -> bool:
    """Organisers create meetups in any community they may see, or in none; librarians in the
    communities of their libraries, or in none at a branch of their library; hosts in their own
    community. Other members propose."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_organiser(user):
        return community is None or (
            Community.objects.filter(community_visibility_filter(user), pk=community.pk).exists()
        )
    if community is None:
        return branch is not None and user_is_library_librarian(user, branch.library_id)
    return user_is_host(user, community)


def meetup_get_manageable(user: Viewer, pk: int) -> Meetup:
    """The meetup at `pk` for its organiser tools, found by the right to manage it: whoever
    runs a meetup reaches its tools, even when they could not see it as a visitor. Anyone else
    gets a 403 when they may see the meetup and a 404 when they may not."""
    meetup = _meetup_for_page(Meetup.objects.filter(pk=pk))
    if meetup is None:
        raise Http404
    if meetup_can_manage(user, meetup):
        return meetup
    meetup_get_viewable(user, pk)  # 404 for what the viewer may not see.
    raise PermissionDenied
