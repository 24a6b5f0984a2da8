"""Atom and RSS feeds of contributions: all public ones, and per community, theme and tag.

Every list goes through `contribution_list_visible_to` with an anonymous viewer, so hidden,
waiting and private-community contributions never reach a feed, whoever fetches it; a feed of
something the visitor's page would 404 on (a private community, a tag nothing public uses) is a
404 too. Shared machinery: kenniscloud/common/feeds.py.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from taggit.models import Tag

from communities.models import Community, Theme
from communities.selectors import community_get_visible, member_list_findable, theme_get
from kenniscloud.common.feeds import (
    ANONYMOUS,
    FEED_ITEMS,
    FeedSubject,
    PublicFeed,
    absolute_links,
)

from .models import Contribution
from .selectors import contribution_list_visible_to


def contribution_list_for_feed(
    *, community: Community | None = None, theme: Theme | None = None, tag: Tag | None = None
) -> list[Contribution]:
    """The newest public contributions, with their themes for the categories: a fixed number
    of queries whatever the number of items."""
    qs: QuerySet[Contribution] = contribution_list_visible_to(
        ANONYMOUS, community=community, theme=theme
    )
    if tag is not None:
        qs = qs.filter(tags=tag)
    themes = Prefetch("themes", queryset=Theme.objects.order_by("sort_order"), to_attr="theme_list")
    return list(qs.prefetch_related(themes)[:FEED_ITEMS])


class ContributionFeed(PublicFeed):
    """All public contributions, newest first (the home page's "Nieuwste bijdragen")."""

    def title(self, obj: FeedSubject) -> str:
        return _("Nieuwste bijdragen · KennisCloud")

    def subtitle(self, obj: FeedSubject) -> str:
        return _("Wat bewoners delen in de open gemeenschappen van KennisCloud.")

    def description(self, obj: FeedSubject) -> str:
        return self.subtitle(obj)  # RSS's name for it

    def link(self, obj: FeedSubject) -> str:
        return reverse("wagtail_serve", args=[""])

    def items(self, obj: FeedSubject) -> list[Contribution]:
        items = self.contributions(obj)
        for item in items:
            item.feed_base = obj.base  # type: ignore[attr-defined]
        return items

    def contributions(self, obj: FeedSubject) -> list[Contribution]:
        return contribution_list_for_feed()

    def item_title(self, item: Contribution) -> str:
        return item.title

    def item_description(self, item: Contribution) -> str:
        # The text as the contribution's page renders it: Markdown made safe by nh3 when it
        # was saved (knowledge/markdown.py), with the parts of an experience under their
        # headings (knowledge/parts.py).
        html = item.body_html + item.parts_html
        return absolute_links(html, item.feed_base)  # type: ignore[attr-defined]

    def item_author_name(self, item: Contribution) -> str:
        # As the cards name them: a deleted account's marker in the reader's language
        # ("Verwijderd lid", User.public_name), an author removed outright as "Oud-lid".
        return item.author.public_name if item.author else _("Oud-lid")

    def item_pubdate(self, item: Contribution):
        return item.created_at

    def item_updateddate(self, item: Contribution):
        return item.updated_at

    def item_categories(self, item: Contribution) -> list[str]:
        themes = [theme.title for theme in item.theme_list]  # type: ignore[attr-defined]
        tags = [tag.name for tag in item.tag_list]  # type: ignore[attr-defined]
        # An answered question says so, as its card does (issue 14).
        answered = (
            [_("Beantwoord")]
            if item.kind == Contribution.Kind.QUESTION and item.answered_at
            else []
        )
        return themes + [tag for tag in tags if tag not in themes] + answered


class CommunityContributionFeed(ContributionFeed):
    """A community's contributions; a private community's feed is a 404, like its page."""

    def subject(self, request: HttpRequest, **kwargs) -> Community:
        return community_get_visible(ANONYMOUS, kwargs["slug"])

    def title(self, obj: FeedSubject) -> str:
        return _("%(community)s · KennisCloud") % {"community": obj.subject.title}

    def subtitle(self, obj: FeedSubject) -> str:
        return _("Nieuwe bijdragen in de gemeenschap %(community)s.") % {
            "community": obj.subject.title
        }

    def link(self, obj: FeedSubject) -> str:
        return obj.subject.get_absolute_url()

    def contributions(self, obj: FeedSubject) -> list[Contribution]:
        return contribution_list_for_feed(community=obj.subject)


class ThemeContributionFeed(ContributionFeed):
    """A theme's contributions, as its page /themas/<slug>/ lists them."""

    def subject(self, request: HttpRequest, **kwargs) -> Theme:
        return theme_get(kwargs["slug"])

    def title(self, obj: FeedSubject) -> str:
        return _("Bijdragen over %(theme)s · KennisCloud") % {"theme": obj.subject.title}

    def subtitle(self, obj: FeedSubject) -> str:
        return _("Nieuwe bijdragen over het thema %(theme)s.") % {"theme": obj.subject.title}

    def link(self, obj: FeedSubject) -> str:
        return reverse("knowledge:theme_detail", kwargs={"slug": obj.subject.slug})

    def contributions(self, obj: FeedSubject) -> list[Contribution]:
        return contribution_list_for_feed(theme=obj.subject)


def _tag_in_public_use(tag: Tag) -> bool:
    """Whether the tag's page shows anything to a visitor: a tag used only in private
    communities does not give itself away through its feed either."""
    public = contribution_list_visible_to(ANONYMOUS).filter(tags=tag)
    return public.exists() or member_list_findable(ANONYMOUS, expertise=tag).exists()


class TagContributionFeed(ContributionFeed):
    """Contributions with a tag (the page /tags/<slug>/, "Alles over …")."""

    def subject(self, request: HttpRequest, **kwargs) -> Tag:
        tag = Tag.objects.filter(slug=kwargs["slug"]).first()
        if tag is None or not _tag_in_public_use(tag):
            raise Http404
        return tag

    def title(self, obj: FeedSubject) -> str:
        return _("Alles over %(tag)s · KennisCloud") % {"tag": obj.subject.name}

    def subtitle(self, obj: FeedSubject) -> str:
        return _("Nieuwe bijdragen met het trefwoord %(tag)s.") % {"tag": obj.subject.name}

    def link(self, obj: FeedSubject) -> str:
        return reverse("knowledge:tag_detail", kwargs={"slug": obj.subject.slug})

    def contributions(self, obj: FeedSubject) -> list[Contribution]:
        return contribution_list_for_feed(tag=obj.subject)


contribution_feed = ContributionFeed()
contribution_feed_rss = ContributionFeed.rss_variant()()
community_feed = CommunityContributionFeed()
community_feed_rss = CommunityContributionFeed.rss_variant()()
theme_feed = ThemeContributionFeed()
theme_feed_rss = ThemeContributionFeed.rss_variant()()
tag_feed = TagContributionFeed()
tag_feed_rss = TagContributionFeed.rss_variant()()
