"""What a page tells link previews and search engines about itself: title, description,
image, canonical address and whether it may be indexed (OpenGraph, Twitter cards, robots).

One place decides it for every page, from the view that rendered the page and the objects in
its context (`page_meta`), so that the templates of the apps need no head tags of their own. A
view may pass a ready `PageMeta` as `page_meta` in its context to say something else.

Private content (a private community, what waits for approval or was hidden, a draft meetup,
a Wagtail page behind a view restriction) is only ever rendered for people who may see it, but
it still gets `noindex` and no description: a link pasted elsewhere previews nothing of it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

SITE_NAME = "KennisCloud"  # as kenniscloud.common.context_processors.site says
DEFAULT_IMAGE = "images/kenniscloud-share.png"
DEFAULT_IMAGE_SIZE = (1200, 630)
# Link previews crop to about 1.91:1; Wagtail makes (and keeps) the rendition once.
IMAGE_RENDITION = "fill-1200x630-c50"
DESCRIPTION_CHARS = 200
# Query parameters that make another document of the same page; filters are left out.
CANONICAL_PARAMETERS = ("pagina",)
OG_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


@dataclass
class PageMeta:
    title: str
    description: str = ""
    og_type: str = "website"
    image_url: str = ""
    image_alt: str = ""
    image_size: tuple[int, int] | None = None
    indexable: bool = True
    # Extra OpenGraph properties, e.g. article:published_time.
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def has_own_image(self) -> bool:
        return bool(self.image_url)


def absolute(path_or_url: str) -> str:
    """An address on this site as an absolute URL under `SITE_URL` (KENNISCLOUD_SITE_URL)."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL + path_or_url


def excerpt(html_or_text: str, chars: int = DESCRIPTION_CHARS) -> str:
    """Plain text of rendered HTML (tags out, entities decoded), cut at `chars`."""
    text = " ".join(html.unescape(strip_tags(html_or_text or "")).split())
    return shorten(text, chars)


def shorten(text: str, chars: int) -> str:
    """Plain text such as a title, whitespace collapsed and cut at `chars` with an ellipsis."""
    return Truncator(" ".join(text.split())).chars(chars)


def site_description() -> str:
    # The footer's sentence (templates/base.html), so it is translated already.
    return _(
        "KennisCloud is een plek van de bibliotheek en de mensen om haar heen: samen kennis "
        "delen over wat er in de buurt speelt."
    )


def canonical_url(request) -> str:
    """This page's own address in the current language, under SITE_URL.

    The English page is not a copy of the Dutch one (its interface is translated), so each
    language is its own canonical page and they point at each other with hreflang; pointing
    /en/… at the Dutch address would tell search engines to drop the English pages.
    """
    kept = [(key, request.GET[key]) for key in CANONICAL_PARAMETERS if request.GET.get(key)]
    query = f"?{urlencode(kept)}" if kept else ""
    return absolute(request.path + query)


def language_alternates(request) -> list[dict[str, str]]:
    """hreflang links: this page in each language, and x-default (Dutch, the site's default)."""
    alternates = [
        {"code": code, "url": absolute(translate_url(request.path, code))}
        for code, _name in settings.LANGUAGES
    ]
    default = next((a for a in alternates if a["code"] == settings.LANGUAGE_CODE), None)
    if default is not None:
        alternates.append({"code": "x-default", "url": default["url"]})
    return alternates


def og_locale() -> str:
    return OG_LOCALES.get(get_language() or settings.LANGUAGE_CODE, "nl_NL")


def og_locale_alternates() -> list[str]:
    current = og_locale()
    return [locale for locale in OG_LOCALES.values() if locale != current]


def default_image_url() -> str:
    return absolute(static(DEFAULT_IMAGE))


def _wagtail_image(image, alt: str) -> dict[str, Any]:
    rendition = image.get_rendition(IMAGE_RENDITION)
    return {
        "image_url": absolute(rendition.url),
        "image_alt": alt,
        "image_size": (rendition.width, rendition.height),
    }


def _first_image_block(body) -> dict[str, Any]:
    for block in body or []:
        if block.block_type == "image" and block.value.get("image") is not None:
            return _wagtail_image(block.value["image"], block.value.get("alt_text") or "")
    return {}


# --- Per page ---------------------------------------------------------------------------------


def _contribution(context) -> PageMeta | None:
    contribution = context.get("contribution")
    if contribution is None:
        return None
    public = contribution.status == "published" and not contribution.community.is_private
    return PageMeta(
        title=contribution.title,
        description=excerpt(contribution.body_html) if public else "",
        og_type="article",
        indexable=public,
        properties=(
            {
                "article:published_time": contribution.created_at.isoformat(),
                "article:modified_time": contribution.updated_at.isoformat(),
                "article:section": contribution.community.title,
            }
            if public
            else {}
        ),
    )


def _community(context) -> PageMeta | None:
    community = context.get("community")
    if community is None:
        return None
    public = not community.is_private
    return PageMeta(
        title=community.title,
        description=excerpt(community.description) if public else "",
        indexable=public,
    )


def _meetup(context) -> PageMeta | None:
    meetup = context.get("meetup")
    if meetup is None:
        return None
    public = meetup.status in ("published", "cancelled") and not (
        meetup.community_id is not None and meetup.community.is_private
    )
    return PageMeta(
        title=meetup.title,
        description=excerpt(meetup.description) if public else "",
        indexable=public,
    )


def _theme(context) -> PageMeta | None:
    theme = context.get("theme")
    if theme is None:
        return None
    meta = PageMeta(title=theme.title, description=excerpt(theme.intro))
    if theme.image_id:
        for key, value in _wagtail_image(theme.image, theme.image_alt).items():
            setattr(meta, key, value)
    return meta


def _tag(context) -> PageMeta | None:
    tag = context.get("tag")
    if tag is None:
        return None
    return PageMeta(title=_("Alles over %(tag)s") % {"tag": tag.name})


def _member(context) -> PageMeta | None:
    member = context.get("member")
    if member is None:
        return None
    # A member who did not opt in to being found (Wie weet wat) is not put in search engines
    # either; the profile itself stays reachable for those who follow a link.
    findable = member.findable and not member.profile_hidden
    return PageMeta(
        title=member.display_name,
        description=excerpt(member.bio) if findable else "",
        og_type="profile",
        indexable=findable,
    )


def _wagtail_page(context) -> PageMeta | None:
    page = context.get("page")
    if page is None:
        return None
    restricted = bool(page.get_view_restrictions())
    description = getattr(page, "search_description", "") or ""
    if not description:
        for attribute in ("summary", "intro"):
            if value := getattr(page, attribute, ""):
                description = excerpt(str(value))
                break
    title = page.seo_title or page.title
    # The English version an editor wrote (knowledge.models.pages, "_en" fields) on /en/.
    if get_language() != settings.LANGUAGE_CODE:
        suffix = f"_{get_language()}"
        title = getattr(page, f"title{suffix}", "") or title
        if intro := getattr(page, f"intro{suffix}", ""):
            description = excerpt(str(intro))
    meta = PageMeta(
        title=title,
        description="" if restricted else description,
        indexable=not restricted and page.live,
    )
    if page.specific_class.__name__ == "ArticlePage":
        meta.og_type = "article"
        if page.first_published_at:
            meta.properties["article:published_time"] = page.first_published_at.isoformat()
        if page.last_published_at:
            meta.properties["article:modified_time"] = page.last_published_at.isoformat()
        for key, value in _first_image_block(page.body).items():
            setattr(meta, key, value)
    if page.depth <= 2:  # the site's root page: the home page
        meta.title = page.seo_title or SITE_NAME
        meta.description = meta.description or site_description()
    return meta


def _titled(title):
    return lambda context: PageMeta(title=str(title))


# The public pages, by view name. Titles of list pages are the menu's words (base.html).
_BUILDERS = {
    "wagtail_serve": _wagtail_page,
    "knowledge:contribution_detail": _contribution,
    "knowledge:theme_detail": _theme,
    "knowledge:tag_detail": _tag,
    "communities:community_detail": _community,
    "communities:member_detail": _member,
    "meetups:meetup_detail": _meetup,
}
_LIST_TITLES = {
    "knowledge:theme_list": "Thema's",
    "communities:community_list": "Gemeenschappen",
    "communities:who_knows_what": "Wie weet wat",
    "meetups:meetup_list": "Bijeenkomsten",
    "meetups:meetup_archive": "Bijeenkomsten",
}


def page_meta(context) -> PageMeta:
    """The meta data of the page being rendered with `context` (a template context)."""
    given = context.get("page_meta")
    if isinstance(given, PageMeta):
        return given
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    meta = None
    if view_name in _BUILDERS:
        meta = _BUILDERS[view_name](context)
    elif view_name in _LIST_TITLES:
        meta = PageMeta(title=_(_LIST_TITLES[view_name]))
    if meta is None:
        meta = PageMeta(title=SITE_NAME)
    if meta.indexable and not meta.description:
        meta.description = site_description()
    return meta
