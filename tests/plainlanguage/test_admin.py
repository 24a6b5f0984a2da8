"""The jargon list in the Wagtail admin (Bibliotheek > Vaktermen), its cache, and the advice in
the article editor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.admin.menu import admin_menu

from communities.selectors import LIBRARIAN_GROUP
from plainlanguage.analysis import JargonEntry
from plainlanguage.models import JargonTerm
from plainlanguage.selectors import JARGON_CACHE_KEY, jargon_list, jargon_list_forget
from tests.communities.factories import UserFactory
from tests.html import page_text
from tests.knowledge.factories import article_create, paragraph
from tests.mfa import admin_login
from tests.plainlanguage import texts

pytestmark = pytest.mark.django_db

LISTING = "/cms/snippets/plainlanguage/jargonterm/"


@pytest.fixture(autouse=True)
def _fresh_jargon_cache():
    jargon_list_forget()
    yield
    jargon_list_forget()


def test_librarians_may_keep_the_list():
    codenames = set(
        Group.objects.get(name=LIBRARIAN_GROUP)
        .permissions.filter(content_type__app_label="plainlanguage")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "add_jargonterm",
        "change_jargonterm",
        "delete_jargonterm",
        "view_jargonterm",
    }


def test_a_librarian_finds_the_list_under_bibliotheek_and_adds_a_term(client, librarian):
    admin_login(client, librarian)

    assert "Vaktermen" in client.get("/cms/").content.decode()
    library_menu = next(i for i in admin_menu.registered_menu_items if i.name == "bibliotheek")
    assert "Vaktermen" in [str(i.label) for i in library_menu.menu.registered_menu_items]
    assert "participatie" in page_text(client.get(LISTING))  # one of the first terms

    response = client.post(
        f"{LISTING}add/", {"term": "Ambtshalve", "plain": "uit zichzelf", "note": ""}
    )

    assert response.status_code == 302
    assert JargonTerm.objects.filter(term="Ambtshalve", plain="uit zichzelf").exists()


def test_a_term_is_on_the_list_once_whatever_its_case(client, librarian):
    admin_login(client, librarian)

    response = client.post(f"{LISTING}add/", {"term": "PARTICIPATIE", "plain": "meedoen"})

    assert response.status_code == 200
    assert "Dit woord staat al in de lijst." in page_text(response)
    assert JargonTerm.objects.filter(term__iexact="participatie").count() == 1


def test_a_resident_is_refused(client):
    resident = UserFactory()
    client.force_login(resident)

    assert client.get(LISTING).status_code in (302, 403)
    client.post(f"{LISTING}add/", {"term": "zelfbedacht", "plain": ""})
    assert not JargonTerm.objects.filter(term="zelfbedacht").exists()


# --- The cache ----------------------------------------------------------------------------------


def test_the_list_is_cached_and_cleared_on_save_and_delete(django_assert_num_queries):
    jargon_list()
    with django_assert_num_queries(0):
        cached = jargon_list()
    assert JargonEntry("participatie", "meedoen") in cached

    term = JargonTerm.objects.create(term="casus", plain="geval")
    assert cache.get(JARGON_CACHE_KEY) is None
    assert JargonEntry("casus", "geval") in jargon_list()

    term.plain = "situatie"
    term.save()
    assert JargonEntry("casus", "situatie") in jargon_list()

    term.delete()
    assert "casus" not in {entry.term for entry in jargon_list()}


def test_a_bulk_delete_clears_the_cache_too():
    assert jargon_list()

    JargonTerm.objects.all().delete()

    assert jargon_list() == []


# --- The article editor -------------------------------------------------------------------------


def test_the_article_editor_shows_the_advice_on_the_saved_draft(client, librarian, admin_user):
    page = article_create(body=[paragraph(f"<h2>Een kop</h2><p>{texts.HARD}</p>")])
    admin_login(client, admin_user)

    response = client.get(f"/cms/pages/{page.pk}/edit/")

    assert response.status_code == 200
    text = page_text(response)
    assert "Leesbaarheid" in text
    assert "Leesniveau: Moeilijk" in text
    assert "„teneinde” is vaktaal. Schrijf liever: om." in text
    # Advice only: no form field of its own.
    assert 'name="readability' not in response.content.decode()
