"""The pages the footer links to exist from the first deploy, and are never overwritten."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from knowledge.models import ContentPage, HomePage
from tests.communities.factories import LibraryFactory
from tests.html import page_text

pytestmark = pytest.mark.django_db

MIGRATION = import_module("knowledge.migrations.0005_content_pages")
SLUGS = ["over-kenniscloud", "privacy", "toegankelijkheid"]
# "Over de bibliotheek" comes from knowledge 0009 (tests/communities/test_library_identity.py).
LIBRARY_SLUG = "over-de-bibliotheek"


def _create() -> list[str]:
    return MIGRATION.create_content_pages(apps)


def test_the_migration_creates_the_three_pages_under_the_home_page():
    home = HomePage.objects.get()
    pages = {page.slug: page for page in ContentPage.objects.child_of(home)}

    assert sorted(pages) == sorted([*SLUGS, LIBRARY_SLUG])
    for page in pages.values():
        assert page.live
        assert page.last_reviewed is not None
        assert page.url == f"/{page.slug}/"
    assert home.get_children().count() == home.numchild


@pytest.mark.parametrize(
    "path", ["/over-kenniscloud/", "/over-de-bibliotheek/", "/privacy/", "/toegankelijkheid/"]
)
def test_every_footer_link_works_for_a_visitor(client, path):
    html = client.get("/").content.decode()
    assert f'href="{path}"' in html

    response = client.get(path)

    assert response.status_code == 200
    assert "Laatst bijgewerkt op" in page_text(response)


def test_the_privacy_statement_covers_what_the_avg_asks(client):
    text = page_text(client.get("/privacy/"))

    for words in [
        "Je account",
        "Je profiel",
        "Je bijdragen, reacties en lidmaatschappen",
        "Je aanmeldingen voor bijeenkomsten",
        "wat je nodig hebt om mee te doen",
        "Meldingen en je voorkeuren",
        "Gegevens over verzonden mail",
        "Zoekopdrachten die niets vonden",
        "Nooit wie er zocht",
        # The periods are generated from the settings (tests/privacy/test_statement.py).
        "Zoekopdrachten zonder resultaat, na de laatste keer dat ernaar is gezocht 1 jaar",
        "Grondslag",
        "Hoe lang we je gegevens bewaren",
        "Wie ziet wat?",
        "inzage",
        "verbeteren",
        "verwijderen",
        "bezwaar",
        "functionaris gegevensbescherming",
        "Autoriteit Persoonsgegevens",
    ]:
        assert words in text, words


def test_the_accessibility_statement_says_the_standard_the_status_and_how_to_report(client):
    text = page_text(client.get("/toegankelijkheid/"))

    for words in [
        "WCAG) 2.1, niveau AA",
        "EN 301 549",
        "Wat we getest hebben",
        "Wat nog niet goed gaat",
        "Loop je ergens tegenaan?",
        "vijf werkdagen",
    ]:
        assert words in text, words


def test_about_explains_the_library_and_of_by_for_all(client):
    text = page_text(client.get("/over-kenniscloud/"))

    for words in [
        "Wat is KennisCloud?",
        "De rol van de bibliotheek",
        "OF/BY/FOR ALL",
        "gemeenschapsbibliothecaris",
        "David Lankes",
    ]:
        assert words in text, words


def test_running_again_creates_nothing_and_leaves_edited_pages_alone(client):
    privacy = ContentPage.objects.get(slug="privacy")
    privacy.intro = "Onze eigen tekst, door de bibliotheek aangepast."
    privacy.save_revision().publish()
    count = ContentPage.objects.count()

    assert _create() == []

    assert ContentPage.objects.count() == count
    assert "Onze eigen tekst" in page_text(client.get("/privacy/"))


def test_a_missing_page_is_created_with_the_name_and_address_of_the_one_library(client):
    ContentPage.objects.get(slug="privacy").delete()
    LibraryFactory(name="Bibliotheek Aan Zee", contact_email="privacy@aanzee.example.org")

    assert _create() == ["privacy"]

    text = page_text(client.get("/privacy/"))
    assert "Bibliotheek Aan Zee biedt KennisCloud aan" in text
    assert "privacy@aanzee.example.org" in text
    home = HomePage.objects.get()
    # Articles, the three pages and "Over de bibliotheek".
    assert home.get_children().count() == home.numchild == 5


def test_without_a_home_page_nothing_happens():
    HomePage.objects.all().delete()

    assert _create() == []
