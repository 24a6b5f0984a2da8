"""schema.org data for contributions (`DiscussionForumPosting`), articles (`Article`) and the
home page (`WebSite` with the libraries as `Library`), in the manner of meetups/jsonld.py:
dicts serialised with json.dumps and escaped for a <script> element (`json_for_script`), never
a string template. Only public content gets any: private pages carry none (sharing/meta.py).

KennisCloud has no accepted answers (a question's replies are equal comments), so a question is
a `DiscussionForumPosting` too rather than a `Question` with an `acceptedAnswer`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meetups.jsonld import json_for_script

from .meta import SITE_NAME, absolute, default_image_url, excerpt, shorten

SCHEMA = "https://schema.org"
TEXT_CHARS = 500
HEADLINE_CHARS = 110  # what search engines show of a headline


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat()


def _person(user) -> dict[str, Any]:
    if user is None:
        return {"@type": "Person", "name": _("Een oud-lid")}
    person = {"@type": "Person", "name": user.display_name}
    # A hidden profile and a deleted (inactive) account answer 404: no link to them.
    if user.is_active and not user.profile_hidden:
        person["url"] = absolute(user.get_absolute_url())
    return person


def contribution_posting_data(contribution, *, url: str, comment_count: int) -> dict[str, Any]:
    """The `DiscussionForumPosting` of a published contribution in a public community; `url`
    is its absolute canonical address."""
    community = contribution.community
    return {
        "@context": SCHEMA,
        "@type": "DiscussionForumPosting",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": shorten(contribution.title, HEADLINE_CHARS),
        "text": excerpt(contribution.body_html, TEXT_CHARS),
        "author": _person(contribution.author),
        "datePublished": _iso(contribution.created_at),
        "dateModified": _iso(contribution.updated_at),
        "inLanguage": "nl",  # what members write; the interface language says nothing of it
        "commentCount": comment_count,
        "interactionStatistic": [
            {
                "@type": "InteractionCounter",
                "interactionType": f"{SCHEMA}/CommentAction",
                "userInteractionCount": comment_count,
            },
            {
                "@type": "InteractionCounter",
                "interactionType": f"{SCHEMA}/LikeAction",
                "userInteractionCount": getattr(contribution, "appreciation_count", 0) or 0,
            },
        ],
        "isPartOf": {
            "@type": "WebPage",
            "name": community.title,
            "url": absolute(community.get_absolute_url()),
        },
        "keywords": [tag.name for tag in contribution.tags.all()],
    }


def _publisher() -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": SITE_NAME,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": default_image_url()},
    }


def article_data(page, *, url: str, image_url: str = "") -> dict[str, Any]:
    """The `Article` of a live ArticlePage."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Article",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": shorten(page.title, HEADLINE_CHARS),
        "description": page.search_description or page.summary,
        "author": ({"@type": "Person", "name": page.author} if page.author else _publisher()),
        "publisher": _publisher(),
        "image": [image_url or default_image_url()],
        "inLanguage": "nl",
    }
    if page.first_published_at:
        data["datePublished"] = _iso(page.first_published_at)
    if page.last_published_at:
        data["dateModified"] = _iso(page.last_published_at)
    themes = [theme.title for theme in page.themes.all()]
    if themes:
        data["about"] = [{"@type": "Thing", "name": title} for title in themes]
    return data


def library_node(library) -> dict[str, Any]:
    """A library (communities.Library) as schema.org `Library`, a kind of Organization."""
    node: dict[str, Any] = {
        "@type": "Library",
        "@id": absolute(f"/#bibliotheek-{library.slug}"),
        "name": library.name,
        "url": library.website or absolute("/"),
    }
    if library.contact_email:
        node["email"] = library.contact_email
    return node


def home_data(libraries) -> dict[str, Any]:
    """The home page: the site as `WebSite` (with its search), run by its libraries."""
    home = absolute(reverse("wagtail_serve", args=("",)))
    search = absolute(reverse("search:search"))
    library_nodes = [library_node(library) for library in libraries]
    website: dict[str, Any] = {
        "@type": "WebSite",
        "@id": f"{home}#website",
        "name": SITE_NAME,
        "url": home,
        "inLanguage": get_language() or settings.LANGUAGE_CODE,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    if library_nodes:
        website["publisher"] = [{"@id": node["@id"]} for node in library_nodes]
    return {"@context": SCHEMA, "@graph": [website, *library_nodes]}


def community_breadcrumb_data(community) -> dict[str, Any]:
    """The `BreadcrumbList` of a public community's page: Gemeenschappen, then its parent (a
    subcommunity), then the community, as the breadcrumbs on the page."""
    trail = [(_("Gemeenschappen"), reverse("communities:community_list"))]
    if community.parent_id is not None:
        trail.append((community.parent.title, community.parent.get_absolute_url()))
    trail.append((community.title, community.get_absolute_url()))
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": str(name), "item": absolute(path)}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


def jsonld_script(data: dict[str, Any], *, nonce: str | None) -> SafeString:
    """A <script type="application/ld+json"> element; `nonce` is the request's CSP nonce."""
    body = SafeString(json_for_script(data))
    if nonce is None:
        return format_html('<script type="application/ld+json">{}</script>', body)
    return format_html('<script type="application/ld+json" nonce="{}">{}</script>', nonce, body)
