"""Every public page tells link previews and search engines what it is: an absolute canonical
address under SITE_URL, hreflang alternates, OpenGraph and Twitter card tags. Private content
gets `noindex` and no description."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from tests.sharing.conftest import head_of

pytestmark = pytest.mark.django_db

SITE = "https://kenniscloud.example.org"
OG_REQUIRED = ["og:title", "og:url", "og:type", "og:site_name", "og:locale", "og:image"]


def _public_paths(site) -> list[str]:
    return [
        "/",
        "/themas/",
        site["theme"].get_absolute_url(),
        "/gemeenschappen/",
        site["public"].get_absolute_url(),
        site["contribution"].get_absolute_url(),
        "/bijeenkomsten/",
        "/bijeenkomsten/archief/",
        site["meetup"].get_absolute_url(),
        site["author"].get_absolute_url(),
        "/wie-weet-wat/",
        "/tags/zonnepanelen/",
        "/artikelen/",
        site["article"].url,
        "/over-kenniscloud/",
        "/en/",
        "/en" + site["contribution"].get_absolute_url(),
    ]


@override_settings(SITE_URL=SITE)
def test_every_public_page_has_canonical_and_opengraph(client, site):
    for path in _public_paths(site):
        head = head_of(client.get(path))
        canonical = head.canonical()
        assert canonical == SITE + path, path
        for key in OG_REQUIRED:
            assert head.one(key), (path, key)
        assert head.one("og:url") == canonical
        assert head.one("og:image").startswith(SITE + "/"), path
        assert head.one("og:site_name") == "KennisCloud"
        assert head.one("og:description"), path
        assert head.one("description") == head.one("og:description")
        assert head.one("twitter:card") in ("summary", "summary_large_image")
        assert "robots" not in head.meta, path
        languages = head.hreflang()
        assert set(languages) == {"nl", "en", "x-default"}, path
        assert languages["x-default"] == languages["nl"]


@override_settings(SITE_URL=SITE)
def test_the_english_page_is_its_own_canonical_page(client, site):
    path = site["contribution"].get_absolute_url()
    head = head_of(client.get("/en" + path))
    assert head.canonical() == f"{SITE}/en{path}"
    assert head.one("og:locale") == "en_GB"
    assert head.meta["og:locale:alternate"] == ["nl_NL"]
    assert head.hreflang()["nl"] == SITE + path
    assert head.hreflang()["en"] == f"{SITE}/en{path}"


@override_settings(SITE_URL=SITE)
def test_canonical_keeps_the_page_number_and_drops_filters(client, site):
    head = head_of(client.get("/wie-weet-wat/?pagina=1&thema=duurzaam-wonen"))
    assert head.canonical() == f"{SITE}/wie-weet-wat/?pagina=1"


def test_contribution_preview(client, site):
    contribution = site["contribution"]
    head = head_of(client.get(contribution.get_absolute_url()))
    assert head.one("og:title") == "Zonnepanelen op een plat dak"
    assert head.one("og:type") == "article"
    # The rendered Markdown as plain text.
    assert head.one("og:description") == "Hoeveel panelen passen er op een plat dak?"
    assert head.one("article:section") == "Energie Noord"
    assert head.one("og:image") == settings.SITE_URL + "/static/images/kenniscloud-share.png"
    assert head.one("twitter:card") == "summary"


def test_a_theme_with_an_image_shows_its_rendition(client, site):
    head = head_of(client.get(site["theme"].get_absolute_url()))
    image = head.one("og:image")
    assert image.startswith(settings.SITE_URL) and "kenniscloud-share" not in image
    # Cropped to the 1.91:1 of link previews (Wagtail does not enlarge a small original).
    width, height = int(head.one("og:image:width")), int(head.one("og:image:height"))
    assert abs(width / height - 1200 / 630) < 0.02
    assert head.one("og:image:alt") == "Buren leggen zonnepanelen op een dak"
    assert head.one("twitter:card") == "summary_large_image"


def test_article_preview(client, site):
    article = site["article"]
    head = head_of(client.get(article.url))
    assert head.one("og:type") == "article"
    assert head.one("og:description") == "Een korte samenvatting."
    assert head.one("article:published_time")


def test_private_content_is_noindex_without_description(client, site):
    """Members of the private community see its pages; nothing of them goes to previews."""
    author = site["author"]
    from tests.communities.factories import MembershipFactory

    MembershipFactory(user=author, community=site["private"])
    client.force_login(author)
    for path in (
        site["private"].get_absolute_url(),
        site["secret"].get_absolute_url(),
        site["private_meetup"].get_absolute_url(),
    ):
        response = client.get(path)
        head = head_of(response)
        assert head.one("robots") == "noindex", path
        assert "og:description" not in head.meta and "description" not in head.meta, path
        assert not head.jsonld or path == site["private_meetup"].get_absolute_url()
        assert not head.hreflang(), path
    assert (
        "Geheime plannen"
        not in client.get(site["private"].get_absolute_url()).content.decode().split("</head>")[0]
    )


def test_own_pending_contribution_is_noindex(client, site):
    pending = site["pending"]
    client.force_login(pending.author)
    head = head_of(client.get(pending.get_absolute_url()))
    assert head.one("robots") == "noindex"


def test_a_profile_that_was_not_opted_in_is_noindex(client, site):
    head = head_of(client.get(site["shy"].get_absolute_url()))
    assert head.one("robots") == "noindex"
    assert head.one("og:type") == "profile"
    found = head_of(client.get(site["author"].get_absolute_url()))
    assert "robots" not in found.meta
    assert found.one("og:description") == "Ik weet veel van daken."


def test_an_error_page_is_noindex_without_the_failed_views_head(client, site):
    """A hidden or private contribution's 404 keeps its view name on the request; the page
    must not build that view's canonical address, preview or JSON-LD."""
    response = client.get("/bijdragen/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html and 'rel="canonical"' not in html
    assert 'property="og:' not in html
