"""Knowledge structure (issue 14): an experience written in parts. The form guides without
forcing, the parts show as h2 headings (sanitised) and search finds their words."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from knowledge import services
from knowledge.models import Contribution
from search.selectors import search_for
from tests.html import field_errors, page_text
from tests.knowledge.factories import ContributionFactory

pytestmark = pytest.mark.django_db

NEW = "/bijdragen/nieuw/"


def _data(community, **overrides) -> dict:
    data = {
        "gemeenschap": community.slug,
        "kind": "experience",
        "title": "Zo kregen we de vloer warm",
        "body": "",
        "tags": "",
        "source_url": "",
    }
    data.update(overrides)
    return data


def test_the_form_opens_the_parts_for_an_experience(client, community, membership):
    client.force_login(membership.user)

    content = client.get(f"{NEW}?gemeenschap={community.slug}&kind=experience").content.decode()

    assert re.search(r'<details class="parts-fieldset"\s+id="delen"\s+open>', content)
    assert 'name="part_approach"' in content


def test_an_experience_in_parts_needs_no_body(client, community, membership):
    client.force_login(membership.user)

    response = client.post(
        NEW,
        _data(
            community,
            part_situation="Koude voeten in een **jaren-30** woning.",
            part_approach="Vloerisolatie met schuimparels.",
            part_lessons="   ",  # whitespace alone is no part
        ),
        follow=True,
    )

    contribution = Contribution.objects.get()
    assert contribution.body == ""
    assert contribution.part_lessons == ""
    content = response.content.decode()
    assert '<section class="contribution-part contribution-part--situation"><h2>' in content
    assert "<h2>Aanpak</h2>" in content
    assert "<h2>Lessen</h2>" not in content  # an empty part leaves no heading
    assert "<strong>jaren-30</strong>" in content


def test_nothing_at_all_is_refused_next_to_the_text(client, community, membership):
    client.force_login(membership.user)

    response = client.post(NEW, _data(community, part_result="  "))

    assert response.status_code == 200
    assert "Schrijf eerst iets: in de tekst, of in een of meer van de delen." in field_errors(
        response, "body"
    )
    assert not Contribution.objects.exists()


def test_a_part_cannot_carry_a_script(client, community, membership):
    client.force_login(membership.user)

    response = client.post(
        NEW,
        _data(
            community,
            part_approach="<script>alert('x')</script> [klik](javascript:alert(1)) <h2>Kop</h2>",
        ),
        follow=True,
    )

    stored = Contribution.objects.get().parts_html
    content = response.content.decode()
    for html in (stored, content):
        assert "<script>alert" not in html
        assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in stored
    # Only the parts' own headings are h2: a heading in a part starts at h3.
    assert stored.count("<h2>") == 1


def test_a_heading_inside_a_part_is_an_h3(community, membership):
    contribution = services.contribution_create(
        author=membership.user,
        community=community,
        kind=Contribution.Kind.EXPERIENCE,
        title="Warmtepomp in een rijtjeshuis",
        body="",
        parts={"part_result": "# Na een jaar\n\nDe helft minder gas."},
    )

    assert "<h2>Resultaat</h2><h3>Na een jaar</h3>" in contribution.parts_html


def test_editing_keeps_the_parts_when_the_caller_leaves_them_alone(community, membership):
    contribution = services.contribution_create(
        author=membership.user,
        community=community,
        kind=Contribution.Kind.EXPERIENCE,
        title="Warmtepomp in een rijtjeshuis",
        body="",
        parts={"part_approach": "Eerst isoleren."},
    )

    services.contribution_update(
        by=membership.user,
        contribution=contribution,
        kind=Contribution.Kind.EXPERIENCE,
        title="Warmtepomp in ons rijtjeshuis",
        body="Een kort verslag.",
    )

    contribution.refresh_from_db()
    assert contribution.part_approach == "Eerst isoleren."
    assert "<h2>Aanpak</h2>" in contribution.parts_html


def test_the_edit_form_shows_the_parts(client, community, membership):
    contribution = services.contribution_create(
        author=membership.user,
        community=community,
        kind=Contribution.Kind.EXPERIENCE,
        title="Warmtepomp in een rijtjeshuis",
        body="",
        parts={"part_lessons": "Vraag drie offertes."},
    )
    client.force_login(membership.user)

    response = client.get(f"/bijdragen/{contribution.pk}/bewerken/")

    assert "Vraag drie offertes." in response.content.decode()


def test_search_finds_the_words_of_a_part_not_its_heading(community, membership):
    services.contribution_create(
        author=membership.user,
        community=community,
        kind=Contribution.Kind.EXPERIENCE,
        title="Warm wonen zonder gas",
        body="",
        parts={"part_approach": "We kozen een **bodemwarmtewisselaar**."},
    )

    def titles(query):
        result = search_for(AnonymousUser(), query, kind="contribution")
        return [h.title.replace("<mark>", "").replace("</mark>", "") for h in result.hits]

    assert titles("bodemwarmtewisselaar") == ["Warm wonen zonder gas"]
    assert titles("aanpak") == []


# --- The Wagtail admin writes the parts through the same service --------------------------------


def test_the_admin_renders_the_parts(admin_client, community, membership, theme):
    contribution = ContributionFactory(
        community=community, author=membership.user, kind=Contribution.Kind.EXPERIENCE
    )

    response = admin_client.post(
        f"/cms/snippets/knowledge/contribution/edit/{contribution.pk}/",
        {
            "community": community.pk,
            "author": membership.user.pk,
            "kind": "experience",
            "title": contribution.title,
            "body": "",
            "part_situation": "",
            "part_approach": "",
            "part_result": "Een **warm** huis.",
            "part_lessons": "",
            "part_sources": "",
            "source_url": "",
            "tags": "",
            "themes": [theme.pk],
            "status": "published",
        },
    )

    assert response.status_code == 302, page_text(response)[:2000]
    contribution.refresh_from_db()
    assert contribution.body == ""
    assert "<h2>Resultaat</h2><p>Een <strong>warm</strong> huis.</p>" in contribution.parts_html


def test_the_admin_refuses_an_empty_text_next_to_the_field(
    admin_client, community, membership, theme
):
    contribution = ContributionFactory(community=community, author=membership.user)

    response = admin_client.post(
        f"/cms/snippets/knowledge/contribution/edit/{contribution.pk}/",
        {
            "community": community.pk,
            "author": membership.user.pk,
            "kind": "question",
            "title": contribution.title,
            "body": "",
            "themes": [theme.pk],
            "status": "published",
        },
    )

    assert response.status_code == 200
    assert "Schrijf eerst iets: in de tekst, of in een of meer van de delen." in page_text(response)
    contribution.refresh_from_db()
    assert contribution.body != ""
