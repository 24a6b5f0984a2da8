"""What the public API shows: the site's own selectors, read as an anonymous visitor, narrowed
by the API's filters.

Every list and detail starts from a selector the site's pages use (`*_visible_to`,
`*_get_visible`, `article_list_live`), with an `AnonymousUser`: so private communities,
hidden and pending contributions and comments, drafts and view-restricted pages stay out of
the API by the same rule that keeps them off the pages, and a change to that rule reaches both.
The filters here only ever narrow what those selectors return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from communities.models import Community, Region, Theme
from communities.selectors import community_get_visible, community_list_visible_to
from knowledge.models import ArticlePage, Comment, Contribution
from knowledge.selectors import (
    article_list_live,
    comment_threads_for,
    contribution_get_visible,
    contribution_list_visible_to,
    theme_list_with_counts,
)
from meetups.models import Meetup
from meetups.selectors import meetup_get_visible, meetup_list_agenda

# The public API reads as nobody in particular: what a visitor without an account sees.
PUBLIC = AnonymousUser()


@dataclass(frozen=True)
class Filters:
    """The API's filters, by slug. A slug that matches nothing gives an empty list, whether
    the thing does not exist or is private: the answer does not tell them apart."""

    theme: str | None = None
    community: str | None = None
    region: str | None = None
    tag: str | None = None
    since: datetime | None = None


def _theme(slug: str | None) -> Theme | None:
    return Theme.objects.filter(slug=slug).first() if slug else None


def _region(slug: str | None) -> Region | None:
    return Region.objects.filter(slug=slug).first() if slug else None


def _nothing_matches(filters: Filters, *, theme: Theme | None, region: Region | None) -> bool:
    return (filters.theme is not None and theme is None) or (
        filters.region is not None and region is None
    )


# --- Themes and communities ---------------------------------------------------------------------


def theme_list_public() -> QuerySet[Theme]:
    """Every theme, with the number of public communities and contributions on it."""
    return theme_list_with_counts(PUBLIC)


def theme_get_public(slug: str) -> Theme:
    theme = theme_list_public().filter(slug=slug).first()
    if theme is None:
        raise Http404
    return theme


def community_list_public(filters: Filters) -> QuerySet[Community]:
    # With the parent of a subcommunity (CommunityOut.parent): a join, no query per row.
    qs = community_list_visible_to(PUBLIC).select_related("parent")
    if filters.theme is not None:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.region is not None:
        qs = qs.filter(region__slug=filters.region)
    if filters.since is not None:
        qs = qs.filter(created_at__gt=filters.since)
    return qs


def community_get_public(slug: str) -> Community:
    return community_get_visible(PUBLIC, slug)


# --- Contributions and their comments ----------------------------------------------------------


def contribution_list_public(filters: Filters) -> QuerySet[Contribution]:
    theme = _theme(filters.theme)
    region = _region(filters.region)
    if _nothing_matches(filters, theme=theme, region=region):
        return Contribution.objects.none()
    qs = contribution_list_visible_to(PUBLIC, theme=theme).prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("sort_order", "title"))
    )
    if filters.community is not None:
        qs = qs.filter(community__slug=filters.community)
    if region is not None:
        qs = qs.filter(community__region=region)
    if filters.tag is not None:
        qs = qs.filter(tags__slug=filters.tag)
    if filters.since is not None:
        # `updated_at` moves with every edit, and is never before `created_at`.
        qs = qs.filter(updated_at__gt=filters.since)
    return qs


def contribution_get_public(pk: int) -> Contribution:
    """A contribution with the comments a visitor reads under it (`comments_shown`) and
    their number (`comment_count`)."""
    contribution = contribution_get_visible(PUBLIC, pk)
    comments = comment_list_public(contribution)
    contribution.comments_shown = comments  # type: ignore[attr-defined]
    contribution.comment_count = len(comments)  # type: ignore[attr-defined]
    return contribution


def comment_list_public(contribution: Contribution) -> list[Comment]:
    """The comments a visitor reads under `contribution`, in the order of the page (each
    thread, then its replies), without the deleted ones.

    The page keeps a deleted comment as "Deze reactie is verwijderd." so that its replies keep
    their place; the API leaves it out entirely, and a reply to it stands on its own
    (`shown_parent_id` None), so nothing of a deleted comment, not even its id, is published.
    """
    shown: list[Comment] = []
    for thread in comment_threads_for(contribution, PUBLIC, can_manage=False):
        parent_shown = not thread.is_deleted
        if parent_shown:
            thread.shown_parent_id = None
            shown.append(thread)
        for reply in thread.reply_list:
            if not reply.is_deleted:
                reply.shown_parent_id = thread.pk if parent_shown else None
                shown.append(reply)
    return shown


# --- Meetups ------------------------------------------------------------------------------------

UPCOMING = "upcoming"
PAST = "past"


def meetup_list_public(filters: Filters, *, when: str = UPCOMING) -> QuerySet[Meetup]:
    """The public agenda: upcoming meetups soonest first, or past ones latest first."""
    theme = _theme(filters.theme)
    region = _region(filters.region)
    community = None
    if filters.community is not None:
        community = Community.objects.filter(slug=filters.community).first()
        if community is None:
            return Meetup.objects.none()
    if _nothing_matches(filters, theme=theme, region=region):
        return Meetup.objects.none()
    qs = meetup_list_agenda(
        PUBLIC, archive=when == PAST, theme=theme, community=community, region=region
    ).select_related("branch__region")
    if filters.since is not None:
        qs = qs.filter(updated_at__gt=filters.since)
    return qs


def meetup_get_public(pk: int) -> Meetup:
    return meetup_get_visible(PUBLIC, pk)


# --- Articles -----------------------------------------------------------------------------------


def article_list_public(filters: Filters) -> QuerySet[ArticlePage]:
    """Live articles without view restrictions, newest first."""
    theme = _theme(filters.theme)
    if filters.theme is not None and theme is None:
        return ArticlePage.objects.none()
    qs = article_list_live(theme=theme)
    if filters.since is not None:
        qs = qs.filter(last_published_at__gt=filters.since)
    return qs


def article_get_public(pk: int) -> ArticlePage:
    article = article_list_live().filter(pk=pk).first()
    if article is None:
        raise Http404
    return article
