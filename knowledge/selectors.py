"""Reads of contributions and comments, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from communities.models import Community, Theme
from communities.selectors import (
    Viewer,
    community_list_visible_to,
    community_visibility_filter,
    theme_list,
    user_can_manage,
)

from .models import Appreciation, Comment, Contribution


def _visible_communities(user: Viewer) -> QuerySet[Community]:
    return Community.objects.filter(community_visibility_filter(user)).values("pk")


def contribution_list_visible_to(
    user: Viewer,
    *,
    community: Community | None = None,
    theme: Theme | None = None,
    author=None,
    include_hidden: bool = False,
) -> QuerySet[Contribution]:
    """Published contributions in communities the viewer may see, newest first.

    The cost is constant whatever the length: authors, communities, tags and themes come in
    with a fixed number of queries, and counts are annotations.
    """
    qs = Contribution.objects.filter(community__in=_visible_communities(user))
    if not include_hidden:
        qs = qs.filter(status=Contribution.Status.PUBLISHED)
    if community is not None:
        qs = qs.filter(community=community)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if author is not None:
        qs = qs.filter(author=author)
    return (
        qs.select_related("author", "community")
        .prefetch_related("tags")
        .annotate(
            comment_count=Count(
                "comments",
                filter=Q(
                    comments__deleted_at__isnull=True,
                    comments__status=Contribution.Status.PUBLISHED,
                ),
                distinct=True,
            ),
            appreciation_count=Count("appreciations", distinct=True),
        )
        .order_by("-created_at")
    )


def contribution_get_visible(user: Viewer, pk: int) -> Contribution:
    """A contribution the viewer may see; hidden ones only for those who moderate them."""
    contribution = (
        Contribution.objects.filter(pk=pk, community__in=_visible_communities(user))
        .select_related("author", "community", "community__library")
        .prefetch_related("tags", "themes")
        .annotate(appreciation_count=Count("appreciations", distinct=True))
        .first()
    )
    if contribution is None:
        raise Http404
    if contribution.is_hidden and not user_can_manage(user, contribution.community):
        raise Http404
    return contribution


def comment_threads_for(contribution: Contribution, user: Viewer, *, can_manage: bool) -> list:
    """Top-level comments with their replies, each with its appreciation count and whether
    the viewer appreciated it: three queries, however long the thread."""
    qs = Comment.objects.filter(contribution=contribution).select_related("author")
    if not can_manage:
        qs = qs.exclude(status=Contribution.Status.HIDDEN)
    qs = qs.annotate(appreciation_count=Count("appreciations"))
    if user.is_authenticated:
        qs = qs.annotate(
            appreciated=Exists(Appreciation.objects.filter(comment=OuterRef("pk"), user=user))
        )
    comments = list(qs.order_by("created_at"))
    by_parent: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            by_parent.setdefault(comment.parent_id, []).append(comment)
    threads = [c for c in comments if c.parent_id is None]
    for comment in threads:
        comment.reply_list = by_parent.get(comment.pk, [])
    return threads


def comment_get(contribution: Contribution, pk: int) -> Comment:
    comment = Comment.objects.filter(contribution=contribution, pk=pk).first()
    if comment is None:
        raise Http404
    return comment


def user_appreciated(user: Viewer, contribution: Contribution) -> bool:
    if not user.is_authenticated:
        return False
    return Appreciation.objects.filter(user=user, contribution=contribution).exists()


def theme_list_with_counts(user: Viewer) -> QuerySet[Theme]:
    """Themes with the number of communities and contributions the viewer can see."""
    visible = _visible_communities(user)
    return theme_list().annotate(
        community_count=Count("communities", filter=Q(communities__in=visible), distinct=True),
        contribution_count=Count(
            "contributions",
            filter=Q(
                contributions__community__in=visible,
                contributions__status=Contribution.Status.PUBLISHED,
            ),
            distinct=True,
        ),
    )


def home_lists(user: Viewer, *, limit: int = 6) -> dict:
    """The live lists on the home page."""
    return {
        "themes": list(theme_list_with_counts(user)),
        "communities": list(community_list_visible_to(user)[:limit]),
        "latest_contributions": list(
            contribution_list_visible_to(user).prefetch_related(
                Prefetch("themes", queryset=Theme.objects.order_by("sort_order"))
            )[:limit]
        ),
    }
