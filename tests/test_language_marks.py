"""Content carries its language (issue 16, WCAG 3.1.2): on /en/ pages the Dutch that editors and
members wrote is marked lang="nl", an English post on a Dutch page lang="en"; editors' English
fields ("_en") are used on /en/, and where they are empty the Dutch stands there, marked."""

from __future__ import annotations

import re

import pytest

from knowledge import services
from knowledge.models import ContentPage, HomePage
from tests.communities.factories import LibraryFactory, MembershipFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory, article_create

pytestmark = pytest.mark.django_db


def _html(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _publish_home(**fields):
    home = HomePage.objects.get()
    for name, value in fields.items():
        setattr(home, name, value)
    home.save_revision().publish()


# --- Editors' texts: the English field, or the Dutch marked ------------------------------------


def test_home_blocks_use_their_english_fields_on_en(client):
    _publish_home(
        title_en="Share what you know",
        intro="<p>Welkom buren.</p>",
        body=[
            {
                "type": "introduction",
                "value": {
                    "heading": "Welkom",
                    "heading_en": "Welcome",
                    "text": "<p>Hallo buren.</p>",
                    "text_en": "<p>Hello neighbours.</p>",
                },
            },
            {"type": "latest_articles", "value": {"heading": "Uit de dossiers", "limit": 3}},
            {
                "type": "call_to_action",
                "value": {
                    "title": "Kom langs",
                    "title_en": "Drop in",
                    "text": "Elke dinsdag.",
                    "button_label": "Lees meer",
                    "button_label_en": "Read more",
                    "url": "https://example.org/",
                },
            },
        ],
    )

    english = _html(client, "/en/")
    dutch = _html(client, "/")

    assert '<h1 id="hero-title">Share what you know</h1>' in english
    assert "<h2>Welcome</h2>" in english and "Hello neighbours." in english
    assert "Hallo buren." not in english
    assert "<strong>Drop in</strong>" in english
    assert re.search(r'"[^>]*>Read more</a>', english)
    # No English written: the Dutch, marked.
    assert '<p lang="nl">Elke dinsdag.</p>' in english
    assert '<div class="hero__intro rich-text" lang="nl">' in english
    # The Dutch site is unchanged and unmarked.
    assert '<h1 id="hero-title">KennisCloud</h1>' in dutch
    assert "<h2>Welkom</h2>" in dutch and "Hallo buren." in dutch
    assert 'lang="nl"' not in dutch.split("<main", 1)[1]


def test_a_heading_left_at_its_default_is_translated(client, theme):
    _publish_home(
        body=[
            {"type": "featured_themes", "value": {"heading": "Thema's", "themes": []}},
            {"type": "featured_communities", "value": {"heading": "Onze buurten"}},
        ]
    )

    english = _html(client, "/en/")

    assert re.search(r'<h2 id="themes-title-[^"]+">Themes</h2>', english)
    assert re.search(r'<h2 id="communities-title-[^"]+" lang="nl">Onze buurten</h2>', english)


def test_a_content_page_uses_its_english_version_field_by_field(client):
    page = ContentPage.objects.get(slug="toegankelijkheid")
    page.title_en = "Accessibility statement"
    page.save_revision().publish()

    english = _html(client, "/en/toegankelijkheid/")

    assert '<h1 id="page-title">Accessibility statement</h1>' in english
    assert re.search(r"<title>\s*Accessibility statement", english)
    # Intro and body have no English yet: the Dutch, marked.
    assert '<p class="lead" lang="nl">' in english
    assert '<div lang="nl">' in english
    assert "WCAG) 2.1, niveau AA" in page_text(client.get("/en/toegankelijkheid/"))


def test_the_sites_own_blocks_in_a_dutch_body_are_not_marked_dutch(client):
    LibraryFactory(name="Bibliotheek Aan Zee")
    page = ContentPage.objects.get(slug="over-de-bibliotheek")
    page.body_en = []
    page.save_revision().publish()

    english = _html(client, "/en/over-de-bibliotheek/")

    body = english.split('<div lang="nl">', 1)[1]
    assert "KennisCloud is een plek van de bibliotheek" in body
    # The library's contact block is the site's text, in the page's language.
    assert re.search(r'<div lang="en">\s*<section class="section library-contact-block"', body)


def test_an_english_body_is_not_marked(client):
    english = _html(client, "/en/over-de-bibliotheek/")

    assert "KennisCloud is a place of the library" in english
    assert '<p class="lead">Who offers KennisCloud' in english
    assert '<div lang="nl">' not in english


def test_an_article_is_marked_dutch_on_en(client):
    article = article_create("Wat de energiecafés ons leerden")
    path = article.url  # before an /en/ request makes reverse() English

    english = _html(client, f"/en{path}")
    dutch = _html(client, path)

    assert '<h1 id="article-title" lang="nl">Wat de energiecafés ons leerden</h1>' in english
    assert '<p class="lead" lang="nl">Een korte samenvatting.</p>' in english
    assert '<div lang="nl">' in english.split('class="article__body"')[1]
    assert '<h1 id="article-title">Wat de energiecafés ons leerden</h1>' in dutch


# --- Names of themes and communities, written in Dutch ------------------------------------------


def test_theme_and_community_names_are_marked_dutch_on_en(client, theme, community):
    english = _html(client, f"/en/themas/{theme.slug}/")
    dutch = _html(client, f"/themas/{theme.slug}/")

    assert f'<h1 lang="nl">{theme.title}</h1>' in english
    assert f"<h1>{theme.title}</h1>" in dutch
    assert re.search(rf'lang="nl">{community.title}</a>', english)

    community_page = _html(client, f"/en/gemeenschappen/{community.slug}/")
    assert f'<h1 lang="nl">{community.title}</h1>' in community_page
    assert '<div class="lead" lang="nl">' in community_page


# --- What members wrote: the language they wrote it in ------------------------------------------


def test_a_post_is_written_in_its_authors_language(community):
    english_member = UserFactory(language="en")
    MembershipFactory(community=community, user=english_member)

    contribution = services.contribution_create(
        author=english_member,
        community=community,
        kind="question",
        title="Who has solar panels?",
        body="I would like to hear about your experience.",
    )
    comment = services.comment_create(
        author=english_member, contribution=contribution, body="Me too, please."
    )

    assert contribution.language == "en"
    assert comment.language == "en"


def test_dutch_posts_are_marked_on_en_and_english_ones_on_the_dutch_site(client, community):
    dutch_post = ContributionFactory(community=community, title="Zonnepanelen op een flat")
    CommentFactory(contribution=dutch_post, body="Wij hebben ze sinds maart.")
    CommentFactory(contribution=dutch_post, body="We have them too.", language="en")

    path = dutch_post.get_absolute_url()  # before an /en/ request makes reverse() English
    english = _html(client, f"/en{path}")
    dutch = _html(client, path)

    assert '<h1 id="contribution-title" lang="nl">Zonnepanelen op een flat</h1>' in english
    assert '<div class="rich-text contribution__body" lang="nl">' in english
    assert english.count('<div class="rich-text comment__body" lang="nl">') == 1
    assert '<div class="rich-text comment__body">' in english  # the English comment
    assert '<h1 id="contribution-title">Zonnepanelen op een flat</h1>' in dutch
    assert dutch.count('<div class="rich-text comment__body" lang="en">') == 1


def test_cards_mark_the_title_of_a_post_in_another_language(client, community):
    ContributionFactory(community=community, title="Repair café", language="en")

    dutch = _html(client, f"/gemeenschappen/{community.slug}/")

    assert re.search(r'lang="en">Repair café</a>', dutch)
