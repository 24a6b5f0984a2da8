"""What every Atom/RSS feed of the site shares (the feeds themselves: knowledge/feeds.py and
meetups/feeds.py).

Feeds show what an anonymous visitor may see, whoever asks: feed readers fetch without logging
in, and one answer for everyone is what lets the anonymous page cache keep them
(`ANONYMOUS_PAGE_CACHE_VIEWS`; a write that changes a page bumps the same generation, so the
feed changes with it). Atom is the default at `.../feed/`, RSS 2.0 sits beside it at
`.../feed/rss/`; both in the language of the request (`/en/...` for English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

# How many items a feed carries: the newest (contributions) or the soonest (meetups).
FEED_ITEMS = 30
SITE_NAME = "KennisCloud"

# The viewer every feed is built for: nobody logged in.
ANONYMOUS = AnonymousUser()

# A link within the site in rendered Markdown (an @mention: href="/leden/mila/"). In a feed
# reader there is no page to be relative to, so it gets the site's scheme and host.
_SITE_RELATIVE_HREF = re.compile(r'href="/(?!/)')


def absolute_links(html: str, base: str) -> str:
    """`html` with every site-relative href made absolute against `base` (scheme://host)."""
    return _SITE_RELATIVE_HREF.sub(lambda _match: f'href="{base}/', html)


@dataclass(frozen=True)
class FeedSubject:
    """What a feed is about (a community, a theme, a tag, or nothing for the site-wide feeds),
    with the address of the site as the request reached it, for links inside item text."""

    base: str
    path: str
    subject: Any = None


class PublicFeed(Feed):
    """An Atom feed of public content; `rss_variant()` makes its RSS twin."""

    feed_type: type = Atom1Feed
    # Atom wants an author for the feed or every entry; the site stands in where an entry has
    # none of its own (a meetup).
    author_name = SITE_NAME

    def subject(self, request: HttpRequest, **kwargs) -> Any:
        """The object the feed is about; raise Http404 when the visitor's page would."""
        return None

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FeedSubject:
        base = f"{request.scheme}://{request.get_host()}"
        return FeedSubject(base=base, path=request.path, subject=self.subject(request, **kwargs))

    def feed_guid(self, obj: FeedSubject) -> str:
        # Atom's <id>: the feed's own address, which no other feed shares (by default it is the
        # page's, and the contributions feed would share the home page's with any other).
        return obj.base + obj.path

    @classmethod
    def rss_variant(cls) -> type[PublicFeed]:
        return type(f"{cls.__name__}Rss", (cls,), {"feed_type": Rss201rev2Feed})
