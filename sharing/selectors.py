"""Reads for link previews and the sitemap: only what an anonymous visitor may see, through
the selectors the site's own pages use."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce
from taggit.models import Tag
from wagtail.models import Page, Site

from communities.models import Community, Library, Theme, User
from communities.selectors import community_visibility_filter, member_list_findable, theme_list
from knowledge.models import Contribution
from knowledge.selectors import contribution_list_visible_to
from meetups.models import Meetup
from meetups.selectors import meetup_list_agenda

ANONYMOUS = AnonymousUser()


def library_list() -> QuerySet[Library]:
    return Library.objects.order_by("name")


def comment_count_shown(threads) -> int:
    """Comments a visitor reads in `threads` (knowledge.selectors.comment_threads_for):
    published and not deleted; placeholders of deleted ones do not count."""
    count = 0
    for comment in threads:
        for item in (comment, *getattr(comment, "reply_list", [])):
            if item.deleted_at is None and item.status == Contribution.Status.PUBLISHED:
                count += 1
    return count


def public_page_list() -> QuerySet[Page]:
    """Live Wagtail pages of the default site without a view restriction (Wagtail's own
    `public()`), home page included."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return Page.objects.none()
    return (
        Page.objects.live()
        .public()
        .descendant_of(site.root_page, inclusive=True)
        .order_by("path")
        .specific()
    )


def public_theme_list() -> QuerySet[Theme]:
    return theme_list()


def public_community_list() -> QuerySet[Community]:
    """Communities anonymous visitors see, with the moment of their latest published
    contribution (or their creation) as `last_activity`."""
    return (
        Community.objects.filter(community_visibility_filter(ANONYMOUS))
        .annotate(
            last_activity=Coalesce(
                Max(
                    "contributions__created_at",
                    filter=Q(contributions__status=Contribution.Status.PUBLISHED),
                ),
                "created_at",
            )
        )
        .order_by("pk")
    )


def _public_contribution_ids() -> QuerySet:
    return contribution_list_visible_to(ANONYMOUS).values("pk")


def public_contribution_list() -> QuerySet[Contribution]:
    """Published contributions in communities anonymous visitors see (the site's selector),
    without the counts and tags its lists need."""
    return (
        Contribution.objects.filter(pk__in=_public_contribution_ids())
        .only("pk", "updated_at")
        .order_by("pk")
    )


def public_meetup_list() -> QuerySet[Meetup]:
    """Upcoming and past meetups of the public agenda."""
    upcoming = meetup_list_agenda(ANONYMOUS).values("pk")
    past = meetup_list_agenda(ANONYMOUS, archive=True).values("pk")
    return (
        Meetup.objects.filter(Q(pk__in=upcoming) | Q(pk__in=past))
        .only("pk", "updated_at")
        .order_by("pk")
    )


def public_tag_list() -> QuerySet[Tag]:
    """Tags of public contributions: their tag pages show something to anyone."""
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Contribution),
            taggit_taggeditem_items__object_id__in=_public_contribution_ids(),
        )
        .exclude(slug="")
        .distinct()
        .order_by("slug")
    )


def public_member_list() -> QuerySet[User]:
    """Members who opted in to being found (Wie weet wat), not hidden by a moderator."""
    findable = member_list_findable(ANONYMOUS).values("pk")
    return User.objects.filter(pk__in=findable).only("pk", "handle").order_by("pk")
