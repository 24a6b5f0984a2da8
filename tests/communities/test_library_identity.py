"""Every page names the library and how to reach it (issue 16): the footer and the page "Over de
bibliotheek" show the name, logo, address, phone, email, website and opening hours that the
librarians keep under Bibliotheek -> Bibliotheken (communities/site_library.py)."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Branch, Library
from communities.site_library import site_library
from kenniscloud.common.cache import generation_bump
from kenniscloud.common.middleware import HEADER
from tests.communities.factories import LibraryFactory, UserFactory
from tests.html import page_text
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db


def _library(name="Bibliotheek Aan Zee", slug="aan-zee", **fields) -> Library:
    library = LibraryFactory(
        name=name,
        slug=slug,
        contact_email="info@aanzee.example.org",
        website="https://www.aanzee.example.org/",
        phone="0118 12 34 56",
        opening_hours="Maandag tot en met vrijdag 10.00 - 20.00 uur\n\nZaterdag 10.00 - 16.00 uur",
        **fields,
    )
    branch = Branch.objects.create(
        library=library,
        name="Vestiging Boulevard",
        slug="boulevard",
        street="Boulevard 1",
        postcode="4381 AA",
        city="Vlissingen",
    )
    library.main_branch = branch
    library.save()
    return library


def _footer(response) -> str:
    content = response.content.decode()
    start = content.index('<footer class="site-footer">')
    return content[start : content.index("</footer>", start)]


def test_the_footer_of_the_home_page_names_the_library_and_how_to_reach_it(client):
    _library()

    footer = _footer(client.get("/"))

    assert "Bibliotheek Aan Zee" in footer
    assert "Vestiging Boulevard" in footer
    assert "Boulevard 1" in footer
    assert "4381 AA Vlissingen" in " ".join(footer.split())
    assert '<a href="tel:0118123456">0118 12 34 56</a>' in footer
    assert 'href="mailto:info@aanzee.example.org"' in footer
    assert '<a href="https://www.aanzee.example.org/">aanzee.example.org</a>' in footer
    # One line per day; the empty line is left out.
    assert footer.count("<li>Maandag tot en met vrijdag 10.00 - 20.00 uur</li>") == 1
    assert "<li></li>" not in footer
    assert 'href="/over-de-bibliotheek/"' in footer


def test_every_page_has_it(client):
    _library()

    for path in ["/themas/", "/gemeenschappen/", "/over-kenniscloud/", "/en/themas/"]:
        assert "Bibliotheek Aan Zee" in _footer(client.get(path)), path


def test_the_opening_hours_are_marked_dutch_on_the_english_site(client):
    _library()

    dutch = _footer(client.get("/"))
    english = _footer(client.get("/en/"))

    assert '<ul class="library-contact__hours">' in dutch
    assert '<ul class="library-contact__hours" lang="nl">' in english


def test_without_a_library_the_footer_has_no_contact_block(client):
    Library.objects.all().delete()

    footer = _footer(client.get("/"))

    assert "library-contact" not in footer
    assert 'href="/over-de-bibliotheek/"' in footer


def test_without_a_main_branch_the_first_branch_gives_the_address(client):
    library = _library()
    library.main_branch = None
    library.save()

    assert "Boulevard 1" in _footer(client.get("/"))


def test_the_about_page_shows_the_contact_details(client):
    _library()

    response = client.get("/over-de-bibliotheek/")

    assert response.status_code == 200
    text = page_text(response)
    assert "Over de bibliotheek" in text
    assert "KennisCloud is een plek van de bibliotheek" in text
    content = response.content.decode()
    assert 'aria-labelledby="page-library-name"' in content
    assert 'id="page-library-name">Bibliotheek Aan Zee</h2>' in content
    assert "Zaterdag 10.00 - 16.00 uur" in text


def test_the_about_page_in_english(client):
    _library()

    response = client.get("/en/over-de-bibliotheek/")

    text = page_text(response)
    assert "About the library" in text
    assert "KennisCloud is a place of the library" in text
    assert "Bibliotheek Aan Zee" in text


def test_the_setting_chooses_the_library(client, settings):
    _library()
    _library(name="Bibliotheek Zuid", slug="zuid")

    # No setting: the first by name.
    assert site_library().name == "Bibliotheek Aan Zee"

    settings.KENNISCLOUD_LIBRARY = "zuid"
    assert site_library().name == "Bibliotheek Zuid"
    assert "Bibliotheek Zuid" in _footer(client.get("/"))

    settings.KENNISCLOUD_LIBRARY = "bestaat-niet"
    assert site_library().name == "Bibliotheek Aan Zee"


def test_a_cached_library_costs_no_query():
    _library()
    site_library()

    with CaptureQueriesContext(connection) as queries:
        found = site_library()

    assert found.name == "Bibliotheek Aan Zee"
    assert len(queries) == 0


def test_an_edit_shows_at_once(client):
    library = _library()
    client.get("/")

    library.phone = "0118 99 99 99"
    library.save()
    branch = library.main_branch
    branch.street = "Nieuwendijk 2"
    branch.save()

    footer = _footer(client.get("/"))
    assert "0118 99 99 99" in footer
    assert "Nieuwendijk 2" in footer


@pytest.fixture
def page_cache(settings):
    """The anonymous page cache on, in memory of its own (as tests/test_cache.py)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "library-identity-tests",
            "KEY_PREFIX": f"kc-library-identity-{os.getpid()}",
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    generation_bump()


def test_a_library_edit_invalidates_the_cached_pages(page_cache, client):
    library = _library()
    assert client.get("/themas/")[HEADER] == "miss"
    assert client.get("/themas/")[HEADER] == "hit"

    library.name = "Bibliotheek Aan Zee en Duin"
    library.save()

    response = client.get("/themas/")
    assert response[HEADER] == "miss"
    assert "Bibliotheek Aan Zee en Duin" in _footer(response)


def test_the_main_branch_must_be_the_librarys_own():
    library = _library()
    other = _library(name="Bibliotheek Zuid", slug="zuid")
    library.main_branch = other.main_branch

    with pytest.raises(ValidationError) as error:
        library.full_clean()

    assert "main_branch" in error.value.message_dict


# --- Where the librarians edit it --------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin_login(client, UserFactory(is_staff=True, is_superuser=True, handle="beheer"))
    return client


def test_the_library_form_in_the_admin_has_the_contact_fields(admin_client):
    library = _library()

    content = admin_client.get(f"/cms/snippets/communities/library/edit/{library.pk}/")

    assert content.status_code == 200
    html = content.content.decode()
    for name in ["logo", "phone", "main_branch", "opening_hours", "contact_email", "website"]:
        assert f'name="{name}"' in html, name


def test_the_page_editor_has_a_tab_for_the_english_version(admin_client):
    from knowledge.models import ContentPage, HomePage

    for page in [ContentPage.objects.get(slug="over-de-bibliotheek"), HomePage.objects.get()]:
        response = admin_client.get(f"/cms/pages/{page.pk}/edit/")

        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="title_en"' in html
        assert "Engels" in html
