"""The head of every page (canonical address, hreflang, OpenGraph, Twitter card, robots and
JSON-LD) and the share block of contributions, articles and meetups."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sharing import jsonld, selectors
from sharing.meta import (
    DEFAULT_IMAGE_SIZE,
    PageMeta,
    canonical_url,
    default_image_url,
    language_alternates,
    og_locale,
    og_locale_alternates,
)
from sharing.meta import page_meta as build_page_meta

register = template.Library()


def _nonce(request) -> str | None:
    # The site's Content-Security-Policy allows no <script> without the request's nonce.
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else None


def _jsonld(context, meta: PageMeta, url: str) -> SafeString | str:
    """The page's schema.org data, for public pages only (meetups bring their own Event)."""
    if not meta.indexable:
        return ""
    request = context["request"]
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    data = None
    if view_name == "knowledge:contribution_detail":
        data = jsonld.contribution_posting_data(
            context["contribution"],
            url=url,
            comment_count=selectors.comment_count_shown(context.get("threads") or []),
        )
    elif view_name == "communities:community_detail":
        data = jsonld.community_breadcrumb_data(context["community"])
    elif view_name == "wagtail_serve" and context.get("page") is not None:
        page = context["page"]
        if page.specific_class.__name__ == "ArticlePage":
            data = jsonld.article_data(page, url=url, image_url=meta.image_url)
        elif page.depth <= 2:
            data = jsonld.home_data(selectors.library_list())
    if data is None:
        return ""
    return jsonld.jsonld_script(data, nonce=_nonce(request))


@register.inclusion_tag("sharing/head.html", takes_context=True)
def page_head(context):
    request = context.get("request")
    if request is None:  # an error page rendered without a request
        return {"meta": None}
    meta = build_page_meta(context)
    url = canonical_url(request)
    return {
        "meta": meta,
        "canonical": url,
        "alternates": language_alternates(request) if meta.indexable else [],
        "locale": og_locale(),
        "locale_alternates": og_locale_alternates(),
        "image_url": meta.image_url or default_image_url(),
        "image_size": meta.image_size if meta.image_url else DEFAULT_IMAGE_SIZE,
        "image_alt": meta.image_alt if meta.image_url else "KennisCloud",
        "twitter_card": "summary_large_image" if meta.has_own_image else "summary",
        "jsonld": _jsonld(context, meta, url),
    }


def share_targets(url: str, title: str) -> dict[str, str]:
    """Plain links to share `url`: navigation by the visitor, no script or request of ours."""
    text = f"{title} {url}"
    return {
        "mail": "mailto:?" + urlencode({"subject": title, "body": text}, quote_via=quote),
        "whatsapp": "https://wa.me/?" + urlencode({"text": text}, quote_via=quote),
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?"
        + urlencode({"url": url}, quote_via=quote),
        "mastodon_text": text,
    }


@register.inclusion_tag("sharing/share_links.html", takes_context=True)
def share_links(context, obj, title=None, public=True):
    """The share block for `obj` (a contribution, an article or a meetup), on public content
    only: what only members may see is not for sharing elsewhere."""
    request = context["request"]
    if not public:
        return {"show": False}
    url = canonical_url(request)
    title = str(title or obj)
    return {
        "show": True,
        "url": url,
        "title": title,
        "targets": share_targets(url, title),
        "heading_id": f"share-{obj.__class__.__name__.lower()}-{obj.pk}",
        "request": request,
        "copied": _("Link gekopieerd"),
    }


@register.filter
def is_public_content(obj) -> bool:
    """Whether a contribution, meetup or Wagtail page may be shared: published, in no private
    community, behind no view restriction."""
    if hasattr(obj, "get_view_restrictions"):
        return bool(obj.live) and not obj.get_view_restrictions()
    community = getattr(obj, "community", None)
    if community is not None and community.is_private:
        return False
    return getattr(obj, "status", "published") in ("published", "cancelled")
