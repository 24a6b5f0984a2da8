"""The posting form's formatting help sits right under the text, before "Plaatsen" (issue 16):
a <details> "Opmaak" with examples, which the textarea points at with aria-describedby."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _form_html(client, community, membership) -> str:
    client.force_login(membership.user)
    response = client.get(f"/bijdragen/nieuw/?gemeenschap={community.slug}")
    assert response.status_code == 200
    return response.content.decode()


def test_opmaak_comes_after_the_text_and_before_the_button(client, community, membership):
    html = _form_html(client, community, membership)

    textarea = html.index('<textarea name="body"')
    help_ = html.index('<details class="formatting-help">')
    button = html.index("Plaatsen")
    next_field = html.index('name="source_url"')
    assert textarea < help_ < next_field < button
    assert "<summary>Opmaak</summary>" in html
    assert "<code>**vet**</code>" in html


def test_the_textarea_is_described_by_its_help_and_the_examples(client, community, membership):
    html = _form_html(client, community, membership)

    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    described = re.search(r'aria-describedby="([^"]*)"', textarea).group(1).split()
    assert described == ["id_body_helptext", "opmaak-voorbeelden"]
    assert 'id="opmaak-voorbeelden"' in html


def test_an_error_is_still_announced_with_the_text(client, community, membership):
    client.force_login(membership.user)
    response = client.post(
        "/bijdragen/nieuw/",
        {"gemeenschap": community.slug, "kind": "question", "title": "Een vraag", "body": " "},
    )

    textarea = re.search(r"<textarea[^>]*>", response.content.decode()).group(0)
    assert 'aria-describedby="id_body_helptext id_body_error opmaak-voorbeelden"' in textarea
    assert 'aria-invalid="true"' in textarea
