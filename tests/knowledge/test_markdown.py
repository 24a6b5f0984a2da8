"""Markdown is rendered, sanitised, and @mentions of members become links."""

from __future__ import annotations

import pytest

from knowledge.markdown import mentioned_handles, render_markdown
from tests.communities.factories import UserFactory

pytestmark = pytest.mark.django_db


def html(text: str) -> str:
    return render_markdown(text)[0]


def test_emphasis_and_lists():
    assert html("**vet** en *schuin*") == "<p><strong>vet</strong> en <em>schuin</em></p>\n"
    assert html("- een\n- twee") == "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>\n"
    assert "<ol>" in html("1. eerst\n2. dan")


def test_links_get_rel_nofollow():
    rendered = html("[de bieb](https://example.org/bieb)")

    assert rendered == (
        '<p><a href="https://example.org/bieb" rel="nofollow ugc noopener">de bieb</a></p>\n'
    )


def test_raw_script_is_escaped_not_rendered():
    rendered = html('<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>')

    assert "<script" not in rendered
    assert "<img" not in rendered
    assert "&lt;script&gt;" in rendered


@pytest.mark.parametrize(
    "source",
    [
        "[klik](javascript:alert(1))",
        "[klik](JavaScript:alert(1))",
        "[klik](data:text/html;base64,PHNjcmlwdD4=)",
        "<a href='javascript:alert(1)'>klik</a>",
    ],
)
def test_dangerous_links_are_neutralised(source):
    rendered = html(source)

    assert "<a" not in rendered
    assert 'href="javascript' not in rendered.lower()


def test_tables_and_strikethrough_are_enabled():
    rendered = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~weg~~")

    assert "<table>" in rendered
    assert "<s>weg</s>" in rendered


def test_headings_start_at_h2():
    rendered = html("# Kop\n\n## Sub\n\n### Diep\n\n#### Dieper")

    assert "<h1" not in rendered
    assert rendered == "<h2>Kop</h2>\n<h3>Sub</h3>\n<h4>Diep</h4>\n<h4>Dieper</h4>\n"


def test_mention_of_a_member_links_to_their_profile():
    anna = UserFactory(handle="anna", display_name="Anna")

    rendered, mentioned = render_markdown("Vraag het @anna, zij weet het.")

    assert (
        '<a href="/leden/anna/" class="mention" rel="nofollow ugc noopener">@anna</a>' in rendered
    )
    assert mentioned == [anna]


def test_mention_is_case_insensitive():
    UserFactory(handle="anna")

    assert 'href="/leden/anna/"' in html("Hoi @Anna!")


def test_mention_of_an_unknown_handle_stays_plain_text():
    rendered, mentioned = render_markdown("Hoi @niemand, ben je er?")

    assert rendered == "<p>Hoi @niemand, ben je er?</p>\n"
    assert mentioned == []


def test_mention_of_an_inactive_member_stays_plain_text():
    UserFactory(handle="weg", is_active=False)

    rendered, mentioned = render_markdown("Hoi @weg")

    assert "<a" not in rendered
    assert mentioned == []


@pytest.mark.parametrize("source", ["Typ `@anna` om haar te noemen.", "```\n@anna\n```"])
def test_mention_in_code_stays_plain(source):
    UserFactory(handle="anna")

    rendered, mentioned = render_markdown(source)

    assert "<a" not in rendered
    assert "@anna" in rendered
    assert mentioned == []


def test_email_addresses_are_not_mentions():
    UserFactory(handle="bieb")

    rendered, mentioned = render_markdown("Mail naar info@bieb.nl")

    assert "<a" not in rendered
    assert mentioned == []
    assert mentioned_handles("info@bieb.nl") == set()
