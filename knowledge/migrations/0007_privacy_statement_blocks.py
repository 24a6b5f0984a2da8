"""The privacy statement's generated parts (issue 12): the retention periods and the privacy
contact become blocks of the content pages, rendered from the settings (privacy/blocks.py).

A privacy page made by 0005 before this gets them in place of the hand-written list of periods
and the hand-written contact sentence, which said the same thing and could drift from the
settings. A page a librarian rewrote keeps every word: the blocks go in after its heading
"Hoe lang we je gegevens bewaren" / "Vragen of een klacht" when there is one, else at the end.
The latest revision is changed the same way, so the editor shows what is live.
"""

import json
import uuid
from importlib import import_module

import wagtail.fields
from django.db import migrations

CONTENT_PAGES = import_module("knowledge.migrations.0005_content_pages")

RETENTION_HEADING = "Hoe lang we je gegevens bewaren"
CONTACT_HEADING = "Vragen of een klacht"
# The texts 0005 wrote before the blocks existed (the contact one names the library and its
# address, so it is recognised by its start).
OLD_RETENTION_LIST_START = (
    "<ul><li>Je account, profiel, aanmeldingen, voorkeuren, meldingen en de gegevens "
    "over verzonden mail: zolang je account bestaat.</li>"
)
OLD_CONTACT_START = "<p>Vragen over je privacy stel je aan de functionaris gegevensbescherming van "


def _block(kind, value=None):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _heading_index(body, text):
    for i, block in enumerate(body):
        if block.get("type") == "heading" and (block.get("value") or {}).get("text") == text:
            return i
    return None


def _place(body, *, heading, old_start, replacement, kind, after=None):
    """Put `replacement` (blocks) where the old text was; else the `kind` block right after
    the paragraph `after` (0005's own text: on a new database 0005 ran with the old block
    list, which dropped the blocks it did not know yet), else right after the heading."""
    if any(block.get("type") == kind for block in body):
        return body
    for i, block in enumerate(body):
        if after and block.get("type") == "paragraph" and block.get("value") == after:
            return [*body[: i + 1], _block(kind), *body[i + 1 :]]
    at = _heading_index(body, heading)
    if at is None:
        return [*body, _block("heading", {"text": heading, "level": "h2"}), *replacement]
    following = body[at + 1] if at + 1 < len(body) else None
    if (
        following is not None
        and following.get("type") == "paragraph"
        and str(following.get("value") or "").startswith(old_start)
    ):
        return [*body[: at + 1], *replacement, *body[at + 2 :]]
    return [*body[: at + 1], *[b for b in replacement if b["type"] == kind], *body[at + 1 :]]


def add_generated_parts(body):
    """The privacy page's stream (a list of dicts) with the generated blocks in it."""
    body = _place(
        body,
        heading=RETENTION_HEADING,
        old_start=OLD_RETENTION_LIST_START,
        replacement=[
            _block("paragraph", CONTENT_PAGES.RETENTION_INTRO),
            _block("retention_periods"),
            _block("paragraph", CONTENT_PAGES.RETENTION_ACCOUNT),
        ],
        kind="retention_periods",
        after=CONTENT_PAGES.RETENTION_INTRO,
    )
    return _place(
        body,
        heading=CONTACT_HEADING,
        old_start=OLD_CONTACT_START,
        replacement=[_block("privacy_contact"), _block("paragraph", CONTENT_PAGES.COMPLAINT)],
        kind="privacy_contact",
    )


def _stream(raw):
    if isinstance(raw, str):
        return json.loads(raw) if raw else []
    return list(raw or [])


def update_privacy_pages(apps, schema_editor):
    ContentPage = apps.get_model("knowledge.ContentPage")
    Revision = apps.get_model("wagtailcore.Revision")
    for page in ContentPage.objects.filter(slug="privacy"):
        body = _stream(page.body.raw_data if hasattr(page.body, "raw_data") else page.body)
        changed = add_generated_parts(body)
        if changed != body:
            page.body = json.dumps(changed)
            page.save(update_fields=["body"])
        if page.latest_revision_id:
            revision = Revision.objects.get(pk=page.latest_revision_id)
            content = dict(revision.content)
            draft = _stream(content.get("body"))
            new_draft = add_generated_parts(draft)
            if new_draft != draft:
                content["body"] = json.dumps(new_draft)
                revision.content = content
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0006_pending_status"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contentpage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 2),
                    ("paragraph", 3),
                    ("image", 7),
                    ("quote", 10),
                    ("call_to_action", 16),
                    ("retention_periods", 17),
                    ("privacy_contact", 18),
                ],
                block_lookup={
                    0: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Tekst van de kop", "max_length": 150},
                    ),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [("h2", "Kop"), ("h3", "Tussenkop")],
                            "help_text": "Gebruik een tussenkop alleen onder een kop.",
                            "label": "Niveau",
                        },
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("text", 0), ("level", 1)]], {}),
                    3: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h2", "h3", "bold", "italic", "link", "ol", "ul"],
                            "label": "Tekst",
                            "template": "knowledge/blocks/paragraph.html",
                        },
                    ),
                    4: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "Afbeelding"}),
                    5: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Beschrijf in één zin wat er op de afbeelding te zien is, voor wie de afbeelding niet kan zien (bijvoorbeeld met een schermlezer). Zonder alt-tekst kun je niet publiceren.",
                            "label": "Alt-tekst (verplicht)",
                            "max_length": 250,
                            "required": False,
                        },
                    ),
                    6: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Bijschrift", "max_length": 250, "required": False},
                    ),
                    7: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 4), ("alt_text", 5), ("caption", 6)]],
                        {},
                    ),
                    8: ("wagtail.blocks.TextBlock", (), {"label": "Citaat"}),
                    9: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Naam of rol.",
                            "label": "Wie zei het?",
                            "max_length": 150,
                            "required": False,
                        },
                    ),
                    10: ("wagtail.blocks.StructBlock", [[("quote", 8), ("attribution", 9)]], {}),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "Titel", "max_length": 150}),
                    12: ("wagtail.blocks.TextBlock", (), {"label": "Tekst", "required": False}),
                    13: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Tekst op de knop", "max_length": 60},
                    ),
                    14: (
                        "wagtail.blocks.PageChooserBlock",
                        (),
                        {"label": "Pagina op KennisCloud", "required": False},
                    ),
                    15: (
                        "wagtail.blocks.URLBlock",
                        (),
                        {"label": "Of een link", "required": False},
                    ),
                    16: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("title", 11),
                                ("text", 12),
                                ("button_label", 13),
                                ("page", 14),
                                ("url", 15),
                            ]
                        ],
                        {},
                    ),
                    17: ("privacy.blocks.RetentionPeriodsBlock", (), {}),
                    18: ("privacy.blocks.PrivacyContactBlock", (), {}),
                },
                verbose_name="inhoud",
            ),
        ),
        # Going back leaves the blocks in: the new field keeps reading them, and the old one
        # renders them as nothing.
        migrations.RunPython(update_privacy_pages, migrations.RunPython.noop),
    ]
