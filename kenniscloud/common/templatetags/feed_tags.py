"""Pointers to a page's Atom/RSS feed (kenniscloud/common/feeds.py): `<link rel="alternate">`
in the head, for browsers and feed readers that look there, and a visible link to follow it.

A feed's RSS twin has the URL name of its Atom feed plus `_rss` (knowledge/urls.py).
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def feed_links(url_name: str, title: str, **kwargs) -> SafeString:
    """The two alternates of a page: `{% feed_links "knowledge:feed_theme" theme.title
    slug=theme.slug %}` in `{% block feeds %}`."""
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{} (Atom)" href="{}">\n'
        '<link rel="alternate" type="application/rss+xml" title="{} (RSS)" href="{}">',
        title,
        reverse(url_name, kwargs=kwargs),
        title,
        reverse(f"{url_name}_rss", kwargs=kwargs),
    )


@register.simple_tag
def feed_follow(url_name: str, title: str, **kwargs) -> SafeString:
    """The link "Volg via RSS/Atom", naming the feed for screen readers, who may meet several such
    links on one page out of context."""
    return format_html(
        '<a class="feed-link" href="{}" type="application/atom+xml">{}'
        '<span class="visually-hidden">: {}</span></a>',
        reverse(url_name, kwargs=kwargs),
        _("Volg via RSS/Atom"),
        title,
    )
