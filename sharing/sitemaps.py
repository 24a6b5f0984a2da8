"""sitemap.xml: every public page in Dutch and English, with last-modified dates where the
page has one (Django's sitemaps framework; https://www.sitemaps.org/protocol.html).

Each section reads through sharing/selectors.py, which asks the site's own selectors what an
anonymous visitor may see: a private community, its contributions and meetups, a hidden or
waiting contribution, a draft or a Wagtail page behind a view restriction never appear.

The Wagtail pages are a section of our own rather than wagtail.contrib.sitemaps: Wagtail's
sitemap lists each page once in the language of the request, ours lists both languages with
hreflang alternates like the other sections. Addresses are absolute under SITE_URL
(KENNISCLOUD_SITE_URL), whatever host the request came in on.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class _SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the Dutch page: the site's default language

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        # SITE_URL may carry a path prefix; Django joins "<protocol>://<domain><location>".
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path


class PageSitemap(_SiteSitemap):
    def items(self):
        return selectors.public_page_list()

    def location(self, item):
        # Wagtail reverses its catch-all, so the active language gives /en/… in English.
        return item.get_url() or "/"

    def lastmod(self, item):
        return item.last_published_at


class ListSitemap(_SiteSitemap):
    """The overview pages that are views of ours rather than Wagtail pages."""

    def items(self):
        return [
            "knowledge:theme_list",
            "communities:community_list",
            "meetups:meetup_list",
            "meetups:meetup_archive",
            "communities:who_knows_what",
        ]

    def location(self, item):
        return reverse(item)


class ThemeSitemap(_SiteSitemap):
    def items(self):
        return selectors.public_theme_list()


class CommunitySitemap(_SiteSitemap):
    def items(self):
        return selectors.public_community_list()

    def lastmod(self, item):
        return item.last_activity


class ContributionSitemap(_SiteSitemap):
    def items(self):
        return selectors.public_contribution_list()

    def lastmod(self, item):
        return item.updated_at


class MeetupSitemap(_SiteSitemap):
    def items(self):
        return selectors.public_meetup_list()

    def lastmod(self, item):
        return item.updated_at


class TagSitemap(_SiteSitemap):
    def items(self):
        return selectors.public_tag_list()

    def location(self, item):
        return reverse("knowledge:tag_detail", kwargs={"slug": item.slug})


class MemberSitemap(_SiteSitemap):
    def items(self):
        return selectors.public_member_list()


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "paginas": PageSitemap,
    "overzichten": ListSitemap,
    "themas": ThemeSitemap,
    "gemeenschappen": CommunitySitemap,
    "bijdragen": ContributionSitemap,
    "bijeenkomsten": MeetupSitemap,
    "tags": TagSitemap,
    "leden": MemberSitemap,
}
