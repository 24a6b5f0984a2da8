"""Reads of meetups, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from communities.selectors import (
    ORGANISER_GROUP,
    Viewer,
    community_visibility_filter,
    user_is_host,
    user_is_librarian,
)

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


def meetup_places_left(meetup: Meetup) -> int | None:
    """Free places, or None when the meetup has no capacity limit.

    Uses the `going_count` annotation of the selectors above when present, so a list of cards
    costs no extra queries.
    """
    if meetup.capacity is None:
        return None
    going = getattr(meetup, "going_count", None)
    if going is None:
        going = meetup.rsvps.filter(state=Rsvp.State.GOING).count()
    return max(meetup.capacity - going, 0)


def meetup_rsvp_closed_reason(meetup: Meetup) -> str | None:
    """Why nobody can sign up for `meetup` now, as a message for the user; None when they can."""
    if meetup.status == Meetup.Status.CANCELLED:
        return _("Deze bijeenkomst is afgelast. Aanmelden kan niet meer.")
    if meetup.status != Meetup.Status.PUBLISHED:
        return _("Deze bijeenkomst is nog niet gepubliceerd. Aanmelden kan nog niet.")
    # RSVP closes when the meetup starts.
    if meetup.starts_at <= timezone.now():
        return _("Deze bijeenkomst is al begonnen. Aanmelden kan niet meer.")
    return None


def rsvp_for(user: Viewer, meetup: Meetup) -> Rsvp | None:
    """The viewer's own answer to `meetup`, cancelled ones included; None for anonymous users."""
    if not user.is_authenticated:
        return None
    return Rsvp.objects.filter(user=user, meetup=meetup).first()


def rsvp_waitlist_position(rsvp: Rsvp) -> int | None:
    """1 for the first on the waitlist (the next to be promoted); None when not waiting."""
    if rsvp.state != Rsvp.State.WAITLIST:
        return None
    ahead = Rsvp.objects.filter(
        Q(created_at__lt=rsvp.created_at) | Q(created_at=rsvp.created_at, pk__lt=rsvp.pk),
        meetup_id=rsvp.meetup_id,
        state=Rsvp.State.WAITLIST,
    ).count()
    return ahead + 1


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
