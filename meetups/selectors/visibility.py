"""Who sees a meetup and who runs it.

Published and cancelled meetups are visible to whoever may see their community (or to everyone
when they belong to none); drafts and proposals only to those who manage them and to the member
who proposed it. Anyone else gets a 404, so they do not learn that it exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from communities.models import Community
from communities.selectors import (
    ORGANISER_GROUP,
    Viewer,
    community_visibility_filter,
    user_is_host,
    user_is_librarian,
)

from ..models import Meetup, Rsvp, Session


def _visible(user: Viewer) -> QuerySet[Meetup]:
    """Published meetups that belong to no community or to one the viewer may see."""
    communities = Community.objects.filter(community_visibility_filter(user)).values("pk")
    return Meetup.objects.filter(
        Q(community__isnull=True) | Q(community__in=communities),
        status__in=[Meetup.Status.PUBLISHED, Meetup.Status.CANCELLED],
    )


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
        Meetup.objects.filter(pk=pk, status__in=[Meetup.Status.PROPOSED, Meetup.Status.DRAFT])
    )
    if meetup is None:
        raise Http404
    if meetup.proposed_by_id != user.pk and not meetup_can_manage(user, meetup):
        raise Http404
    return meetup


def user_is_organiser(user: Viewer) -> bool:
    """Library organisers (and librarians) run every meetup; the answer is cached on the user."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_librarian(user):
        return True
    cached = getattr(user, "_is_organiser", None)
    if cached is None:
        cached = user.groups.filter(name=ORGANISER_GROUP).exists()
        user._is_organiser = cached
    return cached


def meetup_can_manage(user: Viewer, meetup: Meetup) -> bool:
    """Who edits, publishes, cancels and runs `meetup`: organisers, the meetup's own organisers,
    and the hosts of its community."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_organiser(user):
        return True
    if meetup.organisers.filter(pk=user.pk).exists():
        return True
    return meetup.community_id is not None and user_is_host(user, meetup.community)


def meetup_can_create_in(user: Viewer, community: Community | None) -> bool:
    """Organisers create meetups anywhere; hosts in their own community. Other members propose."""
    if user_is_organiser(user):
        return True
    return community is not None and user_is_host(user, community)


def meetup_get_manageable(user: Viewer, pk: int) -> Meetup:
    """The meetup at `pk` for its organiser tools: 404 when the viewer may not see it, 403 when
    they see it but do not run it (like a community's member page)."""
    meetup = meetup_get_viewable(user, pk)
    if not meetup_can_manage(user, meetup):
        raise PermissionDenied
    return meetup
