"""Atom and RSS feeds of the agenda: the upcoming meetups, soonest first.

The list is the public agenda's (`meetup_list_agenda` with an anonymous viewer): published and
cancelled meetups of no community or of one that is not private; drafts and proposals never.
Each item says when and where in its text; the online link stays on the meetup's page, as in
the open data (meetups/jsonld.py): a meeting link in a feed invites strangers in.
Shared machinery: kenniscloud/common/feeds.py.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.models import Theme
from kenniscloud.common.feeds import ANONYMOUS, FEED_ITEMS, FeedSubject, PublicFeed

from .calendar import meetup_location
from .models import Meetup
from .selectors import meetup_list_agenda


def meetup_list_for_agenda_feed() -> list[Meetup]:
    """The soonest public meetups, with their themes for the categories: a fixed number of
    queries whatever the number of items."""
    themes = Prefetch("themes", queryset=Theme.objects.order_by("sort_order"), to_attr="theme_list")
    return list(meetup_list_agenda(ANONYMOUS).prefetch_related(themes)[:FEED_ITEMS])


class AgendaFeed(PublicFeed):
    description_template = "meetups/feeds/meetup_description.html"

    def title(self, obj: FeedSubject) -> str:
        return _("Bijeenkomsten · KennisCloud")

    def subtitle(self, obj: FeedSubject) -> str:
        return _("De komende bijeenkomsten in de bibliotheek, in de buurt en online.")

    def description(self, obj: FeedSubject) -> str:
        return self.subtitle(obj)  # RSS's name for it

    def link(self, obj: FeedSubject) -> str:
        return reverse("meetups:meetup_list")

    def items(self, obj: FeedSubject) -> list[Meetup]:
        return meetup_list_for_agenda_feed()

    def get_context_data(self, **kwargs) -> dict:
        meetup = kwargs["item"]
        return {
            "meetup": meetup,
            "location": meetup_location(meetup),
            "meetup_url": kwargs["obj"].base + meetup.get_absolute_url(),
        }

    def item_title(self, item: Meetup) -> str:
        if item.status == Meetup.Status.CANCELLED:
            return _("Afgelast: %(title)s") % {"title": item.title}
        return item.title

    def item_pubdate(self, item: Meetup):
        return item.created_at

    def item_updateddate(self, item: Meetup):
        return item.updated_at

    def item_categories(self, item: Meetup) -> list[str]:
        return [theme.title for theme in item.theme_list]


agenda_feed = AgendaFeed()
agenda_feed_rss = AgendaFeed.rss_variant()()
