"""The Wagtail pages: home, article index, articles and content pages."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from communities.models import Community
from knowledge.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticleRelatedLink,
    ContentPage,
    HomePage,
)
from tests.communities.factories import CommunityFactory, ThemeFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory, article_create, paragraph
from tests.mfa import admin_login
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def image(db):
    return Image.objects.create(title="Zonnepanelen", file=get_test_image_file())


def _admin_says(response) -> str:
    """The admin page with its error messages; StreamField errors travel in the block data
    that Wagtail's JavaScript shows next to the block."""
    return html.unescape(response.content.decode())


def _add_url(model: str, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("knowledge", model, parent.pk))


def _article_data(**fields) -> dict:
    data = {
        "title": "Zonnepanelen op een rijtjeshuis",
        "slug": "zonnepanelen",
        "summary": "Wat buren leerden.",
        "author": "",
        "body": streamfield([("paragraph", rich_text("<p>Tekst.</p>"))]),
        "related_links": inline_formset([]),
        "comments": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


# --- Page types --------------------------------------------------------------------------------


def test_page_types_declare_where_they_may_live():
    assert ArticlePage.allowed_parent_page_models() == [ArticleIndexPage]
    assert ArticlePage.allowed_subpage_models() == []
    assert set(HomePage.allowed_subpage_models()) == {ArticleIndexPage, ContentPage}
    assert ContentPage.allowed_parent_page_models() == [HomePage]
    assert not ContentPage.can_create_at(ArticleIndexPage.objects.get())


# --- Publishing needs a title and alt text -----------------------------------------------------


def test_an_image_without_alt_text_cannot_be_published(admin_client, image):
    index = ArticleIndexPage.objects.get()
    body = streamfield([("image", {"image": image.pk, "alt_text": "", "caption": ""})])

    response = admin_client.post(
        _add_url("articlepage", index), {**_article_data(body=body), "action-publish": "1"}
    )

    assert response.status_code == 200
    assert "Vul een alt-tekst in" in _admin_says(response)
    assert "validatiefouten" in page_text(response)
    assert not ArticlePage.objects.exists()


def test_a_page_without_title_cannot_be_published(admin_client):
    index = ArticleIndexPage.objects.get()

    response = admin_client.post(
        _add_url("articlepage", index), {**_article_data(title=""), "action-publish": "1"}
    )

    assert response.status_code == 200
    assert "validatiefouten" in page_text(response)
    assert "Dit is een verplicht veld." in page_text(response)
    assert not ArticlePage.objects.exists()


def test_a_librarian_cannot_submit_an_image_without_alt_text(client, librarian, image):
    admin_login(client, librarian)
    index = ArticleIndexPage.objects.get()
    body = streamfield([("image", {"image": image.pk, "alt_text": " ", "caption": ""})])

    response = client.post(
        _add_url("articlepage", index), {**_article_data(body=body), "action-submit": "1"}
    )

    assert response.status_code == 200
    assert "Vul een alt-tekst in" in _admin_says(response)
    assert not ArticlePage.objects.exists()


def test_an_image_with_alt_text_is_rendered_with_it(client, image):
    article_create(
        "Met foto",
        body=[{"type": "image", "value": {"image": image.pk, "alt_text": "Buren op een dak"}}],
    )

    html = client.get("/artikelen/met-foto/").content.decode()

    assert 'alt="Buren op een dak"' in html


# --- Articles ----------------------------------------------------------------------------------


def test_article_page_shows_its_blocks_themes_and_reading_time(client, theme, community):
    contribution = ContributionFactory(community=community, title="Onze warmtepomp")
    words = " ".join(["woord"] * 450)
    article = article_create(
        "Warmtepompen",
        themes=[theme],
        body=[
            {"type": "heading", "value": {"text": "Wat bewoners zeggen", "level": "h2"}},
            paragraph(f"<p>{words}</p>"),
            {"type": "quote", "value": {"quote": "Het is stil en warm.", "attribution": "Ruud"}},
            {"type": "contribution", "value": {"contribution": contribution.pk, "note": ""}},
            {"type": "community", "value": {"community": community.pk, "note": "Doe mee!"}},
            {
                "type": "call_to_action",
                "value": {
                    "title": "Kom naar het energiecafé",
                    "text": "",
                    "button_label": "Bekijk de agenda",
                    "page": None,
                    "url": "https://www.example.org/agenda",
                },
            },
        ],
    )

    text = page_text(client.get(article.url))

    assert article.reading_time == 3  # 450 words and a few more, at 200 a minute.
    assert "3 minuten lezen" in text
    assert "Wat bewoners zeggen" in text
    assert "Het is stil en warm." in text
    assert "Onze warmtepomp" in text
    assert community.title in text and "Doe mee!" in text
    assert "Bekijk de agenda" in text
    assert theme.title in text


def test_chosen_contribution_or_community_turned_private_is_left_out(client, community):
    contribution = ContributionFactory(community=community, title="Straks verborgen")
    article = article_create(
        "Keuzes",
        body=[
            {"type": "contribution", "value": {"contribution": contribution.pk, "note": ""}},
            {"type": "community", "value": {"community": community.pk, "note": ""}},
        ],
    )
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PRIVATE)

    text = page_text(client.get(article.url))

    assert "Straks verborgen" not in text
    assert community.title not in text


def test_deleted_chosen_contribution_does_not_break_the_article(client, community):
    contribution = ContributionFactory(community=community, title="Tochtstrips bij de voordeur")
    note = {"contribution": contribution.pk, "note": "Een tip die echt werkt."}
    article = article_create(
        "Met een weggehaalde bijdrage",
        body=[
            paragraph("<p>Voor de bijdrage.</p>"),
            {"type": "contribution", "value": note},
            paragraph("<p>Na de bijdrage.</p>"),
        ],
    )
    before = page_text(client.get(article.url))
    assert "Tochtstrips bij de voordeur" in before and "Een tip die echt werkt." in before

    contribution.delete()
    response = client.get(article.url)

    assert response.status_code == 200
    text = page_text(response)
    assert "Met een weggehaalde bijdrage" in text
    assert "Voor de bijdrage." in text and "Na de bijdrage." in text
    assert "Tochtstrips bij de voordeur" not in text
    assert "Een tip die echt werkt." not in text
    assert 'aria-label="Bijdrage van een bewoner"' not in response.content.decode()


def test_related_articles_are_hand_picked_first_then_same_theme(client, theme):
    picked = article_create("Handgekozen", themes=[ThemeFactory()])
    same_theme = article_create("Zelfde thema", themes=[theme])
    article_create("Ander thema", themes=[ThemeFactory()])
    article = article_create("Hoofdartikel", themes=[theme], publish=False)
    article.related_links.add(ArticleRelatedLink(article=picked, sort_order=0))
    article.save_revision().publish()

    text = page_text(client.get("/artikelen/hoofdartikel/"))

    assert "Lees ook" in text
    assert "Handgekozen" in text and "Zelfde thema" in text
    assert "Ander thema" not in text
    assert text.index("Handgekozen") < text.index("Zelfde thema")
    assert same_theme.live


def test_article_index_lists_live_articles_and_filters_by_theme(client, theme):
    article_create("Over dit thema", themes=[theme])
    article_create("Over een ander thema", themes=[ThemeFactory()])
    article_create("Nog een concept", themes=[theme], publish=False)

    everything = page_text(client.get("/artikelen/"))
    filtered = page_text(client.get(f"/artikelen/?thema={theme.slug}"))

    assert "Over dit thema" in everything and "Over een ander thema" in everything
    assert "Nog een concept" not in everything
    assert "Over een ander thema" not in filtered and "Over dit thema" in filtered
    assert client.get("/artikelen/?thema=bestaat-niet").status_code == 404


def test_unknown_article_slug_gives_the_designed_404(client):
    response = client.get("/artikelen/bestaat-niet/")

    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in page_text(response) or response.templates


# --- Home page ---------------------------------------------------------------------------------


def test_home_page_blocks_render_live_lists(client, theme, community):
    featured = ThemeFactory(title="Uitgelicht thema", featured=True)
    ThemeFactory(title="Niet uitgelicht", featured=False)
    article_create("Nieuwste artikel", themes=[theme])
    home = HomePage.objects.get()
    home.body = [
        {"type": "introduction", "value": {"heading": "Welkom", "text": "<p>Hallo buren.</p>"}},
        {"type": "featured_themes", "value": {"heading": "Onze thema's", "themes": []}},
        {
            "type": "featured_communities",
            "value": {"heading": "Doe mee", "communities": [community.pk]},
        },
        {"type": "upcoming_meetups", "value": {"limit": 3}},
        {"type": "latest_articles", "value": {"heading": "Artikelen", "limit": 3}},
    ]
    home.save_revision().publish()

    text = page_text(client.get("/"))

    assert "Hallo buren." in text
    assert featured.title in text and "Niet uitgelicht" not in text
    assert community.title in text
    assert "Nieuwste artikel" in text
    assert "Nieuwste bijdragen" in text  # The live list stays.


def test_home_page_with_blocks_queries_are_constant(client, member):
    home = HomePage.objects.get()
    home.body = [
        {"type": "featured_themes", "value": {"heading": "Thema's", "themes": []}},
        {"type": "featured_communities", "value": {"heading": "G", "communities": []}},
        {"type": "upcoming_meetups", "value": {"limit": 3}},
        {"type": "latest_articles", "value": {"heading": "Artikelen", "limit": 6}},
    ]
    home.save_revision().publish()

    def add(n):
        for _ in range(n):
            theme = ThemeFactory(featured=True)
            community = CommunityFactory(themes=[theme])
            ContributionFactory(community=community, themes=[theme], tags=["isolatie"])
            article_create(f"Artikel over {theme.title}", themes=[theme])

    assert_constant_queries(client, "/", add, label="/ (home with blocks) anonymous")
    client.force_login(member)
    assert_constant_queries(client, "/", add, label="/ (home with blocks) member")


def test_article_index_queries_are_constant(client):
    def add(n):
        for _ in range(n):
            theme = ThemeFactory()
            article_create(f"Artikel over {theme.title}", themes=[theme, ThemeFactory()])

    assert_constant_queries(client, "/artikelen/", add, label="/artikelen/ anonymous")


# --- Content pages -----------------------------------------------------------------------------


def test_content_page_renders(client):
    home = HomePage.objects.get()
    page = ContentPage(
        title="Colofon",
        slug="colofon",
        intro="Wie KennisCloud maken.",
        body=[paragraph("<p>Gemaakt met de bibliotheek.</p>")],
    )
    home.add_child(instance=page)
    page.save_revision().publish()

    text = page_text(client.get("/colofon/"))

    assert "Colofon" in text
    assert "Gemaakt met de bibliotheek." in text


def test_footer_links_to_the_content_pages(client):
    html = client.get("/themas/").content.decode()

    for path in ("/over-kenniscloud/", "/privacy/", "/toegankelijkheid/", "/artikelen/"):
        assert f'href="{path}"' in html
