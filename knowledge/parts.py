"""Knowledge structure (issue 14): an experience written in parts.

Each part (situation or problem, approach, result, lessons, sources) is Markdown like the body,
rendered by the same sanitiser (knowledge/markdown.py) under a heading of its own. The parts
are optional: the form guides, it does not force. `Contribution.parts_html` holds them rendered,
so every door (page, feeds, API, export) shows the same HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .markdown import render_markdown

PART_MAX_LENGTH = 5000


@dataclass(frozen=True)
class Part:
    field: str  # the Contribution field
    heading: Promise
    help_text: Promise


PARTS: tuple[Part, ...] = (
    Part(
        "part_situation",
        _("Situatie of probleem"),
        _("Waar liep je tegenaan, en hoe zag het eruit voordat je begon?"),
    ),
    Part("part_approach", _("Aanpak"), _("Wat heb je gedaan, en in welke volgorde?")),
    Part("part_result", _("Resultaat"), _("Wat leverde het op? Getallen helpen, als je ze hebt.")),
    Part("part_lessons", _("Lessen"), _("Wat zou je een ander aanraden, of juist afraden?")),
    Part(
        "part_sources",
        _("Bronnen"),
        _("Waar vond je informatie of hulp? Links, boeken, organisaties."),
    ),
)
PART_FIELDS: tuple[str, ...] = tuple(part.field for part in PARTS)

# A part's own heading in `parts_html`: the only h2 there, since the text of a part starts its
# headings at h3 (parts_render). Search leaves these out.
PART_HEADING_RE = re.compile(r"<h2>.*?</h2>", re.DOTALL)


def parts_from(data: dict) -> dict[str, str]:
    """The parts in `data` (cleaned form data, a model's fields), every one present, "" when
    empty. Whitespace alone counts as empty."""
    parts = {}
    for field in PART_FIELDS:
        value = data.get(field) or ""
        parts[field] = value if value.strip() else ""
    return parts


def has_parts(parts: dict[str, str]) -> bool:
    return any(value.strip() for value in parts.values())


def parts_render(parts: dict[str, str]) -> str:
    """The filled parts as sanitised HTML, each under an h2 (the page's h1 is the title), with
    the part's own headings from h3. Empty parts leave no heading behind."""
    sections = []
    for part in PARTS:
        text = parts.get(part.field, "")
        if not text.strip():
            continue
        body_html, _mentioned = render_markdown(text, first_heading=3)
        # The heading is our own translated text (escaped by format_html); the body is the
        # sanitiser's output, which is safe to embed as it is.
        sections.append(
            format_html(
                '<section class="contribution-part contribution-part--{}"><h2>{}</h2>{}</section>',
                part.field.removeprefix("part_"),
                part.heading,
                mark_safe(body_html),
            )
        )
    return "\n".join(sections)


def parts_as_markdown(contribution) -> str:
    """The parts as one Markdown text with `## Heading`s: for the data export."""
    chunks = []
    for part in PARTS:
        text = getattr(contribution, part.field, "")
        if text.strip():
            chunks.append(f"## {part.heading}\n\n{text.strip()}")
    return "\n\n".join(chunks)
