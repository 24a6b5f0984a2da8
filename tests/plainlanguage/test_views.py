"""The readability advice on the site: POST /leesbaarheid/ (the check while typing) and the
contribution form's "Controleer de leesbaarheid" button (without JavaScript)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from knowledge.models import Contribution
from plainlanguage.models import JargonTerm
from plainlanguage.selectors import jargon_list_forget
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.plainlanguage import texts

pytestmark = pytest.mark.django_db

URL = "/leesbaarheid/"
NEW = "/bijdragen/nieuw/"


@pytest.fixture(autouse=True)
def _fresh_jargon_cache():
    # The cache outlives a test (Redis); the terms do not.
    jargon_list_forget()
    yield
    jargon_list_forget()


@pytest.fixture
def writer(client, membership):
    client.force_login(membership.user)
    return client


# --- POST /leesbaarheid/ ------------------------------------------------------------------------


def test_the_endpoint_answers_advice_as_json_and_html(writer, clock):
    JargonTerm.objects.create(term="subsidiabele", plain="waarvoor je subsidie krijgt")

    response = writer.post(URL, {"text": texts.HARD})

    assert response.status_code == 200
    data = response.json()
    assert data["level"] == "hard" and data["label"] == "Moeilijk"
    assert data["lix"] > 55
    # The list's words as the reader meets them: "teneinde" (one of the first terms), then
    # the librarian's new one; one of each kind of tip before a second of any.
    assert data["tips"][0] == {
        "kind": "jargon",
        "message": "„teneinde” is vaktaal. Schrijf liever: om.",
        "quote": "teneinde",
    }
    assert [t["kind"] for t in data["tips"]] == [
        "jargon",
        "long_sentence",
        "passive",
        "long_words",
        "jargon",
    ]
    assert data["tips"][4]["message"] == "„participatie” is vaktaal. Schrijf liever: meedoen."
    clock.tick(dt.timedelta(seconds=1))
    short = writer.post(URL, {"text": "De subsidiabele kosten."}).json()
    assert short["tips"][0]["message"] == (
        "„subsidiabele” is vaktaal. Schrijf liever: waarvoor je subsidie krijgt."
    )
    assert "Leesniveau:" in data["html"] and "<strong>Moeilijk</strong>" in data["html"]
    assert "je kunt je tekst altijd plaatsen" in data["html"]


def test_the_endpoint_strips_markdown(writer, clock):
    response = writer.post(URL, {"text": "**Participatie** kan [hier](https://example.org/x)."})

    data = response.json()
    assert data["words"] == 3 and data["level"] is None
    assert [t["quote"] for t in data["tips"]] == ["Participatie"]  # from the first terms


def test_anonymous_visitors_are_refused(client):
    response = client.post(URL, {"text": texts.HARD})

    assert response.status_code == 403
    assert "Log in" in response.json()["error"]


def test_the_endpoint_is_csrf_protected(membership):
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)

    assert client.post(URL, {"text": texts.EASY}).status_code == 403


def test_the_endpoint_is_post_only(writer):
    assert writer.get(URL).status_code == 405


def test_a_text_over_20000_characters_is_refused_with_a_message(writer, clock):
    response = writer.post(URL, {"text": "woord " * 4000})

    assert response.status_code == 400
    assert "hooguit 20000 tekens" in response.json()["error"]
    assert writer.post(URL, {"text": "a" * 20000}).status_code == 200


def test_checks_are_rate_limited(writer, clock):
    assert writer.post(URL, {"text": texts.EASY}).status_code == 200

    too_soon = writer.post(URL, {"text": texts.B1})

    assert too_soon.status_code == 429
    assert too_soon["Retry-After"] == "1"
    assert "snel achter elkaar" in too_soon.json()["error"]
    clock.tick(dt.timedelta(seconds=1))
    assert writer.post(URL, {"text": texts.B1}).status_code == 200


def test_the_endpoint_reads_the_jargon_list_from_the_cache(writer, clock):
    writer.post(URL, {"text": texts.EASY})  # fills the cache
    clock.tick(dt.timedelta(seconds=5))

    with CaptureQueriesContext(connection) as queries:
        response = writer.post(URL, {"text": texts.HARD})

    assert response.status_code == 200
    # The session and the member, nothing for the jargon list.
    assert not [q for q in queries.captured_queries if "plainlanguage" in q["sql"]]
    assert len(queries.captured_queries) <= 2


# --- The contribution form's check button -------------------------------------------------------


def _form(community, **extra):
    return {
        "gemeenschap": community.slug,
        "kind": "experience",
        "title": "",
        "body": texts.HARD,
        **extra,
    }


def test_the_check_button_shows_the_advice_and_saves_nothing(writer, community):
    response = writer.post(NEW, _form(community, leesbaarheid="1"))

    assert response.status_code == 200
    text = page_text(response)
    assert "Leesniveau: Moeilijk" in text
    assert "Deze zin heeft 52 woorden" in text
    # Shown again as typed, without errors: it was not sent to be saved.
    assert "Onverminderd het bepaalde" in response.content.decode()
    assert "verplicht" not in response.context["form"].errors.as_text()
    assert not response.context["form"].errors
    assert not Contribution.objects.exists()


def test_the_form_offers_the_check_and_posts_as_before(writer, community):
    page = writer.get(f"{NEW}?gemeenschap={community.slug}").content.decode()

    assert "Controleer de leesbaarheid" in page
    assert 'aria-live="polite"' in page and "js/plainlanguage" in page
    # The first submit button in the form posts (Enter in the title field presses it).
    form = page[page.index('<form method="post"') :]
    first = form[form.index("<button") : form.index(">", form.index("<button")) + 1]
    assert 'name="leesbaarheid"' not in first and 'type="submit"' in first

    writer.post(NEW, _form(community, title="Wat ik leerde van de regeling"))

    assert Contribution.objects.get().body == texts.HARD


def test_the_check_button_on_edit_changes_nothing(writer, community, membership):
    contribution = ContributionFactory(
        community=community, author=membership.user, title="Mijn ervaring", body=texts.EASY
    )

    response = writer.post(
        f"/bijdragen/{contribution.pk}/bewerken/",
        {"kind": "experience", "title": "Mijn ervaring", "body": texts.B1, "leesbaarheid": "1"},
    )

    assert response.status_code == 200
    assert "Leesniveau: B1" in page_text(response)
    contribution.refresh_from_db()
    assert contribution.body == texts.EASY


def test_the_comment_form_checks_while_typing(client, community, membership):
    contribution = ContributionFactory(community=community, author=membership.user)
    client.force_login(membership.user)

    page = client.get(contribution.get_absolute_url()).content.decode()

    assert 'data-plainlanguage-field="id_body"' in page
    assert "js/plainlanguage" in page
