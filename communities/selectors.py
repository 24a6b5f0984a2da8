"""Reads of members, themes and communities, always scoped to what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from .models import Community, Membership, Region, Theme, User

LIBRARIAN_GROUP = "Bibliothecarissen"
ORGANISER_GROUP = "Organisatoren"
HOST_GROUP = "Gemeenschapsbeheerders"

Viewer = User | AnonymousUser


def user_is_librarian(user: Viewer) -> bool:
    """Whether the viewer has the librarian role (the group), whatever their library.

    The role lets them curate themes, dossiers and articles; which communities they manage
    depends on their libraries (`user_library_ids`). Cached on the user object.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_librarian", None)
    if cached is None:
        cached = user.groups.filter(name=LIBRARIAN_GROUP).exists()
        user._is_librarian = cached  # type: ignore[attr-defined]  # cached on the instance
    return cached


def user_library_ids(user: Viewer) -> frozenset[int]:
    """The libraries whose communities the viewer manages as a librarian. Cached on the user.

    Both are needed: the group Bibliothecarissen (the role) and a place in
    `Library.librarians` (the scope). Superusers are not listed here: they manage everything,
    see `user_manages_all_communities`.
    """
    if not user_is_librarian(user) or user.is_superuser:
        return frozenset()
    cached = getattr(user, "_library_ids", None)
    if cached is None:
        cached = frozenset(user.libraries.values_list("pk", flat=True))  # type: ignore[union-attr]
        user._library_ids = cached  # type: ignore[union-attr]  # cached on the instance
    return cached


def user_manages_all_communities(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def user_is_library_librarian(user: Viewer, library_id: int | None) -> bool:
    """Superusers, and librarians of that library."""
    if user_manages_all_communities(user):
        return True
    return library_id is not None and library_id in user_library_ids(user)


def library_scope_filter(user: Viewer, lookup: str = "library") -> Q:
    """A filter on any model that reaches a library through `lookup` (for Membership:
    "community__library"): the rows of the viewer's libraries, all rows for a superuser,
    none for anyone else."""
    if user_manages_all_communities(user):
        return Q()
    return Q(**{f"{lookup}__in": list(user_library_ids(user))})


def community_list_managed_by(user: Viewer) -> QuerySet[Community]:
    """The communities the viewer manages as librarian (not as host): their libraries' ones."""
    return Community.objects.filter(library_scope_filter(user)).order_by("title")


def community_visibility_filter(user: Viewer) -> Q:
    """A filter on Community: public communities, private ones the viewer belongs to, and
    those of the viewer's libraries when they are a librarian."""
    public = ~Q(visibility=Community.Visibility.PRIVATE)
    if not user.is_authenticated:
        return public
    if user_manages_all_communities(user):
        return Q()
    mine = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )
    visible = public | Q(pk__in=mine)
    if library_ids := user_library_ids(user):
        visible |= Q(library_id__in=list(library_ids))
    return visible


def community_list_visible_to(user: Viewer, *, theme: Theme | None = None) -> QuerySet[Community]:
    """Communities the viewer may see, with their themes and active member counts."""
    qs = Community.objects.filter(community_visibility_filter(user))
    if theme is not None:
        qs = qs.filter(themes=theme)
    return (
        qs.select_related("library", "region")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("sort_order")))
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__state=Membership.State.ACTIVE), distinct=True
            )
        )
        .order_by("title")
    )


def community_list_subcommunities(user: Viewer, community: Community) -> QuerySet[Community]:
    """The subcommunities of `community` the viewer may see, like community_list_visible_to."""
    return community_list_visible_to(user).filter(parent=community)


def community_get_visible(user: Viewer, slug: str) -> Community:
    """The community at `slug`, or 404 when it does not exist or the viewer may not see it."""
    community = community_list_visible_to(user).select_related("parent").filter(slug=slug).first()
    if community is None:
        raise Http404
    return community


RECOMMENDED_ACTIVITY_DAYS = 90


def community_list_recommended(
    user: Viewer, community: Community, *, limit: int = 3, now: datetime | None = None
) -> list[Community]:
    """Other communities the viewer may see and has not joined or asked to join: those sharing
    most themes with `community` first, then those in its region, then the most active
    (published contributions in the last RECOMMENDED_ACTIVITY_DAYS), then by title.

    Two queries (the communities, their themes) however many there are. Reads the themes of
    `community` from its prefetch (`community_get_visible`).
    """
    theme_ids = [theme.pk for theme in community.themes.all()]
    since = (now or timezone.now()) - timedelta(days=RECOMMENDED_ACTIVITY_DAYS)
    qs = community_list_visible_to(user).exclude(pk=community.pk)
    if user.is_authenticated:
        qs = qs.exclude(pk__in=Membership.objects.filter(user=user).values("community_id"))
    # Correlated counts rather than Count() over joins: joined with the memberships that
    # community_list_visible_to counts, the rows would multiply.
    shared_themes = Community.themes.through.objects.filter(
        community_id=OuterRef("pk"), theme_id__in=theme_ids
    )
    # Over the reverse relation by name: communities does not import knowledge.
    activity = (
        Community.objects.filter(pk=OuterRef("pk"))
        .annotate(
            n=Count(
                "contributions",
                filter=Q(contributions__status="published", contributions__created_at__gte=since),
            )
        )
        .values("n")
    )
    same_region = (
        Case(When(region_id=community.region_id, then=1), default=0)
        if community.region_id is not None
        else Value(0)
    )
    return list(
        qs.annotate(
            shared_theme_count=Coalesce(
                Subquery(
                    shared_themes.order_by()
                    .values("community_id")
                    .annotate(n=Count("pk"))
                    # django-stubs does not see an annotation made on a values() queryset.
                    .values("n")  # type: ignore[misc]
                ),
                0,
            ),
            same_region=same_region,
            recent_contribution_count=Subquery(activity),
        ).order_by("-shared_theme_count", "-same_region", "-recent_contribution_count", "title")[
            :limit
        ]
    )


def membership_for(user: Viewer, community: Community) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, community=community).first()


def membership_list_in_subs(user: Viewer, community: Community) -> list[Membership]:
    """The viewer's memberships and requests in the subcommunities of `community` (what
    leaving it ends too), with each sub's title, and whether they are its last host."""
    if not user.is_authenticated or community.parent_id is not None:
        return []
    memberships = list(
        Membership.objects.filter(user=user, community__parent=community)
        .exclude(state=Membership.State.BLOCKED)
        .select_related("community")
        .order_by("community__title")
    )
    for membership in memberships:
        membership.is_last_host = membership_is_last_host(membership)  # type: ignore[attr-defined]
    return memberships


def membership_states_for(user: Viewer) -> dict[int, Membership]:
    """The viewer's memberships by community id: one query for a whole list page."""
    if not user.is_authenticated:
        return {}
    return {m.community_id: m for m in Membership.objects.filter(user=user)}


@dataclass(frozen=True)
class CommunityAccess:
    """What the viewer is in a community: read once per page, from one membership row."""

    membership: Membership | None
    can_manage: bool

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.is_active


def _manages_parent(user: Viewer, community: Community, roles: tuple[str, ...]) -> bool:
    """Whether the viewer has one of `roles` in the parent of `community` (a subcommunity):
    the hosts and moderators of a community act as such in its subs."""
    if community.parent_id is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, community_id=community.parent_id, state=Membership.State.ACTIVE, role__in=roles
    ).exists()


def community_access(user: Viewer, community: Community) -> CommunityAccess:
    """Hosts and moderators of the community (or of its parent, for a subcommunity), and the
    librarians of its library, may moderate and approve."""
    membership = membership_for(user, community)
    can_manage = (
        bool(membership and membership.can_manage)
        or user_is_library_librarian(user, community.library_id)
        or _manages_parent(user, community, Membership.MANAGING_ROLES)
    )
    return CommunityAccess(membership=membership, can_manage=can_manage)


def user_can_manage(user: Viewer, community: Community) -> bool:
    return community_access(user, community).can_manage


def user_is_host(user: Viewer, community: Community) -> bool:
    """Only hosts (of the community or of its parent) and the librarians of its library hand
    out roles: a moderator cannot promote themselves."""
    if not user.is_authenticated:
        return False
    if user_is_library_librarian(user, community.library_id):
        return True
    return Membership.objects.filter(
        user=user,
        community_id__in=[pk for pk in (community.pk, community.parent_id) if pk is not None],
        state=Membership.State.ACTIVE,
        role=Membership.Role.HOST,
    ).exists()


def community_manager_ids(community_id: int) -> QuerySet[Membership, Any]:
    """The ids of the users who host or moderate the community `community_id`, by a membership
    of their own there or in its parent (a subquery, `.values("user_id")`): who hears of its
    membership requests, waiting posts and reports."""
    return Membership.objects.filter(
        Q(community_id=community_id) | Q(community__subcommunities=community_id),
        state=Membership.State.ACTIVE,
        role__in=Membership.MANAGING_ROLES,
    ).values("user_id")


def community_ids_hosted_by(user: Viewer) -> QuerySet[Community, Any]:
    """The ids of the communities `user` hosts or moderates as a member, with the
    subcommunities of those (a subquery, `.values("pk")`); librarians are not counted here."""
    if not user.is_authenticated:
        return Community.objects.none().values("pk")
    managed = Membership.objects.filter(
        user_id=user.pk, state=Membership.State.ACTIVE, role__in=Membership.MANAGING_ROLES
    ).values("community_id")
    return Community.objects.filter(Q(pk__in=managed) | Q(parent_id__in=managed)).values("pk")


def user_is_active_member(user: Viewer, community: Community) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.ACTIVE
    ).exists()


def membership_list_pending(community: Community) -> QuerySet[Membership]:
    """The requests, oldest first. In a subcommunity each says whether it still waits for the
    parent's hosts (`waits_for_parent`): it cannot be approved before (membership_approve)."""
    pending = Membership.objects.filter(community=community, state=Membership.State.PENDING)
    if community.parent_id is not None:
        in_parent = Membership.objects.filter(
            user_id=OuterRef("user_id"),
            community_id=community.parent_id,
            state=Membership.State.ACTIVE,
        )
        pending = pending.annotate(waits_for_parent=~Exists(in_parent))
    return pending.select_related("user").order_by("created_at")


def membership_list_active(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=Membership.State.ACTIVE)
        .select_related("user")
        .order_by("user__display_name")
    )


def membership_list_blocked(community: Community) -> QuerySet[Membership]:
    """Who was removed and blocked from `community` (moderation.blocks): they cannot join
    again until a host lifts the block."""
    return (
        Membership.objects.filter(community=community, state=Membership.State.BLOCKED)
        .select_related("user")
        .order_by("user__display_name")
    )


def membership_is_last_host(membership: Membership) -> bool:
    """Whether this is the only active host of its community (who cannot leave it yet)."""
    if membership.role != Membership.Role.HOST or not membership.is_active:
        return False
    return not (
        Membership.objects.filter(
            community_id=membership.community_id,
            role=Membership.Role.HOST,
            state=Membership.State.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def membership_get_in(community: Community, membership_id: int) -> Membership:
    """One membership of `community`, with its member, or 404."""
    membership = (
        Membership.objects.filter(community=community, pk=membership_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def member_get_by_handle(handle: str) -> User:
    member = (
        User.objects.filter(handle=handle, is_active=True)
        .select_related("region")
        .prefetch_related("expertise")  # type: ignore[misc]  # a taggit manager
        .first()
    )
    if member is None:
        raise Http404
    return member


def member_get_visible(viewer: Viewer, handle: str) -> User:
    """A member's profile page: 404 while a moderator hides it (`profile_hidden`), except for
    the member themselves, librarians and superusers."""
    member = member_get_by_handle(handle)
    if member.profile_hidden and not (
        (viewer.is_authenticated and viewer.pk == member.pk) or user_is_librarian(viewer)
    ):
        raise Http404
    return member


def member_communities_visible_to(member: User, viewer: Viewer) -> QuerySet[Community]:
    """The communities a member belongs to, as far as the viewer may see them."""
    return (
        Community.objects.filter(community_visibility_filter(viewer))
        .filter(memberships__user=member, memberships__state=Membership.State.ACTIVE)
        .order_by("title")
    )


def member_contact_visible_to(member: User, viewer: Viewer) -> bool:
    """Residents choose who sees their email address, website and phone number."""
    if viewer.is_authenticated and viewer.pk == member.pk:
        return True
    if member.contact_visibility == User.ContactVisibility.EVERYONE:
        return True
    return member.contact_visibility == User.ContactVisibility.MEMBERS and viewer.is_authenticated


def member_list_findable(
    viewer: Viewer,
    *,
    theme: Theme | None = None,
    expertise: Tag | None = None,
    region: Region | None = None,
) -> QuerySet[User]:
    """Members who opted in to being found (`User.findable`), by name.

    `theme` counts the themes of the communities they are active members of, as far as the
    viewer may see those communities: membership of a private community never shows. Each
    member comes with `expertise_list` (their tags) and `visible_memberships` (active ones, in
    communities the viewer may see, with the community): a fixed number of queries a page.
    """
    visible = Community.objects.filter(community_visibility_filter(viewer)).values("pk")
    # A profile hidden by a moderator is found by nobody, whatever the member chose.
    qs = User.objects.filter(is_active=True, findable=True, profile_hidden=False)
    if theme is not None:
        qs = qs.filter(
            pk__in=Membership.objects.filter(
                state=Membership.State.ACTIVE, community__in=visible, community__themes=theme
            ).values("user_id")
        )
    if expertise is not None:
        qs = qs.filter(pk__in=_expertise_items().filter(tag=expertise).values("object_id"))
    if region is not None:
        qs = qs.filter(region=region)
    memberships = (
        Membership.objects.filter(state=Membership.State.ACTIVE, community__in=visible)
        .select_related("community")
        .order_by("community__title")
    )
    return (
        qs.select_related("region")
        .prefetch_related(
            Prefetch("expertise", to_attr="expertise_list"),
            Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"),
        )
        .order_by("display_name", "pk")
    )


def _expertise_items() -> QuerySet[TaggedItem]:
    """The taggit rows that hold members' expertise (contributions use the same table)."""
    return TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(User))


def expertise_list_findable() -> QuerySet[Tag]:
    """The expertise tags of members who can be found: the choices of the Wie weet wat filter."""
    findable = User.objects.filter(is_active=True, findable=True, profile_hidden=False).values("pk")
    return Tag.objects.filter(
        pk__in=_expertise_items().filter(object_id__in=findable).values("tag_id")
    ).order_by("name")


def member_question_places(viewer: Viewer, members: list[User]) -> bool:
    """Where the viewer can ask each member a question: no private messages, a question in a
    community. Sets `question_community` on each member: the slug of a community they and the
    viewer are both active members of, or "" (the viewer then picks one of their own).

    Returns whether the viewer is an active member of any community (if not, they first join
    one). One query for a whole page, read with the members' `visible_memberships`.
    """
    mine: set[int] = set()
    if viewer.is_authenticated:
        mine = set(
            Membership.objects.filter(user=viewer, state=Membership.State.ACTIVE).values_list(
                "community_id", flat=True
            )
        )
    for member in members:
        member.question_community = next(  # type: ignore[attr-defined]  # for the template
            (
                m.community.slug
                for m in getattr(member, "visible_memberships", [])
                if m.community_id in mine
            ),
            "",
        )
    return bool(mine)


def members_by_handles(handles: set[str]) -> dict[str, User]:
    """Active members by handle, for resolving @mentions in one query."""
    if not handles:
        return {}
    return {u.handle: u for u in User.objects.filter(handle__in=handles, is_active=True)}


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.select_related("image").order_by("sort_order", "title")


def theme_get(slug: str) -> Theme:
    theme = Theme.objects.select_related("image").filter(slug=slug).first()
    if theme is None:
        raise Http404
    return theme


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("name")
