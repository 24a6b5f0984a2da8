"""sitemap.xml and the Mastodon share step."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .meta import absolute
from .sitemaps import SITEMAPS


@require_GET
def sitemap_index(request):
    """/sitemap.xml: one entry per section and page of a section, under SITE_URL.

    Django's own index takes the host from the request; the sections' addresses come from
    SITE_URL, and so do these, so that the index and robots.txt agree."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class() if callable(sitemap_class) else sitemap_class
        url = absolute(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        # django-stubs types `lastmod` as bool; Django passes the datetime to the template.
        items.append(SitemapIndexItem(url, lastmod))  # type: ignore[arg-type]
        for page in range(2, sitemap.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{url}?p={page}", lastmod))  # type: ignore[arg-type]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
    # As Django's index view: the index itself is no page for search results.
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


# A host name as people type their Mastodon server: mastodon.social, social.example.nl:8443.
_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:[0-9]{1,5})?$"
)


def _mastodon_host(value: str) -> str | None:
    value = value.strip().lower().removeprefix("@")
    if "://" in value:
        value = urlsplit(value).netloc
    value = value.rstrip("/")
    if "@" in value:  # a whole handle, user@server: the server
        value = value.rsplit("@", 1)[1]
    return value if _HOST.match(value) else None


def _own_site(request) -> bool:
    """Whether the request came from a form on this site: the Referer (sent to our own pages
    under Referrer-Policy: same-origin) names our host."""
    referer = request.headers.get("Referer", "")
    own = {urlsplit(settings.SITE_URL).netloc, request.get_host()}
    return bool(referer) and urlsplit(referer).netloc in own


@require_GET
def mastodon_share(request):
    """Share on the visitor's own Mastodon server, without JavaScript: the share block's
    form asks which server, this view sends them to its share page (`/share?text=`).

    Only the text of our own pages is passed on. A link to here from elsewhere could otherwise
    send people from our address to any server (an open redirect), so a request that did not
    come from one of our pages gets a page with the link to follow instead of a redirect."""
    text = request.GET.get("text", "")[:500]
    raw_host = request.GET.get("server", "")
    host = _mastodon_host(raw_host)
    if host is None:
        return render(
            request,
            "sharing/mastodon.html",
            {"text": text, "server": raw_host, "invalid": bool(raw_host.strip())},
            status=400 if raw_host.strip() else 200,
        )
    target = f"https://{host}/share?{urlencode({'text': text})}"
    if _own_site(request):
        return HttpResponseRedirect(target)
    context = {"text": text, "server": host, "target": target}
    return render(request, "sharing/mastodon.html", context)
