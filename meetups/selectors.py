"""Reads of meetups, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from communities.models import Community
from communities.selectors import Viewer, community_visibility_filter

from .models import Meetup, Rsvp, Session


def _visible(user: Viewer) -> QuerySet[Meetup]:
    """Published meetups that belong to no community or to one the viewer may see."""
    communities = Community.objects.filter(community_visibility_filter(user)).values("pk")
    return Meetup.objects.filter(
        Q(community__isnull=True) | Q(community__in=communities),
        status__in=[Meetup.Status.PUBLISHED, Meetup.Status.CANCELLED],
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


def meetup_get_visible(user: Viewer, pk: int) -> Meetup:
    meetup = (
        _visible(user)
        .filter(pk=pk)
        .select_related("community", "branch")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "room")),
            "themes",
            "organisers",
        )
        .annotate(going_count=Count("rsvps", filter=Q(rsvps__state=Rsvp.State.GOING)))
        .first()
    )
    if meetup is None:
        raise Http404
    return meetup
