"""The privacy statement says what is kept, how long and why, and whom to ask, generated from
the settings at render time (privacy/blocks.py), so it never drifts from what the site does."""

from __future__ import annotations

import json
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import translation

from knowledge.models import ContentPage
from privacy.blocks import retention_period_text
from privacy.retention import retention_periods
from tests.communities.factories import LibraryFactory
from tests.english import english as english  # the fixture
from tests.html import page_text

pytestmark = pytest.mark.django_db

MIGRATION = import_module("knowledge.migrations.0007_privacy_statement_blocks")
CONTENT_PAGES = import_module("knowledge.migrations.0005_content_pages")

# What migration 0005 wrote before the periods and the contact were generated.
OLD_RETENTION_LIST = (
    "<ul><li>Je account, profiel, aanmeldingen, voorkeuren, meldingen en de gegevens "
    "over verzonden mail: zolang je account bestaat.</li>"
    "<li>Wil je je account opheffen, laat het ons weten. Binnen een maand "
    "verwijderen we je account en alles wat hierboven staat.</li>"
    "<li>Logboeken van de server: hooguit vier weken.</li></ul>"
)
OLD_CONTACT = (
    "<p>Vragen over je privacy stel je aan de functionaris gegevensbescherming van "
    'de bibliotheek, via <a href="mailto:vroeger@example.org">vroeger@example.org</a>. Ben je niet '
    "tevreden, dan kun je een klacht indienen bij de Autoriteit Persoonsgegevens.</p>"
)


def _rows(response) -> list[list[str]]:
    """The retention table as the reader sees it: one list of cell texts per row."""
    table = re.search(
        r'<table class="retention-periods"[^>]*>(.*?)</table>', response.content.decode(), re.S
    )
    assert table, "no retention table on the page"
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    ]


def test_the_privacy_page_lists_every_retention_period_from_the_settings(client):
    rows = _rows(client.get("/privacy/"))

    assert rows[0] == ["Welke gegevens", "Hoe lang hooguit", "Waarom"]
    periods = retention_periods()
    assert len(rows) == 1 + len(periods)
    for row, period in zip(rows[1:], periods, strict=True):
        assert row == [str(period.what), retention_period_text(period.days), str(period.why)]
    by_what = {row[0]: row for row in rows[1:]}
    assert by_what["Gedownloade gegevens (Mijn gegevens downloaden)"][1] == "7 dagen"
    # Searches that found nothing: search.services.MISS_RETENTION.
    assert by_what[str(periods[5].what)][1] == "1 jaar"


def test_a_changed_setting_changes_the_page(client, settings):
    settings.DATA_EXPORT_DAYS = 1
    settings.RETENTION_READ_NOTIFICATIONS_DAYS = 730
    settings.RETENTION_INACTIVE_ACCOUNT_DAYS = 700
    settings.RETENTION_INACTIVE_WARNING_DAYS = 31

    rows = {row[0]: row[1:] for row in _rows(client.get("/privacy/"))[1:]}

    assert rows["Gedownloade gegevens (Mijn gegevens downloaden)"][0] == "1 dag"
    assert rows["Gelezen meldingen, nadat je ze las"][0] == "2 jaar"
    inactive = rows["Accounts waarmee niet meer is ingelogd, na de laatste keer inloggen"]
    assert inactive[0] == "731 dagen"
    assert "Na 700 dagen zonder inloggen krijg je een e-mail" in inactive[1]


def test_periods_read_as_words_with_plural_forms():
    assert retention_period_text(1) == "1 dag"
    assert retention_period_text(30) == "30 dagen"
    assert retention_period_text(365) == "1 jaar"
    assert retention_period_text(1095) == "3 jaar"
    assert retention_period_text(0) == "Niet: we wissen het meteen"
    assert retention_period_text(None) == "Zolang je account bestaat"


def test_periods_in_english_use_the_english_plural_forms(english):
    english(
        {
            ("%(count)s dag", 0): "%(count)s day",
            ("%(count)s dag", 1): "%(count)s days",
            ("%(count)s jaar", 0): "%(count)s year",
            ("%(count)s jaar", 1): "%(count)s years",
        }
    )

    with translation.override("en"):
        assert retention_period_text(1) == "1 day"
        assert retention_period_text(7) == "7 days"
        assert retention_period_text(730) == "2 years"


def test_the_english_privacy_page_renders_the_table_in_english(client, english):
    english(
        {
            "Welke gegevens": "What",
            "Gedownloade gegevens (Mijn gegevens downloaden)": "Downloaded data (Download my data)",
            ("%(count)s dag", 0): "%(count)s day",
            ("%(count)s dag", 1): "%(count)s days",
        }
    )

    rows = _rows(client.get("/en/privacy/"))

    assert rows[0][0] == "What"
    assert ["Downloaded data (Download my data)", "7 days"] in [row[:2] for row in rows]


def test_the_privacy_contact_comes_from_the_settings(client, settings):
    settings.PRIVACY_CONTACT_NAME = "Fenna de Vries, functionaris gegevensbescherming"
    settings.PRIVACY_CONTACT_EMAIL = "fg@bibliotheek.example.org"

    response = client.get("/privacy/")

    assert (
        "Vragen over je privacy, of over wat we met je gegevens doen, stel je aan Fenna de "
        "Vries, functionaris gegevensbescherming: fg@bibliotheek.example.org."
    ) in page_text(response)
    assert 'href="mailto:fg@bibliotheek.example.org"' in response.content.decode()


def test_without_settings_the_contact_is_the_libraries_officer_at_the_sender_address(
    client, settings
):
    settings.PRIVACY_CONTACT_NAME = ""
    settings.PRIVACY_CONTACT_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "KennisCloud <afzender@example.org>"

    text = page_text(client.get("/privacy/"))

    assert (
        "stel je aan de functionaris gegevensbescherming van de bibliotheek: afzender@example.org."
    ) in text


def test_without_an_address_set_the_one_librarys_address_is_used(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = ""
    LibraryFactory(contact_email="privacy@aanzee.example.org")

    assert "privacy@aanzee.example.org" in page_text(client.get("/privacy/"))


def test_the_contact_name_is_escaped(client, settings):
    settings.PRIVACY_CONTACT_NAME = "<script>alert(1)</script>"

    content = client.get("/privacy/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_the_english_contact_sentence_is_translated(client, settings, english):
    settings.PRIVACY_CONTACT_NAME = ""
    settings.PRIVACY_CONTACT_EMAIL = "fg@example.org"
    english(
        {
            "de functionaris gegevensbescherming van de bibliotheek": (
                "the library's data protection officer"
            ),
            "Vragen over je privacy, of over wat we met je gegevens doen, stel je aan "
            '%(name)s: <a href="mailto:%(email)s">%(email)s</a>.': (
                'Ask %(name)s about your privacy: <a href="mailto:%(email)s">%(email)s</a>.'
            ),
        }
    )

    text = page_text(client.get("/en/privacy/"))

    assert "Ask the library's data protection officer about your privacy: fg@example.org." in text


# --- Existing databases: migration 0007 ---------------------------------------------------------


def _privacy_page() -> ContentPage:
    return ContentPage.objects.get(slug="privacy")


def _kinds(page: ContentPage) -> list[str]:
    return [block.block_type for block in page.body]


def _set_body(page: ContentPage, body: list[dict]) -> None:
    page.body = json.dumps(body)
    page.save()


def _old_body() -> list[dict]:
    """The privacy page as 0005 wrote it before the generated parts existed."""
    body = [
        {"type": block.block_type, "value": block.block.get_prep_value(block.value), "id": block.id}
        for block in _privacy_page().body
    ]
    at = next(i for i, b in enumerate(body) if b["type"] == "retention_periods")
    body[at - 1 : at + 2] = [{"type": "paragraph", "value": OLD_RETENTION_LIST, "id": "old-1"}]
    at = next(i for i, b in enumerate(body) if b["type"] == "privacy_contact")
    body[at : at + 2] = [{"type": "paragraph", "value": OLD_CONTACT, "id": "old-2"}]
    return body


def test_a_new_site_has_the_generated_parts_in_its_privacy_page():
    blocks = list(_privacy_page().body)
    kinds = [block.block_type for block in blocks]

    assert kinds.count("retention_periods") == 1
    assert kinds.count("privacy_contact") == 1
    at = kinds.index("retention_periods")
    assert [blocks[at - 2].value["text"], blocks[at - 1].value.source] == [
        "Hoe lang we je gegevens bewaren",
        CONTENT_PAGES.RETENTION_INTRO,
    ]
    at = kinds.index("privacy_contact")
    assert blocks[at - 1].value["text"] == "Vragen of een klacht"


def test_the_demo_loader_makes_the_same_privacy_page():
    before = _kinds(_privacy_page())
    _privacy_page().delete()

    assert CONTENT_PAGES.create_content_pages(apps) == ["privacy"]

    assert _kinds(_privacy_page()) == before


def test_the_migration_puts_the_generated_parts_in_place_of_the_old_texts(client):
    page = _privacy_page()
    _set_body(page, _old_body())
    assert "retention_periods" not in _kinds(_privacy_page())

    MIGRATION.update_privacy_pages(apps, None)
    MIGRATION.update_privacy_pages(apps, None)  # twice is once

    page = _privacy_page()
    kinds = _kinds(page)
    assert kinds.count("retention_periods") == 1
    assert kinds.count("privacy_contact") == 1
    text = page_text(client.get("/privacy/"))
    assert "laat het ons weten" not in text
    assert "vroeger@example.org" not in text
    assert "Je kunt je account op elk moment zelf verwijderen" in text
    assert "Autoriteit Persoonsgegevens" in text
    assert "Gedownloade gegevens (Mijn gegevens downloaden) 7 dagen" in text


def test_the_migration_keeps_a_librarians_own_words_and_adds_the_parts_after_the_heading():
    page = _privacy_page()
    body = _old_body()
    for block in body:
        if block["id"] == "old-1":
            block["value"] = "<p>Onze eigen tekst over bewaren.</p>"
    _set_body(page, body)

    MIGRATION.update_privacy_pages(apps, None)

    blocks = list(_privacy_page().body)
    kinds = [b.block_type for b in blocks]
    at = kinds.index("retention_periods")
    assert blocks[at - 1].value["text"] == "Hoe lang we je gegevens bewaren"
    assert blocks[at + 1].value.source == "<p>Onze eigen tekst over bewaren.</p>"


def test_the_migration_appends_the_parts_to_a_page_without_those_headings():
    page = _privacy_page()
    _set_body(page, [{"type": "paragraph", "value": "<p>Kort en eigen.</p>", "id": "x"}])

    MIGRATION.update_privacy_pages(apps, None)

    assert _kinds(_privacy_page()) == [
        "paragraph",
        "heading",
        "paragraph",
        "retention_periods",
        "paragraph",
        "heading",
        "privacy_contact",
        "paragraph",
    ]


def test_the_migration_updates_the_latest_revision_so_the_editor_shows_the_parts():
    page = _privacy_page()
    page.body = json.dumps(_old_body())
    revision = page.save_revision()
    revision.publish()

    MIGRATION.update_privacy_pages(apps, None)

    draft = _privacy_page().get_latest_revision_as_object()
    assert [b.block_type for b in draft.body].count("retention_periods") == 1


def test_the_librarian_can_still_edit_the_page_around_the_generated_parts(admin_client):
    page = _privacy_page()

    response = admin_client.get(f"/cms/pages/{page.pk}/edit/")

    assert response.status_code == 200
    assert "Bewaartermijnen (uit de instellingen)" in response.content.decode()
    page.body = json.dumps(
        [
            {"type": "paragraph", "value": "<p>Nieuwe eigen tekst.</p>", "id": "a"},
            {"type": "retention_periods", "value": None, "id": "b"},
        ]
    )
    page.save_revision().publish()
    assert _kinds(_privacy_page()) == ["paragraph", "retention_periods"]
