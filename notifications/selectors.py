"""Reads of preferences and of who may get mail. The defaults of absent rows are applied here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from communities.models import Community, Membership, Region, Theme, User
from communities.selectors import Viewer, user_library_ids, user_manages_all_communities
from knowledge.models import Contribution
from knowledge.selectors import contribution_list_new_for, contribution_list_open_questions_for
from meetups.models import Rsvp
from meetups.selectors import rsvp_list_upcoming_for

from .models import (
    CommunityFollow,
    DigestFrequency,
    MailAddressStatus,
    Notification,
    NotificationPreferences,
    RegionFollow,
    ThemeFollow,
)


def mail_recipients() -> QuerySet[User]:
    """Members we may mail at all: active, address verified, address not blocked.

    A suspended member is inactive; a deleted one has no row.
    """
    verified = EmailAddress.objects.filter(
        user_id=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    blocked = MailAddressStatus.objects.filter(
        email=Lower(OuterRef("email")), blocked_at__isnull=False
    )
    return User.objects.filter(Exists(verified), is_active=True).exclude(Exists(blocked))


def digest_preview_members_for(viewer: Viewer) -> QuerySet[User]:
    """The members whose digest `viewer` may preview: the active members of the communities of
    the viewer's libraries; everyone for a superuser, nobody for anyone else."""
    if user_manages_all_communities(viewer):
        return User.objects.all()
    in_my_libraries = Membership.objects.filter(
        user_id=OuterRef("pk"),
        state=Membership.State.ACTIVE,
        community__library_id__in=list(user_library_ids(viewer)),
    )
    return User.objects.filter(Exists(in_my_libraries))


def digest_recipients(frequency: str) -> QuerySet[User]:
    """Members who get the digest of `frequency`. No preferences row means weekly."""
    if frequency not in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        raise ValueError(f"no digest is sent {frequency!r}")
    chosen = Q(notification_preferences__digest_frequency=frequency)
    if frequency == DigestFrequency.WEEKLY:
        chosen |= Q(notification_preferences__isnull=True)
    return mail_recipients().filter(chosen)


def mail_blocked(email: str) -> bool:
    return MailAddressStatus.objects.filter(email=email.lower(), blocked_at__isnull=False).exists()


def preferences_for(user: User) -> NotificationPreferences:
    """The member's preferences; the defaults (unsaved) when they never changed any."""
    preferences = NotificationPreferences.objects.filter(user=user).first()
    return preferences or NotificationPreferences(user=user)


@dataclass(frozen=True)
class CommunityLevel:
    community: Community
    level: str


def community_levels_for(user: User) -> list[CommunityLevel]:
    """Each community the member actively belongs to, with how closely they follow it."""
    memberships = (
        Membership.objects.filter(user=user, state=Membership.State.ACTIVE)
        .select_related("community")
        .order_by("community__title")
    )
    levels = dict(CommunityFollow.objects.filter(user=user).values_list("community_id", "level"))
    return [
        CommunityLevel(m.community, levels.get(m.community_id, CommunityFollow.DEFAULT_LEVEL))
        for m in memberships
    ]


def followed_theme_ids(user: User) -> set[int]:
    return set(ThemeFollow.objects.filter(user=user).values_list("theme_id", flat=True))


def followed_region_ids(user: User) -> set[int]:
    return set(RegionFollow.objects.filter(user=user).values_list("region_id", flat=True))


def theme_choices() -> QuerySet[Theme]:
    return Theme.objects.order_by("sort_order", "title")


def region_choices() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def address_status_for(email: str) -> MailAddressStatus | None:
    return MailAddressStatus.objects.filter(email=email.lower()).first()


def member_for_unsubscribe(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).only("pk", "email", "display_name").first()


# --- in-site notifications ------------------------------------------------------------------

# The bell counts up to here and then says "99+": the count stays cheap however many there are.
UNREAD_CAP = 99


def notification_list_for(user: User) -> QuerySet[Notification]:
    """The member's notifications, newest first, with what their sentences need."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor", "community")
        .order_by("-created_at", "-pk")
    )


def notification_unread_count(user: User) -> int:
    """Unread notifications, counted up to UNREAD_CAP + 1 (one COUNT on a partial index)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by()
    return unread[: UNREAD_CAP + 1].count()


# --- the member's own home ("Voor jou") -----------------------------------------------------

HOME_NEW_SINCE = timedelta(days=14)
HOME_NEW_MAX = 5
HOME_QUESTIONS_MAX = 3
HOME_MEETUPS_MAX = 3


@dataclass(frozen=True)
class PersonalHome:
    has_communities: bool
    since: datetime
    new: list[Contribution]
    questions: list[Contribution]
    rsvps: list[Rsvp]


def personal_home_for(user: User) -> PersonalHome:
    """What the home page shows a logged-in member above the lists everyone sees: what is new in
    their communities (not the muted ones) and in the themes and regions they follow (their own
    region counts, as in the digest), their next meetups, and the questions in their
    communities that wait for an answer. A fixed number of queries; everything permission-scoped
    by the knowledge and meetups selectors."""
    since = timezone.now() - HOME_NEW_SINCE
    community_ids = set(
        Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values_list(
            "community_id", flat=True
        )
    )
    muted = (
        list(
            CommunityFollow.objects.filter(
                user=user, level=CommunityFollow.Level.MUTED, community_id__in=community_ids
            ).values_list("community_id", flat=True)
        )
        if community_ids
        else []
    )
    region_ids = followed_region_ids(user)
    if user.region_id:
        region_ids.add(user.region_id)
    new = contribution_list_new_for(
        user,
        since=since,
        theme_ids=followed_theme_ids(user),
        region_ids=region_ids,
        skip_community_ids=muted,
    )
    questions = (
        contribution_list_open_questions_for(user, skip_community_ids=muted)[:HOME_QUESTIONS_MAX]
        if community_ids
        else []
    )
    questions = list(questions)
    # A question waiting for an answer is listed once, under the questions.
    waiting = {question.pk for question in questions}
    new_list = [c for c in new[: HOME_NEW_MAX + len(waiting)] if c.pk not in waiting]
    return PersonalHome(
        has_communities=bool(community_ids),
        since=since,
        new=new_list[:HOME_NEW_MAX],
        questions=questions,
        rsvps=list(rsvp_list_upcoming_for(user)[:HOME_MEETUPS_MAX]),
    )
