"""The posting form's formatting help sits right under the text, before "Plaatsen" (issue 16):
a <details> "Opmaak" with examples, which the textarea points at with aria-describedby."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

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


# --- Issue 16: buttons for bold, list and link, and a cheat sheet that needs no JavaScript ---


def test_the_buttons_come_hidden_and_point_at_the_text(client, community, membership):
    html = _form_html(client, community, membership)

    toolbar = re.search(r'<div class="markdown-toolbar"[^>]*>', html).group(0)
    assert 'role="group"' in toolbar
    assert 'aria-label="Opmaak van je tekst"' in toolbar
    assert 'data-markdown-toolbar="id_body"' in toolbar
    assert " hidden" in toolbar  # shown by the script; without it the cheat sheet does the job
    buttons = re.findall(
        r'<button type="button"[^>]*data-format="(\w+)"[^>]*>(.*?)</button>', html, re.S
    )
    labels = {fmt: re.sub(r"<[^>]+>|•", "", label).strip() for fmt, label in buttons}
    assert labels == {"bold": "Vet", "list": "Lijstje", "link": "Link"}
    assert html.index('class="markdown-toolbar"') < html.index('<textarea name="body"')
    assert '<script src="/static/js/markdown-toolbar.js" defer></script>' in html


def test_without_javascript_the_help_text_is_the_cheat_sheet(client, community, membership):
    html = _form_html(client, community, membership)

    help_ = re.search(r'<div class="field__help" id="id_body_helptext">(.*?)</div>', html, re.S)
    assert help_, "no help text with the field"
    # The three things the buttons do, shown as what to type, always visible (not in <details>).
    for example in ["**vet**", "- lijstjes", "[link](https://…)"]:
        assert example in help_.group(1)
    assert help_.start() < html.index('<textarea name="body"') < html.index("Plaatsen")
    assert "<details" not in html[help_.start() : html.index('<textarea name="body"')]


def test_the_script_is_served():
    script = finders.find("js/markdown-toolbar.js")
    assert script
    source = Path(script).read_text(encoding="utf-8")
    assert "data-markdown-toolbar" in source and "toolbar.hidden = false" in source
