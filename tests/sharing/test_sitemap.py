"""sitemap.xml lists the public pages in both languages, with last-modified dates, and never
a private community, its contributions or meetups, nor hidden, waiting or draft content."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from wagtail.models import PageViewRestriction

from knowledge.models import ContentPage

pytestmark = pytest.mark.django_db

SITE = "https://kenniscloud.example.org"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def _xml(client, url: str) -> ET.Element:
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def _all_urls(client) -> dict[str, ET.Element]:
    index = _xml(client, "/sitemap.xml")
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert sections and all(section.startswith(SITE + "/sitemap-") for section in sections)
    urls = {}
    for section in sections:
        for url in _xml(client, section).findall("s:url", NS):
            urls[url.find("s:loc", NS).text] = url
    return urls


@override_settings(SITE_URL=SITE)
def test_public_pages_are_listed_in_both_languages(client, site):
    urls = _all_urls(client)
    for path in [
        "/",
        "/artikelen/",
        site["article"].url,
        "/themas/",
        site["theme"].get_absolute_url(),
        "/gemeenschappen/",
        site["public"].get_absolute_url(),
        site["contribution"].get_absolute_url(),
        "/bijeenkomsten/",
        site["meetup"].get_absolute_url(),
        "/tags/zonnepanelen/",
        site["author"].get_absolute_url(),
        "/wie-weet-wat/",
    ]:
        assert SITE + path in urls, path
        assert SITE + "/en" + path in urls, path
    entry = urls[SITE + site["contribution"].get_absolute_url()]
    assert entry.find("s:lastmod", NS).text.startswith(str(site["contribution"].updated_at.year))
    alternates = {
        link.get("hreflang"): link.get("href") for link in entry.findall("xhtml:link", NS)
    }
    assert alternates["en"] == SITE + "/en" + site["contribution"].get_absolute_url()
    assert alternates["x-default"] == SITE + site["contribution"].get_absolute_url()


@override_settings(SITE_URL=SITE)
def test_nothing_private_or_hidden_is_listed(client, site):
    restricted = ContentPage.objects.get(slug="over-kenniscloud")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    urls = "\n".join(_all_urls(client))
    for path in [
        site["private"].get_absolute_url(),
        site["secret"].get_absolute_url(),
        site["hidden"].get_absolute_url(),
        site["pending"].get_absolute_url(),
        site["private_meetup"].get_absolute_url(),
        site["draft"].get_absolute_url(),
        site["shy"].get_absolute_url(),
        "/tags/kringgeheim/",
        "/tags/spamwoord/",
        "/over-kenniscloud/",
    ]:
        assert f"{SITE}{path}\n" not in urls + "\n", path
    assert "besloten-kring" not in urls


def test_sitemap_addresses_come_from_site_url_whatever_the_host(client, site):
    with override_settings(SITE_URL=SITE):
        index = client.get("/sitemap.xml", HTTP_HOST="other.example.net").content.decode()
    assert "other.example.net" not in index
    assert SITE in index
